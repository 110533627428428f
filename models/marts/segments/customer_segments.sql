{#- One row per customer at the as-of date of this run (var as_of_date: the date the user asked
    for, not the latest date of the history, which may hold a later date built by mistake until
    `python -m segmentation remove-date` removes it): the metrics, the RFM scores and one column
    per segmentation the registry enables (its `column`), generated. -#}
{%- set pivoted_columns, typed_columns = [], [] -%}
{%- for entry in segmentation_registry(enabled_only=true) -%}
{%- set pivoted = "max(case when segmentation = '" ~ entry.name ~ "' then segment_code end)" -%}
{%- do pivoted_columns.append(pivoted ~ " as " ~ entry.column) -%}
{%- do typed_columns.append("cast(" ~ entry.column ~ " as " ~ dbt.type_string() ~ ") as " ~ entry.column) -%}
{%- endfor %}
with

segments as (
    select * from {{ ref('fct_customer_segments') }}
),

latest as (
    select *
    from segments
    where as_of_date = {{ as_of_date() }}
),

pivoted as (
    select
        customer_key,
        as_of_date,
        max(recency_days) as recency_days,
        max(frequency) as frequency,
        max(monetary_amount) as monetary_amount,
        max(window_revenue_amount) as window_revenue_amount,
        max(lifetime_revenue_amount) as lifetime_revenue_amount,
        max(r_score) as r_score,
        max(f_score) as f_score,
        max(m_score) as m_score,
        {{ pivoted_columns | join(',\n        ') }}
    from latest
    group by customer_key, as_of_date
),

final as (
    select
        cast(customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(as_of_date as date) as as_of_date,
        cast(recency_days as {{ dbt.type_bigint() }}) as recency_days,
        cast(frequency as {{ dbt.type_bigint() }}) as frequency,
        cast(monetary_amount as {{ dbt.type_numeric() }}) as monetary_amount,
        cast(window_revenue_amount as {{ dbt.type_numeric() }}) as window_revenue_amount,
        cast(lifetime_revenue_amount as {{ dbt.type_numeric() }}) as lifetime_revenue_amount,
        cast(r_score as {{ dbt.type_int() }}) as r_score,
        cast(f_score as {{ dbt.type_int() }}) as f_score,
        cast(m_score as {{ dbt.type_int() }}) as m_score,
        {{ typed_columns | join(',\n        ') }}
    from pivoted
)

select * from final
