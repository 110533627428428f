{#- Fails on rows whose date or timestamp `column_name` falls after the as-of date of the run
    (var as_of_date, default the run date). Nulls are not checked. -#}
{% test no_future_dates(model, column_name, row_condition=none) %}
    {%- set checked = column_name ~ ' is not null' ~ ((' and (' ~ row_condition ~ ')') if row_condition else '') -%}
    {{ segmentation._failing_rows(model, 'cast(' ~ column_name ~ ' as date) <= ' ~ segmentation.as_of_date(), checked) }}
{% endtest %}
