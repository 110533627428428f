{#- Window expression: the quantile score (1..tiles) of `column` among the rows of the query (or
    of each `partition_by` group), by the share of rows with a strictly lower value:
    score = 1 + floor(tiles × rows below / rows). Equal values always share a score, and a tied
    group gets the score of its lowest position: when most customers bought once, they all get
    F = 1 (ceil(tiles × cume_dist) would give them the score of their top position). The
    highest values get the highest scores; with reverse=true the lowest do. Null values get a
    null score and are not counted. A single row, or all-equal values, get 1. -#}
{% macro score_quantile(column, tiles=5, reverse=false, partition_by=none) -%}
    {{ return(adapter.dispatch('score_quantile', 'segmentation')(column, tiles, reverse, partition_by)) }}
{%- endmacro %}

{% macro default__score_quantile(column, tiles, reverse, partition_by) -%}
    {%- if tiles is not number or tiles != tiles | int or tiles < 2 or tiles > 100 -%}
        {{ exceptions.raise_compiler_error("score_quantile: `tiles` must be a whole number from 2 to 100, got " ~ tiles) }}
    {%- endif -%}
    {%- if reverse not in [true, false] -%}
        {{ exceptions.raise_compiler_error("score_quantile: `reverse` must be true or false, got " ~ reverse) }}
    {%- endif -%}
    {%- set partition = 'partition by ' ~ partition_by if partition_by else '' -%}
    {%- set peers = 'partition by ' ~ ((partition_by ~ ', ') if partition_by else '') ~ column -%}
    case
        when {{ column }} is not null then 1 + cast(floor(
            (
                count({{ column }}) over ({{ partition }} order by {{ column }} {{ 'desc' if reverse else 'asc' }})
                - count({{ column }}) over ({{ peers }})
            )
            * {{ tiles | int }}
            / cast(count({{ column }}) over ({{ partition }}) as {{ segmentation.type_double() }})
        ) as {{ dbt.type_int() }})
    end
{%- endmacro %}
