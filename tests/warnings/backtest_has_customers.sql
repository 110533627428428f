{{ config(enabled=python_models_supported()) }}
-- Warns when customers have bought by the as-of date but none by the backtest's calibration end
-- (as_of_date minus var backtest_holdout_days): the holdout starts before the data, so
-- marts.model_backtest has nothing for this date. Shorten backtest_holdout_days.
with

buyers as (
    select count(*) as customers
    from {{ ref('int_btyd_inputs') }}
    where not is_prospect
),

backtested as (
    select count(*) as customers
    from {{ ref('int_btyd_backtest_inputs') }}
)

select
    {{ as_of_date() }} as as_of_date,
    buyers.customers as buyers,
    {{ var('backtest_holdout_days') }} as backtest_holdout_days
from buyers
cross join backtested
where buyers.customers > 0 and backtested.customers = 0
