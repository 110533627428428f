{{ config(enabled=segmentation_enabled('rfm')) }}
{#- RFM membership (docs/decisions/0008): the RFM segment of every customer known at the as-of
    date, prospects included, with the score R×100 + F×10 + M and the bands that placed them. -#}
{%- set frozen_bounds = var('rfm_scoring_mode') == 'quantile' and rfm_reference_as_of_date() -%}
{%- set bounds_note = ('; F and M bounds of ' ~ rfm_reference_as_of_date()) if frozen_bounds else '' -%}

with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

rfm as (
    select * from {{ ref('int_rfm_scores') }}
),

cutpoints as (
    select * from {{ ref('int_rfm_cutpoints') }}
    where as_of_date = {{ as_of_date() }}
),

final as (
    select
        metrics.customer_key,
        metrics.as_of_date,
        coalesce(rfm.segment_code, 'prospect') as segment_code,
        rfm.r_score * 100 + rfm.f_score * 10 + rfm.m_score as score,
        case
            when rfm.customer_key is null then 'not scored: no valid order up to the as-of date'
            else
                'R=' || {{ explain_value('rfm.r_score') }}
                || ': last order ' || {{ explain_value('rfm.recency_days') }} || ' days ago (R'
                || {{ explain_value('rfm.r_score') }} || ': ' || r_band.band_description
                || '); F=' || {{ explain_value('rfm.f_score') }}
                || ': ' || {{ explain_value('rfm.frequency') }} || ' orders {{ rfm_value_window_words() }} (F'
                || {{ explain_value('rfm.f_score') }} || ': ' || f_band.band_description
                || '); M=' || {{ explain_value('rfm.m_score') }}
                || ': ' || {{ explain_value('rfm.monetary_amount', 2) }}
                || ' {{ "total" if rfm_amount() == "sum" else "average per order of" }} net revenue '
                || '{{ rfm_value_window_words() }} (M' || {{ explain_value('rfm.m_score') }} || ': '
                || m_band.band_description
                || '); FM=' || {{ explain_value('rfm.fm_score') }}
                {%- if optional_var('rfm_lost_after_days') is not none %}
                || case
                    when rfm.recency_days > {{ optional_var('rfm_lost_after_days') | int }}
                        then
                            '; gone for over {{ optional_var("rfm_lost_after_days") | int }} days: '
                            || 'Lost whatever the value'
                    else ''
                end
                {%- endif %}
                || '{{ bounds_note }}'
        end as explanation,
        rfm.r_score,
        rfm.f_score,
        rfm.m_score,
        rfm.fm_score
    from metrics
    left join rfm
        on metrics.customer_key = rfm.customer_key
    left join cutpoints as r_band
        on r_band.metric = 'recency_days' and rfm.r_score = r_band.score
    left join cutpoints as f_band
        on f_band.metric = 'frequency' and rfm.f_score = f_band.score
    left join cutpoints as m_band
        on m_band.metric = 'monetary_amount' and rfm.m_score = m_band.score
)

select * from final
