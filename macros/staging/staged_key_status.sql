{#- One row per key of a base model with `is_staged` = 1 when a clean copy of it reaches staging,
    0 when every copy was quarantined. Keys absent from the result are unknown to the raw table. -#}
{% macro staged_key_status(base_model, key_column) -%}
select
    {{ key_column }},
    max(case when quarantine_reason is null and not is_exact_duplicate then 1 else 0 end) as is_staged
from {{ base_model }}
where {{ key_column }} is not null
group by {{ key_column }}
{%- endmacro %}
