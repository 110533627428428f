{{ config(segmentation.raw_increment_config(
    'marketing_events',
    'event_id',
    parents=[['customer_is_staged', 'base_raw__customers', 'customer_id']],
    cutoff_dates=['event_at'],
    uses_codes=true,
)) }}

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
        case
            when copy_number > 1 then null
            when event_id is null then 'missing_event_id'
            when {{ key_version_count('event_id') }} > 1 then 'duplicate_event_id'
            when customer_id is null then 'missing_customer_id'
            when raw_channel is null then 'missing_channel'
            when channel is null then 'unknown_channel'
            when raw_event_type is null then 'missing_event_type'
            when event_type is null then 'unknown_event_type'
            when raw_event_at is null then 'missing_event_at'
            when event_at is null then 'invalid_event_at'
            when cast(event_at as date) > {{ future_date_cutoff() }} then 'future_event_at'
            when raw_is_promotional is not null and is_promotional is null then 'invalid_is_promotional'
            when customer_is_staged is null then 'unknown_customer'
            when customer_is_staged = 0 then 'customer_quarantined'
        end as quarantine_reason
    from parsed
)

select * from validated
