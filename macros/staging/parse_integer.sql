{#- A whole number from text, or null. '3.5' is not a whole number (engines would round it). -#}
{% macro parse_integer(expression) -%}
    case
        when {{ parse_decimal(expression) }} = floor({{ parse_decimal(expression) }})
            then cast({{ parse_decimal(expression) }} as {{ dbt.type_bigint() }})
    end
{%- endmacro %}
