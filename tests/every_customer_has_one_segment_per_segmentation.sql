-- For the as-of date of this run, every customer of int_customer_metrics has exactly one row per
-- enabled segmentation of the registry in fct_customer_segments. Returns the (customer,
-- segmentation) pairs that do not.
with

customers as (
    select customer_key from {{ ref('int_customer_metrics') }}
),

segmentations as (
    select segmentation from {{ ref('segmentation_registry') }}
    where is_enabled
),

segments as (
    select * from {{ ref('fct_customer_segments') }}
    where as_of_date = {{ as_of_date() }}
),

expected as (
    select
        customers.customer_key,
        segmentations.segmentation
    from customers
    cross join segmentations
),

counted as (
    select
        expected.customer_key,
        expected.segmentation,
        count(segments.segment_code) as segment_rows
    from expected
    left join segments
        on
            expected.customer_key = segments.customer_key
            and expected.segmentation = segments.segmentation
    group by expected.customer_key, expected.segmentation
)

select * from counted
where segment_rows != 1
