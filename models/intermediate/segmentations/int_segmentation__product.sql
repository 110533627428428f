{{ config(enabled=segmentation_enabled('product')) }}
{#- Product appetence: the customer's favourite category (most net spend in the appetence period,
    ties broken by name; 'unknown' lines, without catalogue information, never favourite) and
    whether they buy in one category (at least var('product_mono_share') of their spend with a
    known category) or several. no_purchase without a valid order in the period; unknown when no line with positive
    spend has a known category (no order lines or products file, returns only). The detail per category, collection and brand is marts.customer_product_appetence. -#}
{%- set share = share_var('product_mono_share', above=0.5) -%}

with

customers as (
    select * from {{ ref('int_customer_metrics') }}
),

order_mix as (
    select * from {{ ref('int_customer_order_mix') }}
),

product_spend as (
    select * from {{ ref('int_customer_product_spend') }}
    where dimension = 'category'
),

known as (
    -- shares of the spend whose category is known: uncatalogued lines tell nothing of a taste
    select
        customer_key,
        dimension_value as category,
        cast(spend_amount as {{ type_double() }})
        / cast(sum(spend_amount) over (partition by customer_key) as {{ type_double() }}) as spend_share,
        lift,
        row_number() over (partition by customer_key order by spend_amount desc, dimension_value asc) as favourite_rank
    from product_spend
    where dimension_value != 'unknown' and spend_amount > 0
),

per_customer as (
    select
        customer_key,
        count(*) as category_count,
        max(case when favourite_rank = 1 then category end) as favourite_category,
        max(case when favourite_rank = 1 then spend_share end) as favourite_share,
        max(case when favourite_rank = 1 then lift end) as favourite_lift
    from known
    group by customer_key
),

final as (
    select
        customers.customer_key,
        customers.as_of_date,
        case
            when order_mix.customer_key is null then 'no_purchase'
            when per_customer.customer_key is null then 'unknown'
            when per_customer.favourite_share >= {{ share }} then 'mono_category'
            else 'multi_category'
        end as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        case
            when order_mix.customer_key is null then 'no valid order in the appetence period'
            when per_customer.customer_key is null then 'no order line with a known category and positive spend'
            else
                'favourite category ' || per_customer.favourite_category || ': '
                || {{ explain_value('100 * per_customer.favourite_share', 0) }} || '% of spend (lift '
                || {{ explain_value('per_customer.favourite_lift', 2) }} || '); '
                || {{ explain_value('per_customer.category_count') }}
                || ' categories bought (mono-category from {{ (share * 100) | round(1) }}% of spend)'
        end as explanation,
        per_customer.favourite_category,
        per_customer.favourite_share,
        per_customer.favourite_lift,
        coalesce(per_customer.category_count, 0) as category_count
    from customers
    left join per_customer
        on customers.customer_key = per_customer.customer_key
    left join order_mix
        on customers.customer_key = order_mix.customer_key
)

select * from final
