{#- Order headers with their line amounts and golden customer. Cancelled orders stay (flagged
    is_valid_order = false) so that nothing disappears between staging and the marts. -#}
with

orders as (
    select * from {{ ref('stg_raw__orders') }}
),

order_lines as (
    select * from {{ ref('stg_raw__order_lines') }}
),

resolved as (
    select * from {{ ref('int_customers_resolved') }}
),

line_totals as (
    select
        order_id,
        count(*) as line_count,
        sum(case when not is_return then quantity else 0 end) as sold_quantity,
        sum(case when is_return then -quantity else 0 end) as returned_quantity,
        sum(case when not is_return then net_amount else 0 end) as gross_amount,
        sum(case when is_return then -net_amount else 0 end) as returned_amount,
        sum(discount_amount) as discount_amount,
        sum(case when not is_return then discount_amount else 0 end) as sold_discount_amount,
        sum(net_amount) as net_amount
    from order_lines
    group by order_id
),

final as (
    select
        orders.order_id,
        resolved.customer_key,
        orders.customer_id,
        orders.ordered_at,
        cast(orders.ordered_at as date) as order_date,
        orders.channel,
        orders.store_id,
        orders.order_status,
        orders.order_status != 'cancelled' as is_valid_order,
        orders.promo_code is not null as has_promo_code,
        orders.payment_method,
        orders.currency,
        coalesce(line_totals.line_count, 0) as line_count,
        coalesce(line_totals.sold_quantity, 0) as sold_quantity,
        coalesce(line_totals.returned_quantity, 0) as returned_quantity,
        cast(coalesce(line_totals.gross_amount, 0) as {{ dbt.type_numeric() }}) as gross_amount,
        cast(coalesce(line_totals.returned_amount, 0) as {{ dbt.type_numeric() }}) as returned_amount,
        cast(coalesce(line_totals.discount_amount, 0) as {{ dbt.type_numeric() }}) as discount_amount,
        cast(coalesce(line_totals.sold_discount_amount, 0) as {{ dbt.type_numeric() }}) as sold_discount_amount,
        cast(coalesce(line_totals.net_amount, 0) as {{ dbt.type_numeric() }}) as net_amount
    from orders
    inner join resolved
        on orders.customer_id = resolved.customer_id
    left join line_totals
        on orders.order_id = line_totals.order_id
)

select * from final
