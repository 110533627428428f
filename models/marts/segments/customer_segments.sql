with

segments as (
    select * from {{ ref('fct_customer_segments') }}
),

latest_date as (
    select max(as_of_date) as as_of_date from segments
),

latest as (
    select segments.*
    from segments
    inner join latest_date
        on segments.as_of_date = latest_date.as_of_date
),

pivoted as (
    select
        customer_key,
        as_of_date,
        max(recency_days) as recency_days,
        max(frequency) as frequency,
        max(monetary_amount) as monetary_amount,
        max(window_revenue_amount) as window_revenue_amount,
        max(lifetime_revenue_amount) as lifetime_revenue_amount,
        max(case when segmentation = 'rfm' then r_score end) as r_score,
        max(case when segmentation = 'rfm' then f_score end) as f_score,
        max(case when segmentation = 'rfm' then m_score end) as m_score,
        max(case when segmentation = 'rfm' then segment_code end) as rfm_segment,
        max(case when segmentation = 'pmg' then segment_code end) as pmg_tier,
        max(case when segmentation = 'lifecycle' then segment_code end) as lifecycle_stage,
        max(case when segmentation = 'loyalty' then segment_code end) as loyalty_segment
    from latest
    group by customer_key, as_of_date
),

final as (
    select
        cast(customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(as_of_date as date) as as_of_date,
        cast(recency_days as {{ dbt.type_bigint() }}) as recency_days,
        cast(frequency as {{ dbt.type_bigint() }}) as frequency,
        cast(monetary_amount as {{ dbt.type_numeric() }}) as monetary_amount,
        cast(window_revenue_amount as {{ dbt.type_numeric() }}) as window_revenue_amount,
        cast(lifetime_revenue_amount as {{ dbt.type_numeric() }}) as lifetime_revenue_amount,
        cast(r_score as {{ dbt.type_int() }}) as r_score,
        cast(f_score as {{ dbt.type_int() }}) as f_score,
        cast(m_score as {{ dbt.type_int() }}) as m_score,
        cast(rfm_segment as {{ dbt.type_string() }}) as rfm_segment,
        cast(pmg_tier as {{ dbt.type_string() }}) as pmg_tier,
        cast(lifecycle_stage as {{ dbt.type_string() }}) as lifecycle_stage,
        cast(loyalty_segment as {{ dbt.type_string() }}) as loyalty_segment
    from pivoted
)

select * from final
