{#- Two CTEs, `<table>_nulled_rows` and `<table>_nulled_values`: the values of a base model's staged
    rows that a field rule nulled (ADR 0019), one row per row key and optional column, with the
    raw value as text and the reason. The base model is read once (the rows with any nulled value),
    then one branch per optional column of the contract. -#}
{% macro nulled_value_ctes(base_model, table_name) -%}
    {%- set columns = segmentation.raw_contract(table_name)[0].columns | rejectattr('is_required') | list -%}
    {%- set key_column = segmentation.raw_key_column(table_name) -%}
{{ table_name }}_nulled_rows as (
    select *
    from {{ base_model }}
    where
        quarantine_reason is null
        and not is_exact_duplicate
        and (
            {%- for column in columns %}
            {{ 'or ' if not loop.first }}{{ column.name }}_null_reason is not null
            {%- endfor %}
        )
),

{{ table_name }}_nulled_values as (
    {%- for column in columns %}
    select
        '{{ table_name }}' as table_name,
        {{ key_column }} as row_key,
        '{{ column.name }}' as column_name,
        raw_{{ column.name }} as raw_value,
        {{ column.name }}_null_reason as reason
    from {{ table_name }}_nulled_rows
    where {{ column.name }}_null_reason is not null
    {{- '\n\n    union all\n' if not loop.last }}
    {%- endfor %}
)
{%- endmacro %}
