with

{% for table_name in raw_table_names() %}
{%- set columns = raw_contract(table_name)[0].columns %}
{{ table_name }}_counts as (
    select
        '{{ table_name }}' as table_name,
        count(*) as raw_row_count,
        coalesce(sum(case when is_exact_duplicate then 1 else 0 end), 0) as duplicate_row_count,
        (select count(*) from {{ ref('stg_raw__' ~ table_name) }}) as staged_row_count,
        (select count(*) from {{ ref('quarantine_' ~ table_name) }}) as quarantined_row_count,
        -- values: every non-blank raw value of a row that is not an exact copy (ADR 0019)
        coalesce(sum(
            case
                when is_exact_duplicate then 0
                else
                    0
                    {%- for column in columns %}
                    + case when raw_{{ column.name }} is not null then 1 else 0 end
                    {%- endfor %}
            end
        ), 0) as raw_value_count,
        coalesce(sum(
            case
                when quarantine_reason is not null or is_exact_duplicate then 0
                else
                    0
                    {%- for column in columns %}
                    + case
                        when
                            raw_{{ column.name }} is not null
                            and {{ parsed_column_name(table_name, column.name) }} is not null
                            {%- if not column.is_required %}
                            and {{ column.name }}_null_reason is null
                            {%- endif %}
                            then 1
                        else 0
                    end
                    {%- endfor %}
            end
        ), 0) as staged_value_count,
        (
            select count(*) from {{ ref('quarantine_nulled_values') }} as nulled
            where nulled.table_name = '{{ table_name }}'
        ) as nulled_value_count,
        coalesce(sum(
            case
                when quarantine_reason is null then 0
                else
                    0
                    {%- for column in columns %}
                    + case when raw_{{ column.name }} is not null then 1 else 0 end
                    {%- endfor %}
            end
        ), 0) as quarantined_value_count
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
        raw_row_count - staged_row_count - quarantined_row_count - duplicate_row_count as unaccounted_row_count,
        raw_value_count,
        staged_value_count,
        nulled_value_count,
        quarantined_value_count,
        raw_value_count - staged_value_count - nulled_value_count - quarantined_value_count as unaccounted_value_count
    from unioned
)

select * from final
