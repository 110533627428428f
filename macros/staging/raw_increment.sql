{#- Incremental base models (ADR 0015). On DuckDB a base model keeps the rows it parsed and, on
    the next run, re-parses only the raw rows of the keys whose verdict can have changed:
    - the key's raw rows differ from the stored ones (a row hash per raw row, compared as a multiset:
      new, changed, removed and newly duplicated rows all count);
    - the key's parent got another staging status (an order whose customer became quarantined);
    - the verdict depends on the future-date cutoff, which moves with the run date (a row
      quarantined or an optional date nulled as future_*, ADR 0019);
    - the code, the seed or the vars the validation reads have changed (then every key);
    - the stored table lacks a column the comparison reads: built as a plain table
      (incremental_staging: false) or by an older version (then every key).
    Rows without a key are always re-parsed. Every other row is kept as it is: its verdict is a
    function of its own key's rows, its parent's status, the cutoff and the rules, nothing else.
    PostgreSQL and Spark build the base models as tables (var incremental_staging: false does too). -#}

{% macro raw_increment_enabled() -%}
    {{ return(target.type == 'duckdb' and var('incremental_staging', true)) }}
{%- endmacro %}

{#- The config of a base model. `parents`: [stored status column, parent base model, key column];
    `cutoff_dates`: the stored date columns checked against the future-date cutoff; `uses_codes`
    and `rule_vars`: whether the validation reads canonical_codes, and the vars it reads. The other
    macros read these from the model's meta. Columns follow the model (sync_all_columns): a changed
    model changes the fingerprint, so every row is re-parsed into the new columns. -#}
{% macro raw_increment_config(table_name, key_column, parents=[], cutoff_dates=[], uses_codes=false, rule_vars=[]) -%}
    {%- set settings = {'meta': {'raw_increment': {
        'table_name': table_name, 'key_column': key_column, 'parents': parents,
        'cutoff_dates': cutoff_dates, 'uses_codes': uses_codes, 'rule_vars': rule_vars,
    }}} -%}
    {%- if not segmentation.raw_increment_enabled() -%}
        {%- do settings.update({'materialized': 'table'}) -%}
    {%- else -%}
        {%- do settings.update({
            'materialized': 'incremental',
            'incremental_strategy': 'append',
            'on_schema_change': 'sync_all_columns',
            'pre_hook': [
                "{{ segmentation.create_changed_keys() }}",
                "{{ segmentation.delete_changed_keys() }}",
            ],
            'post_hook': ["{{ segmentation.keep_changed_keys() }}"],
        }) -%}
    {%- endif -%}
    {{ return(settings) }}
{%- endmacro %}

{#- None where the model's config is not at hand (a unit test renders the model apart). -#}
{% macro raw_increment_settings() -%}
    {{ return((config.get('meta') or {}).get('raw_increment')) }}
{%- endmacro %}

{% macro changed_keys_relation() -%}
    {{ return(api.Relation.create(
        database=this.database, schema=this.schema, identifier=this.identifier ~ '__changed_keys'
    )) }}
{%- endmacro %}

{#- A hash of the raw row as cleaned text (what the stored raw_ columns hold and every verdict
    reads), to tell a changed row from a kept one. -#}
{% macro raw_row_hash(table_name, relation_alias) -%}
    {{ return(adapter.dispatch('raw_row_hash', 'segmentation')(table_name, relation_alias)) }}
{%- endmacro %}

{% macro duckdb__raw_row_hash(table_name, relation_alias) -%}
    hash(
        {%- for column_name in raw_column_names(table_name) %}
        {{ clean_text(relation_alias ~ '.' ~ column_name) }}{{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}

{% macro default__raw_row_hash(table_name, relation_alias) -%}
    {{ exceptions.raise_compiler_error("incremental base models run on DuckDB only (docs/decisions/0015)") }}
{%- endmacro %}

{#- What the verdicts were computed with, beyond the rows themselves: the model's code, the
    staging and var macros and the dbt version (an upgrade re-parses every row), the vars and the
    seed it reads, the engine's version (parsing functions). Computed once per run and written as
    a literal: as an expression with the seed's subquery, the engine joined it to every stored row
    and hashed it again per row (30 s on 4M rows). Outside run and build (compile, the linter's
    templater) the expression itself, which needs nothing built. -#}
{% macro validation_rules_value(uses_codes, rule_vars) -%}
    {%- set expression = segmentation.validation_rules_fingerprint(uses_codes, rule_vars) -%}
    {%- if flags.WHICH not in ('run', 'build') -%}
        {{ return(expression) }}
    {%- endif -%}
    {%- set fingerprint = run_query('select ' ~ expression).columns[0].values()[0] -%}
    {{ return("'" ~ fingerprint ~ "'") }}
{%- endmacro %}

{% macro validation_rules_fingerprint(uses_codes, rule_vars) -%}
    {%- set code = [model.raw_code, 'dbt ' ~ dbt_version] -%}
    {%- set project_macros = context[model.package_name] -%}
    {%- for name in project_macros | sort -%}
        {%- set macro = project_macros[name].macro -%}
        {%- if macro.original_file_path.startswith(('macros/staging/', 'macros/vars/')) -%}
            {%- do code.append(macro.macro_sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for name in rule_vars -%}
        {%- do code.append(name ~ '=' ~ var(name)) -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('validation_rules_fingerprint', 'segmentation')(local_md5(code | join('\n')), uses_codes)) }}
{%- endmacro %}

{#- The fingerprint of the code and vars, and the seed's content when the model reads it. -#}
{% macro duckdb__validation_rules_fingerprint(settings_hash, uses_codes) -%}
    md5('{{ settings_hash }};' || version()
    {%- if uses_codes %} || ';' || coalesce((
        select string_agg(code_domain || '|' || raw_value || '|' || canonical_code, ';'
            order by code_domain, raw_value, canonical_code)
        from {{ ref('canonical_codes') }}
    ), '')
    {%- endif %})
{%- endmacro %}

{% macro default__validation_rules_fingerprint(settings_hash, uses_codes) -%}
    {{ exceptions.raise_compiler_error("incremental base models run on DuckDB only (docs/decisions/0015)") }}
{%- endmacro %}

{#- The bookkeeping columns of an incremental base model, read from the raw relation. -#}
{% macro raw_increment_columns(relation_alias) -%}
    {%- set settings = segmentation.raw_increment_settings() if execute else none -%}
    {%- if segmentation.raw_increment_enabled() and settings -%}
    ,
    {{ segmentation.raw_row_hash(settings.table_name, relation_alias) }} as raw_row_hash,
    {{ segmentation.validation_rules_value(settings.uses_codes, settings.rule_vars) }} as validation_rules
    {%- endif -%}
{%- endmacro %}

{#- On an incremental run, only the raw rows of changed keys and those without a key. -#}
{% macro raw_increment_filter(relation_alias) -%}
    {%- set settings = segmentation.raw_increment_settings() if execute else none -%}
    {#- only while run or build create the key list: `dbt show` or `compile` read the whole raw table -#}
    {%- if segmentation.raw_increment_enabled() and settings and is_incremental() and flags.WHICH in ('run', 'build') -%}
    {%- set key_column = settings.key_column -%}
    where {{ clean_text(relation_alias ~ '.' ~ key_column) }} is null
        or {{ clean_text(relation_alias ~ '.' ~ key_column) }} in (
            select changed_keys.key_value from {{ segmentation.changed_keys_relation() }} as changed_keys
        )
    {%- endif -%}
{%- endmacro %}

{#- Lower-case column names of the stored table (this). -#}
{% macro stored_column_names() -%}
    {{ return(adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list) }}
{%- endmacro %}

{% macro create_changed_keys() -%}
    {%- if is_incremental() -%}
    {%- set settings = segmentation.raw_increment_settings() -%}
    {%- set table_name, key_column = settings.table_name, settings.key_column -%}
    {%- set needed = [key_column, 'raw_row_hash', 'validation_rules', 'quarantine_reason'] + settings.cutoff_dates -%}
    {#- an optional date nulled as future (ADR 0019) is judged again when the cutoff moves, like a quarantined one -#}
    {%- set optional_columns = segmentation.raw_contract(table_name)[0].columns | rejectattr('is_required') | map(attribute='name') | list -%}
    {%- set nulled_dates = settings.cutoff_dates | select('in', optional_columns) | list -%}
    {%- for date_column in nulled_dates -%}
        {%- do needed.append(date_column ~ '_null_reason') -%}
    {%- endfor -%}
    {%- for status_column, parent_model, parent_key in settings.parents -%}
        {%- do needed.extend([status_column, parent_key]) -%}
    {%- endfor -%}
    {%- set stored = segmentation.stored_column_names() -%}
    {%- set comparable = needed | reject('in', stored) | list | length == 0 -%}
create or replace table {{ segmentation.changed_keys_relation() }} as
    {%- if not comparable %}
-- stored by an older version or as a plain table (incremental_staging: false): every key changes
select {{ clean_text('source.' ~ key_column) }} as key_value
from {{ source('raw', table_name) }} as source
where {{ clean_text('source.' ~ key_column) }} is not null
        {%- if key_column in stored %}

union

select {{ key_column }}
from {{ this }}
where {{ key_column }} is not null
        {%- endif %}
    {%- else %}
with

raw_versions as (
    select
        {{ clean_text('source.' ~ key_column) }} as key_value,
        {{ segmentation.raw_row_hash(table_name, 'source') }} as raw_row_hash,
        count(*) as copies
    from {{ source('raw', table_name) }} as source
    group by 1, 2
),

stored_versions as (
    select
        {{ key_column }} as key_value,
        raw_row_hash,
        count(*) as copies
    from {{ this }}
    group by 1, 2
),

changed as (
    select coalesce(raw_versions.key_value, stored_versions.key_value) as key_value
    from raw_versions
    full outer join stored_versions
        on
            raw_versions.key_value = stored_versions.key_value
            and raw_versions.raw_row_hash = stored_versions.raw_row_hash
    where raw_versions.copies is distinct from stored_versions.copies

    union all

    -- one pass over the stored rows: a parent's status, the cutoff, the rules
    select stored.{{ key_column }}
    from {{ this }} as stored
    {%- for status_column, parent_model, parent_key in settings.parents %}
    left join ({{ staged_key_status(ref(parent_model), parent_key) }}) as parent_status_{{ loop.index }}
        on stored.{{ parent_key }} = parent_status_{{ loop.index }}.{{ parent_key }}
    {%- endfor %}
    where
        stored.quarantine_reason like 'future%'
        {%- for date_column in nulled_dates %}
        or stored.{{ date_column }}_null_reason like 'future%'
        {%- endfor %}
        {%- for date_column in settings.cutoff_dates %}
        or cast(stored.{{ date_column }} as date) > {{ future_date_cutoff() }}
        {%- endfor %}
        {%- for status_column, parent_model, parent_key in settings.parents %}
        or stored.{{ status_column }} is distinct from parent_status_{{ loop.index }}.is_staged
        {%- endfor %}
        or stored.validation_rules
        is distinct from {{ segmentation.validation_rules_value(settings.uses_codes, settings.rule_vars) }}
)

select distinct key_value
from changed
where key_value is not null
    {%- endif %}
    {%- endif -%}
{%- endmacro %}

{% macro delete_changed_keys() -%}
    {%- if is_incremental() -%}
    {%- set key_column = segmentation.raw_increment_settings().key_column -%}
    {%- set stored = segmentation.stored_column_names() -%}
delete from {{ this }}
    {%- if key_column in stored %}
where
    {{ key_column }} is null
    or {{ key_column }} in (select changed_keys.key_value from {{ segmentation.changed_keys_relation() }} as changed_keys)
    {%- endif %}
    {%- endif -%}
{%- endmacro %}

{#- The keys the last build re-parsed, kept for `python -m segmentation check --changed-only`
    (a scheduled refresh checks the raw rows of these keys, ADR 0025): one row per key, in a column
    named as the key, and one without a key, each with the dbt invocation that built them (the
    check ignores a list that is not the last build's). -#}
{% macro last_changes_relation() -%}
    {{ return(api.Relation.create(
        database=this.database, schema=this.schema, identifier=this.identifier ~ '__last_changes'
    )) }}
{%- endmacro %}

{#- Says how much was re-parsed (one log line per base model), then keeps the key list as the
    last changes; a build that parsed every row (the first, a full refresh) keeps none: the check
    then reads every row. -#}
{% macro keep_changed_keys() -%}
    {%- set last_changes = segmentation.last_changes_relation() -%}
    {%- if is_incremental() -%}
    {%- set changes = segmentation.changed_keys_relation() -%}
    {%- set counted = run_query(
        "select (select count(*) from " ~ changes ~ "), (select count(*) from " ~ this ~ ")"
    ) -%}
    {{ log(
        this.identifier ~ ": incremental, re-parsed the raw rows of " ~ counted.rows[0][0]
        ~ " keys and those without a key; the table holds " ~ counted.rows[0][1] ~ " rows",
        info=true
    ) }}
create or replace table {{ last_changes }} as
select
    changed_keys.key_value as {{ segmentation.raw_increment_settings().key_column }},
    cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as invocation_id
from {{ changes }} as changed_keys

union all

-- a row without a key: the invocation is known even when no key changed
select
    null,
    cast('{{ invocation_id }}' as {{ dbt.type_string() }});
drop table if exists {{ changes }}
    {%- else -%}
drop table if exists {{ last_changes }}
    {%- endif -%}
{%- endmacro %}
