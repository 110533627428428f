{{ config(enabled=python_models_supported()) }}
-- When the backtest fits converged, marts.model_backtest counts every customer of the SQL inputs
-- once in each breakdown, with their holdout purchase days: nobody dropped or doubled on the way
-- through the Python model. Returns the breakdowns that do not reconcile.
with

inputs as (
    select
        count(*) as customers,
        sum(holdout_purchase_days) as holdout_purchase_days
    from {{ ref('int_btyd_backtest_inputs') }}
),

fits as (
    select count(*) as unfitted_models
    from {{ ref('int_btyd_parameters') }}
    where as_of_date = {{ as_of_date() }} and purpose = 'backtest' and fit_status != 'fitted'
),

expected_breakdowns as (
    select 'all' as breakdown
    union all
    select 'predicted_purchases_decile'
    union all
    select 'calibration_repeat_purchases'
    union all
    select 'churn_probability_band'
),

breakdowns as (
    select
        breakdown,
        sum(customers) as customers,
        sum(actual_purchases) as actual_purchases
    from {{ ref('model_backtest') }}
    where as_of_date = {{ as_of_date() }}
    group by breakdown
)

select
    expected_breakdowns.breakdown,
    breakdowns.customers,
    breakdowns.actual_purchases,
    inputs.customers as input_customers,
    inputs.holdout_purchase_days as input_holdout_purchase_days
from expected_breakdowns
cross join inputs
cross join fits
left join breakdowns
    on expected_breakdowns.breakdown = breakdowns.breakdown
where
    fits.unfitted_models = 0
    and inputs.customers > 0
    and (
        breakdowns.breakdown is null
        or breakdowns.customers != inputs.customers
        or breakdowns.actual_purchases != inputs.holdout_purchase_days
    )
