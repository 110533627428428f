{#- How the buy-till-you-die models fitted up to the calibration end (as_of_date minus
    var('backtest_holdout_days')) predicted the holdout period that followed. One row per
    breakdown and breakdown_value:
      predicted_purchases_decile 1..10: customers by predicted holdout purchases, 1 = highest
        (ties broken by customer_key, so deciles have equal sizes);
      calibration_repeat_purchases 0..7: customers by repeat purchase days in the calibration
        period, 7 = 7 or more (the calibration table of Fader, Hardie & Lee 2005);
      all 0: every customer.
    Sums and per-customer means of predicted and actual purchase days and revenue, the mean
    absolute error per customer and, for all, the correlation of predicted and actual. -#}
with

predictions as (
    select * from {{ ref('int_btyd_backtest_predictions') }}
),

grouped as (
    select
        *,
        ntile(10) over (order by predicted_holdout_purchases desc, customer_key asc) as predicted_purchases_decile,
        case when repeat_purchase_days >= 7 then 7 else repeat_purchase_days end as calibration_repeat_purchases
    from predictions
    where predicted_holdout_purchases is not null
),

by_group as (
    {%- for breakdown, column in [
        ('predicted_purchases_decile', 'predicted_purchases_decile'),
        ('calibration_repeat_purchases', 'calibration_repeat_purchases'),
        ('all', none),
    ] %}
    select
        as_of_date,
        calibration_end_date,
        holdout_days,
        '{{ breakdown }}' as breakdown,
        {{ column or '0' }} as breakdown_value,
        count(*) as customers,
        sum(predicted_holdout_purchases) as predicted_purchases,
        sum(actual_holdout_purchases) as actual_purchases,
        avg(predicted_holdout_purchases) as mean_predicted_purchases,
        avg(actual_holdout_purchases) as mean_actual_purchases,
        avg(abs(predicted_holdout_purchases - actual_holdout_purchases)) as purchases_mean_absolute_error,
        corr(predicted_holdout_purchases, actual_holdout_purchases) as purchases_correlation,
        sum(predicted_holdout_revenue) as predicted_revenue,
        sum(actual_holdout_revenue) as actual_revenue,
        avg(abs(predicted_holdout_revenue - actual_holdout_revenue)) as revenue_mean_absolute_error,
        corr(predicted_holdout_revenue, actual_holdout_revenue) as revenue_correlation
    from grouped
    group by as_of_date, calibration_end_date, holdout_days{{ (', ' ~ column) if column }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select
        as_of_date,
        calibration_end_date,
        holdout_days,
        breakdown,
        cast(breakdown_value as {{ dbt.type_int() }}) as breakdown_value,
        customers,
        predicted_purchases,
        actual_purchases,
        mean_predicted_purchases,
        mean_actual_purchases,
        purchases_mean_absolute_error,
        purchases_correlation,
        predicted_revenue,
        actual_revenue,
        revenue_mean_absolute_error,
        revenue_correlation
    from by_group
)

select * from final
