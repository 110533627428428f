{{ config(segmentation.raw_increment_config(
    'orders',
    'order_id',
    parents=[['customer_is_staged', 'base_raw__customers', 'customer_id']],
    cutoff_dates=['ordered_at'],
    uses_codes=true,
)) }}

with

source as (
    select * from {{ source('raw', 'orders') }}
),

canonical_codes as (
    select * from {{ ref('canonical_codes') }}
),

customer_status as (
    {{ staged_key_status(ref('base_raw__customers'), 'customer_id') }}
),

raw_text as (
    select
        {{ raw_text_columns('orders', 'source') }}
        {{ segmentation.raw_increment_columns('source') }}
    from source
    {{ segmentation.raw_increment_filter('source') }}
),

parsed as (
    select
        raw_text.*,
        raw_text.raw_order_id as order_id,
        raw_text.raw_customer_id as customer_id,
        {{ parse_timestamp('raw_text.raw_ordered_at') }} as ordered_at,
        channel_code.canonical_code as channel,
        raw_text.raw_store_id as store_id,
        status_code.canonical_code as order_status,
        upper(raw_text.raw_currency) as currency,
        lower(raw_text.raw_payment_method) as payment_method,
        upper(raw_text.raw_promo_code) as promo_code,
        customer_status.is_staged as customer_is_staged,
        {{ copy_number('orders') }} as copy_number
    from raw_text
    {{ join_canonical_code('channel_code', 'order_channel', 'raw_text.raw_channel') }}
    {{ join_canonical_code('status_code', 'order_status', 'raw_text.raw_status') }}
    left join customer_status
        on raw_text.raw_customer_id = customer_status.customer_id
),

validated as (
    select
        *,
        copy_number > 1 as is_exact_duplicate,
        case
            when copy_number > 1 then null
            when order_id is null then 'missing_order_id'
            when {{ key_version_count('order_id') }} > 1 then 'duplicate_order_id'
            when customer_id is null then 'missing_customer_id'
            when raw_ordered_at is null then 'missing_ordered_at'
            when ordered_at is null then 'invalid_ordered_at'
            when cast(ordered_at as date) > {{ future_date_cutoff() }} then 'future_ordered_at'
            when raw_channel is null then 'missing_channel'
            when channel is null then 'unknown_channel'
            when raw_status is null then 'missing_status'
            when order_status is null then 'unknown_status'
            when customer_is_staged is null then 'unknown_customer'
            when customer_is_staged = 0 then 'customer_quarantined'
        end as quarantine_reason
    from parsed
)

select * from validated
