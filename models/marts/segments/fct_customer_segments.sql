{#- Incremental by as-of date: each run replaces the rows of its as_of_date and keeps the others,
    so segment history builds up and any past date can be rebuilt on its own. -#}
{{ config(**incremental_by_as_of_date()) }}
{%- set frozen_bounds = var('rfm_scoring_mode') == 'quantile' and rfm_reference_as_of_date() -%}
{%- set bounds_note = ('; F and M bounds of ' ~ rfm_reference_as_of_date()) if frozen_bounds else '' -%}

with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

rfm as (
    select * from {{ ref('int_rfm_scores') }}
),

pmg as (
    select * from {{ ref('int_pmg_tiers') }}
),

lifecycle as (
    select * from {{ ref('int_lifecycle_stages') }}
),

loyalty as (
    select * from {{ ref('int_loyalty_segments') }}
),

cutpoints as (
    select * from {{ ref('int_rfm_cutpoints') }}
    where as_of_date = {{ as_of_date() }}
),

labels as (
    select * from {{ ref('segment_labels') }}
),

rfm_rows as (
    select
        metrics.customer_key,
        'rfm' as segmentation,
        coalesce(rfm.segment_code, 'prospect') as segment_code,
        rfm.r_score * 100 + rfm.f_score * 10 + rfm.m_score as score,
        rfm.r_score,
        rfm.f_score,
        rfm.m_score,
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
                || '); FM=' || {{ explain_value('rfm.fm_score') }} || '{{ bounds_note }}'
        end as explanation
    from metrics
    left join rfm
        on metrics.customer_key = rfm.customer_key
    left join cutpoints as r_band
        on r_band.metric = 'recency_days' and rfm.r_score = r_band.score
    left join cutpoints as f_band
        on f_band.metric = 'frequency' and rfm.f_score = f_band.score
    left join cutpoints as m_band
        on m_band.metric = 'monetary_amount' and rfm.m_score = m_band.score
),

pmg_rows as (
    select
        customer_key,
        'pmg' as segmentation,
        pmg_tier as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        cast(null as {{ dbt.type_int() }}) as r_score,
        cast(null as {{ dbt.type_int() }}) as f_score,
        cast(null as {{ dbt.type_int() }}) as m_score,
        {{ explain_value('window_revenue_amount', 2) }}
        || ' net revenue in the last {{ var("revenue_window_days") }} days; customers above made '
        || {{ explain_value('100 * revenue_share_before', 1) }} || '% of revenue (major below '
        || '{{ var("pmg_major_share") * 100 }}%, medium below '
        || '{{ ((var("pmg_major_share") + var("pmg_medium_share")) * 100) | round(4) }}%)' as explanation
    from pmg
),

lifecycle_rows as (
    select
        customer_key,
        'lifecycle' as segmentation,
        lifecycle_stage as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        cast(null as {{ dbt.type_int() }}) as r_score,
        cast(null as {{ dbt.type_int() }}) as f_score,
        cast(null as {{ dbt.type_int() }}) as m_score,
        case
            when lifecycle_stage = 'prospect' then 'no valid order up to the as-of date'
            else
                'last order ' || {{ explain_value('recency_days') }} || ' days ago, first '
                || {{ explain_value('tenure_days') }} || ' days ago; orders in the last '
                || '{{ var("lifecycle_active_days") }} days: ' || {{ explain_value('recent_order_count') }}
                || '; days between the last two orders: ' || {{ explain_value('days_before_last_order') }}
                || ' (new: first order <= {{ var("lifecycle_new_days") }} days ago; reactivated: gap > '
                || '{{ var("lifecycle_lapsing_days") }}; '
                || 'repeat: >= {{ var("lifecycle_repeat_min_orders") }} recent orders; '
                || 'active: last order <= {{ var("lifecycle_active_days") }} days ago; '
                || 'lapsing: <= {{ var("lifecycle_lapsing_days") }}; churned beyond)'
        end as explanation
    from lifecycle
),

loyalty_rows as (
    select
        customer_key,
        'loyalty' as segmentation,
        loyalty_segment as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        cast(null as {{ dbt.type_int() }}) as r_score,
        cast(null as {{ dbt.type_int() }}) as f_score,
        cast(null as {{ dbt.type_int() }}) as m_score,
        {{ explain_value('lifetime_order_count') }} || ' orders over ' || {{ explain_value('tenure_days') }}
        || ' days, last ' || {{ explain_value('recency_days') }} || ' days ago, interval variation '
        || {{ explain_value('interval_variation', 2) }}
        || ' (loyal: >= {{ var("loyalty_loyal_min_orders") }} orders, '
        || '>= {{ var("loyalty_min_tenure_days") }} days, '
        || 'variation <= {{ var("loyalty_max_interval_cv") }}; '
        || 'regular: >= {{ var("loyalty_regular_min_orders") }} orders)' as explanation
    from loyalty
),

unioned as (
    select * from rfm_rows
    union all
    select * from pmg_rows
    union all
    select * from lifecycle_rows
    union all
    select * from loyalty_rows
),

final as (
    select
        cast(metrics.as_of_date as date) as as_of_date,
        cast(unioned.customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(unioned.segmentation as {{ dbt.type_string() }}) as segmentation,
        cast(unioned.segment_code as {{ dbt.type_string() }}) as segment_code,
        cast(labels.segment_label as {{ dbt.type_string() }}) as segment_label,
        cast(unioned.score as {{ dbt.type_int() }}) as score,
        cast(unioned.r_score as {{ dbt.type_int() }}) as r_score,
        cast(unioned.f_score as {{ dbt.type_int() }}) as f_score,
        cast(unioned.m_score as {{ dbt.type_int() }}) as m_score,
        cast(metrics.recency_days as {{ dbt.type_bigint() }}) as recency_days,
        cast(metrics.frequency as {{ dbt.type_bigint() }}) as frequency,
        cast(metrics.monetary_amount as {{ dbt.type_numeric() }}) as monetary_amount,
        cast(metrics.window_revenue_amount as {{ dbt.type_numeric() }}) as window_revenue_amount,
        cast(metrics.lifetime_revenue_amount as {{ dbt.type_numeric() }}) as lifetime_revenue_amount,
        cast(metrics.tenure_days as {{ dbt.type_bigint() }}) as tenure_days,
        cast(metrics.lifetime_order_count as {{ dbt.type_bigint() }}) as lifetime_order_count,
        cast(unioned.explanation as {{ dbt.type_string() }}) as explanation
    from unioned
    inner join metrics
        on unioned.customer_key = metrics.customer_key
    left join labels
        on
            unioned.segmentation = labels.segmentation
            and unioned.segment_code = labels.segment_code
)

select * from final
