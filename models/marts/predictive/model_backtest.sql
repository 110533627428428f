{#- How the buy-till-you-die models fitted up to the calibration end (as_of_date minus
    var('backtest_holdout_days')) predicted the holdout period that followed. One row per
    breakdown and breakdown_value:
      predicted_purchases_decile 1..10: customers by predicted holdout purchases, 1 = highest
        (ties broken by customer_key, so deciles have equal sizes);
      calibration_repeat_purchases 0..7: customers by repeat purchase days in the calibration
        period, 7 = 7 or more (the calibration table of Fader, Hardie & Lee 2005);
      churn_probability_band 0..9: customers by predicted probability of no purchase in the
        holdout, 0 = under 0.1 ... 9 = 0.9 and over (is the churn risk calibrated?);
      all 0: every customer.
    Sums and per-customer means of predicted and actual purchase days and revenue, the mean
    absolute error per customer, the correlation of predicted and actual, and the mean predicted
    churn probability beside the share of customers who did not buy in the holdout. Incremental by
    as-of date: the backtest of every date built is kept. -#}
{{ config(**incremental_by_as_of_date()) }}
with

predictions as (
    select * from {{ ref('int_btyd_backtest_predictions') }}
),

grouped as (
    select
        *,
        ntile(10) over (order by predicted_holdout_purchases desc, customer_key asc) as predicted_purchases_decile,
        case when repeat_purchase_days >= 7 then 7 else repeat_purchase_days end as calibration_repeat_purchases,
        least(cast(floor(10 * predicted_no_purchase_probability) as {{ dbt.type_int() }}), 9) as churn_probability_band
    from predictions
    where predicted_holdout_purchases is not null
),

by_group as (
    {%- for breakdown, column in [
        ('predicted_purchases_decile', 'predicted_purchases_decile'),
        ('calibration_repeat_purchases', 'calibration_repeat_purchases'),
        ('churn_probability_band', 'churn_probability_band'),
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
        corr(predicted_holdout_revenue, actual_holdout_revenue) as revenue_correlation,
        avg(predicted_no_purchase_probability) as mean_predicted_churn_probability,
        avg(case when actual_holdout_purchases = 0 then 1.0 else 0.0 end) as actual_no_purchase_share
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
        revenue_correlation,
        mean_predicted_churn_probability,
        actual_no_purchase_share
    from by_group
)

select * from final
