{{ config(enabled=segmentation_enabled('profile')) }}
{#- Socio-demographic profile at the as-of date: age and age band (var age_bands), sex, family
    (in a couple: couple or married; children), education, socio-professional category, income,
    housing; the combined profile is the first rule of the seed profile_rules (by priority) that
    the customer meets, where an empty rule field matches anything and a known field must match;
    unknown when no rule matches (missing data). A contact of a B2B account (customer_type B2B,
    or a company named, as in int_segmentation__customer_type) is business_contact: a company is
    not marketed to by a consumer profile (its firmographics are in account_segments). -#}
with

customers as (
    select * from {{ ref('int_customer_metrics') }}
),

golden as (
    select * from {{ ref('int_customers_golden') }}
),

profile_rules as (
    select * from {{ ref('profile_rules') }}
),

attributes as (
    select
        customers.customer_key,
        customers.as_of_date,
        {{ age_in_years('golden.birth_date') }} as age_years,
        golden.gender,
        golden.marital_status,
        case
            when golden.marital_status in ('couple', 'married') then true
            when golden.marital_status in ('single', 'divorced', 'widowed') then false
        end as is_in_couple,
        case when golden.children_count is not null then golden.children_count > 0 end as has_children,
        golden.children_count,
        golden.education_level,
        golden.socio_professional_category,
        golden.income_band,
        golden.housing_type,
        coalesce(golden.customer_type, case when golden.company_id is not null then 'B2B' else 'B2C' end) = 'B2B'
            as is_business_contact
    from customers
    inner join golden
        on customers.customer_key = golden.customer_key
),

matched as (
    select
        attributes.customer_key,
        profile_rules.segment_code,
        row_number() over (partition by attributes.customer_key order by profile_rules.priority) as match_rank
    from attributes
    inner join profile_rules
        on
            (profile_rules.min_age is null or attributes.age_years >= profile_rules.min_age)
            and (profile_rules.max_age is null or attributes.age_years < profile_rules.max_age)
            and (profile_rules.in_couple is null or attributes.is_in_couple = profile_rules.in_couple)
            and (profile_rules.has_children is null or attributes.has_children = profile_rules.has_children)
),

final as (
    select
        attributes.customer_key,
        attributes.as_of_date,
        case
            when attributes.is_business_contact then 'business_contact'
            else coalesce(matched.segment_code, 'unknown')
        end as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        case
            when attributes.is_business_contact
                then 'a contact of a B2B account (customer type B2B or a company named): no consumer profile; '
            else ''
        end
        || 'age ' || {{ explain_value('attributes.age_years') }} || ' (' || {{ age_band('attributes.age_years') }}
        || '), sex ' || coalesce(attributes.gender, 'n/a') || ', ' || coalesce(attributes.marital_status, 'n/a')
        || ', children ' || {{ explain_value('attributes.children_count') }}
        || '; the first rule of seed profile_rules met gives the profile' as explanation,
        attributes.age_years,
        {{ age_band('attributes.age_years') }} as age_band,
        attributes.gender,
        attributes.marital_status,
        attributes.is_in_couple,
        attributes.children_count,
        attributes.education_level,
        attributes.socio_professional_category,
        attributes.income_band,
        attributes.housing_type
    from attributes
    left join matched
        on attributes.customer_key = matched.customer_key and matched.match_rank = 1
)

select * from final
