{{ config(enabled=segmentation_enabled('promo')) }}
{#- Promotion sensitivity from the valid orders of the appetence period: promophile when at least
    var('promo_phile_share') of them are promotional (a promo code, or a discount of at least
    var('promo_min_discount_share') of the gross amount), promophobe when at most
    var('promo_phobe_share') are, with at least var('promo_min_orders') orders to judge, neutral
    otherwise (a single full-price order proves nothing); shares over the orders whose promotion
    is known (a promo code or order lines), unknown when none is or when the data record no
    promotion at all: no promotional order anywhere in the period (no promo code, and no discount
    reaching var('promo_min_discount_share'): optional columns not supplied, or discounts that are
    only rounding residues, as in CDNOW); no_purchase without an order.
    The response to promotional campaigns is shown beside it. -#}
with

customers as (
    select * from {{ ref('int_customer_metrics') }}
),

order_mix as (
    select * from {{ ref('int_customer_order_mix') }}
),

contacts as (
    select * from {{ ref('int_customer_marketing_contacts') }}
),

campaigns as (
    select
        customer_key,
        sum(promotional_sent_count) as promotional_sent_count,
        sum(promotional_converted_count) as promotional_converted_count
    from contacts
    group by customer_key
),

measured as (
    select
        customers.customer_key,
        customers.as_of_date,
        coalesce(order_mix.order_count, 0) as order_count,
        coalesce(order_mix.promotion_known_order_count, 0) as promotion_known_order_count,
        coalesce(order_mix.promotional_order_count, 0) as promotional_order_count,
        cast(order_mix.promotional_order_count as {{ type_double() }})
        / nullif(order_mix.promotion_known_order_count, 0) as promotional_order_share,
        cast(order_mix.discount_amount as {{ type_double() }})
        / nullif(cast(order_mix.gross_amount as {{ type_double() }}), 0)
            as discount_depth,
        cast(campaigns.promotional_converted_count as {{ type_double() }})
        / nullif(campaigns.promotional_sent_count, 0) as promotional_response_rate,
        -- without one promotional order anywhere (no promo code, no discount that counts as one),
        -- the data cannot tell promotions from full price: nobody can be judged
        max(case when order_mix.promotional_order_count > 0 then 1 else 0 end) over () = 1 as is_promotion_recorded
    from customers
    left join order_mix
        on customers.customer_key = order_mix.customer_key
    left join campaigns
        on customers.customer_key = campaigns.customer_key
),

final as (
    select
        customer_key,
        as_of_date,
        case
            when order_count = 0 then 'no_purchase'
            when promotion_known_order_count = 0 or not is_promotion_recorded then 'unknown'
            when promotional_order_share >= {{ share_var('promo_phile_share', above=0) }} then 'promophile'
            when
                promotional_order_share <= {{ share_var('promo_phobe_share') }}
                and promotion_known_order_count >= {{ var('promo_min_orders') | int }}
                then 'promophobe'
            else 'neutral'
        end as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        case
            when order_count = 0 then 'no valid order in the appetence period'
            when not is_promotion_recorded
                then
                    'the data record no promotional order (no promo code, no discount of at least '
                    || '{{ (var("promo_min_discount_share") * 100) | round(1) }}%)'
            when promotion_known_order_count = 0 then 'no order with a promo code or order lines to tell'
            else
                {{ explain_value('promotional_order_count') }} || ' of '
                || {{ explain_value('promotion_known_order_count') }}
                || ' orders promotional (' || {{ explain_value('100 * promotional_order_share', 0) }}
                || '%), average discount ' || {{ explain_value('100 * discount_depth', 1) }}
                || '% of list price; promotional campaigns converted '
                || {{ explain_value('100 * promotional_response_rate', 1) }} || '% (promophile from '
                || '{{ (var("promo_phile_share") * 100) | round(1) }}%, promophobe up to '
                || '{{ (var("promo_phobe_share") * 100) | round(1) }}% with >= {{ var("promo_min_orders") }} orders)'
        end as explanation,
        order_count,
        promotion_known_order_count,
        promotional_order_share,
        discount_depth,
        promotional_response_rate
    from measured
)

select * from final
