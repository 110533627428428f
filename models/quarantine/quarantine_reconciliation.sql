with

{% for table_name in raw_table_names() %}
{{ table_name }}_counts as (
    select
        '{{ table_name }}' as table_name,
        count(*) as raw_row_count,
        coalesce(sum(case when is_exact_duplicate then 1 else 0 end), 0) as duplicate_row_count,
        (select count(*) from {{ ref('stg_raw__' ~ table_name) }}) as staged_row_count,
        (select count(*) from {{ ref('quarantine_' ~ table_name) }}) as quarantined_row_count
    from {{ ref('base_raw__' ~ table_name) }}
),

{% endfor %}
unioned as (
    {% for table_name in raw_table_names() %}
    select * from {{ table_name }}_counts
    {{ 'union all' if not loop.last }}
    {% endfor %}
),

final as (
    select
        table_name,
        raw_row_count,
        staged_row_count,
        quarantined_row_count,
        duplicate_row_count,
        raw_row_count - staged_row_count - quarantined_row_count - duplicate_row_count as unaccounted_row_count
    from unioned
)

select * from final
