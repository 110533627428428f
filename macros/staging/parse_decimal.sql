{#- A decimal number from text, or null when the text is not one (never an error). -#}
{% macro parse_decimal(expression) -%}
    {{ try_cast(expression, dbt.type_numeric()) }}
{%- endmacro %}
