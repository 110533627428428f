{#- Aggregate: the value of `column` on the best-ranked row (lowest `rank_column`) where it is
    not null. Used for survivorship: each attribute comes from the most recent record that has it. -#}
{% macro survivor_value(column, rank_column) -%}
    {{ return(adapter.dispatch('survivor_value', 'segmentation')(column, rank_column)) }}
{%- endmacro %}

{% macro default__survivor_value(column, rank_column) -%}
    (array_agg({{ column }} order by {{ rank_column }}) filter (where {{ column }} is not null))[1]
{%- endmacro %}

{% macro duckdb__survivor_value(column, rank_column) -%}
    arg_min({{ column }}, {{ rank_column }}) filter (where {{ column }} is not null)
{%- endmacro %}

{% macro spark__survivor_value(column, rank_column) -%}
    min_by({{ column }}, case when {{ column }} is not null then {{ rank_column }} end)
{%- endmacro %}
