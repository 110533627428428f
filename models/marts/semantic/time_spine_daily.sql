{#- One row per day from 1990-01-01 for 100,000 days (to 2263): the time spine MetricFlow joins
    metrics to. Built from digits so that it is the same SQL on every engine. -#}
with

digits as (
    select 0 as digit
    {%- for digit in range(1, 10) %}
    union all
    select {{ digit }} as digit
    {%- endfor %}
),

day_numbers as (
    select
        ones.digit
        + 10 * tens.digit
        + 100 * hundreds.digit
        + 1000 * thousands.digit
        + 10000 * ten_thousands.digit as day_number
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
    cross join digits as ten_thousands
),

final as (
    select cast({{ dbt.dateadd('day', 'day_number', "cast('1990-01-01' as date)") }} as date) as date_day
    from day_numbers
)

select * from final
