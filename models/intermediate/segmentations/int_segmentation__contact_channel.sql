{{ config(enabled=segmentation_enabled('contact_channel')) }}
{#- Preferred contact channel, only among the channels the customer consented to (email_opt_in,
    sms_opt_in; push, mail and phone carry no consent in the contract, so they are never chosen):
    the consented channel with the best response rate (clicks and conversions per message sent,
    from marketing_events), email first on a tie or without messages; no_consent when the customer
    consented to neither; consent_unknown when no consent is recorded for either channel (the
    columns not supplied, or empty for this customer): consent is never assumed, and no refusal is
    claimed either. An unsubscription from a channel after the customer record was last
    updated withdraws its consent. -#}
{%- set channels = ['email', 'sms'] -%}

with

customers as (
    select * from {{ ref('int_customer_metrics') }}
),

golden as (
    select * from {{ ref('int_customers_golden') }}
),

contacts as (
    select * from {{ ref('int_customer_marketing_contacts') }}
),

rates as (
    select
        {%- for channel in channels %}
        -- an unsubscription after the customer record was last updated withdraws the consent
        coalesce(golden.has_{{ channel }}_opt_in, false)
        and (
            {{ channel }}_contacts.last_unsubscribed_at is null
            or {{ channel }}_contacts.last_unsubscribed_at <= golden.last_updated_at
        ) as has_{{ channel }}_opt_in,
        coalesce({{ channel }}_contacts.sent_count, 0) as {{ channel }}_sent_count,
        cast({{ channel }}_contacts.clicked_count + {{ channel }}_contacts.converted_count as {{ type_double() }})
        / nullif({{ channel }}_contacts.sent_count, 0) as {{ channel }}_response_rate,
        {%- endfor %}
        golden.has_email_opt_in is null and golden.has_sms_opt_in is null as is_consent_unrecorded,
        customers.customer_key,
        customers.as_of_date
    from customers
    inner join golden
        on customers.customer_key = golden.customer_key
    {%- for channel in channels %}
    left join contacts as {{ channel }}_contacts
        on
            customers.customer_key = {{ channel }}_contacts.customer_key
            and {{ channel }}_contacts.channel = '{{ channel }}'
    {%- endfor %}
),

final as (
    select
        customer_key,
        as_of_date,
        case
            when is_consent_unrecorded then 'consent_unknown'
            when not has_email_opt_in and not has_sms_opt_in then 'no_consent'
            when not has_sms_opt_in then 'email'
            when not has_email_opt_in then 'sms'
            when coalesce(sms_response_rate, 0) > coalesce(email_response_rate, 0) then 'sms'
            else 'email'
        end as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        case
            when is_consent_unrecorded then 'consent: not recorded for email nor sms'
            else
                'consent: email ' || case when has_email_opt_in then 'yes' else 'no' end
                || ', sms ' || case when has_sms_opt_in then 'yes' else 'no' end
        end
        || '; response rate (clicks and conversions per message):'
        {%- for channel in channels %}
        || ' {{ channel }} '
        || case
            when {{ channel }}_sent_count = 0 then 'no message'
            else
                {{ explain_value('100 * ' ~ channel ~ '_response_rate', 1) }} || '% of '
                || {{ explain_value(channel ~ '_sent_count') }}
        end
        {{- " || ','" if not loop.last }}
        {%- endfor %}
        || ' (the consented channel with the best rate; email on a tie)' as explanation,
        has_email_opt_in,
        has_sms_opt_in,
        email_response_rate,
        sms_response_rate
    from rates
)

select * from final
