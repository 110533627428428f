{#- PMG at B2B account level: each company's net revenue in the revenue window (all its customers
    together), tiered with the same shares as customers; no_recent_revenue for an account that
    bought before, no_purchase for one that never did. -#}
with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

accounts as (
    select
        company_id,
        as_of_date,
        count(*) as customer_count,
        sum(window_revenue_amount) as window_revenue_amount,
        -- a contact of the account has a valid order up to the as-of date
        max(case when is_prospect then 0 else 1 end) = 1 as has_bought
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
        {{ pmg_tier('window_revenue_amount', has_bought='has_bought') }} as pmg_tier
    from accounts
)

select * from final
