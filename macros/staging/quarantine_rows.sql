{#- The rows of a base model that failed validation: the raw values as text, under their raw
    column names, and the reason code. Exact duplicates are not here: they are counted apart. -#}
{% macro quarantine_rows(base_model, table_name) -%}
select
    {%- for column_name in raw_column_names(table_name) %}
    raw_{{ column_name }} as {{ column_name }},
    {%- endfor %}
    quarantine_reason as reason
from {{ base_model }}
where quarantine_reason is not null
{%- endmacro %}
