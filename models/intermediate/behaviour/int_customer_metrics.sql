{#- Behavioural metrics of every golden customer known at the as-of date (docs/decisions/0008).
    Only valid (not cancelled) orders placed up to and including as_of_date count.
    - RFM F and M (frequency, monetary_amount): over var('rfm_window_days') days, or the whole
      history when empty; M is the sum or the average per order (var('rfm_amount')).
    - window_revenue_amount: net revenue of the var('revenue_window_days') days ending at the
      as-of date (PMG ranks it).
    - recent_order_count: orders at most var('lifecycle_active_days') days old (lifecycle). -#}
{%- set revenue_window_days = var('revenue_window_days') | int -%}
{%- if revenue_window_days < 1 -%}
    {{ exceptions.raise_compiler_error("var revenue_window_days must be a whole number of days >= 1, got " ~ var('revenue_window_days')) }}
{%- endif -%}
{#- an average over no order stays null (no amount to score); a sum over none is 0 -#}
{%- set monetary_default = '0' if rfm_amount() == 'sum' else 'null' -%}

with

customers as (
    select * from {{ ref('int_customers_golden') }}
),

orders as (
    select * from {{ ref('int_orders_valued') }}
),

valid_orders as (
    select
        customer_key,
        order_id,
        order_date,
        net_amount
    from orders
    where is_valid_order and order_date <= {{ as_of_date() }}
),

order_gaps as (
    select
        *,
        {{ dbt.datediff(
            'lag(order_date) over (partition by customer_key order by order_date, order_id)',
            'order_date',
            'day'
        ) }} as days_since_previous_order,
        row_number() over (partition by customer_key order by order_date desc, order_id desc) as recency_rank
    from valid_orders
),

per_customer as (
    select
        customer_key,
        min(order_date) as first_order_date,
        max(order_date) as last_order_date,
        count(*) as lifetime_order_count,
        sum(net_amount) as lifetime_revenue_amount,
        {{ rfm_frequency('order_date', as_of_date()) }} as frequency,
        {{ rfm_monetary_amount('net_amount', 'order_date', as_of_date()) }} as monetary_amount,
        sum(
            case
                when order_date > {{ dbt.dateadd('day', -revenue_window_days, as_of_date()) }} then net_amount else 0
            end
        ) as window_revenue_amount,
        sum(
            case
                when order_date >= {{ dbt.dateadd('day', -lifecycle_thresholds().active_days, as_of_date()) }} then 1
                else 0
            end
        ) as recent_order_count,
        avg(days_since_previous_order) as avg_days_between_orders,
        stddev_samp(days_since_previous_order) as stddev_days_between_orders,
        max(case when recency_rank = 1 then days_since_previous_order end) as days_before_last_order
    from order_gaps
    group by customer_key
),

final as (
    select
        customers.customer_key,
        {{ as_of_date() }} as as_of_date,
        customers.company_id,
        per_customer.customer_key is null as is_prospect,
        per_customer.first_order_date,
        per_customer.last_order_date,
        {{ dbt.datediff('per_customer.last_order_date', as_of_date(), 'day') }} as recency_days,  -- noqa: LT05
        {{ dbt.datediff('per_customer.first_order_date', as_of_date(), 'day') }} as tenure_days,  -- noqa: LT05
        coalesce(per_customer.frequency, 0) as frequency,
        cast(coalesce(per_customer.monetary_amount, {{ monetary_default }}) as {{ dbt.type_numeric() }})
            as monetary_amount,
        cast(coalesce(per_customer.window_revenue_amount, 0) as {{ dbt.type_numeric() }}) as window_revenue_amount,
        coalesce(per_customer.recent_order_count, 0) as recent_order_count,
        coalesce(per_customer.lifetime_order_count, 0) as lifetime_order_count,
        cast(coalesce(per_customer.lifetime_revenue_amount, 0) as {{ dbt.type_numeric() }}) as lifetime_revenue_amount,
        per_customer.avg_days_between_orders,
        per_customer.stddev_days_between_orders,
        per_customer.days_before_last_order
    from customers
    left join per_customer
        on customers.customer_key = per_customer.customer_key
    -- customers appear once they exist at the as-of date (or have bought by then)
    where
        cast(customers.first_created_at as date) <= {{ as_of_date() }}
        or per_customer.customer_key is not null
)

select * from final
