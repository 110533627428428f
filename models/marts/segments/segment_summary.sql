{#- Every segment of the seed segment_labels for every segmentation the registry enables and every
    as-of date it was built for, empty segments included (0 customers), so a dashboard can show
    "0 At Risk" (a segmentation added later, or not built on a date, has no rows for that date);
    segments too small to act on flagged (vars segment_min_customers, segment_min_share).
    Incremental by as-of date: fct_customer_segments holds the run's date, this table keeps every
    date built (and tells which dates were built, also those on which no membership changed). -#}
{{ config(**incremental_by_as_of_date()) }}
with

registry as (
    select * from {{ ref('segmentation_registry') }}
    where is_enabled
),

segments as (
    select facts.*
    from {{ ref('fct_customer_segments') }} as facts
    inner join registry
        on facts.segmentation = registry.segmentation
),

labels as (
    select * from {{ ref('segment_catalog') }}
),

built_segmentations as (
    select distinct
        as_of_date,
        segmentation
    from segments
),

every_segment as (
    select
        built_segmentations.as_of_date,
        labels.segmentation,
        labels.segment_code,
        labels.segment_label,
        labels.description,
        labels.recommended_action,
        labels.sort_order
    from built_segmentations
    inner join labels
        on built_segmentations.segmentation = labels.segmentation
    -- the '*' row of a segmentation whose codes are data (geography) is no segment of its own
    where labels.segment_code != '*'
),

per_segment as (
    select
        as_of_date,
        segmentation,
        segment_code,
        count(*) as customer_count,
        sum(window_revenue_amount) as revenue_amount,
        sum(lifetime_revenue_amount) as lifetime_revenue_amount,
        avg(recency_days) as avg_recency_days,
        avg(frequency) as avg_frequency,
        avg(monetary_amount) as avg_monetary_amount
    from segments
    group by as_of_date, segmentation, segment_code
),

-- a full join: a segment code missing from the seed still shows (and fails the label test)
joined as (
    select
        coalesce(every_segment.as_of_date, per_segment.as_of_date) as as_of_date,
        coalesce(every_segment.segmentation, per_segment.segmentation) as segmentation,
        coalesce(every_segment.segment_code, per_segment.segment_code) as segment_code,
        coalesce(
            every_segment.segment_label,
            case when any_code_labels.segment_code is not null then per_segment.segment_code end
        ) as segment_label,
        coalesce(every_segment.description, any_code_labels.description) as description,
        coalesce(every_segment.recommended_action, any_code_labels.recommended_action) as recommended_action,
        coalesce(every_segment.sort_order, any_code_labels.sort_order) as sort_order,
        coalesce(per_segment.customer_count, 0) as customer_count,
        coalesce(per_segment.revenue_amount, 0) as revenue_amount,
        coalesce(per_segment.lifetime_revenue_amount, 0) as lifetime_revenue_amount,
        per_segment.avg_recency_days,
        per_segment.avg_frequency,
        per_segment.avg_monetary_amount
    from every_segment
    full outer join per_segment
        on
            every_segment.as_of_date = per_segment.as_of_date
            and every_segment.segmentation = per_segment.segmentation
            and every_segment.segment_code = per_segment.segment_code
    {{ join_any_code_labels('per_segment.segmentation') }}
),

shared as (
    select
        cast(as_of_date as date) as as_of_date,
        cast(segmentation as {{ dbt.type_string() }}) as segmentation,
        cast(segment_code as {{ dbt.type_string() }}) as segment_code,
        cast(segment_label as {{ dbt.type_string() }}) as segment_label,
        cast(description as {{ dbt.type_string() }}) as description,
        cast(recommended_action as {{ dbt.type_string() }}) as recommended_action,
        cast(sort_order as {{ dbt.type_int() }}) as sort_order,
        cast(customer_count as {{ dbt.type_bigint() }}) as customer_count,
        -- shares in double precision: engines round decimal divisions differently (Spark to 6 places)
        cast(customer_count as {{ type_double() }})
        / nullif(cast(sum(customer_count) over (partition by as_of_date, segmentation) as {{ type_double() }}), 0)
            as customer_share,
        cast(revenue_amount as {{ dbt.type_numeric() }}) as revenue_amount,
        cast(revenue_amount as {{ type_double() }})
        / nullif(cast(sum(revenue_amount) over (partition by as_of_date, segmentation) as {{ type_double() }}), 0)
            as revenue_share,
        cast(lifetime_revenue_amount as {{ dbt.type_numeric() }}) as lifetime_revenue_amount,
        cast(lifetime_revenue_amount as {{ type_double() }})
        / nullif(
            cast(sum(lifetime_revenue_amount) over (partition by as_of_date, segmentation) as {{ type_double() }}), 0
        ) as lifetime_revenue_share,
        cast(avg_recency_days as {{ type_double() }}) as avg_recency_days,
        cast(avg_frequency as {{ type_double() }}) as avg_frequency,
        cast(avg_monetary_amount as {{ type_double() }}) as avg_monetary_amount
    from joined
),

final as (
    select
        *,
        -- too small to act on (segment size policy); an empty segment is shown as 0, not flagged
        customer_count > 0
        and (
            customer_count < {{ var('segment_min_customers') | int }}
            or customer_share < {{ var('segment_min_share') }}
        ) as is_below_min_size
    from shared
)

select * from final
