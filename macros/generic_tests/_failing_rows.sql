{#- Shared query behind the expression-based generic tests: the rows of `model` (or, with
    `group_by`, the groups) for which `expression` is not true. A null result counts as failing.
    `row_condition` limits the rows looked at. -#}
{% macro _failing_rows(model, expression, row_condition=none, group_by=none) %}
    {%- if expression is not string or expression | trim | length == 0 -%}
        {{ exceptions.raise_compiler_error("expected `expression` to be a non-empty SQL expression, got " ~ expression) }}
    {%- endif -%}
    {%- if group_by is not none and (group_by is string or group_by | length == 0) -%}
        {{ exceptions.raise_compiler_error("expected `group_by` to be a non-empty list of columns, got " ~ group_by) }}
    {%- endif %}
select
    {% if group_by %}{{ group_by | join(', ') }}, {% endif -%}
    {{ 'count(*) as group_row_count' if group_by else '*' }}
from {{ model }}
{%- if row_condition %}
where ({{ row_condition }})
{%- endif %}
{%- if group_by %}
group by {{ group_by | join(', ') }}
having not coalesce({{ expression }}, false)
{%- else %}
{{ 'and' if row_condition else 'where' }} not coalesce({{ expression }}, false)
{%- endif %}
{% endmacro %}
