{{ config(segmentation.raw_increment_config(
    'payments',
    'payment_id',
    parents=[['order_is_staged', 'base_raw__orders', 'order_id']],
    cutoff_dates=['paid_at'],
    uses_codes=true,
)) }}

{#- Field rules, in order: [contract column, reason, condition]. A rule on a required column
    quarantines the row; one on an optional column nulls that value (macro field_verdicts). -#}
{%- set field_rules = [
    ['payment_id', 'missing_payment_id', 'payment_id is null'],
    ['payment_id', 'duplicate_payment_id', key_version_count('payment_id') ~ ' > 1'],
    ['order_id', 'missing_order_id', 'order_id is null'],
    ['amount', 'missing_amount', 'raw_amount is null'],
    ['amount', 'invalid_amount', 'payment_amount is null'],
    ['amount', 'negative_amount', 'payment_amount < 0'],
    ['due_date', 'invalid_due_date', 'raw_due_date is not null and due_date is null'],
    ['paid_at', 'invalid_paid_at', 'raw_paid_at is not null and paid_at is null'],
    ['paid_at', 'future_paid_at', 'cast(paid_at as date) > ' ~ future_date_cutoff()],
    ['status', 'unknown_status', 'raw_status is not null and payment_status is null'],
    ['order_id', 'unknown_order', 'order_is_staged is null'],
    ['order_id', 'order_quarantined', 'order_is_staged = 0'],
] -%}

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
        {{ field_verdicts('payments', field_rules) }}
    from parsed
)

select * from validated
