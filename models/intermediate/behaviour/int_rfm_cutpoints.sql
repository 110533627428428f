{#- The band behind every R, F and M score of each as-of date, and who fell in it: what placed a
    customer in a score. Every score has a row, empty ones included. Kept per as-of date
    (incremental): rebuilding a date replaces only its rows. -#}
{{ config(**incremental_by_as_of_date(on_schema_change='append_new_columns')) }}
{%- set tiles = var('rfm_tiles') | int -%}
{%- set scored_metrics = {'recency_days': 'r_score', 'frequency': 'f_score', 'monetary_amount': 'm_score'} -%}

with

scores as (
    select * from {{ ref('int_rfm_scores') }}
),

score_bounds as (
    select * from {{ ref('int_rfm_score_bounds') }}
),

grid as (
    {%- for band in rfm_recency_bands() %}
    select
        'recency_days' as metric,
        {{ band.score }} as score,
        cast({{ band.min_days }} as {{ dbt.type_numeric() }}) as lower_bound,
        cast({{ band.max_days + 1 if band.max_days is not none else 'null' }} as {{ dbt.type_numeric() }})
            as upper_bound
    union all
    {%- endfor %}
    {%- for metric in ['frequency', 'monetary_amount'] %}
    {%- set outer_loop = loop %}
    {%- for score in range(1, tiles + 1) %}
    select
        '{{ metric }}' as metric,
        {{ score }} as score,
        cast(null as {{ dbt.type_numeric() }}) as lower_bound,
        cast(null as {{ dbt.type_numeric() }}) as upper_bound
    {{ 'union all' if not (outer_loop.last and loop.last) }}
    {%- endfor %}
    {%- endfor %}
),

bounded as (
    select
        grid.metric,
        grid.score,
        coalesce(grid.lower_bound, score_bounds.lower_bound) as lower_bound,
        -- F and M: a band ends where the next reached score begins (bounds rise with the score)
        coalesce(
            grid.upper_bound,
            min(score_bounds.lower_bound) over (
                partition by grid.metric order by grid.score rows between 1 following and unbounded following
            )
        ) as upper_bound,
        score_bounds.bounds_as_of_date
    from grid
    left join score_bounds
        on
            grid.metric = score_bounds.metric
            and grid.score = score_bounds.score
),

observed as (
    {%- for metric, score_column in scored_metrics.items() %}
    select
        '{{ metric }}' as metric,
        {{ score_column }} as score,
        cast(min({{ metric }}) as {{ dbt.type_numeric() }}) as min_value,
        cast(max({{ metric }}) as {{ dbt.type_numeric() }}) as max_value,
        count(*) as customer_count
    from scores
    group by {{ score_column }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

described as (
    select
        bounded.*,
        observed.min_value,
        observed.max_value,
        coalesce(observed.customer_count, 0) as customer_count,
        case
            when bounded.metric = 'recency_days' and bounded.lower_bound = 0
                then 'at most ' || {{ explain_value('bounded.upper_bound - 1', 0) }} || ' days'
            when bounded.metric = 'recency_days' and bounded.upper_bound is null
                then 'over ' || {{ explain_value('bounded.lower_bound - 1', 0) }} || ' days'
            when bounded.metric = 'recency_days'
                then
                    {{ explain_value('bounded.lower_bound', 0) }}
                    || '-'
                    || {{ explain_value('bounded.upper_bound - 1', 0) }}
                    || ' days'
            when bounded.score > 1 and bounded.lower_bound is null then 'no customer reached it'
            when bounded.metric = 'frequency' and bounded.score = 1 and bounded.upper_bound is null then 'any'
            when bounded.metric = 'frequency' and bounded.score = 1
                then 'fewer than ' || {{ explain_value('bounded.upper_bound', 0) }} || ' orders'
            when bounded.metric = 'frequency' and bounded.upper_bound is null
                then {{ explain_value('bounded.lower_bound', 0) }} || ' orders or more'
            when bounded.metric = 'frequency' and bounded.upper_bound - 1 = bounded.lower_bound
                then {{ explain_value('bounded.lower_bound', 0) }} || ' orders'
            when bounded.metric = 'frequency'
                then
                    {{ explain_value('bounded.lower_bound', 0) }}
                    || '-'
                    || {{ explain_value('bounded.upper_bound - 1', 0) }}
                    || ' orders'
            when bounded.score = 1 and bounded.upper_bound is null then 'any'
            when bounded.score = 1 then 'under ' || {{ explain_value('bounded.upper_bound', 2) }}
            when bounded.upper_bound is null then {{ explain_value('bounded.lower_bound', 2) }} || ' or more'
            else
                {{ explain_value('bounded.lower_bound', 2) }}
                || ' to under '
                || {{ explain_value('bounded.upper_bound', 2) }}
        end as band_description
    from bounded
    left join observed
        on
            bounded.metric = observed.metric
            and bounded.score = observed.score
),

final as (
    select
        {{ as_of_date() }} as as_of_date,
        metric,
        score,
        lower_bound,
        upper_bound,
        band_description,
        min_value,
        max_value,
        customer_count,
        case when metric = 'recency_days' then 'recency_bands' else '{{ var("rfm_scoring_mode") }}' end
            as scoring_mode,
        bounds_as_of_date
    from described
)

select * from final
