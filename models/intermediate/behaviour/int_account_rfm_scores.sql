{#- RFM of B2B accounts, all of a company's contacts together: recency of the latest valid order
    of any contact, frequency and spend summed over the RFM value window (with rfm_amount
    'average', the account's spend per order). R uses the customers' recency bands; F and M are
    quantile scores among the accounts with orders in the window (var rfm_tiles; an account
    without any gets 1); the segment comes from rfm_segment_map; prospect for an account
    without a valid order. Accounts are few, so their F and M are ranked among themselves
    rather than against the customer bounds (docs/decisions/0011). -#}
{%- set tiles = var('rfm_tiles') | int -%}

with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

segment_map as (
    select * from {{ ref('rfm_segment_map') }}
),

accounts as (
    select
        company_id,
        as_of_date,
        max(case when is_prospect then 0 else 1 end) = 0 as is_prospect,
        min(recency_days) as recency_days,
        sum(frequency) as frequency,
        {%- if rfm_amount() == 'sum' %}
        sum(coalesce(monetary_amount, 0)) as spend_amount
        {%- else %}
        sum(coalesce(monetary_amount * frequency, 0)) as spend_amount
        {%- endif %}
    from metrics
    where company_id is not null
    group by company_id, as_of_date
),

measured as (
    select
        company_id,
        as_of_date,
        is_prospect,
        recency_days,
        frequency,
        {%- if rfm_amount() == 'sum' %}
        spend_amount as monetary_amount
        {%- else %}
        cast(spend_amount / nullif(frequency, 0) as {{ dbt.type_numeric() }}) as monetary_amount
        {%- endif %}
    from accounts
),

scored as (
    select
        *,
        {{ rfm_recency_score('recency_days') }} as r_score,
        coalesce(
            {{ score_quantile('case when not is_prospect and frequency > 0 then frequency end', tiles) }}, 1
        ) as f_score,
        coalesce(
            {{ score_quantile('case when not is_prospect and monetary_amount > 0 then monetary_amount end', tiles) }}, 1
        ) as m_score
    from measured
),

combined as (
    select
        *,
        {{ rfm_fm_score('f_score', 'm_score') }} as fm_score
    from scored
),

final as (
    select
        combined.company_id,
        combined.as_of_date,
        combined.recency_days,
        combined.frequency,
        cast(combined.monetary_amount as {{ dbt.type_numeric() }}) as monetary_amount,
        case when not combined.is_prospect then combined.r_score end as r_score,
        case when not combined.is_prospect then combined.f_score end as f_score,
        case when not combined.is_prospect then combined.m_score end as m_score,
        case
            when combined.is_prospect then 'prospect'
            else {{ rfm_segment_code('combined.recency_days', 'segment_map.segment_code') }}
        end as rfm_segment
    from combined
    left join segment_map
        on
            combined.r_score = segment_map.r_score
            and combined.fm_score = segment_map.fm_score
)

select * from final
