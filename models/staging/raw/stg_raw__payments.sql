with

validated as (
    select * from {{ ref('base_raw__payments') }}
),

final as (
    select
        payment_id,
        order_id,
        payment_amount,
        due_date,
        paid_at,
        payment_method,
        payment_status
    from validated
    where quarantine_reason is null and not is_exact_duplicate
)

select * from final
