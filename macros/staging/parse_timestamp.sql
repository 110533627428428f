{#- A timestamp from ISO-8601 text ('YYYY-MM-DD' or 'YYYY-MM-DD hh:mm:ss'), or null. -#}
{% macro parse_timestamp(expression) -%}
    {{ try_cast(expression, dbt.type_timestamp()) }}
{%- endmacro %}
