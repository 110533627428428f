{#- One row per customer and marketing channel (email, sms, push, mail, phone) with events up to
    the as-of date: messages sent, opens, clicks, conversions, promotional messages and the
    conversions that answered them, and the messages sent in the pressure period (the
    var('pressure_window_days') days ending at the as-of date). No marketing_events file: no rows. -#}
with

events as (
    select * from {{ ref('stg_raw__marketing_events') }}
),

resolved as (
    select * from {{ ref('int_customers_resolved') }}
),

final as (
    select
        resolved.customer_key,
        {{ as_of_date() }} as as_of_date,
        events.channel,
        sum(case when events.event_type = 'sent' then 1 else 0 end) as sent_count,
        sum(case when events.event_type = 'opened' then 1 else 0 end) as opened_count,
        sum(case when events.event_type = 'clicked' then 1 else 0 end) as clicked_count,
        sum(case when events.event_type = 'converted' then 1 else 0 end) as converted_count,
        sum(case when events.event_type = 'unsubscribed' then 1 else 0 end) as unsubscribed_count,
        max(case when events.event_type = 'unsubscribed' then events.event_at end) as last_unsubscribed_at,
        sum(case when events.event_type = 'sent' and events.is_promotional then 1 else 0 end)
            as promotional_sent_count,
        sum(case when events.event_type = 'converted' and events.is_promotional then 1 else 0 end)
            as promotional_converted_count,
        sum(
            case
                when
                    events.event_type = 'sent'
                    and cast(events.event_at as date)
                    > {{ dbt.dateadd('day', -(var('pressure_window_days') | int), as_of_date()) }}
                    then 1
                else 0
            end
        ) as recent_sent_count
    from events
    inner join resolved
        on events.customer_id = resolved.customer_id
    where cast(events.event_at as date) <= {{ as_of_date() }}
    group by resolved.customer_key, events.channel
)

select * from final
