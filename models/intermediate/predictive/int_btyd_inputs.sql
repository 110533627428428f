{#- The inputs of the buy-till-you-die models at the as-of date, one row per customer known then
    (prospects included, with null inputs). Named apart from RFM's recency_days (days since the
    last order): here "recency" is first_to_last_purchase_days. -#}
with

customers as (
    select
        customer_key,
        as_of_date,
        is_prospect
    from {{ ref('int_customer_metrics') }}
),

purchase_days as (
    {{ purchase_day_summary(ref('int_orders_valued'), as_of_date()) }}
),

final as (
    select
        customers.customer_key,
        customers.as_of_date,
        customers.is_prospect,
        purchase_days.first_purchase_date,
        purchase_days.last_purchase_date,
        purchase_days.repeat_purchase_days,
        {{ dbt.datediff('purchase_days.first_purchase_date', 'purchase_days.last_purchase_date', 'day') }}
            as first_to_last_purchase_days,
        {{ dbt.datediff('purchase_days.first_purchase_date', 'customers.as_of_date', 'day') }}
            as first_purchase_to_as_of_days,
        cast(purchase_days.mean_repeat_purchase_value as {{ dbt.type_numeric() }}) as mean_repeat_purchase_value
    from customers
    left join purchase_days
        on customers.customer_key = purchase_days.customer_key
)

select * from final
