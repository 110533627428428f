{#- A whole number (bigint) from cleaned text, or null. '3.5' is not a whole number (engines would
    round it) and a value beyond the bigint range is null (Spark would wrap it around, the others
    abort the build). Plain digits are cast at once; other shapes ('1e3', '4.0') go through the
    decimal parse. -#}
{% macro parse_integer(expression) -%}
    {%- set number = segmentation.parse_decimal(expression) -%}
    case
        when {{ segmentation.matches_pattern(expression, segmentation.plain_integer_pattern()) }}
            then cast({{ expression }} as {{ dbt.type_bigint() }})
        when {{ number }} = floor({{ number }}) and abs({{ number }}) <= 9223372036854775807
            then cast({{ number }} as {{ dbt.type_bigint() }})
    end
{%- endmacro %}
