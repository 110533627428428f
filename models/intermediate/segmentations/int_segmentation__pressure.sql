{{ config(enabled=segmentation_enabled('pressure')) }}
{#- Commercial pressure: marketing messages sent to the customer per month over the pressure period
    (var pressure_window_days, all channels), against the maximum of the customer's RFM segment in
    the seed pressure_limits (var pressure_default_max_per_month for a segment it does not list):
    over_solicited above it, within_limit up to it, not_contacted without a message; no_contact_data
    for everyone when the data record no message at all up to the as-of date (no marketing events
    file, or an empty one): nobody can be said not contacted. -#}
{%- set window_days = var('pressure_window_days') | int -%}
{%- if window_days < 1 -%}
    {{ exceptions.raise_compiler_error("var pressure_window_days must be a whole number of days >= 1, got " ~ window_days) }}
{%- endif -%}

with

customers as (
    select * from {{ ref('int_customer_metrics') }}
),

rfm_scores as (
    select * from {{ ref('int_rfm_scores') }}
),

contacts as (
    select * from {{ ref('int_customer_marketing_contacts') }}
),

limits as (
    select * from {{ ref('pressure_limits') }}
    where segmentation = 'rfm'
),

sent as (
    select
        customer_key,
        sum(recent_sent_count) as recent_sent_count
    from contacts
    group by customer_key
),

recorded as (
    select count(*) > 0 as is_contact_recorded
    from contacts
),

measured as (
    select
        customers.customer_key,
        customers.as_of_date,
        coalesce(rfm_scores.segment_code, 'prospect') as rfm_segment,
        coalesce(sent.recent_sent_count, 0) as recent_sent_count,
        {{ per_month('coalesce(sent.recent_sent_count, 0)', window_days) }} as messages_per_month,
        coalesce(limits.max_messages_per_month, {{ var('pressure_default_max_per_month') }}) as max_messages_per_month,
        recorded.is_contact_recorded
    from customers
    cross join recorded
    left join rfm_scores
        on customers.customer_key = rfm_scores.customer_key
    left join sent
        on customers.customer_key = sent.customer_key
    left join limits
        on coalesce(rfm_scores.segment_code, 'prospect') = limits.segment_code
),

final as (
    select
        customer_key,
        as_of_date,
        case
            when not is_contact_recorded then 'no_contact_data'
            when recent_sent_count = 0 then 'not_contacted'
            when messages_per_month > max_messages_per_month then 'over_solicited'
            else 'within_limit'
        end as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        case when not is_contact_recorded then 'the data record no marketing message at all; ' else '' end
        || 'messages in the last {{ window_days }} days: ' || {{ explain_value('recent_sent_count') }}
        || ' (' || {{ explain_value('messages_per_month', 1) }} || ' a month); at most '
        || {{ explain_value('max_messages_per_month') }} || ' a month for RFM segment ' || rfm_segment
        || ' (seed pressure_limits)' as explanation,
        rfm_segment,
        recent_sent_count,
        cast(messages_per_month as {{ type_double() }}) as messages_per_month,
        max_messages_per_month
    from measured
)

select * from final
