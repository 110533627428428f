{#- Cast that yields null instead of failing when the value does not convert (quarantine needs
    the row, not an aborted build). dbt.safe_cast is a plain cast on some adapters (DuckDB and
    PostgreSQL among them), hence our own. Used for numbers (dbt.type_numeric()) and timestamps
    (dbt.type_timestamp()) of text already checked against the accepted shapes (text_patterns). -#}
{% macro try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'segmentation')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    {{ dbt.safe_cast(expression, data_type) }}
{%- endmacro %}

{% macro duckdb__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{% macro spark__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- PostgreSQL 14+ has no try_cast: functions made at run start (create_cast_functions) return
    null where the cast would fail. -#}
{% macro postgres__try_cast(expression, data_type) -%}
    {%- set kind = data_type | lower -%}
    {%- if kind.startswith('numeric') or kind.startswith('decimal') -%}
        cast(staging.segmentation_try_numeric(cast({{ expression }} as text)) as {{ data_type }})
    {%- elif kind.startswith('timestamp') -%}
        cast(staging.segmentation_try_timestamp(cast({{ expression }} as text)) as {{ data_type }})
    {%- else -%}
        {{ exceptions.raise_compiler_error("try_cast on PostgreSQL supports numeric and timestamp types, got " ~ data_type) }}
    {%- endif -%}
{%- endmacro %}
