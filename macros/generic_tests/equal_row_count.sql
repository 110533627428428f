{#- Fails with one row when `model` and `compare_model` do not hold the same number of rows. -#}
{% test equal_row_count(model, compare_model) %}
    {{ return(adapter.dispatch('test_equal_row_count', 'segmentation')(model, compare_model)) }}
{% endtest %}

{% macro default__test_equal_row_count(model, compare_model) %}
with

model_rows as (
    select count(*) as row_count from {{ model }}
),

compare_rows as (
    select count(*) as row_count from {{ compare_model }}
)

select
    model_rows.row_count as model_row_count,
    compare_rows.row_count as compare_model_row_count
from model_rows
cross join compare_rows
where model_rows.row_count != compare_rows.row_count
{% endmacro %}
