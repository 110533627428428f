{#- Every raw column of `table_name` (from the raw contract) plus `extra_columns`, taken together,
    identify a row: the grain of base and quarantine models. -#}
{% test unique_raw_rows(model, table_name, column_prefix='', extra_columns=[]) %}
    {%- set columns = [] -%}
    {%- for column_name in segmentation.raw_column_names(table_name) -%}
        {%- do columns.append(column_prefix ~ column_name) -%}
    {%- endfor -%}
    {{ segmentation.default__test_unique_combination_of_columns(model, columns + extra_columns) }}
{% endtest %}
