{#- Like `relationships`, but tolerates a share of orphans: fails with one row (orphan count and
    share) when more than `max_orphan_share` of the non-null values of `column_name` have no
    match in `to`.`field`. With skip_if_parent_empty, an empty `to` (optional reference data that
    was not supplied) passes: no reference, no orphan to judge. -#}
{% test relationships_with_tolerance(
    model, column_name, to, field, max_orphan_share=0, row_condition=none, skip_if_parent_empty=false
) %}
    {{ return(adapter.dispatch('test_relationships_with_tolerance', 'segmentation')(
        model, column_name, to, field, max_orphan_share, row_condition, skip_if_parent_empty)) }}
{% endtest %}

{% macro default__test_relationships_with_tolerance(
    model, column_name, to, field, max_orphan_share, row_condition, skip_if_parent_empty
) %}
    {%- if max_orphan_share is not number or not (0 <= max_orphan_share < 1) -%}
        {{ exceptions.raise_compiler_error("relationships_with_tolerance: max_orphan_share must be a number in [0, 1), got " ~ max_orphan_share) }}
    {%- endif %}
    {%- if skip_if_parent_empty not in [true, false] -%}
        {{ exceptions.raise_compiler_error("relationships_with_tolerance: skip_if_parent_empty must be true or false, got " ~ skip_if_parent_empty) }}
    {%- endif %}
with

child as (
    select {{ column_name }} as child_key
    from {{ model }}
    where {{ column_name }} is not null {% if row_condition %}and ({{ row_condition }}){% endif %}
),

parent as (
    select distinct {{ field }} as parent_key
    from {{ to }}
),

counted as (
    select
        count(*) as checked_rows,
        sum(case when parent.parent_key is null then 1 else 0 end) as orphan_rows
    from child
    left join parent
        on child.child_key = parent.parent_key
)

select
    '{{ column_name }}' as column_name,
    checked_rows,
    orphan_rows,
    orphan_rows * 1.0 / checked_rows as orphan_share
from counted
where
    checked_rows > 0 and orphan_rows * 1.0 / checked_rows > {{ max_orphan_share }}
    {%- if skip_if_parent_empty %}
    and exists (select 1 from parent)
    {%- endif %}
{% endmacro %}
