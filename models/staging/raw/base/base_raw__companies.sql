{{ config(segmentation.raw_increment_config('companies', 'company_id', cutoff_dates=['created_at'])) }}

{#- Field rules, in order: [contract column, reason, condition]. A rule on a required column
    quarantines the row; one on an optional column nulls that value (macro field_verdicts). -#}
{%- set field_rules = [
    ['company_id', 'missing_company_id', 'company_id is null'],
    ['company_id', 'duplicate_company_id', key_version_count('company_id') ~ ' > 1'],
    ['employee_count', 'invalid_employee_count', 'raw_employee_count is not null and employee_count is null'],
    ['employee_count', 'negative_employee_count', 'employee_count < 0'],
    ['annual_revenue', 'invalid_annual_revenue', 'raw_annual_revenue is not null and annual_revenue_amount is null'],
    ['annual_revenue', 'negative_annual_revenue', 'annual_revenue_amount < 0'],
    ['created_at', 'invalid_created_at', 'raw_created_at is not null and created_at is null'],
    ['created_at', 'future_created_at', 'cast(created_at as date) > ' ~ future_date_cutoff()],
] -%}

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
        {{ field_verdicts('companies', field_rules) }}
    from parsed
)

select * from validated
