-- customer_segments holds one column per segmentation the registry enables, filled for every
-- customer (every customer has a segment in each). Returns the columns missing or with nulls.
{%- set entries = segmentation_registry(enabled_only=true) %}
{%- set present = [] %}
{%- if execute %}
{%- for column in adapter.get_columns_in_relation(ref('customer_segments')) %}
{%- do present.append(column.name | lower) %}
{%- endfor %}
{%- endif %}
with

customer_segments as (
    select * from {{ ref('customer_segments') }}
),

checked as (
    {%- for entry in entries %}
    select
        '{{ entry.column }}' as column_name,
        {%- if entry.column in present or not execute %}
        sum(case when {{ entry.column }} is null then 1 else 0 end) as null_rows,
        false as is_missing
        {%- else %}
        0 as null_rows,
        true as is_missing
        {%- endif %}
    from customer_segments
    {{ 'union all' if not loop.last }}
    {%- endfor %}
)

select * from checked
where is_missing or null_rows > 0
