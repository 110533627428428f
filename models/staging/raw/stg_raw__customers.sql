with

validated as (
    select * from {{ ref('base_raw__customers') }}
),

final as (
    select
        customer_id,
        source_system,
        customer_type,
        company_id,
        email,
        phone,
        first_name,
        last_name,
        birth_date,
        gender,
        marital_status,
        children_count,
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
        has_email_opt_in,
        has_sms_opt_in,
        created_at,
        updated_at
    from validated
    where quarantine_reason is null and not is_exact_duplicate
)

select * from final
