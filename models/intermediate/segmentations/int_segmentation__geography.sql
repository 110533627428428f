{{ config(enabled=segmentation_enabled('geography')) }}
{#- Geography: the customer's region, department and commune, each area with fewer than
    var('geo_min_customers') customers known at the as-of date merged into 'other' so that every
    segment stays large enough to act on; unknown without a value. The segment is the region
    (labels: the region's own name, seed row '*'). -#}
{%- set levels = [('region', 'region'), ('department', 'department'), ('commune', 'city')] -%}
{%- set minimum = var('geo_min_customers') | int -%}

with

customers as (
    select * from {{ ref('int_customer_metrics') }}
),

golden as (
    select * from {{ ref('int_customers_golden') }}
),

located as (
    select
        {%- for level, column in levels %}
        golden.{{ column }} as {{ level }}_name,
        count(*) over (partition by golden.{{ column }}) as {{ level }}_customer_count,
        {%- endfor %}
        customers.customer_key,
        customers.as_of_date
    from customers
    inner join golden
        on customers.customer_key = golden.customer_key
),

merged as (
    select
        {%- for level, _ in levels %}
        {{ level }}_name as {{ level }},
        case
            when {{ level }}_name is null then 'unknown'
            when {{ level }}_customer_count < {{ minimum }} then 'other'
            else {{ level }}_name
        end as {{ level }}_area,
        {%- endfor %}
        customer_key,
        as_of_date
    from located
),

final as (
    select
        customer_key,
        as_of_date,
        region_area as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        'region ' || coalesce(region, 'n/a') || ', department ' || coalesce(department, 'n/a')
        || ', commune ' || coalesce(commune, 'n/a')
        || ' (an area with fewer than {{ minimum }} customers is merged into other)' as explanation,
        region_area,
        department_area,
        commune_area
    from merged
)

select * from final
