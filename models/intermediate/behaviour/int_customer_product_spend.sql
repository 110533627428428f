{#- One row per customer, product dimension (category, collection, brand) and value: the net
    spend of the customer's valid order lines in the appetence period (var appetence_window_days),
    its share of the customer's spend, the lift against the population (the value's share of all
    spend), and its rank for the customer (1 = most spent, ties share a rank). Lines whose product
    is not in the catalogue, or has no value for the dimension, count as 'unknown'. Without a
    products file every line is 'unknown'. -#}
{%- set dimensions = ['category', 'collection', 'brand'] -%}

with

orders as (
    select * from {{ ref('int_orders_valued') }}
),

order_lines as (
    select * from {{ ref('stg_raw__order_lines') }}
),

products as (
    select * from {{ ref('stg_raw__products') }}
),

lines as (
    select
        {%- for dimension in dimensions %}
        coalesce(products.{{ dimension }}, 'unknown') as {{ dimension }},
        {%- endfor %}
        orders.customer_key,
        order_lines.net_amount
    from order_lines
    inner join orders
        on order_lines.order_id = orders.order_id
    left join products
        on order_lines.product_id = products.product_id
    where
        orders.is_valid_order
        and orders.order_date <= {{ as_of_date() }}
        and {{ in_appetence_window('orders.order_date') }}
),

spend as (
    {%- for dimension in dimensions %}
    select
        customer_key,
        '{{ dimension }}' as dimension,
        {{ dimension }} as dimension_value,
        sum(net_amount) as spend_amount
    from lines
    group by customer_key, {{ dimension }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

customer_spend as (
    -- sums of exact decimals: double sums depend on the order rows are added (not reproducible)
    select
        customer_key,
        dimension,
        sum(case when spend_amount > 0 then spend_amount end) as customer_spend
    from spend
    group by customer_key, dimension
),

value_population_spend as (
    select
        dimension,
        dimension_value,
        sum(case when spend_amount > 0 then spend_amount end) as value_population_spend
    from spend
    group by dimension, dimension_value
),

dimension_population_spend as (
    select
        dimension,
        sum(value_population_spend) as dimension_population_spend
    from value_population_spend
    group by dimension
),

shared as (
    -- totals by grouping and joining back, not by windows: one sort of 9M rows less per total
    select
        spend.customer_key,
        spend.dimension,
        spend.dimension_value,
        spend.spend_amount,
        -- shares of positive spend only: returns beyond purchases are no appetite
        case
            when spend.spend_amount > 0
                then
                    cast(spend.spend_amount as {{ type_double() }})
                    / cast(customer_spend.customer_spend as {{ type_double() }})
        end as spend_share,
        cast(value_population_spend.value_population_spend as {{ type_double() }})
        / cast(dimension_population_spend.dimension_population_spend as {{ type_double() }}) as population_share
    from spend
    inner join customer_spend
        on spend.customer_key = customer_spend.customer_key and spend.dimension = customer_spend.dimension
    inner join value_population_spend
        on
            spend.dimension = value_population_spend.dimension
            and spend.dimension_value = value_population_spend.dimension_value
    inner join dimension_population_spend
        on spend.dimension = dimension_population_spend.dimension
),

final as (
    select
        customer_key,
        {{ as_of_date() }} as as_of_date,
        dimension,
        dimension_value,
        cast(spend_amount as {{ dbt.type_numeric() }}) as spend_amount,
        spend_share,
        spend_share / population_share as lift,
        rank() over (partition by customer_key, dimension order by spend_amount desc) as spend_rank
    from shared
)

select * from final
