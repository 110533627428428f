-- segment_summary counts what fct_customer_segments holds: on the run's as-of date, for every
-- segmentation and segment, the same customers and revenue (0 where the fact has nobody). Returns
-- the segments where the two disagree.
with

summary as (
    select * from {{ ref('segment_summary') }}
    where as_of_date = {{ as_of_date() }}
),

segments as (
    select * from {{ ref('fct_customer_segments') }}
),

counted as (
    select
        as_of_date,
        segmentation,
        segment_code,
        count(*) as customer_count,
        sum(window_revenue_amount) as revenue_amount,
        sum(lifetime_revenue_amount) as lifetime_revenue_amount
    from segments
    group by as_of_date, segmentation, segment_code
),

compared as (
    select
        coalesce(summary.as_of_date, counted.as_of_date) as as_of_date,
        coalesce(summary.segmentation, counted.segmentation) as segmentation,
        coalesce(summary.segment_code, counted.segment_code) as segment_code,
        summary.customer_count as summary_customer_count,
        coalesce(counted.customer_count, 0) as fact_customer_count,
        summary.revenue_amount as summary_revenue_amount,
        coalesce(counted.revenue_amount, 0) as fact_revenue_amount,
        summary.lifetime_revenue_amount as summary_lifetime_revenue_amount,
        coalesce(counted.lifetime_revenue_amount, 0) as fact_lifetime_revenue_amount
    from summary
    full outer join counted
        on
            summary.as_of_date = counted.as_of_date
            and summary.segmentation = counted.segmentation
            and summary.segment_code = counted.segment_code
)

select * from compared
where
    summary_customer_count is null
    or summary_customer_count != fact_customer_count
    or summary_revenue_amount != fact_revenue_amount
    or summary_lifetime_revenue_amount != fact_lifetime_revenue_amount
