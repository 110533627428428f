with

validated as (
    select * from {{ ref('base_raw__marketing_events') }}
),

final as (
    select
        event_id,
        customer_id,
        campaign_id,
        channel,
        event_type,
        event_at,
        {{ staged_value('marketing_events', 'is_promotional') }} as is_promotional
    from validated
    where quarantine_reason is null and not is_exact_duplicate
)

select * from final
