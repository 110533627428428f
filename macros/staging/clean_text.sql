{#- Text as it should be compared: trimmed, with empty strings read as null. -#}
{% macro clean_text(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}
