{{ config(segmentation.raw_increment_config(
    'customers',
    'customer_id',
    cutoff_dates=['created_at', 'updated_at', 'birth_date'],
    uses_codes=true,
    rule_vars=['earliest_birth_date', 'phone_country_code'],
)) }}

with

source as (
    select * from {{ source('raw', 'customers') }}
),

canonical_codes as (
    select * from {{ ref('canonical_codes') }}
),

raw_text as (
    select
        {{ raw_text_columns('customers', 'source') }}
        {{ segmentation.raw_increment_columns('source') }}
    from source
    {{ segmentation.raw_increment_filter('source') }}
),

parsed as (
    select
        raw_text.*,
        raw_text.raw_customer_id as customer_id,
        lower(raw_text.raw_source_system) as source_system,
        customer_type_code.canonical_code as customer_type,
        raw_text.raw_company_id as company_id,
        {{ normalize_email('raw_text.raw_email') }} as email,
        {{ normalize_phone('raw_text.raw_phone') }} as phone,
        raw_text.raw_first_name as first_name,
        raw_text.raw_last_name as last_name,
        {{ parse_date('raw_text.raw_birth_date') }} as birth_date,
        gender_code.canonical_code as gender,
        marital_status_code.canonical_code as marital_status,
        {{ parse_integer('raw_text.raw_children_count') }} as children_count,
        lower(raw_text.raw_education_level) as education_level,
        lower(raw_text.raw_occupation) as occupation,
        lower(raw_text.raw_socio_professional_category) as socio_professional_category,
        lower(raw_text.raw_income_band) as income_band,
        lower(raw_text.raw_housing_type) as housing_type,
        upper(raw_text.raw_postal_code) as postal_code,
        raw_text.raw_city as city,
        raw_text.raw_department as department,
        raw_text.raw_region as region,
        upper(raw_text.raw_country) as country,
        cast(email_opt_in_code.canonical_code as {{ dbt.type_boolean() }}) as has_email_opt_in,
        cast(sms_opt_in_code.canonical_code as {{ dbt.type_boolean() }}) as has_sms_opt_in,
        {{ parse_timestamp('raw_text.raw_created_at') }} as created_at,
        {{ parse_timestamp('raw_text.raw_updated_at') }} as updated_at,
        {{ copy_number('customers') }} as copy_number
    from raw_text
    {{ join_canonical_code('customer_type_code', 'customer_type', 'raw_text.raw_customer_type') }}
    {{ join_canonical_code('gender_code', 'gender', 'raw_text.raw_gender') }}
    {{ join_canonical_code('marital_status_code', 'marital_status', 'raw_text.raw_marital_status') }}
    {{ join_canonical_code('email_opt_in_code', 'boolean', 'raw_text.raw_email_opt_in') }}
    {{ join_canonical_code('sms_opt_in_code', 'boolean', 'raw_text.raw_sms_opt_in') }}
),

validated as (
    select
        *,
        copy_number > 1 as is_exact_duplicate,
        case
            when copy_number > 1 then null
            when customer_id is null then 'missing_customer_id'
            when {{ key_version_count('customer_id') }} > 1 then 'duplicate_customer_id'
            when raw_created_at is null then 'missing_created_at'
            when created_at is null then 'invalid_created_at'
            when cast(created_at as date) > {{ future_date_cutoff() }} then 'future_created_at'
            when raw_updated_at is not null and updated_at is null then 'invalid_updated_at'
            when cast(updated_at as date) > {{ future_date_cutoff() }} then 'future_updated_at'
            when raw_birth_date is not null and birth_date is null then 'invalid_birth_date'
            when birth_date > {{ future_date_cutoff() }} then 'future_birth_date'
            when birth_date < cast('{{ date_var("earliest_birth_date") }}' as date) then 'implausible_birth_date'
            when raw_customer_type is not null and customer_type is null then 'unknown_customer_type'
            when raw_gender is not null and gender is null then 'unknown_gender'
            when raw_marital_status is not null and marital_status is null then 'unknown_marital_status'
            when raw_children_count is not null and children_count is null then 'invalid_children_count'
            when children_count < 0 then 'negative_children_count'
            when raw_email_opt_in is not null and has_email_opt_in is null then 'invalid_email_opt_in'
            when raw_sms_opt_in is not null and has_sms_opt_in is null then 'invalid_sms_opt_in'
        end as quarantine_reason
    from parsed
)

select * from validated
