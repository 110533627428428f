{#- Buy-till-you-die inputs per customer from valid orders up to and including `end_date` (a SQL
    date), in the papers' definitions (docs/decisions/0012): a purchase is a distinct purchase
    day (orders of one day summed), the first one is the acquisition, the others are repeats.
    One row per customer with a valid order by then: first and last purchase day, repeat purchase
    days, mean value of the repeat purchase days (null without one). `orders` is a relation with
    customer_key, order_date, net_amount and is_valid_order. -#}
{% macro purchase_day_summary(orders, end_date) %}
    select
        customer_key,
        min(purchase_date) as first_purchase_date,
        max(purchase_date) as last_purchase_date,
        count(*) - 1 as repeat_purchase_days,
        avg(case when not is_first_purchase_day then purchase_value end) as mean_repeat_purchase_value
    from (
        select
            customer_key,
            purchase_date,
            purchase_value,
            purchase_date = min(purchase_date) over (partition by customer_key) as is_first_purchase_day
        from (
            select
                customer_key,
                order_date as purchase_date,
                sum(net_amount) as purchase_value
            from {{ orders }}
            where is_valid_order and order_date <= {{ end_date }}
            group by customer_key, order_date
        ) as purchase_days
    ) as ranked_days
    group by customer_key
{% endmacro %}
