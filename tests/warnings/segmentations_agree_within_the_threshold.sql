{{ config(enabled=python_models_supported() and segmentation_enabled('churn_risk')
    and segmentation_enabled('future_value') and segmentation_enabled('rfm') and segmentation_enabled('lifecycle')) }}
-- Warns for each pair of segmentations that contradict each other (the same customer and date
-- read two opposite ways: docs/decisions/0026) on more than var segment_contradiction_max_share
-- of the customers. Lifecycle churned at medium churn risk is not one: the lifecycle reads the
-- last 180 days, the model the next 365 days at the customer's own rhythm (README, Segmentations).
with

customers as (
    select * from {{ ref('customer_segments') }}
),

rfm_labels as (
    select * from {{ ref('segment_catalog') }}
    where segmentation = 'rfm'
),

flagged as (
    select
        case when customers.churn_risk = 'low' and customers.lifecycle_stage = 'churned' then 1 else 0 end
            as low_churn_risk_but_churned,
        case
            when customers.churn_risk = 'high' and rfm_labels.activity_status in ('active', 'lapsing') then 1 else 0
        end as high_churn_risk_but_live_rfm_segment,
        case
            when
                customers.future_value_tier in ('top_1', 'top_5', 'top_10') and rfm_labels.activity_status = 'churned'
                then 1
            else 0
        end as top_10_future_value_but_inactive_rfm_segment,
        case
            when customers.rfm_segment = 'lost' and customers.future_value_tier like 'top%' then 1 else 0
        end as rfm_lost_but_top_future_value
    from customers
    left join rfm_labels
        on customers.rfm_segment = rfm_labels.segment_code
),

counted as (
    select
        count(*) as customer_count,
        sum(low_churn_risk_but_churned) as low_churn_risk_but_churned,
        sum(high_churn_risk_but_live_rfm_segment) as high_churn_risk_but_live_rfm_segment,
        sum(top_10_future_value_but_inactive_rfm_segment) as top_10_future_value_but_inactive_rfm_segment,
        sum(rfm_lost_but_top_future_value) as rfm_lost_but_top_future_value
    from flagged
),

pairs as (
    {%- for pair in ['low_churn_risk_but_churned', 'high_churn_risk_but_live_rfm_segment',
        'top_10_future_value_but_inactive_rfm_segment', 'rfm_lost_but_top_future_value'] %}
    select
        '{{ pair }}' as contradiction,
        {{ pair }} as customers,
        customer_count
    from counted
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select
    contradiction,
    customers,
    customer_count
from pairs
where customers > {{ number_var('segment_contradiction_max_share', maximum=1) }} * customer_count
