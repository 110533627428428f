{{ config(enabled=segmentation_enabled('channel')) }}
{#- Channel appetence: the channel of at least var('channel_dominant_share') of the customer's
    valid orders in the appetence period (web, store, phone, marketplace; channel is a required
    column), omnichannel when no channel dominates, no_purchase without an order. -#}
{%- set share = share_var('channel_dominant_share', above=0.5) -%}
{%- set channels = ['web', 'store', 'phone', 'marketplace'] -%}

with

customers as (
    select * from {{ ref('int_customer_metrics') }}
),

order_mix as (
    select * from {{ ref('int_customer_order_mix') }}
),

shares as (
    select
        {%- for channel in channels %}
        coalesce(order_mix.{{ channel }}_order_count, 0) as {{ channel }}_order_count,
        cast(order_mix.{{ channel }}_order_count as {{ type_double() }})
        / nullif(order_mix.order_count, 0) as {{ channel }}_order_share,
        {%- endfor %}
        customers.customer_key,
        customers.as_of_date,
        coalesce(order_mix.order_count, 0) as order_count,
        coalesce(order_mix.channel_count, 0) as channel_count
    from customers
    left join order_mix
        on customers.customer_key = order_mix.customer_key
),

final as (
    select
        customer_key,
        as_of_date,
        case
            when order_count = 0 then 'no_purchase'
            {%- for channel in channels %}
            when {{ channel }}_order_count >= {{ share }} * order_count then '{{ channel }}'
            {%- endfor %}
            else 'omnichannel'
        end as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        case
            when order_count = 0 then 'no valid order in the appetence period'
            else
                {{ explain_value('order_count') }} || ' orders:'
                {%- for channel in channels %}
                || ' {{ channel }} ' || {{ explain_value(channel ~ '_order_count') }}
                || ' (' || {{ explain_value('100 * ' ~ channel ~ '_order_share', 0) }} || '%)'
                {{- " || ','" if not loop.last }}
                {%- endfor %}
                || ' (a channel with at least {{ (share * 100) | round(1) }}% of the orders is the customer''s channel)'
        end as explanation,
        order_count,
        {%- for channel in channels %}
        {{ channel }}_order_share,
        {%- endfor %}
        channel_count
    from shares
)

select * from final
