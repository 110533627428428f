{#- The detail behind the product appetence segmentation, for targeting and cross-sell: what each
    customer buys by category, collection and brand at the latest as-of date. -#}
with

product_spend as (
    select * from {{ ref('int_customer_product_spend') }}
),

final as (
    select
        cast(as_of_date as date) as as_of_date,
        cast(customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(dimension as {{ dbt.type_string() }}) as dimension,
        cast(dimension_value as {{ dbt.type_string() }}) as dimension_value,
        cast(spend_amount as {{ dbt.type_numeric() }}) as spend_amount,
        cast(spend_share as {{ type_double() }}) as spend_share,
        cast(lift as {{ type_double() }}) as lift,
        cast(spend_rank as {{ dbt.type_int() }}) as spend_rank
    from product_spend
)

select * from final
