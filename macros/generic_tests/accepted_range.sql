{#- Fails on rows whose `column_name` is outside [min_value, max_value] (bounds optional,
    inclusive unless inclusive=false). Null values are not checked; pair with not_null. -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true, row_condition=none) %}
    {%- if min_value is none and max_value is none -%}
        {{ exceptions.raise_compiler_error("accepted_range on " ~ column_name ~ ": give min_value, max_value or both") }}
    {%- endif -%}
    {%- set conditions = [] -%}
    {%- if min_value is not none -%}
        {%- do conditions.append(column_name ~ (' >= ' if inclusive else ' > ') ~ min_value) -%}
    {%- endif -%}
    {%- if max_value is not none -%}
        {%- do conditions.append(column_name ~ (' <= ' if inclusive else ' < ') ~ max_value) -%}
    {%- endif -%}
    {%- set checked = column_name ~ ' is not null' ~ ((' and (' ~ row_condition ~ ')') if row_condition else '') -%}
    {{ segmentation._failing_rows(model, conditions | join(' and '), checked) }}
{% endtest %}
