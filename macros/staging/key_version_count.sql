{#- Number of distinct raw versions of a key (exact duplicates count once): above 1, the extract
    holds conflicting rows for the same id and none of them can be trusted. Needs `copy_number`. -#}
{% macro key_version_count(key_column) -%}
    sum(case when copy_number = 1 then 1 else 0 end) over (partition by {{ key_column }})
{%- endmacro %}
