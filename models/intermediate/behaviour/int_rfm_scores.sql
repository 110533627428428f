{#- RFM scores of every customer with a valid order up to the as-of date (docs/decisions/0008).
    R: recency bands in days (var rfm_recency_days, aligned with the lifecycle thresholds), so a
    customer gone beyond the churn threshold can only be in a churned segment. F and M: the
    highest score whose lower bound (int_rfm_score_bounds) the value reaches; below every bound,
    no order in the value period or no positive amount gives 1. FM = average of F and M, rounded
    half up; the seed rfm_segment_map names each (R, FM) cell; gone for more than
    var('rfm_lost_after_days') days is lost whatever the cell (macro rfm_segment_code). -#}
with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

score_bounds as (
    select * from {{ ref('int_rfm_score_bounds') }}
),

segment_map as (
    select * from {{ ref('rfm_segment_map') }}
),

buyers as (
    select
        customer_key,
        as_of_date,
        recency_days,
        frequency,
        monetary_amount
    from metrics
    where not is_prospect
),

reached_scores as (
    -- every F and M score whose lower bound the customer's value reaches
    select
        buyers.customer_key,
        max(case when score_bounds.metric = 'frequency' then score_bounds.score end) as f_score,
        max(case when score_bounds.metric = 'monetary_amount' then score_bounds.score end) as m_score
    from buyers
    inner join score_bounds
        on
            (
                score_bounds.metric = 'frequency'
                and buyers.frequency > 0
                and buyers.frequency >= score_bounds.lower_bound
            )
            or (
                score_bounds.metric = 'monetary_amount'
                and buyers.monetary_amount > 0
                and buyers.monetary_amount >= score_bounds.lower_bound
            )
    group by buyers.customer_key
),

scored as (
    select
        buyers.*,
        {{ rfm_recency_score('buyers.recency_days') }} as r_score,
        coalesce(reached_scores.f_score, 1) as f_score,
        coalesce(reached_scores.m_score, 1) as m_score
    from buyers
    left join reached_scores
        on buyers.customer_key = reached_scores.customer_key
),

combined as (
    select
        *,
        {{ rfm_fm_score('f_score', 'm_score') }} as fm_score
    from scored
),

final as (
    select
        combined.customer_key,
        combined.as_of_date,
        combined.recency_days,
        combined.frequency,
        combined.monetary_amount,
        combined.r_score,
        combined.f_score,
        combined.m_score,
        combined.fm_score,
        {{ rfm_segment_code('combined.recency_days', 'segment_map.segment_code') }} as segment_code
    from combined
    left join segment_map
        on
            combined.r_score = segment_map.r_score
            and combined.fm_score = segment_map.fm_score
)

select * from final
