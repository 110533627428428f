{{ config(enabled=segmentation_enabled('future_value')) }}
{#- Future value tiers (docs/decisions/0012): customers ranked by predicted value over the next
    var('prediction_horizon_days') days (int_customer_predictions); top_1 .. top_50 when fewer
    than 1, 5, 10, 25, 50 percent (var('future_value_top_shares')) of the scored customers rank
    strictly above them (ties share a tier), bottom_50 otherwise; a customer ranked in a top tier
    whose predicted value is below var('future_value_top_min_share_of_mean') of the scored
    customers' average is low_value (on CDNOW the top half reaches down to $6 a year, and RFM Lost
    customers with it); one ranked in a top tier whom RFM calls Lost is ranked_high_but_lost: what
    the customer did comes before what the model predicts (precedence: lifecycle and RFM, then
    churn risk, then future value; docs/decisions/0026). One-purchase customers are valued
    with the population's spend per purchase; prospects are prospect, and without model parameters
    nobody is scored (not_scored). -#}
{%- set shares = increasing_shares_var('future_value_top_shares', 5) -%}
{%- set codes = ['top_1', 'top_5', 'top_10', 'top_25', 'top_50'] -%}

with

predictions as (
    select * from {{ ref('int_customer_predictions') }}
),

rfm_scores as (
    select * from {{ ref('int_rfm_scores') }}
),

positions as (
    select
        customer_key,
        rank() over (order by predicted_customer_value desc) - 1 as customers_ranked_above,
        count(*) over () as scored_customers,
        {{ number_var('future_value_top_min_share_of_mean') }}
        * avg(predicted_customer_value) over () as top_min_value
    from predictions
    where predicted_customer_value is not null
),

ranked as (
    select
        customer_key,
        customers_ranked_above / cast(scored_customers as {{ type_double() }}) as share_ranked_above,
        top_min_value,
        -- the top percentile from whole numbers: 100 x 29 / 100 is exactly 29 (0.29 x 100 is not)
        floor(100.0 * customers_ranked_above / scored_customers) + 1 as top_percentile
    from positions
),

classified as (
    select
        predictions.*,
        ranked.share_ranked_above,
        ranked.top_percentile,
        ranked.top_min_value,
        case
            when predictions.is_prospect then 'prospect'
            when ranked.customer_key is null then 'not_scored'
            when ranked.share_ranked_above < {{ shares[-1] }} and rfm_scores.segment_code = 'lost'
                then 'ranked_high_but_lost'
            when
                ranked.share_ranked_above < {{ shares[-1] }}
                and predictions.predicted_customer_value < ranked.top_min_value
                then 'low_value'
            {%- for share in shares %}
            when ranked.share_ranked_above < {{ share }} then '{{ codes[loop.index0] }}'
            {%- endfor %}
            else 'bottom_50'
        end as segment_code
    from predictions
    left join ranked
        on predictions.customer_key = ranked.customer_key
    left join rfm_scores
        on predictions.customer_key = rfm_scores.customer_key
),

final as (
    select
        customer_key,
        as_of_date,
        segment_code,
        cast(top_percentile as {{ dbt.type_int() }}) as score,
        case
            when segment_code = 'prospect' then 'no valid order up to the as-of date'
            when segment_code = 'not_scored'
                then
                    'no model parameters as of this date (fit status: purchases ' || fit_status
                    || ', spend ' || spend_fit_status || ')'
            else
                'predicted value of the next ' || cast(horizon_days as {{ dbt.type_string() }}) || ' days: '
                || {{ explain_value('predicted_customer_value', 2) }}
                || ' (expected purchases ' || {{ explain_value('expected_purchases', 2) }}
                || ' x expected order value ' || {{ explain_value('expected_order_value', 2) }}
                || ', margin rate {{ var("clv_margin_rate") }}, discounted '
                || '{{ (var("clv_annual_discount_rate") * 100) | round(2) }}% a year; '
                || 'repeat purchase days: ' || {{ explain_value('repeat_purchase_days') }}
                || '); customers ranked above: ' || {{ explain_value('100 * share_ranked_above', 1) }}
                || '% (tiers at {{ shares | map("string") | join(", ") }}; a top tier needs at least '
                || {{ explain_value('top_min_value', 2) }}
                || ', {{ number_var("future_value_top_min_share_of_mean") }} x the average predicted value)'
                || case
                    when segment_code = 'ranked_high_but_lost'
                        then '; RFM Lost: what the customer did comes before the prediction'
                    else ''
                end
        end as explanation,
        predicted_customer_value,
        expected_purchases,
        expected_order_value,
        share_ranked_above
    from classified
)

select * from final
