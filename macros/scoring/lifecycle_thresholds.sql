{#- The lifecycle vars, validated once for every model that uses them: 0 < lifecycle_active_days
    < lifecycle_lapsing_days, 0 <= lifecycle_new_days <= lifecycle_active_days (a new customer is
    an active one: RFM puts them in a live segment) and lifecycle_repeat_min_orders >= 2.
    Returns {active_days, lapsing_days, new_days, repeat_min_orders}. -#}
{% macro lifecycle_thresholds() %}
    {%- set thresholds = {
        'active_days': var('lifecycle_active_days') | int,
        'lapsing_days': var('lifecycle_lapsing_days') | int,
        'new_days': var('lifecycle_new_days') | int,
        'repeat_min_orders': var('lifecycle_repeat_min_orders') | int,
    } -%}
    {%- if not (0 < thresholds.active_days < thresholds.lapsing_days)
        or not (0 <= thresholds.new_days <= thresholds.active_days)
        or thresholds.repeat_min_orders < 2 -%}
        {{ exceptions.raise_compiler_error(
            "vars lifecycle_*: need 0 < lifecycle_active_days < lifecycle_lapsing_days, "
            ~ "0 <= lifecycle_new_days <= lifecycle_active_days and lifecycle_repeat_min_orders >= 2, got active "
            ~ thresholds.active_days ~ ", lapsing " ~ thresholds.lapsing_days ~ ", new " ~ thresholds.new_days
            ~ ", repeat " ~ thresholds.repeat_min_orders
        ) }}
    {%- endif -%}
    {{ return(thresholds) }}
{% endmacro %}
