-- On the data: for every customer and as-of date, the RFM segment and the lifecycle stage say the
-- same about activity (active, lapsing, churned or prospect, column activity_status of
-- segment_labels). Returns the customers on whom they disagree.
with

segments as (
    select * from {{ ref('fct_customer_segments') }}
    where segmentation in ('rfm', 'lifecycle')
),

labels as (
    select * from {{ ref('segment_labels') }}
),

statuses as (
    select
        segments.as_of_date,
        segments.customer_key,
        max(case when segments.segmentation = 'rfm' then segments.segment_code end) as rfm_segment,
        max(case when segments.segmentation = 'lifecycle' then segments.segment_code end) as lifecycle_stage,
        max(case when segments.segmentation = 'rfm' then labels.activity_status end) as rfm_activity_status,
        max(case when segments.segmentation = 'lifecycle' then labels.activity_status end) as lifecycle_activity_status
    from segments
    left join labels
        on
            segments.segmentation = labels.segmentation
            and segments.segment_code = labels.segment_code
    group by segments.as_of_date, segments.customer_key
)

select * from statuses
where
    rfm_activity_status is null
    or lifecycle_activity_status is null
    or rfm_activity_status != lifecycle_activity_status
