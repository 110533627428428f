with

segments as (
    select * from {{ ref('fct_customer_segments') }}
),

per_segment as (
    select
        as_of_date,
        segmentation,
        segment_code,
        segment_label,
        count(*) as customer_count,
        sum(monetary_amount) as revenue_amount,
        avg(recency_days) as avg_recency_days,
        avg(frequency) as avg_frequency,
        avg(monetary_amount) as avg_monetary_amount
    from segments
    group by as_of_date, segmentation, segment_code, segment_label
),

final as (
    select
        cast(as_of_date as date) as as_of_date,
        cast(segmentation as {{ dbt.type_string() }}) as segmentation,
        cast(segment_code as {{ dbt.type_string() }}) as segment_code,
        cast(segment_label as {{ dbt.type_string() }}) as segment_label,
        cast(customer_count as {{ dbt.type_bigint() }}) as customer_count,
        cast(
            customer_count * 1.0 / sum(customer_count) over (partition by as_of_date, segmentation)
            as {{ type_double() }}
        ) as customer_share,
        cast(revenue_amount as {{ dbt.type_numeric() }}) as revenue_amount,
        cast(
            revenue_amount / nullif(sum(revenue_amount) over (partition by as_of_date, segmentation), 0)
            as {{ type_double() }}
        ) as revenue_share,
        cast(avg_recency_days as {{ type_double() }}) as avg_recency_days,
        cast(avg_frequency as {{ type_double() }}) as avg_frequency,
        cast(avg_monetary_amount as {{ type_double() }}) as avg_monetary_amount
    from per_segment
)

select * from final
