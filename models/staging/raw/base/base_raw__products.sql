{{ config(segmentation.raw_increment_config('products', 'product_id')) }}

with

source as (
    select * from {{ source('raw', 'products') }}
),

raw_text as (
    select
        {{ raw_text_columns('products', 'source') }}
        {{ segmentation.raw_increment_columns('source') }}
    from source
    {{ segmentation.raw_increment_filter('source') }}
),

parsed as (
    select
        raw_text.*,
        raw_text.raw_product_id as product_id,
        raw_text.raw_product_name as product_name,
        lower(raw_text.raw_category) as category,
        lower(raw_text.raw_subcategory) as subcategory,
        lower(raw_text.raw_collection) as collection,
        raw_text.raw_brand as brand,
        {{ parse_decimal('raw_text.raw_unit_cost') }} as unit_cost_amount,
        {{ copy_number('products') }} as copy_number
    from raw_text
),

validated as (
    select
        *,
        copy_number > 1 as is_exact_duplicate,
        case
            when copy_number > 1 then null
            when product_id is null then 'missing_product_id'
            when {{ key_version_count('product_id') }} > 1 then 'duplicate_product_id'
            when category is null then 'missing_category'
            when raw_unit_cost is not null and unit_cost_amount is null then 'invalid_unit_cost'
            when unit_cost_amount < 0 then 'negative_unit_cost'
        end as quarantine_reason
    from parsed
)

select * from validated
