-- Customer shares (and revenue shares, where the segmentation has revenue) add up to 1 for each
-- segmentation and as-of date. Returns the groups that do not.
with

summary as (
    select * from {{ ref('segment_summary') }}
),

totals as (
    select
        as_of_date,
        segmentation,
        sum(customer_share) as customer_share_total,
        sum(revenue_share) as revenue_share_total
    from summary
    group by as_of_date, segmentation
)

select * from totals
where
    abs(customer_share_total - 1) > 1e-9
    or (revenue_share_total is not null and abs(revenue_share_total - 1) > 1e-9)
