{#- Fails on every row where `expression` is not true (null counts as a failure).
    Optional `row_condition` limits the rows checked. -#}
{% test expression_is_true(model, expression, column_name=none, row_condition=none) %}
    {{ return(adapter.dispatch('test_expression_is_true', 'segmentation')(model, expression, row_condition)) }}
{% endtest %}

{% macro default__test_expression_is_true(model, expression, row_condition) %}
    {%- if expression is not string or expression | trim | length == 0 -%}
        {{ exceptions.raise_compiler_error("expression_is_true: `expression` must be a non-empty SQL expression, got " ~ expression) }}
    {%- endif %}
select *
from {{ model }}
where
    {% if row_condition %}({{ row_condition }}) and {% endif %}
    not coalesce({{ expression }}, false)
{% endmacro %}
