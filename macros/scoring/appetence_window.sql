{#- Boolean expression: whether an order date falls in the appetence period of the product,
    channel and promotion segmentations: the var('appetence_window_days') days ending at the as-of
    date, or the whole history up to it when empty (the default). -#}
{% macro in_appetence_window(order_date_column) -%}
    {%- set text = segmentation.optional_var('appetence_window_days') -%}
    {%- if text is none -%}
        true
    {%- elif not text.isdigit() or text | int < 1 -%}
        {{ exceptions.raise_compiler_error(
            "var appetence_window_days must be empty (whole history) or a whole number of days >= 1, got '" ~ text ~ "'") }}
    {%- else -%}
        {{ order_date_column }} > {{ dbt.dateadd('day', -(text | int), segmentation.as_of_date()) }}
    {%- endif -%}
{%- endmacro %}
