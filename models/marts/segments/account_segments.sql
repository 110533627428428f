{#- Incremental by as-of date, like fct_customer_segments. -#}
{{ config(**incremental_by_as_of_date()) }}

with

accounts as (
    select * from {{ ref('int_account_pmg_tiers') }}
),

account_rfm as (
    select * from {{ ref('int_account_rfm_scores') }}
),

companies as (
    select * from {{ ref('stg_raw__companies') }}
),

labels as (
    select * from {{ ref('segment_catalog') }}
),

final as (
    select
        cast(accounts.as_of_date as date) as as_of_date,
        cast(accounts.company_id as {{ dbt.type_string() }}) as company_id,
        cast(companies.company_name as {{ dbt.type_string() }}) as company_name,
        cast(coalesce(companies.industry_sector, 'unknown') as {{ dbt.type_string() }}) as industry_sector,
        cast(companies.employee_count as {{ dbt.type_bigint() }}) as employee_count,
        cast(
            {{ bounded_band('companies.employee_count', var('account_employee_bands'), 'account_employee_bands') }}
            as {{ dbt.type_string() }}
        ) as employee_band,
        cast(
            {{ bounded_band(
                'companies.annual_revenue_amount', var('account_revenue_bands'), 'account_revenue_bands', whole=false
            ) }}
            as {{ dbt.type_string() }}
        ) as annual_revenue_band,
        cast(coalesce(companies.region, 'unknown') as {{ dbt.type_string() }}) as region,
        cast(accounts.customer_count as {{ dbt.type_bigint() }}) as customer_count,
        cast(account_rfm.recency_days as {{ dbt.type_int() }}) as recency_days,
        cast(account_rfm.frequency as {{ dbt.type_bigint() }}) as frequency,
        cast(account_rfm.monetary_amount as {{ dbt.type_numeric() }}) as monetary_amount,
        cast(account_rfm.r_score as {{ dbt.type_int() }}) as r_score,
        cast(account_rfm.f_score as {{ dbt.type_int() }}) as f_score,
        cast(account_rfm.m_score as {{ dbt.type_int() }}) as m_score,
        cast(account_rfm.rfm_segment as {{ dbt.type_string() }}) as rfm_segment,
        cast(rfm_labels.segment_label as {{ dbt.type_string() }}) as rfm_label,
        cast(accounts.window_revenue_amount as {{ dbt.type_numeric() }}) as window_revenue_amount,
        cast(accounts.revenue_share_before as {{ type_double() }}) as revenue_share_before,
        cast(accounts.pmg_tier as {{ dbt.type_string() }}) as pmg_tier,
        cast(pmg_labels.segment_label as {{ dbt.type_string() }}) as pmg_label
    from accounts
    inner join account_rfm
        on accounts.company_id = account_rfm.company_id
    left join companies
        on accounts.company_id = companies.company_id
    left join labels as pmg_labels
        on pmg_labels.segmentation = 'pmg' and accounts.pmg_tier = pmg_labels.segment_code
    left join labels as rfm_labels
        on rfm_labels.segmentation = 'rfm' and account_rfm.rfm_segment = rfm_labels.segment_code
)

select * from final
