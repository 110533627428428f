{#- How each customer with a valid order in the appetence period (var appetence_window_days, the
    whole history up to the as-of date by default) buys: orders and net spend by channel, orders
    with a promotion (a promo code, or a discount of at least var promo_min_discount_share of the
    list price of the lines bought: rounding cents are no promotion) and the discount depth
    (discounts over list price, returns left out). An order
    without a promo code or lines leaves its promotion unknown: the count of orders where it is
    known lets the promo segmentation say 'unknown' rather than guess. -#}
{%- set channels = ['web', 'store', 'phone', 'marketplace'] -%}
{%- set min_discount_share = share_var('promo_min_discount_share', above=0) -%}

with

orders as (
    select * from {{ ref('int_orders_valued') }}
),

priced as (
    select
        *,
        -- list price of what was bought: the positive lines before their discounts
        gross_amount + sold_discount_amount as list_amount
    from orders
),

in_period as (
    select
        customer_key,
        channel,
        net_amount,
        list_amount,
        sold_discount_amount,
        -- promotion is known for an order with a promo code or with its lines (their discounts)
        has_promo_code or line_count > 0 as is_promotion_known,
        has_promo_code
        or (list_amount > 0 and sold_discount_amount >= {{ min_discount_share }} * list_amount) as is_promotional
    from priced
    where
        is_valid_order
        and order_date <= {{ as_of_date() }}
        and {{ in_appetence_window('order_date') }}
),

final as (
    select
        customer_key,
        {{ as_of_date() }} as as_of_date,
        count(*) as order_count,
        cast(sum(net_amount) as {{ dbt.type_numeric() }}) as net_amount,
        {%- for channel in channels %}
        sum(case when channel = '{{ channel }}' then 1 else 0 end) as {{ channel }}_order_count,
        cast(sum(case when channel = '{{ channel }}' then net_amount else 0 end) as {{ dbt.type_numeric() }})
            as {{ channel }}_net_amount,
        {%- endfor %}
        count(distinct channel) as channel_count,
        sum(case when is_promotion_known then 1 else 0 end) as promotion_known_order_count,
        sum(case when is_promotional then 1 else 0 end) as promotional_order_count,
        cast(sum(sold_discount_amount) as {{ dbt.type_numeric() }}) as discount_amount,
        cast(sum(list_amount) as {{ dbt.type_numeric() }}) as gross_amount
    from in_period
    group by customer_key
)

select * from final
