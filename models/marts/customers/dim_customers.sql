with

golden as (
    select * from {{ ref('int_customers_golden') }}
),

companies as (
    select * from {{ ref('stg_raw__companies') }}
),

final as (
    select
        golden.customer_key,
        -- a record naming a company is a B2B account even when its type was left empty
        coalesce(
            golden.customer_type,
            case when golden.company_id is not null then 'B2B' else 'B2C' end
        ) as customer_type,
        golden.company_id,
        companies.company_name,
        companies.industry_sector as company_industry_sector,
        companies.employee_count as company_employee_count,
        companies.annual_revenue_amount as company_annual_revenue_amount,
        -- no email hash: an unsalted hash of an address is reversed with a list of addresses
        golden.email is not null as has_email,
        golden.phone is not null as has_phone,
        cast(extract(year from golden.birth_date) as {{ dbt.type_bigint() }}) as birth_year,
        golden.gender,
        golden.marital_status,
        golden.children_count,
        golden.education_level,
        golden.occupation,
        golden.socio_professional_category,
        golden.income_band,
        golden.housing_type,
        golden.postal_code,
        golden.city,
        golden.department,
        golden.region,
        golden.country,
        coalesce(golden.has_email_opt_in, false) as has_email_opt_in,
        coalesce(golden.has_sms_opt_in, false) as has_sms_opt_in,
        golden.primary_source_system,
        golden.source_record_count,
        golden.source_system_count,
        golden.first_created_at,
        golden.last_updated_at
    from golden
    left join companies
        on golden.company_id = companies.company_id
)

select * from final
