with

{% for table_name in raw_table_names() %}
{{ nulled_value_ctes(ref('base_raw__' ~ table_name), table_name) }},

{% endfor %}
final as (
    {% for table_name in raw_table_names() %}
    select * from {{ table_name }}_nulled_values
    {{ 'union all' if not loop.last }}
    {% endfor %}
)

select * from final
