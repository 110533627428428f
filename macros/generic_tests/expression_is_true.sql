{#- Fails on every row where `expression` is not true (null fails). With `group_by`, the
    expression is evaluated per group (aggregates allowed) and failing groups are returned.
    `row_condition` limits the rows checked. -#}
{% test expression_is_true(model, expression, column_name=none, row_condition=none, group_by=none) %}
    {{ return(adapter.dispatch('test_expression_is_true', 'segmentation')(model, expression, row_condition, group_by)) }}
{% endtest %}

{% macro default__test_expression_is_true(model, expression, row_condition, group_by) %}
    {{ segmentation._failing_rows(model, expression, row_condition, group_by) }}
{% endmacro %}
