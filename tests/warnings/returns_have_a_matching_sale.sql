-- Warning: a return (a line with a negative quantity) of a product the customer was never sold,
-- in that order or before it: its refund lowers revenue with no sale to offset. Usually the sale
-- line was quarantined or lies outside the extract. One row per such return line.
with

order_lines as (
    select
        order_lines.order_line_id,
        order_lines.order_id,
        order_lines.product_id,
        order_lines.quantity,
        orders.customer_id,
        orders.ordered_at
    from {{ ref('stg_raw__order_lines') }} as order_lines
    inner join {{ ref('stg_raw__orders') }} as orders
        on order_lines.order_id = orders.order_id
),

returns as (
    select * from order_lines
    where quantity < 0
),

sales as (
    select * from order_lines
    where quantity > 0
)

select
    returns.order_line_id,
    returns.order_id,
    returns.product_id
from returns
where not exists (
    select 1
    from sales
    where
        sales.customer_id = returns.customer_id
        and sales.product_id = returns.product_id
        and sales.ordered_at <= returns.ordered_at
)
