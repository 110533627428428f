{{ config(enabled=segmentation_enabled('pmg')) }}
{#- PMG (small / medium / major customer) by share of net revenue in the revenue window
    (var('revenue_window_days'), a year by default): Major = the customers making the first
    var('pmg_major_share') of revenue, Medium = the next var('pmg_medium_share'), Small = the
    rest; no positive revenue = no_purchase. -#}
with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

tiered as (
    select
        customer_key,
        as_of_date,
        window_revenue_amount,
        {{ cumulative_share_before('window_revenue_amount') }} as revenue_share_before,
        {{ pmg_tier('window_revenue_amount') }} as segment_code
    from metrics
),

final as (
    select
        customer_key,
        as_of_date,
        segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        {{ explain_value('window_revenue_amount', 2) }}
        || ' net revenue in the last {{ var("revenue_window_days") }} days; customers above made '
        || {{ explain_value('100 * revenue_share_before', 1) }} || '% of revenue (major below '
        || '{{ var("pmg_major_share") * 100 }}%, medium below '
        || '{{ ((var("pmg_major_share") + var("pmg_medium_share")) * 100) | round(4) }}%)' as explanation,
        window_revenue_amount,
        revenue_share_before
    from tiered
)

select * from final
