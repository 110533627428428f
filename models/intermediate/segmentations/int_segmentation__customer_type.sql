{{ config(enabled=segmentation_enabled('customer_type')) }}
{#- Customer type: B2B (an account of a company: customer_type B2B, or a company named) or B2C,
    crossed with customer (a valid order up to the as-of date) or prospect. -#}
with

customers as (
    select * from {{ ref('int_customer_metrics') }}
),

golden as (
    select * from {{ ref('int_customers_golden') }}
),

typed as (
    select
        customers.customer_key,
        customers.as_of_date,
        customers.is_prospect,
        coalesce(golden.customer_type, case when golden.company_id is not null then 'B2B' else 'B2C' end)
            as customer_type
    from customers
    inner join golden
        on customers.customer_key = golden.customer_key
),

final as (
    select
        customer_key,
        as_of_date,
        lower(customer_type) || case when is_prospect then '_prospect' else '_customer' end as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        customer_type || ', ' || case when is_prospect then 'no valid order yet' else 'has bought' end
            as explanation,
        customer_type
    from typed
)

select * from final
