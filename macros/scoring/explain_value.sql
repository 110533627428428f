{#- A value as text for explanation strings: rounded to `decimals` places when given, 'n/a' when null. -#}
{% macro explain_value(expression, decimals=none) -%}
    {%- if decimals is none -%}
        coalesce(cast({{ expression }} as {{ dbt.type_string() }}), 'n/a')
    {%- else -%}
        coalesce(cast(cast(round({{ expression }}, {{ decimals }}) as decimal(28, {{ decimals }})) as {{ dbt.type_string() }}), 'n/a')
    {%- endif -%}
{%- endmacro %}
