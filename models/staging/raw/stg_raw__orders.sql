with

validated as (
    select * from {{ ref('base_raw__orders') }}
),

final as (
    select
        order_id,
        customer_id,
        ordered_at,
        channel,
        store_id,
        order_status,
        currency,
        payment_method,
        promo_code
    from validated
    where quarantine_reason is null and not is_exact_duplicate
)

select * from final
