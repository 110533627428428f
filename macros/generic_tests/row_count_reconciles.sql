{#- Fails with one row when the row counts of `model` and `compare_model` (each optionally
    filtered) differ by more than `tolerance_share` of the larger one (0 = must be equal). -#}
{% test row_count_reconciles(model, compare_model, row_condition=none, compare_row_condition=none, tolerance_share=0) %}
    {{ return(adapter.dispatch('test_row_count_reconciles', 'segmentation')(
        model, compare_model, row_condition, compare_row_condition, tolerance_share)) }}
{% endtest %}

{% macro default__test_row_count_reconciles(model, compare_model, row_condition, compare_row_condition, tolerance_share) %}
    {%- if tolerance_share is not number or not (0 <= tolerance_share < 1) -%}
        {{ exceptions.raise_compiler_error("row_count_reconciles: tolerance_share must be a number in [0, 1), got " ~ tolerance_share) }}
    {%- endif %}
with

model_rows as (
    select count(*) as row_count from {{ model }}
    {% if row_condition %}where {{ row_condition }}{% endif %}
),

compare_rows as (
    select count(*) as row_count from {{ compare_model }}
    {% if compare_row_condition %}where {{ compare_row_condition }}{% endif %}
)

select
    model_rows.row_count as model_row_count,
    compare_rows.row_count as compare_model_row_count
from model_rows
cross join compare_rows
where
    abs(model_rows.row_count - compare_rows.row_count)
    > {{ tolerance_share }} * greatest(model_rows.row_count, compare_rows.row_count)
{% endmacro %}
