{{ config(enabled=segmentation_enabled('life_moment')) }}
{#- Life moments the data can date, first that applies (N = var('life_moment_days')):
    newly_acquired        first valid order in the last N days;
    first_repeat_purchase second valid order (and no more) in the last N days;
    birthday_month        born in the month of the as-of date;
    tenure_anniversary    a year (or more) since the first order falls in the next N days;
                          both as winback_birthday_month / winback_anniversary for a customer
                          churned at the as-of date (no order for more than
                          var('lifecycle_lapsing_days') days): the moment is a win-back occasion;
    moved                 a source record changed in the last 3N days gives a postal code no
                          earlier record of the customer had (the data hold no move date);
    no_moment             none of these, birth date known;
    unknown               none of these and no birth date: a birthday month cannot be told.
    Life stage (senior from 65, family with children, young adult under 30, adult) beside it. -#}
{%- set days = var('life_moment_days') | int -%}

with

customers as (
    select * from {{ ref('int_customer_metrics') }}
),

golden as (
    select * from {{ ref('int_customers_golden') }}
),

records as (
    select * from {{ ref('stg_raw__customers') }}
),

resolved as (
    select * from {{ ref('int_customers_resolved') }}
),

located_records as (
    select
        resolved.customer_key,
        records.postal_code,
        coalesce(records.updated_at, records.created_at) as changed_at,
        row_number() over (
            partition by resolved.customer_key
            order by coalesce(records.updated_at, records.created_at) desc, records.customer_id desc
        ) as recency_rank
    from records
    inner join resolved
        on records.customer_id = resolved.customer_id
    where
        records.postal_code is not null
        and cast(coalesce(records.updated_at, records.created_at) as date) <= {{ as_of_date() }}
),

moves as (
    select latest.customer_key
    from located_records as latest
    where
        latest.recency_rank = 1
        and cast(latest.changed_at as date) > {{ dbt.dateadd('day', -3 * days, as_of_date()) }}
        and exists (
            select 1 from located_records as earlier
            where earlier.customer_key = latest.customer_key and earlier.recency_rank > 1
        )
        and not exists (
            select 1 from located_records as earlier
            where
                earlier.customer_key = latest.customer_key
                and earlier.recency_rank > 1
                and earlier.postal_code = latest.postal_code
        )
),

dated as (
    select
        customers.customer_key,
        customers.as_of_date,
        customers.first_order_date,
        customers.last_order_date,
        customers.lifetime_order_count,
        customers.tenure_days,
        -- churned as the lifecycle says: no order for more than lifecycle_lapsing_days days
        coalesce(customers.recency_days > {{ var('lifecycle_lapsing_days') | int }}, false) as is_churned,
        golden.birth_date,
        golden.children_count,
        {{ age_in_years('golden.birth_date') }} as age_years,
        -- the next anniversary of the first order, on or after the as-of date
        {{ dbt.dateadd(
            'year',
            'cast(extract(year from ' ~ as_of_date() ~ ') - extract(year from customers.first_order_date) as '
                ~ dbt.type_int() ~ ')',
            'customers.first_order_date'
        ) }} as anniversary_this_year,
        moves.customer_key is not null as has_moved
    from customers
    inner join golden
        on customers.customer_key = golden.customer_key
    left join moves
        on customers.customer_key = moves.customer_key
),

timed as (
    select
        *,
        cast(
            case
                when anniversary_this_year >= as_of_date then anniversary_this_year
                else {{ dbt.dateadd('year', 1, 'anniversary_this_year') }}
            end as date
        ) as next_anniversary
    from dated
),

measured as (
    select
        *,
        {{ dbt.datediff('last_order_date', 'as_of_date', 'day') }} as days_since_last_order,  -- noqa: LT05
        {{ dbt.datediff('as_of_date', 'next_anniversary', 'day') }} as days_to_anniversary  -- noqa: LT05
    from timed
),

final as (
    select
        customer_key,
        as_of_date,
        case
            when tenure_days < {{ days }} then 'newly_acquired'
            when lifetime_order_count = 2 and days_since_last_order < {{ days }} then 'first_repeat_purchase'
            when extract(month from birth_date) = extract(month from as_of_date)
                then case when is_churned then 'winback_birthday_month' else 'birthday_month' end
            -- a real anniversary (a year or more after the first order), the first one included
            when next_anniversary > first_order_date and days_to_anniversary < {{ days }}
                then case when is_churned then 'winback_anniversary' else 'tenure_anniversary' end
            when has_moved then 'moved'
            when birth_date is null then 'unknown'
            else 'no_moment'
        end as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        'first order ' || {{ explain_value('tenure_days') }} || ' days ago, '
        || {{ explain_value('lifetime_order_count') }} || ' order'
        || case when lifetime_order_count = 1 then '' else 's' end || ', '
        || case
            when birth_date is null then 'birth date unknown'
            else 'born in month ' || {{ explain_value('extract(month from birth_date)', 0) }}
        end
        || ', next order anniversary '
        || coalesce(cast(next_anniversary as {{ dbt.type_string() }}), 'n/a')
        || ', moved: ' || case when has_moved then 'yes' else 'no' end
        || case
            when is_churned
                then
                    ', churned (no order for over {{ var("lifecycle_lapsing_days") | int }} days): '
                    || 'a win-back moment'
            else ''
        end
        || ' (moments of the last or next {{ days }} days)' as explanation,
        case
            when age_years >= 65 then 'senior'
            when children_count > 0 then 'family'
            when age_years < 30 then 'young_adult'
            when age_years is not null then 'adult'
            else 'unknown'
        end as life_stage,
        next_anniversary,
        has_moved
    from measured
)

select * from final
