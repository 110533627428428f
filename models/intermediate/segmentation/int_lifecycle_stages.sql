{#- Lifecycle stage at the as-of date, first matching rule wins (docs/decisions/0006):
    prospect (no valid order) > new (first order recent) > reactivated (recent order after a gap
    longer than the churn threshold) > repeat (recent, var('lifecycle_repeat_min_orders') orders in the window) > active (recent)
    > lapsing > churned. Day thresholds are vars. -#}
{%- set active_days = var('lifecycle_active_days') | int -%}
{%- set lapsing_days = var('lifecycle_lapsing_days') | int -%}
{%- set new_days = var('lifecycle_new_days') | int -%}
{%- set repeat_min_orders = var('lifecycle_repeat_min_orders') | int -%}
{%- if not (0 < active_days < lapsing_days) or new_days < 0 -%}
    {{ exceptions.raise_compiler_error(
        "vars lifecycle_*: need 0 < lifecycle_active_days < lifecycle_lapsing_days and lifecycle_new_days >= 0, got "
        ~ active_days ~ ", " ~ lapsing_days ~ ", " ~ new_days
    ) }}
{%- endif -%}

with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

final as (
    select
        customer_key,
        as_of_date,
        recency_days,
        tenure_days,
        frequency,
        days_before_last_order,
        case
            when is_prospect then 'prospect'
            when tenure_days <= {{ new_days }} then 'new'
            when recency_days <= {{ active_days }} and days_before_last_order > {{ lapsing_days }} then 'reactivated'
            when recency_days <= {{ active_days }} and frequency >= {{ repeat_min_orders }} then 'repeat'
            when recency_days <= {{ active_days }} then 'active'
            when recency_days <= {{ lapsing_days }} then 'lapsing'
            else 'churned'
        end as lifecycle_stage
    from metrics
)

select * from final
