{{ config(segmentation.raw_increment_config(
    'marketing_events',
    'event_id',
    parents=[['customer_is_staged', 'base_raw__customers', 'customer_id']],
    cutoff_dates=['event_at'],
    uses_codes=true,
)) }}

{#- Field rules, in order: [contract column, reason, condition]. A rule on a required column
    quarantines the row; one on an optional column nulls that value (macro field_verdicts). -#}
{%- set field_rules = [
    ['event_id', 'missing_event_id', 'event_id is null'],
    ['event_id', 'duplicate_event_id', key_version_count('event_id') ~ ' > 1'],
    ['customer_id', 'missing_customer_id', 'customer_id is null'],
    ['channel', 'missing_channel', 'raw_channel is null'],
    ['channel', 'unknown_channel', 'channel is null'],
    ['event_type', 'missing_event_type', 'raw_event_type is null'],
    ['event_type', 'unknown_event_type', 'event_type is null'],
    ['event_at', 'missing_event_at', 'raw_event_at is null'],
    ['event_at', 'invalid_event_at', 'event_at is null'],
    ['event_at', 'future_event_at', 'cast(event_at as date) > ' ~ future_date_cutoff()],
    ['is_promotional', 'invalid_is_promotional', 'raw_is_promotional is not null and is_promotional is null'],
    ['customer_id', 'unknown_customer', 'customer_is_staged is null'],
    ['customer_id', 'customer_quarantined', 'customer_is_staged = 0'],
] -%}

with

source as (
    select * from {{ source('raw', 'marketing_events') }}
),

canonical_codes as (
    select * from {{ ref('canonical_codes') }}
),

customer_status as (
    {{ staged_key_status(ref('base_raw__customers'), 'customer_id') }}
),

raw_text as (
    select
        {{ raw_text_columns('marketing_events', 'source') }}
        {{ segmentation.raw_increment_columns('source') }}
    from source
    {{ segmentation.raw_increment_filter('source') }}
),

parsed as (
    select
        raw_text.*,
        raw_text.raw_event_id as event_id,
        raw_text.raw_customer_id as customer_id,
        raw_text.raw_campaign_id as campaign_id,
        channel_code.canonical_code as channel,
        event_type_code.canonical_code as event_type,
        {{ parse_timestamp('raw_text.raw_event_at') }} as event_at,
        cast(promotional_code.canonical_code as {{ dbt.type_boolean() }}) as is_promotional,
        customer_status.is_staged as customer_is_staged,
        {{ copy_number('marketing_events') }} as copy_number
    from raw_text
    {{ join_canonical_code('channel_code', 'marketing_channel', 'raw_text.raw_channel') }}
    {{ join_canonical_code('event_type_code', 'event_type', 'raw_text.raw_event_type') }}
    {{ join_canonical_code('promotional_code', 'boolean', 'raw_text.raw_is_promotional') }}
    left join customer_status
        on raw_text.raw_customer_id = customer_status.customer_id
),

validated as (
    select
        *,
        copy_number > 1 as is_exact_duplicate,
        {{ field_verdicts('marketing_events', field_rules) }}
    from parsed
)

select * from validated
