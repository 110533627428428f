{#- Every contract column of a raw table as cleaned text, prefixed `raw_` so typed columns can
    take the house names beside them. -#}
{% macro raw_text_columns(table_name, relation_alias) -%}
    {%- for column_name in raw_column_names(table_name) %}
    {{ clean_text(relation_alias ~ '.' ~ column_name) }} as raw_{{ column_name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
