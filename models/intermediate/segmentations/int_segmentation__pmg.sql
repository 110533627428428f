{{ config(enabled=segmentation_enabled('pmg')) }}
{#- PMG (small / medium / major customer) by share of net revenue in the revenue window
    (var('revenue_window_days'), a year by default): Major = the customers making the first
    var('pmg_major_share') of revenue, Medium = the next var('pmg_medium_share'), Small = the
    rest; no positive revenue: no_recent_revenue for a customer who bought before (or returned
    everything in the window), no_purchase for one who never bought. -#}
with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

tiered as (
    select
        customer_key,
        as_of_date,
        window_revenue_amount,
        recency_days,
        {{ cumulative_share_before('window_revenue_amount') }} as revenue_share_before,
        {{ pmg_tier('window_revenue_amount', has_bought='not is_prospect') }} as segment_code
    from metrics
),

final as (
    select
        customer_key,
        as_of_date,
        segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        case
            when segment_code = 'no_purchase' then 'no valid order up to the as-of date'
            when segment_code = 'no_recent_revenue'
                then
                    'no positive net revenue in the last {{ var("revenue_window_days") }} days (net '
                    || {{ explain_value('coalesce(window_revenue_amount, 0)', 2) }} || '); last order '
                    || {{ explain_value('recency_days') }} || ' days ago'
            else
                {{ explain_value('window_revenue_amount', 2) }}
                || ' net revenue in the last {{ var("revenue_window_days") }} days; customers above made '
                || {{ explain_value('100 * revenue_share_before', 1) }} || '% of revenue (major below '
                || '{{ var("pmg_major_share") * 100 }}%, medium below '
                || '{{ ((var("pmg_major_share") + var("pmg_medium_share")) * 100) | round(4) }}%)'
        end as explanation,
        window_revenue_amount,
        revenue_share_before
    from tiered
)

select * from final
