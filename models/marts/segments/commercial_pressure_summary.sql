{{ config(enabled=segmentation_enabled('pressure'), **incremental_by_as_of_date()) }}
{#- Commercial pressure per RFM segment and as-of date: how many customers marketing reached, how
    often, against the segment's maximum (seed pressure_limits), and how many were over-solicited.
    Incremental by as-of date, like fct_customer_segments. -#}

with

pressure as (
    select * from {{ ref('int_segmentation__pressure') }}
),

labels as (
    select * from {{ ref('segment_catalog') }}
    where segmentation = 'rfm'
),

per_segment as (
    select
        as_of_date,
        rfm_segment,
        max(max_messages_per_month) as max_messages_per_month,
        count(*) as customer_count,
        sum(case when recent_sent_count > 0 then 1 else 0 end) as contacted_count,
        sum(recent_sent_count) as recent_sent_count,
        -- from integer sums: an average of doubles depends on the order rows are added
        {{ per_month('sum(recent_sent_count)', var('pressure_window_days') | int) }} / count(*)
            as avg_messages_per_month,
        max(messages_per_month) as peak_messages_per_month,
        sum(case when segment_code = 'over_solicited' then 1 else 0 end) as over_solicited_count
    from pressure
    group by as_of_date, rfm_segment
),

final as (
    select
        cast(per_segment.as_of_date as date) as as_of_date,
        cast(per_segment.rfm_segment as {{ dbt.type_string() }}) as rfm_segment,
        cast(labels.segment_label as {{ dbt.type_string() }}) as rfm_label,
        cast(labels.sort_order as {{ dbt.type_int() }}) as sort_order,
        cast(per_segment.max_messages_per_month as {{ dbt.type_int() }}) as max_messages_per_month,
        cast(per_segment.customer_count as {{ dbt.type_bigint() }}) as customer_count,
        cast(per_segment.contacted_count as {{ dbt.type_bigint() }}) as contacted_count,
        cast(per_segment.recent_sent_count as {{ dbt.type_bigint() }}) as recent_sent_count,
        cast(per_segment.avg_messages_per_month as {{ type_double() }}) as avg_messages_per_month,
        cast(per_segment.peak_messages_per_month as {{ type_double() }}) as peak_messages_per_month,
        cast(per_segment.over_solicited_count as {{ dbt.type_bigint() }}) as over_solicited_count,
        cast(per_segment.over_solicited_count as {{ type_double() }})
        / cast(per_segment.customer_count as {{ type_double() }}) as over_solicited_share
    from per_segment
    left join labels
        on per_segment.rfm_segment = labels.segment_code
)

select * from final
