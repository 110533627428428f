with

validated as (
    select * from {{ ref('base_raw__companies') }}
),

final as (
    select
        company_id,
        company_name,
        industry_sector,
        {{ staged_value('companies', 'employee_count') }} as employee_count,
        {{ staged_value('companies', 'annual_revenue') }} as annual_revenue_amount,
        region,
        country,
        {{ staged_value('companies', 'created_at') }} as created_at
    from validated
    where quarantine_reason is null and not is_exact_duplicate
)

select * from final
