{#- A double-precision float type. dbt.type_float() renders `float`, which is single precision
    on DuckDB: too coarse for revenue shares. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'segmentation')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
