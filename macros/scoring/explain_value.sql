{#- A value as text for explanation strings: rounded half away from zero to `decimals` places
    when given (through a decimal, so that every engine prints the same digits), 'n/a' when null. -#}
{% macro explain_value(expression, decimals=none) -%}
    {%- if decimals is none -%}
        coalesce(cast({{ expression }} as {{ dbt.type_string() }}), 'n/a')
    {%- else -%}
        coalesce(
            cast(cast(round(cast({{ expression }} as decimal(38, 10)), {{ decimals }}) as decimal(38, {{ decimals }}))
            as {{ dbt.type_string() }}),
            'n/a'
        )
    {%- endif -%}
{%- endmacro %}
