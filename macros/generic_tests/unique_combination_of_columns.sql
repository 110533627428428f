{#- Fails with one row per combination of `columns` that occurs more than once
    (nulls compare equal, so two rows with the same nulls are duplicates). -#}
{% test unique_combination_of_columns(model, columns) %}
    {{ return(adapter.dispatch('test_unique_combination_of_columns', 'segmentation')(model, columns)) }}
{% endtest %}

{% macro default__test_unique_combination_of_columns(model, columns) %}
    {%- if columns is string or columns | length == 0 -%}
        {{ exceptions.raise_compiler_error("unique_combination_of_columns: `columns` must be a non-empty list of column names, got " ~ columns) }}
    {%- endif %}
select
    {{ columns | join(', ') }},
    count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endmacro %}
