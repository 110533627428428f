{{ config(enabled=python_models_supported()) }}
-- Every breakdown of marts.model_backtest counts each backtested customer once: its customers and
-- actual purchase days add up to the `all` row's. Returns the breakdowns that do not.
with

backtest as (
    select * from {{ ref('model_backtest') }}
),

totals as (
    select
        as_of_date,
        breakdown,
        sum(customers) as customers,
        sum(actual_purchases) as actual_purchases,
        count(*) as breakdown_values
    from backtest
    group by as_of_date, breakdown
)

select totals.*
from totals
inner join totals as everyone
    on totals.as_of_date = everyone.as_of_date and everyone.breakdown = 'all'
where
    totals.customers != everyone.customers
    or totals.actual_purchases != everyone.actual_purchases
    or (totals.breakdown = 'predicted_purchases_decile' and totals.breakdown_values != least(10, everyone.customers))
