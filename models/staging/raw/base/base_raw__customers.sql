{{ config(segmentation.raw_increment_config(
    'customers',
    'customer_id',
    cutoff_dates=['created_at', 'updated_at', 'birth_date'],
    uses_codes=true,
    rule_vars=['earliest_birth_date', 'phone_country_code'],
)) }}

{#- Field rules, in order: [contract column, reason, condition]. A rule on a required column
    quarantines the row; one on an optional column nulls that value (macro field_verdicts). -#}
{%- set field_rules = [
    ['customer_id', 'missing_customer_id', 'customer_id is null'],
    ['customer_id', 'duplicate_customer_id', key_version_count('customer_id') ~ ' > 1'],
    ['created_at', 'missing_created_at', 'raw_created_at is null'],
    ['created_at', 'invalid_created_at', 'created_at is null'],
    ['created_at', 'future_created_at', 'cast(created_at as date) > ' ~ future_date_cutoff()],
    ['updated_at', 'invalid_updated_at', 'raw_updated_at is not null and updated_at is null'],
    ['updated_at', 'future_updated_at', 'cast(updated_at as date) > ' ~ future_date_cutoff()],
    ['birth_date', 'invalid_birth_date', 'raw_birth_date is not null and birth_date is null'],
    ['birth_date', 'future_birth_date', 'birth_date > ' ~ future_date_cutoff()],
    ['birth_date', 'implausible_birth_date', 'birth_date < cast(\'' ~ date_var('earliest_birth_date') ~ '\' as date)'],
    ['customer_type', 'unknown_customer_type', 'raw_customer_type is not null and customer_type is null'],
    ['gender', 'unknown_gender', 'raw_gender is not null and gender is null'],
    ['marital_status', 'unknown_marital_status', 'raw_marital_status is not null and marital_status is null'],
    ['children_count', 'invalid_children_count', 'raw_children_count is not null and children_count is null'],
    ['children_count', 'negative_children_count', 'children_count < 0'],
    ['email_opt_in', 'invalid_email_opt_in', 'raw_email_opt_in is not null and has_email_opt_in is null'],
    ['sms_opt_in', 'invalid_sms_opt_in', 'raw_sms_opt_in is not null and has_sms_opt_in is null'],
    ['email', 'invalid_email', 'raw_email is not null and email is null'],
    ['phone', 'invalid_phone', 'raw_phone is not null and phone is null'],
] -%}

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
        {{ field_verdicts('customers', field_rules) }}
    from parsed
)

select * from validated
