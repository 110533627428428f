{#- A date from ISO-8601 text, or null; a time part, if any, is dropped. -#}
{% macro parse_date(expression) -%}
    cast({{ parse_timestamp(expression) }} as date)
{%- endmacro %}
