{{ config(enabled=segmentation_enabled('lifecycle')) }}
{#- Lifecycle stage at the as-of date, first matching rule wins (docs/decisions/0008):
    prospect   no valid order up to the as-of date;
    new        first order at most var('lifecycle_new_days') days old;
    reactivated last order at most var('lifecycle_active_days') days old, after a gap longer than
               var('lifecycle_lapsing_days') (the customer had churned);
    repeat     at least var('lifecycle_repeat_min_orders') orders in the last lifecycle_active_days days;
    active     one order in the last lifecycle_active_days days, the previous one within the churn
               threshold before it;
    lapsing    last order at most lifecycle_lapsing_days days old;
    churned    older.
    Each stage occurs with the default vars (active: bought 20 days ago and 120 days before that). -#}
{%- set thresholds = lifecycle_thresholds() -%}
{%- set active_days = thresholds.active_days -%}
{%- set lapsing_days = thresholds.lapsing_days -%}
{%- set new_days = thresholds.new_days -%}
{%- set repeat_min_orders = thresholds.repeat_min_orders -%}

with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

staged as (
    select
        customer_key,
        as_of_date,
        recency_days,
        tenure_days,
        recent_order_count,
        days_before_last_order,
        case
            when is_prospect then 'prospect'
            when tenure_days <= {{ new_days }} then 'new'
            when recency_days <= {{ active_days }} and days_before_last_order > {{ lapsing_days }} then 'reactivated'
            when recent_order_count >= {{ repeat_min_orders }} then 'repeat'
            when recency_days <= {{ active_days }} then 'active'
            when recency_days <= {{ lapsing_days }} then 'lapsing'
            else 'churned'
        end as segment_code
    from metrics
),

final as (
    select
        customer_key,
        as_of_date,
        segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        case
            when segment_code = 'prospect' then 'no valid order up to the as-of date'
            else
                'last order ' || {{ explain_value('recency_days') }} || ' days ago, first '
                || {{ explain_value('tenure_days') }} || ' days ago; orders in the last '
                || '{{ active_days }} days: ' || {{ explain_value('recent_order_count') }}
                || '; days between the last two orders: ' || {{ explain_value('days_before_last_order') }}
                || ' (new: first order <= {{ new_days }} days ago; reactivated: gap > {{ lapsing_days }}; '
                || 'repeat: >= {{ repeat_min_orders }} recent orders; '
                || 'active: last order <= {{ active_days }} days ago; '
                || 'lapsing: <= {{ lapsing_days }}; churned beyond)'
        end as explanation,
        recency_days,
        tenure_days,
        recent_order_count,
        days_before_last_order
    from staged
)

select * from final
