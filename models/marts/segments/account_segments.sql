{#- Incremental by as-of date, like fct_customer_segments. -#}
{{ config(**incremental_by_as_of_date()) }}

with

accounts as (
    select * from {{ ref('int_account_pmg_tiers') }}
),

companies as (
    select * from {{ ref('stg_raw__companies') }}
),

labels as (
    select * from {{ ref('segment_labels') }}
    where segmentation = 'pmg'
),

final as (
    select
        cast(accounts.as_of_date as date) as as_of_date,
        cast(accounts.company_id as {{ dbt.type_string() }}) as company_id,
        cast(companies.company_name as {{ dbt.type_string() }}) as company_name,
        cast(companies.industry_sector as {{ dbt.type_string() }}) as industry_sector,
        cast(accounts.customer_count as {{ dbt.type_bigint() }}) as customer_count,
        cast(accounts.window_revenue_amount as {{ dbt.type_numeric() }}) as window_revenue_amount,
        cast(accounts.revenue_share_before as {{ type_double() }}) as revenue_share_before,
        cast(accounts.pmg_tier as {{ dbt.type_string() }}) as pmg_tier,
        cast(labels.segment_label as {{ dbt.type_string() }}) as pmg_label
    from accounts
    left join companies
        on accounts.company_id = companies.company_id
    left join labels
        on accounts.pmg_tier = labels.segment_code
)

select * from final
