{#- Window expression: the quantile score (1..tiles) of `column` among the rows of the query
    (or of each `partition_by` group). Equal values always get the same score: the score is
    ceil(tiles × share of rows whose value is <= this one), a cume_dist computed with counts, so
    ties share one rank (unlike ntile, which splits them). The highest values get `tiles`; with
    reverse=true the lowest do (recency: fewer days is better). Null values get a null score and
    are not counted. -#}
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
    case
        when {{ column }} is not null then cast(ceil(
            count({{ column }}) over ({{ partition }} order by {{ column }} {{ 'desc' if reverse else 'asc' }})
            * {{ tiles | int }}
            / cast(count({{ column }}) over ({{ partition }}) as {{ dbt.type_numeric() }})
        ) as {{ dbt.type_int() }})
    end
{%- endmacro %}
