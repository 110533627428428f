{{ config(enabled=segmentation_enabled('loyalty')) }}
{#- Loyalty at the as-of date from tenure, repeat purchases and regularity (docs/decisions/0006):
    loyal = enough tenure and orders, a steady rhythm (coefficient of variation of the days
    between orders at most var('loyalty_max_interval_cv')) and not lapsed; regular = enough
    orders and not lapsed; occasional = other repeat buyers; one_time; prospect. -#}
with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

with_regularity as (
    select
        *,
        case
            when avg_days_between_orders > 0 then coalesce(stddev_days_between_orders, 0) / avg_days_between_orders
        end as interval_variation
    from metrics
),

classified as (
    select
        customer_key,
        as_of_date,
        tenure_days,
        lifetime_order_count,
        recency_days,
        interval_variation,
        case
            when is_prospect then 'prospect'
            when lifetime_order_count = 1 then 'one_time'
            when
                lifetime_order_count >= {{ var('loyalty_loyal_min_orders') }}
                and tenure_days >= {{ var('loyalty_min_tenure_days') }}
                and interval_variation <= {{ number_var('loyalty_max_interval_cv') }}
                and recency_days <= {{ var('lifecycle_lapsing_days') }}
                then 'loyal'
            when
                lifetime_order_count >= {{ var('loyalty_regular_min_orders') }}
                and recency_days <= {{ var('lifecycle_lapsing_days') }}
                then 'regular'
            else 'occasional'
        end as segment_code
    from with_regularity
),

final as (
    select
        customer_key,
        as_of_date,
        segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        case
            when segment_code = 'prospect' then 'no valid order up to the as-of date'
            else
                {{ explain_value('lifetime_order_count') }} || ' order'
                || case when lifetime_order_count = 1 then '' else 's' end || ' over '
                || {{ explain_value('tenure_days') }}
                || ' days, last ' || {{ explain_value('recency_days') }} || ' days ago, interval variation '
                || {{ explain_value('interval_variation', 2) }}
                -- every rule the segment applies, the recency one included
                || ' (loyal: >= {{ var("loyalty_loyal_min_orders") }} orders, '
                || '>= {{ var("loyalty_min_tenure_days") }} days, '
                || 'variation <= {{ number_var("loyalty_max_interval_cv") }}, '
                || 'last order <= {{ var("lifecycle_lapsing_days") }} days ago; '
                || 'regular: >= {{ var("loyalty_regular_min_orders") }} orders, '
                || 'last order <= {{ var("lifecycle_lapsing_days") }} days ago; '
                || 'occasional: other repeat buyers)'
        end as explanation,
        tenure_days,
        lifetime_order_count,
        recency_days,
        interval_variation
    from classified
)

select * from final
