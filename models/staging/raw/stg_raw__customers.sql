with

validated as (
    select * from {{ ref('base_raw__customers') }}
),

final as (
    select
        customer_id,
        source_system,
        {{ staged_value('customers', 'customer_type') }} as customer_type,
        company_id,
        {{ staged_value('customers', 'email') }} as email,
        {{ staged_value('customers', 'phone') }} as phone,
        first_name,
        last_name,
        {{ staged_value('customers', 'birth_date') }} as birth_date,
        {{ staged_value('customers', 'gender') }} as gender,
        {{ staged_value('customers', 'marital_status') }} as marital_status,
        {{ staged_value('customers', 'children_count') }} as children_count,
        education_level,
        occupation,
        socio_professional_category,
        income_band,
        housing_type,
        postal_code,
        city,
        department,
        region,
        country,
        {{ staged_value('customers', 'email_opt_in') }} as has_email_opt_in,
        {{ staged_value('customers', 'sms_opt_in') }} as has_sms_opt_in,
        created_at,
        {{ staged_value('customers', 'updated_at') }} as updated_at
    from validated
    where quarantine_reason is null and not is_exact_duplicate
)

select * from final
