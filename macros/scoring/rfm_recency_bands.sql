{#- The recency bands of the R score (docs/decisions/0008): var('rfm_recency_days') lists
    rfm_tiles - 1 increasing day counts; R = rfm_tiles for a last order at most the first count
    ago, down to 1 beyond the last. The counts must include lifecycle_active_days and
    lifecycle_lapsing_days, so that every R band lies within one activity status (active,
    lapsing, churned) and RFM never contradicts the lifecycle. Returns, best score first,
    [{score, min_days, max_days (none = open), activity_status}]. -#}
{% macro rfm_recency_bands() %}
    {%- set tiles = var('rfm_tiles') | int -%}
    {%- set cutpoints = var('rfm_recency_days') -%}
    {%- set active_days = segmentation.lifecycle_thresholds().active_days -%}
    {%- set lapsing_days = segmentation.lifecycle_thresholds().lapsing_days -%}
    {%- if cutpoints is string or cutpoints is mapping or cutpoints | length != tiles - 1 -%}
        {{ exceptions.raise_compiler_error(
            "var rfm_recency_days must list rfm_tiles - 1 = " ~ (tiles - 1) ~ " day counts, got " ~ cutpoints) }}
    {%- endif -%}
    {%- for days in cutpoints -%}
        {%- if days is not number or days != days | int or days < 0 or (not loop.first and days <= cutpoints[loop.index0 - 1]) -%}
            {{ exceptions.raise_compiler_error(
                "var rfm_recency_days must be strictly increasing whole numbers of days, got " ~ cutpoints) }}
        {%- endif -%}
    {%- endfor -%}
    {%- if active_days not in cutpoints or lapsing_days not in cutpoints -%}
        {{ exceptions.raise_compiler_error(
            "var rfm_recency_days " ~ cutpoints ~ " must contain lifecycle_active_days (" ~ active_days
            ~ ") and lifecycle_lapsing_days (" ~ lapsing_days ~ ") so that RFM and lifecycle agree") }}
    {%- endif -%}
    {%- set bands = [] -%}
    {%- for index in range(tiles) -%}
        {%- set min_days = 0 if index == 0 else cutpoints[index - 1] + 1 -%}
        {%- set max_days = cutpoints[index] if index < tiles - 1 else none -%}
        {%- if max_days is not none and max_days <= active_days -%}
            {%- set status = 'active' -%}
        {%- elif max_days is not none and max_days <= lapsing_days -%}
            {%- set status = 'lapsing' -%}
        {%- else -%}
            {%- set status = 'churned' -%}
        {%- endif -%}
        {%- do bands.append({'score': tiles - index, 'min_days': min_days, 'max_days': max_days, 'activity_status': status}) -%}
    {%- endfor -%}
    {{ return(bands) }}
{% endmacro %}

{#- Expression: the R score of a number of days since the last order (null stays null). -#}
{% macro rfm_recency_score(days_column) -%}
    {%- do segmentation.rfm_recency_bands() -%}
    {{ segmentation.score_thresholds(days_column, var('rfm_recency_days'), reverse=true, strict=true) }}
{%- endmacro %}
