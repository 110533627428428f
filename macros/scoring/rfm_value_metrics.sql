{#- Aggregate expressions of the F and M metrics of RFM over the orders of one customer
    (docs/decisions/0008). The value window is var('rfm_window_days') days ending at the as-of
    date, or the whole history up to it when the var is empty (the default: a customer gone for
    a year keeps the value they brought). F = valid orders in the window; M = their net revenue,
    summed or averaged per order (var('rfm_amount'): sum or average). The caller keeps only valid
    orders dated up to the as-of date. -#}
{% macro rfm_frequency(order_date_column, as_of_sql) -%}
    sum(case when {{ segmentation.rfm_in_value_window(order_date_column, as_of_sql) }} then 1 else 0 end)
{%- endmacro %}

{% macro rfm_monetary_amount(amount_column, order_date_column, as_of_sql) -%}
    {%- set in_window = segmentation.rfm_in_value_window(order_date_column, as_of_sql) -%}
    {#- numeric, not the double an average gives: values, bounds and comparisons must be one type -#}
    {%- if segmentation.rfm_amount() == 'sum' -%}
        cast(sum(case when {{ in_window }} then {{ amount_column }} else 0 end) as {{ dbt.type_numeric() }})
    {%- else -%}
        cast(avg(case when {{ in_window }} then {{ amount_column }} end) as {{ dbt.type_numeric() }})
    {%- endif -%}
{%- endmacro %}

{% macro rfm_in_value_window(order_date_column, as_of_sql) -%}
    {%- set window_days = segmentation.rfm_window_days() -%}
    {%- if window_days is none -%}
        true
    {%- else -%}
        {{ order_date_column }} > {{ dbt.dateadd('day', -window_days, as_of_sql) }}
    {%- endif -%}
{%- endmacro %}

{#- var('rfm_window_days') validated: none (whole history) or a whole number of days >= 1. -#}
{% macro rfm_window_days() -%}
    {%- set text = segmentation.optional_var('rfm_window_days') -%}
    {%- if text is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not text.isdigit() or text | int < 1 -%}
        {{ exceptions.raise_compiler_error(
            "var rfm_window_days must be empty (whole history) or a whole number of days >= 1, got '" ~ text ~ "'") }}
    {%- endif -%}
    {{ return(text | int) }}
{%- endmacro %}

{#- var('rfm_amount') validated: sum or average. -#}
{% macro rfm_amount() -%}
    {%- set amount = var('rfm_amount', 'sum') | string | trim -%}
    {%- if amount not in ['sum', 'average'] -%}
        {{ exceptions.raise_compiler_error("var rfm_amount must be 'sum' or 'average', got '" ~ amount ~ "'") }}
    {%- endif -%}
    {{ return(amount) }}
{%- endmacro %}

{#- Words for explanations: what F and M were measured over, e.g. "over the whole history". -#}
{% macro rfm_value_window_words() -%}
    {%- set window_days = segmentation.rfm_window_days() -%}
    {{ return('over the whole history' if window_days is none else 'over the last ' ~ window_days ~ ' days') }}
{%- endmacro %}

{#- Expression: FM, the average of the F and M scores on the same 1..rfm_tiles scale as R, a half
    rounded up (customers and B2B accounts alike). -#}
{% macro rfm_fm_score(f_score, m_score) -%}
    cast(floor(({{ f_score }} + {{ m_score }} + 1) / 2.0) as {{ dbt.type_int() }})
{%- endmacro %}
