{#- Fails on rows whose `column_name` is below 0 (nulls are not checked). -#}
{% test not_negative(model, column_name, row_condition=none) %}
    {%- set checked = column_name ~ ' is not null' ~ ((' and (' ~ row_condition ~ ')') if row_condition else '') -%}
    {{ segmentation._failing_rows(model, column_name ~ ' >= 0', checked) }}
{% endtest %}
