{{ config(segmentation.raw_increment_config(
    'order_lines',
    'order_line_id',
    parents=[['order_is_staged', 'base_raw__orders', 'order_id']],
)) }}

{#- Field rules, in order: [contract column, reason, condition]. A rule on a required column
    quarantines the row; one on an optional column nulls that value (macro field_verdicts). -#}
{%- set field_rules = [
    ['order_line_id', 'missing_order_line_id', 'order_line_id is null'],
    ['order_line_id', 'duplicate_order_line_id', key_version_count('order_line_id') ~ ' > 1'],
    ['order_id', 'missing_order_id', 'order_id is null'],
    ['product_id', 'missing_product_id', 'product_id is null'],
    ['quantity', 'missing_quantity', 'raw_quantity is null'],
    ['quantity', 'invalid_quantity', 'quantity is null'],
    ['quantity', 'zero_quantity', 'quantity = 0'],
    ['unit_price', 'missing_unit_price', 'raw_unit_price is null'],
    ['unit_price', 'invalid_unit_price', 'unit_price_amount is null'],
    ['unit_price', 'negative_unit_price', 'unit_price_amount < 0'],
    ['discount_amount', 'invalid_discount_amount', 'raw_discount_amount is not null and discount_amount is null'],
    ['discount_amount', 'negative_discount_amount', 'discount_amount < 0'],
    ['order_id', 'unknown_order', 'order_is_staged is null'],
    ['order_id', 'order_quarantined', 'order_is_staged = 0'],
] -%}

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
        {{ field_verdicts('order_lines', field_rules) }}
    from parsed
)

select * from validated
