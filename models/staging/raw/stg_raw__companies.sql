with

validated as (
    select * from {{ ref('base_raw__companies') }}
),

final as (
    select
        company_id,
        company_name,
        industry_sector,
        employee_count,
        annual_revenue_amount,
        region,
        country,
        created_at
    from validated
    where quarantine_reason is null and not is_exact_duplicate
)

select * from final
