{{ config(segmentation.raw_increment_config(
    'orders',
    'order_id',
    parents=[['customer_is_staged', 'base_raw__customers', 'customer_id']],
    cutoff_dates=['ordered_at'],
    uses_codes=true,
)) }}

{#- Field rules, in order: [contract column, reason, condition]. A rule on a required column
    quarantines the row; one on an optional column nulls that value (macro field_verdicts). -#}
{%- set field_rules = [
    ['order_id', 'missing_order_id', 'order_id is null'],
    ['order_id', 'duplicate_order_id', key_version_count('order_id') ~ ' > 1'],
    ['customer_id', 'missing_customer_id', 'customer_id is null'],
    ['ordered_at', 'missing_ordered_at', 'raw_ordered_at is null'],
    ['ordered_at', 'invalid_ordered_at', 'ordered_at is null'],
    ['ordered_at', 'future_ordered_at', 'cast(ordered_at as date) > ' ~ future_date_cutoff()],
    ['channel', 'missing_channel', 'raw_channel is null'],
    ['channel', 'unknown_channel', 'channel is null'],
    ['status', 'missing_status', 'raw_status is null'],
    ['status', 'unknown_status', 'order_status is null'],
    ['customer_id', 'unknown_customer', 'customer_is_staged is null'],
    ['customer_id', 'customer_quarantined', 'customer_is_staged = 0'],
] -%}

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
        {{ field_verdicts('orders', field_rules) }}
    from parsed
)

select * from validated
