-- Warning: raw values holding control characters (NUL, escape, ...): a broken export or an encoding
-- mix-up upstream. Rows are kept (the characters may be harmless in a name), one row per raw
-- table with the count of rows affected, to fix at the source.
with

{% for table_name in raw_table_names() %}
{%- set raw_columns = [] -%}
{%- for column_name in raw_column_names(table_name) -%}
{%- do raw_columns.append('raw_' ~ column_name) -%}
{%- endfor %}
{{ table_name }}_affected as (
    select
        '{{ table_name }}' as table_name,
        count(*) as affected_row_count
    from {{ ref('base_raw__' ~ table_name) }}
    where {{ has_control_character(raw_columns) }}
),

{% endfor %}
unioned as (
    {% for table_name in raw_table_names() %}
    select * from {{ table_name }}_affected
    {{ 'union all' if not loop.last }}
    {% endfor %}
)

select * from unioned
where affected_row_count > 0
