{{ config(enabled=segmentation_enabled('payment')) }}
{#- Payment behaviour from the instalments due up to the as-of date: bad_payer when at least
    var('payment_bad_share') of them are unpaid past their due date (failed payments included),
    late_payer when at least var('payment_late_share') were paid more than var('payment_late_days')
    days late, good_payer otherwise; no_payment_data without any due instalment (no payments file,
    prospects, nothing due yet). -#}
{%- set bad_share = share_var('payment_bad_share', above=0) -%}
{%- set late_share = share_var('payment_late_share', above=0) -%}

with

customers as (
    select * from {{ ref('int_customer_metrics') }}
),

payments as (
    select * from {{ ref('int_customer_payments') }}
),

final as (
    select
        customers.customer_key,
        customers.as_of_date,
        case
            when coalesce(payments.due_count, 0) = 0 then 'no_payment_data'
            when payments.unpaid_count >= {{ bad_share }} * payments.due_count then 'bad_payer'
            when payments.late_count >= {{ late_share }} * payments.due_count then 'late_payer'
            else 'good_payer'
        end as segment_code,
        cast(null as {{ dbt.type_int() }}) as score,
        case
            when coalesce(payments.due_count, 0) = 0 then 'no instalment due up to the as-of date'
            else
                {{ explain_value('payments.due_count') }} || ' instalments due: '
                || {{ explain_value('payments.unpaid_count') }} || ' unpaid past due, '
                || {{ explain_value('payments.late_count') }}
                || ' paid more than {{ var("payment_late_days") }} days late, '
                || 'average ' || {{ explain_value('payments.avg_days_late', 1) }} || ' days late; preferred method '
                || coalesce(payments.preferred_payment_method, 'n/a')
                || ' (bad payer from {{ (var("payment_bad_share") * 100) | round(1) }}% unpaid, late payer from '
                || '{{ (var("payment_late_share") * 100) | round(1) }}% late)'
        end as explanation,
        coalesce(payments.due_count, 0) as due_count,
        coalesce(payments.unpaid_count, 0) as unpaid_count,
        coalesce(payments.late_count, 0) as late_count,
        payments.avg_days_late,
        payments.preferred_payment_method
    from customers
    left join payments
        on customers.customer_key = payments.customer_key
)

select * from final
