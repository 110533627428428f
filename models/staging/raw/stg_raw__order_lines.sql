with

validated as (
    select * from {{ ref('base_raw__order_lines') }}
),

staged as (
    select
        order_line_id,
        order_id,
        product_id,
        quantity,
        unit_price_amount,
        -- no discount given (or one nulled as unreadable, ADR 0019) means none
        cast(
            coalesce({{ staged_value('order_lines', 'discount_amount') }}, 0) as {{ dbt.type_numeric() }}
        ) as discount_amount
    from validated
    where quarantine_reason is null and not is_exact_duplicate
),

final as (
    select
        *,
        quantity < 0 as is_return,
        -- a returned unit gives back its price less the discount it had
        cast(
            quantity * unit_price_amount - case when quantity < 0 then -discount_amount else discount_amount end
            as {{ dbt.type_numeric() }}
        ) as net_amount
    from staged
)

select * from final
