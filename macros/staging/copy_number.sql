{#- 1 for the first copy of a raw row, 2+ for its exact duplicates (identical in every column). -#}
{% macro copy_number(table_name) -%}
    {%- set column_names = raw_column_names(table_name) -%}
    row_number() over (
        partition by {% for column_name in column_names -%}
            raw_{{ column_name }}{{ ', ' if not loop.last }}
        {%- endfor %}
        order by raw_{{ column_names[0] }}
    )
{%- endmacro %}
