{#- A decimal number (dbt.type_numeric(), 6 decimals) from cleaned text, or null when the text is
    not one: only the shape of number_pattern() converts, on every engine alike (no NaN, inf,
    digit separators or locale digits), and a value too large for the type is null too. -#}
{% macro parse_decimal(expression) -%}
    case
        when {{ segmentation.matches_pattern(expression, segmentation.number_pattern()) }}
            then {{ segmentation.try_cast(expression, dbt.type_numeric()) }}
    end
{%- endmacro %}
