with

validated as (
    select * from {{ ref('base_raw__products') }}
),

final as (
    select
        product_id,
        product_name,
        category,
        subcategory,
        collection,
        brand,
        {{ staged_value('products', 'unit_cost') }} as unit_cost_amount
    from validated
    where quarantine_reason is null and not is_exact_duplicate
)

select * from final
