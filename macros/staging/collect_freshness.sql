{#- Overrides dbt's collect_freshness for our sources (docs/decisions/0009):
    - loaded_at_field names a raw column, parsed as staging parses it (text or typed, any engine);
    - freshness is judged at the end of the as-of date when var as_of_date is set (a past date
      is rebuilt as it was then), otherwise now;
    - events after that moment are defects (quarantined as future_*), not proof of freshness;
    - an optional raw table with no rows (its file was not supplied, or is empty) is not
      measured: one info line says so and the source passes. A required table with no rows stays
      stale (error). -#}
{% macro default__collect_freshness(source, loaded_at_field, filter) %}
    {%- set reference = segmentation.freshness_reference_timestamp() -%}
    {%- if segmentation._is_optional_raw_table(source) and segmentation._has_no_rows(source) -%}
        {{ log("freshness of " ~ source.schema ~ "." ~ source.identifier
            ~ " not measured: optional table with no rows (file not supplied or empty)", info=true) }}
        {%- call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
            select {{ reference }} as max_loaded_at, {{ reference }} as snapshotted_at
        {%- endcall -%}
    {%- else -%}
        {%- call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
            -- a case, not a where: DuckDB would push a where on try_cast into its CSV reader
            -- and fail on text that does not parse
            select
                max(case when loaded_at <= {{ reference }} then loaded_at end) as max_loaded_at,
                {{ reference }} as snapshotted_at
            from (
                select {{ segmentation.parse_timestamp(segmentation.clean_text(loaded_at_field)) }} as loaded_at
                from {{ source }}
                {%- if filter %}
                where {{ filter }}
                {%- endif %}
            ) as events
        {%- endcall -%}
    {%- endif -%}
    {{ return(load_result('collect_freshness')) }}
{% endmacro %}

{#- The moment freshness is judged at: the last second of var as_of_date when it is set, else now. -#}
{% macro freshness_reference_timestamp() -%}
    {%- if segmentation.optional_var('as_of_date') is not none -%}
        cast('{{ segmentation.as_of_date_text() }} 23:59:59' as {{ dbt.type_timestamp() }})
    {%- else -%}
        {{ dbt.current_timestamp() }}
    {%- endif -%}
{%- endmacro %}

{% macro _is_optional_raw_table(relation) -%}
    {%- if relation.schema | lower != 'raw' -%}
        {{ return(false) }}
    {%- endif -%}
    {%- for table in segmentation.raw_contract() if table.name == relation.identifier | lower -%}
        {{ return(not table.is_required) }}
    {%- endfor -%}
    {{ return(false) }}
{%- endmacro %}

{% macro _has_no_rows(relation) -%}
    {%- set result = run_query('select count(*) from (select 1 from ' ~ relation ~ ' limit 1) as probe') -%}
    {{ return(result.columns[0].values()[0] == 0) }}
{%- endmacro %}
