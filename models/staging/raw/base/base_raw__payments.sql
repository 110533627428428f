{{ config(segmentation.raw_increment_config(
    'payments',
    'payment_id',
    parents=[['order_is_staged', 'base_raw__orders', 'order_id']],
    cutoff_dates=['paid_at'],
    uses_codes=true,
)) }}

with

source as (
    select * from {{ source('raw', 'payments') }}
),

canonical_codes as (
    select * from {{ ref('canonical_codes') }}
),

order_status as (
    {{ staged_key_status(ref('base_raw__orders'), 'order_id') }}
),

raw_text as (
    select
        {{ raw_text_columns('payments', 'source') }}
        {{ segmentation.raw_increment_columns('source') }}
    from source
    {{ segmentation.raw_increment_filter('source') }}
),

parsed as (
    select
        raw_text.*,
        raw_text.raw_payment_id as payment_id,
        raw_text.raw_order_id as order_id,
        {{ parse_decimal('raw_text.raw_amount') }} as payment_amount,
        {{ parse_date('raw_text.raw_due_date') }} as due_date,
        {{ parse_timestamp('raw_text.raw_paid_at') }} as paid_at,
        lower(raw_text.raw_payment_method) as payment_method,
        status_code.canonical_code as payment_status,
        order_status.is_staged as order_is_staged,
        {{ copy_number('payments') }} as copy_number
    from raw_text
    {{ join_canonical_code('status_code', 'payment_status', 'raw_text.raw_status') }}
    left join order_status
        on raw_text.raw_order_id = order_status.order_id
),

validated as (
    select
        *,
        copy_number > 1 as is_exact_duplicate,
        case
            when copy_number > 1 then null
            when payment_id is null then 'missing_payment_id'
            when {{ key_version_count('payment_id') }} > 1 then 'duplicate_payment_id'
            when order_id is null then 'missing_order_id'
            when raw_amount is null then 'missing_amount'
            when payment_amount is null then 'invalid_amount'
            when payment_amount < 0 then 'negative_amount'
            when raw_due_date is not null and due_date is null then 'invalid_due_date'
            when raw_paid_at is not null and paid_at is null then 'invalid_paid_at'
            when cast(paid_at as date) > {{ future_date_cutoff() }} then 'future_paid_at'
            when raw_status is not null and payment_status is null then 'unknown_status'
            when order_is_staged is null then 'unknown_order'
            when order_is_staged = 0 then 'order_quarantined'
        end as quarantine_reason
    from parsed
)

select * from validated
