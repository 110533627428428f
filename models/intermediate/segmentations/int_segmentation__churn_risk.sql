{{ config(enabled=segmentation_enabled('churn_risk')) }}
{#- Churn risk (docs/decisions/0012): the probability that the customer makes no purchase in the
    next var('prediction_horizon_days') days, from BG/NBD (int_customer_predictions): low below
    var('churn_risk_medium_probability'), medium below var('churn_risk_high_probability'), high
    beyond. One-purchase customers are scored like the others (the time since their purchase
    lowers their expected rate); prospects have no purchase to judge (prospect), and without model
    parameters nobody is scored (not_scored). -#}
{%- set medium = share_var('churn_risk_medium_probability') -%}
{%- set high = share_var('churn_risk_high_probability', above=medium) -%}

with

predictions as (
    select * from {{ ref('int_customer_predictions') }}
),

classified as (
    select
        *,
        case
            when is_prospect then 'prospect'
            when churn_probability is null then 'not_scored'
            when churn_probability >= {{ high }} then 'high'
            when churn_probability >= {{ medium }} then 'medium'
            else 'low'
        end as segment_code
    from predictions
),

final as (
    select
        customer_key,
        as_of_date,
        segment_code,
        cast(round(100 * churn_probability) as {{ dbt.type_int() }}) as score,
        case
            when segment_code = 'prospect' then 'no valid order up to the as-of date'
            when segment_code = 'not_scored'
                then 'no model parameters as of this date (fit status ' || fit_status || ')'
            else
                'probability of no purchase in the next ' || cast(horizon_days as {{ dbt.type_string() }})
                -- truncated, not rounded: 0.3296 reads 0.329, below the 0.33 threshold it is below
                || ' days: ' || {{ explain_value('floor(1000 * churn_probability) / 1000', 3) }}
                || ' (probability still a customer: ' || {{ explain_value('probability_alive', 2) }}
                || '; repeat purchase days: ' || {{ explain_value('repeat_purchase_days') }}
                || ', first to last purchase: ' || {{ explain_value('first_to_last_purchase_days') }}
                || ' days, first purchase ' || {{ explain_value('first_purchase_to_as_of_days') }}
                || ' days ago); medium from {{ medium }}, high from {{ high }}'
        end as explanation,
        churn_probability,
        probability_alive,
        repeat_purchase_days,
        first_to_last_purchase_days,
        first_purchase_to_as_of_days
    from classified
)

select * from final
