{#- The backtest of the buy-till-you-die models: each customer who had bought by the calibration
    end (as_of_date minus var('backtest_holdout_days')) with the model inputs at that day and what
    they actually did in the holdout period (calibration end, as_of_date]. -#}
{%- set holdout_days = var('backtest_holdout_days') | int -%}
{%- if holdout_days < 1 -%}
    {{ exceptions.raise_compiler_error("var backtest_holdout_days must be a whole number of days >= 1, got " ~ var('backtest_holdout_days')) }}
{%- endif -%}
{%- set calibration_end = dbt.dateadd('day', -holdout_days, as_of_date()) -%}

with

orders as (
    select * from {{ ref('int_orders_valued') }}
),

calibration as (
    {{ purchase_day_summary(ref('int_orders_valued'), calibration_end) }}
),

holdout as (
    select
        customer_key,
        count(distinct order_date) as holdout_purchase_days,
        sum(net_amount) as holdout_revenue_amount
    from orders
    where is_valid_order and order_date > {{ calibration_end }} and order_date <= {{ as_of_date() }}
    group by customer_key
),

final as (
    select
        calibration.customer_key,
        {{ as_of_date() }} as as_of_date,
        cast({{ calibration_end }} as date) as calibration_end_date,
        {{ holdout_days }} as holdout_days,
        calibration.repeat_purchase_days,
        {{ dbt.datediff('calibration.first_purchase_date', 'calibration.last_purchase_date', 'day') }}
            as first_to_last_purchase_days,
        {{ dbt.datediff('calibration.first_purchase_date', calibration_end, 'day') }}
            as first_purchase_to_calibration_end_days,
        cast(calibration.mean_repeat_purchase_value as {{ dbt.type_numeric() }}) as mean_repeat_purchase_value,
        coalesce(holdout.holdout_purchase_days, 0) as holdout_purchase_days,
        cast(coalesce(holdout.holdout_revenue_amount, 0) as {{ dbt.type_numeric() }}) as holdout_revenue_amount
    from calibration
    left join holdout
        on calibration.customer_key = holdout.customer_key
)

select * from final
