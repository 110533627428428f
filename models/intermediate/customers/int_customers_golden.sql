{#- Survivorship: each attribute of a golden customer comes from its most recently updated source
    record that has a value for it (ties broken by creation time, then record id). Holds direct
    identifiers (email, phone, names): restricted, not for BI tools. -#}
{%- set survivor_columns = [
    'customer_type', 'company_id', 'email', 'phone', 'first_name', 'last_name', 'birth_date',
    'gender', 'marital_status', 'children_count', 'education_level', 'occupation',
    'socio_professional_category', 'income_band', 'housing_type', 'postal_code', 'city',
    'department', 'region', 'country', 'has_email_opt_in', 'has_sms_opt_in', 'source_system',
] -%}
{%- set survivor_names = {'source_system': 'primary_source_system'} -%}

with

customers as (
    select * from {{ ref('stg_raw__customers') }}
),

resolved as (
    select * from {{ ref('int_customers_resolved') }}
),

ranked as (
    select
        resolved.customer_key,
        resolved.anchor_customer_id,
        customers.*,
        row_number() over (
            partition by resolved.customer_key
            order by
                customers.updated_at desc nulls last,
                customers.created_at desc,
                customers.customer_id desc
        ) as survivorship_rank
    from customers
    inner join resolved
        on customers.customer_id = resolved.customer_id
),

final as (
    select
        customer_key,
        {%- for column in survivor_columns %}
        {{ survivor_value(column, 'survivorship_rank') }} as {{ survivor_names.get(column, column) }},
        {%- endfor %}
        count(*) as source_record_count,
        count(distinct source_system) as source_system_count,
        min(anchor_customer_id) as anchor_customer_id,
        min(created_at) as first_created_at,
        max(coalesce(updated_at, created_at)) as last_updated_at
    from ranked
    group by customer_key
)

select * from final
