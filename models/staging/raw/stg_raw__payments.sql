with

validated as (
    select * from {{ ref('base_raw__payments') }}
),

final as (
    select
        payment_id,
        order_id,
        payment_amount,
        {{ staged_value('payments', 'due_date') }} as due_date,
        {{ staged_value('payments', 'paid_at') }} as paid_at,
        payment_method,
        {{ staged_value('payments', 'status') }} as payment_status
    from validated
    where quarantine_reason is null and not is_exact_duplicate
)

select * from final
