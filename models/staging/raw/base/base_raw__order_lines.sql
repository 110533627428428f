{{ config(segmentation.raw_increment_config(
    'order_lines',
    'order_line_id',
    parents=[['order_is_staged', 'base_raw__orders', 'order_id']],
)) }}

with

source as (
    select * from {{ source('raw', 'order_lines') }}
),

order_status as (
    {{ staged_key_status(ref('base_raw__orders'), 'order_id') }}
),

raw_text as (
    select
        {{ raw_text_columns('order_lines', 'source') }}
        {{ segmentation.raw_increment_columns('source') }}
    from source
    {{ segmentation.raw_increment_filter('source') }}
),

parsed as (
    select
        raw_text.*,
        raw_text.raw_order_line_id as order_line_id,
        raw_text.raw_order_id as order_id,
        raw_text.raw_product_id as product_id,
        {{ parse_integer('raw_text.raw_quantity') }} as quantity,
        {{ parse_decimal('raw_text.raw_unit_price') }} as unit_price_amount,
        {{ parse_decimal('raw_text.raw_discount_amount') }} as discount_amount,
        order_status.is_staged as order_is_staged,
        {{ copy_number('order_lines') }} as copy_number
    from raw_text
    left join order_status
        on raw_text.raw_order_id = order_status.order_id
),

validated as (
    select
        *,
        copy_number > 1 as is_exact_duplicate,
        case
            when copy_number > 1 then null
            when order_line_id is null then 'missing_order_line_id'
            when {{ key_version_count('order_line_id') }} > 1 then 'duplicate_order_line_id'
            when order_id is null then 'missing_order_id'
            when product_id is null then 'missing_product_id'
            when raw_quantity is null then 'missing_quantity'
            when quantity is null then 'invalid_quantity'
            when quantity = 0 then 'zero_quantity'
            when raw_unit_price is null then 'missing_unit_price'
            when unit_price_amount is null then 'invalid_unit_price'
            when unit_price_amount < 0 then 'negative_unit_price'
            when raw_discount_amount is not null and discount_amount is null then 'invalid_discount_amount'
            when discount_amount < 0 then 'negative_discount_amount'
            when order_is_staged is null then 'unknown_order'
            when order_is_staged = 0 then 'order_quarantined'
        end as quarantine_reason
    from parsed
)

select * from validated
