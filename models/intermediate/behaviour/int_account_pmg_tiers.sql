{#- PMG at B2B account level: each company's net revenue in the revenue window (all its customers
    together), tiered with the same shares as customers. -#}
with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

accounts as (
    select
        company_id,
        as_of_date,
        count(*) as customer_count,
        sum(window_revenue_amount) as window_revenue_amount
    from metrics
    where company_id is not null
    group by company_id, as_of_date
),

final as (
    select
        company_id,
        as_of_date,
        customer_count,
        window_revenue_amount,
        {{ cumulative_share_before('window_revenue_amount') }} as revenue_share_before,
        {{ pmg_tier('window_revenue_amount') }} as pmg_tier
    from accounts
)

select * from final
