{{ config(segmentation.raw_increment_config('companies', 'company_id', cutoff_dates=['created_at'])) }}

with

source as (
    select * from {{ source('raw', 'companies') }}
),

raw_text as (
    select
        {{ raw_text_columns('companies', 'source') }}
        {{ segmentation.raw_increment_columns('source') }}
    from source
    {{ segmentation.raw_increment_filter('source') }}
),

parsed as (
    select
        raw_text.*,
        raw_text.raw_company_id as company_id,
        raw_text.raw_company_name as company_name,
        lower(raw_text.raw_industry_sector) as industry_sector,
        {{ parse_integer('raw_text.raw_employee_count') }} as employee_count,
        {{ parse_decimal('raw_text.raw_annual_revenue') }} as annual_revenue_amount,
        raw_text.raw_region as region,
        upper(raw_text.raw_country) as country,
        {{ parse_timestamp('raw_text.raw_created_at') }} as created_at,
        {{ copy_number('companies') }} as copy_number
    from raw_text
),

validated as (
    select
        *,
        copy_number > 1 as is_exact_duplicate,
        case
            when copy_number > 1 then null
            when company_id is null then 'missing_company_id'
            when {{ key_version_count('company_id') }} > 1 then 'duplicate_company_id'
            when raw_employee_count is not null and employee_count is null then 'invalid_employee_count'
            when employee_count < 0 then 'negative_employee_count'
            when raw_annual_revenue is not null and annual_revenue_amount is null then 'invalid_annual_revenue'
            when annual_revenue_amount < 0 then 'negative_annual_revenue'
            when raw_created_at is not null and created_at is null then 'invalid_created_at'
            when cast(created_at as date) > {{ future_date_cutoff() }} then 'future_created_at'
        end as quarantine_reason
    from parsed
)

select * from validated
