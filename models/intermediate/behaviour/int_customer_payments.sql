{#- How each customer with payments due up to the as-of date pays (docs: payment segmentation),
    over the instalments of valid orders whose outcome is known (a payment date or a status):
    due, paid, paid late (more than var('payment_late_days') days after the due date), unpaid at
    the as-of date once that grace period is over (a payment made after the as-of date was not
    made yet; one due within the grace period is not judged yet), failed, the average days late,
    and the preferred payment method (the most used, ties broken by name). Refunded payments are
    not judged; a 'paid' status without a date counts as paid on time. No payments file: no
    rows. -#}
with

payments as (
    select * from {{ ref('stg_raw__payments') }}
),

orders as (
    select * from {{ ref('int_orders_valued') }}
),

due as (
    select
        orders.customer_key,
        payments.payment_method,
        payments.payment_status,
        payments.due_date,
        case
            when payments.paid_at is not null and cast(payments.paid_at as date) <= {{ as_of_date() }}
                then cast(payments.paid_at as date)
        end as paid_date,
        -- without a payment date, a 'paid' status says it was paid (lateness unknown)
        payments.paid_at is null and payments.payment_status = 'paid' as is_paid_undated
    from payments
    inner join orders
        on payments.order_id = orders.order_id
    where
        orders.is_valid_order
        and payments.due_date <= {{ as_of_date() }}
        and coalesce(payments.payment_status, 'paid') != 'refunded'
        -- an outcome to judge: a payment date or a status
        and (payments.paid_at is not null or payments.payment_status is not null)
),

judged as (
    -- an instalment unpaid is judged once its grace period (payment_late_days) is over
    select
        *,
        {{ dbt.datediff('due_date', 'paid_date', 'day') }} as days_late  -- noqa: LT05
    from due
    where
        paid_date is not null
        or is_paid_undated
        or due_date < {{ dbt.dateadd('day', -(var('payment_late_days') | int), as_of_date()) }}
),


per_customer as (
    select
        customer_key,
        count(*) as due_count,
        sum(case when paid_date is not null or is_paid_undated then 1 else 0 end) as paid_count,
        sum(case when paid_date is not null and days_late > {{ var('payment_late_days') | int }} then 1 else 0 end)
            as late_count,
        sum(case when paid_date is null and not is_paid_undated then 1 else 0 end) as unpaid_count,
        sum(case when payment_status = 'failed' then 1 else 0 end) as failed_count,
        avg(case when paid_date is not null then greatest(days_late, 0) end) as avg_days_late
    from judged
    group by customer_key
),

methods as (
    select
        customer_key,
        payment_method,
        row_number() over (partition by customer_key order by count(*) desc, payment_method asc) as method_rank
    from due
    where payment_method is not null
    group by customer_key, payment_method
),

final as (
    select
        per_customer.customer_key,
        {{ as_of_date() }} as as_of_date,
        per_customer.due_count,
        per_customer.paid_count,
        per_customer.late_count,
        per_customer.unpaid_count,
        per_customer.failed_count,
        per_customer.avg_days_late,
        methods.payment_method as preferred_payment_method
    from per_customer
    left join methods
        on per_customer.customer_key = methods.customer_key and methods.method_rank = 1
)

select * from final
