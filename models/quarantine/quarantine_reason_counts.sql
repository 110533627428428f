with

{% for table_name in raw_table_names() %}
{{ table_name }}_reasons as (
    select
        '{{ table_name }}' as table_name,
        reason,
        count(*) as quarantined_row_count
    from {{ ref('quarantine_' ~ table_name) }}
    group by reason
),

{% endfor %}
final as (
    {% for table_name in raw_table_names() %}
    select * from {{ table_name }}_reasons
    {{ 'union all' if not loop.last }}
    {% endfor %}
)

select * from final
