{#- The segmentation registry (var segmentations), validated: a list of {name, model, column,
    label, description, owner, enabled, python_model}. With enabled_only, the entries the marts
    are built from: enabled, and built on this engine (python_model: true needs an engine that runs
    dbt Python models, see python_models_supported).
    Names and columns are plain identifiers, unique; every field but enabled is text. -#}
{% macro segmentation_registry(enabled_only=false) %}
    {%- set entries = var('segmentations') -%}
    {%- if entries is string or entries is mapping or entries | length == 0 -%}
        {{ exceptions.raise_compiler_error("var segmentations must be a non-empty list of segmentations, got " ~ entries) }}
    {%- endif -%}
    {%- set seen = {'name': [], 'column': [], 'model': []} -%}
    {%- set chosen = [] -%}
    {%- for entry in entries -%}
        {%- for field in ['name', 'model', 'column', 'label', 'description', 'owner'] -%}
            {%- if entry[field] is not defined or entry[field] is not string or entry[field] | trim | length == 0 -%}
                {{ exceptions.raise_compiler_error(
                    "var segmentations: entry " ~ loop.index ~ " needs a text `" ~ field ~ "`, got " ~ entry) }}
            {%- endif -%}
        {%- endfor -%}
        {%- for field in ['name', 'model', 'column'] -%}
            {%- if not modules.re.match('^[a-z][a-z0-9_]*$', entry[field]) -%}
                {{ exceptions.raise_compiler_error(
                    "var segmentations: `" ~ field ~ "` must be a lower-case identifier, got '" ~ entry[field] ~ "'") }}
            {%- endif -%}
            {%- if entry[field] in seen[field] -%}
                {{ exceptions.raise_compiler_error(
                    "var segmentations: two entries share the " ~ field ~ " '" ~ entry[field] ~ "'") }}
            {%- endif -%}
            {%- do seen[field].append(entry[field]) -%}
        {%- endfor -%}
        {%- for flag in ['enabled', 'python_model'] -%}
            {%- if entry.get(flag, flag == 'enabled') not in [true, false] -%}
                {{ exceptions.raise_compiler_error(
                    "var segmentations: `" ~ flag ~ "` of " ~ entry.name ~ " must be true or false, got " ~ entry[flag]) }}
            {%- endif -%}
        {%- endfor -%}
        {%- if entry.get('evidence') is not none and entry.evidence is not string -%}
            {{ exceptions.raise_compiler_error(
                "var segmentations: `evidence` of " ~ entry.name ~ " must be a text naming the inputs, got " ~ entry.evidence) }}
        {%- endif -%}
        {%- do segmentation_min_evidence_share(entry) -%}
        {%- if segmentation_is_built(entry) or not enabled_only -%}
            {%- do chosen.append(entry) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(chosen) }}
{% endmacro %}

{#- Whether the registry enables segmentation `name` (its model's `enabled` config uses it, so a
    disabled segmentation is not even built). -#}
{% macro segmentation_enabled(name) %}
    {%- set found = segmentation_registry() | selectattr('name', 'equalto', name) | list -%}
    {%- if found | length == 0 -%}
        {{ exceptions.raise_compiler_error("segmentation '" ~ name ~ "' is not in var segmentations") }}
    {%- endif -%}
    {{ return(segmentation_is_built(found[0])) }}
{% endmacro %}

{#- Whether a registry entry is built here: enabled, and not a Python segmentation on an engine
    without dbt Python models. -#}
{% macro segmentation_is_built(entry) %}
    {{ return(entry.get('enabled', true) and (python_models_supported() or not entry.get('python_model', false))) }}
{% endmacro %}

{#- Engines whose dbt adapter runs Python models here: dbt-duckdb (in process). dbt-postgres has
    none and dbt-spark runs them only on Databricks, so the predictive models are disabled there
    (the same test as the `+enabled` of the predictive folders in dbt_project.yml); var
    python_models: false turns them off on DuckDB too. -#}
{% macro python_models_supported() %}
    {%- set wanted = var('python_models', true) -%}
    {%- if wanted not in [true, false] -%}
        {{ exceptions.raise_compiler_error("var python_models must be true or false (in --vars), got " ~ wanted) }}
    {%- endif -%}
    {{ return(target.type == 'duckdb' and wanted) }}
{% endmacro %}

{#- The membership rows of every enabled segmentation, one union: customer_key, as_of_date,
    segmentation, segment_code, score, explanation (the membership contract). -#}
{% macro union_segmentations() %}
    {%- set parts = [] -%}
    {%- for entry in segmentation_registry(enabled_only=true) -%}
        {%- do parts.append(
            "select customer_key, as_of_date, '" ~ entry.name ~ "' as segmentation, segment_code, score, explanation"
            ~ " from " ~ ref(entry.model)
        ) -%}
    {%- endfor -%}
    {%- if parts | length == 0 -%}
        {{ exceptions.raise_compiler_error("var segmentations: every segmentation is disabled, the marts would be empty") }}
    {%- endif -%}
    {{ return(parts | join('\nunion all\n')) }}
{% endmacro %}

{#- The share of customers whose segment must rest on observed data for `entry` to count as
    running with its evidence: the entry's min_evidence_share, else var min_evidence_share. -#}
{% macro segmentation_min_evidence_share(entry) %}
    {%- set share = entry.get('min_evidence_share', var('min_evidence_share', 0.5)) -%}
    {%- if share is string or share is boolean or share is not number or share < 0 or share > 1 -%}
        {{ exceptions.raise_compiler_error(
            "min_evidence_share of segmentation " ~ entry.name ~ " must be a share from 0 to 1, got " ~ share) }}
    {%- endif -%}
    {{ return(share) }}
{% endmacro %}
