-- segment_summary shows every segment of the seed for every segmentation and as-of date of the
-- fact (the dates that segmentation was built for), empty ones included. Returns the (date,
-- segmentation, segment) rows missing.
with

summary as (
    select * from {{ ref('segment_summary') }}
),

labels as (
    select * from {{ ref('segment_labels') }}
),

registry as (
    select * from {{ ref('segmentation_registry') }}
    where is_enabled
),

built_segmentations as (
    select distinct
        as_of_date,
        segmentation
    from {{ ref('fct_customer_segments') }}
),

expected as (
    select
        built_segmentations.as_of_date,
        labels.segmentation,
        labels.segment_code
    from built_segmentations
    inner join labels
        on built_segmentations.segmentation = labels.segmentation
    inner join registry
        on labels.segmentation = registry.segmentation
    where labels.segment_code != '*'
)

select expected.*
from expected
left join summary
    on
        expected.as_of_date = summary.as_of_date
        and expected.segmentation = summary.segmentation
        and expected.segment_code = summary.segment_code
where summary.segment_code is null
