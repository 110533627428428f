{#- The value range behind each R, F and M score of each as-of date: what placed a customer in
    a score. Kept per as-of date (incremental): rebuilding a date replaces only its rows. -#}
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='as_of_date') }}
{%- set scored_metrics = {'recency_days': 'r_score', 'frequency': 'f_score', 'monetary_amount': 'm_score'} -%}

with

scores as (
    select * from {{ ref('int_rfm_scores') }}
),

final as (
    {%- for metric, score_column in scored_metrics.items() %}
    select
        as_of_date,
        '{{ metric }}' as metric,
        {{ score_column }} as score,
        cast(min({{ metric }}) as {{ dbt.type_numeric() }}) as min_value,
        cast(max({{ metric }}) as {{ dbt.type_numeric() }}) as max_value,
        count(*) as customer_count,
        '{{ var("rfm_scoring_mode") }}' as scoring_mode
    from scores
    group by as_of_date, {{ score_column }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from final
