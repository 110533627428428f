{#- Expression: a count over a window of `window_days` days as a rate per month of 30.4375 days
    (a year of 365.25 days in twelve), in double precision (Spark rounds decimal division). -#}
{% macro per_month(count_expression, window_days) -%}
    cast({{ count_expression }} as {{ segmentation.type_double() }}) * 30.4375 / {{ window_days }}
{%- endmacro %}
