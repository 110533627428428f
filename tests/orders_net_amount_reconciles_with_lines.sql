-- Integrity: the net revenue carried by order headers equals the net amount of the staged lines
-- of those orders (no line lost or counted twice when valuing orders). Fails with one row.
with

orders as (
    select sum(net_amount) as net_amount from {{ ref('int_orders_valued') }}
),

lines as (
    select sum(order_lines.net_amount) as net_amount
    from {{ ref('stg_raw__order_lines') }} as order_lines
    inner join {{ ref('stg_raw__orders') }} as staged_orders
        on order_lines.order_id = staged_orders.order_id
)

select
    orders.net_amount as order_net_amount,
    lines.net_amount as line_net_amount
from orders
cross join lines
where abs(coalesce(orders.net_amount, 0) - coalesce(lines.net_amount, 0)) >= 0.01
