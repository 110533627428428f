{#- One row per customer and segmentation at the as-of date of this run, for every segmentation the
    registry enables (var segmentations): the membership rows of each segmentation model, with the
    segment's label, the customer's metrics and, on the rfm rows, the R, F and M scores. Rebuilt
    every run: the history of memberships is fct_segment_changes (a row per change), past dates
    are read through segment_membership_history (docs/decisions/0023). -#}
{{ config(materialized='table') }}

with

memberships as (
    {{ union_segmentations() }}
),

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

rfm_scores as (
    select * from {{ ref('int_rfm_scores') }}
),

labels as (
    select * from {{ ref('segment_catalog') }}
),

final as (
    select
        cast(metrics.as_of_date as date) as as_of_date,
        cast(memberships.customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(memberships.segmentation as {{ dbt.type_string() }}) as segmentation,
        cast(memberships.segment_code as {{ dbt.type_string() }}) as segment_code,
        cast({{ segment_label('memberships.segment_code') }} as {{ dbt.type_string() }}) as segment_label,
        cast(memberships.score as {{ dbt.type_int() }}) as score,
        cast(rfm_scores.r_score as {{ dbt.type_int() }}) as r_score,
        cast(rfm_scores.f_score as {{ dbt.type_int() }}) as f_score,
        cast(rfm_scores.m_score as {{ dbt.type_int() }}) as m_score,
        cast(metrics.recency_days as {{ dbt.type_bigint() }}) as recency_days,
        cast(metrics.frequency as {{ dbt.type_bigint() }}) as frequency,
        cast(metrics.monetary_amount as {{ dbt.type_numeric() }}) as monetary_amount,
        cast(metrics.window_revenue_amount as {{ dbt.type_numeric() }}) as window_revenue_amount,
        cast(metrics.lifetime_revenue_amount as {{ dbt.type_numeric() }}) as lifetime_revenue_amount,
        cast(metrics.tenure_days as {{ dbt.type_bigint() }}) as tenure_days,
        cast(metrics.lifetime_order_count as {{ dbt.type_bigint() }}) as lifetime_order_count,
        cast(memberships.explanation as {{ dbt.type_string() }}) as explanation
    from memberships
    inner join metrics
        on memberships.customer_key = metrics.customer_key
    left join rfm_scores
        -- the RFM sub-scores, kept as columns of the rfm rows for BI filters
        on memberships.customer_key = rfm_scores.customer_key and memberships.segmentation = 'rfm'
    left join labels
        on
            memberships.segmentation = labels.segmentation
            and memberships.segment_code = labels.segment_code
    {{ join_any_code_labels('memberships.segmentation') }}
)

select * from final
