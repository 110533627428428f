{#- PMG (small / medium / major customer) by share of net revenue in the revenue window
    (var('revenue_window_days'), a year by default): Major = the
    customers making the first var('pmg_major_share') of revenue, Medium = the next
    var('pmg_medium_share'), Small = the rest; no positive revenue = no_purchase. -#}
with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

final as (
    select
        customer_key,
        as_of_date,
        window_revenue_amount,
        {{ cumulative_share_before('window_revenue_amount') }} as revenue_share_before,
        {{ pmg_tier('window_revenue_amount') }} as pmg_tier
    from metrics
)

select * from final
