{#- One row per customer known at the as-of date of this run: the model inputs and predictions
    behind the churn_risk and future_value segments (no direct identifier). Rebuilt every run
    (a copy per date would add a row per customer a day); the segments they lead to are kept in
    fct_segment_changes, the fitted parameters per date in predictive_model_parameters. -#}
{{ config(materialized='table') }}
with

predictions as (
    select * from {{ ref('int_customer_predictions') }}
),

final as (
    select
        customer_key,
        as_of_date,
        is_prospect,
        repeat_purchase_days,
        first_to_last_purchase_days,
        first_purchase_to_as_of_days,
        mean_repeat_purchase_value,
        horizon_days,
        probability_alive,
        churn_probability,
        expected_purchases,
        expected_order_value,
        predicted_customer_value,
        fit_status,
        spend_fit_status
    from predictions
)

select * from final
