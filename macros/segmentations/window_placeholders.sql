{#- `text_column` with the windows a seed text names written from the vars, so that a label says
    the window the rule applies: '{revenue_window_days}' -> the var's days; '{appetence_window}' ->
    'in the last N days' (var appetence_window_days), or 'ever' when it is empty (whole history). -#}
{% macro window_placeholders(text_column) -%}
    {%- set appetence_days = segmentation.optional_var('appetence_window_days') -%}
    {%- set appetence = 'ever' if appetence_days is none else 'in the last ' ~ (appetence_days | int) ~ ' days' -%}
    replace(
        replace({{ text_column }}, '{revenue_window_days}', '{{ var("revenue_window_days") | int }}'),
        '{appetence_window}',
        '{{ appetence }}'
    )
{%- endmacro %}
