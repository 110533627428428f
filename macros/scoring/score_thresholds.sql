{#- Expression: a score from fixed cutpoints. `thresholds` is a strictly increasing list of
    numbers; the score is 1 + the number of thresholds the value reaches (value >= threshold),
    so N thresholds give scores 1..N+1. With reverse=true the order is flipped (a value below
    every threshold gets N+1). Null values get a null score. -#}
{% macro score_thresholds(column, thresholds, reverse=false) -%}
    {{ return(adapter.dispatch('score_thresholds', 'segmentation')(column, thresholds, reverse)) }}
{%- endmacro %}

{% macro default__score_thresholds(column, thresholds, reverse) -%}
    {%- if thresholds is string or thresholds is mapping or thresholds | length == 0 -%}
        {{ exceptions.raise_compiler_error("score_thresholds: `thresholds` must be a non-empty list of numbers, got " ~ thresholds) }}
    {%- endif -%}
    {%- for threshold in thresholds -%}
        {%- if threshold is not number -%}
            {{ exceptions.raise_compiler_error("score_thresholds: every threshold must be a number, got " ~ threshold) }}
        {%- endif -%}
        {%- if not loop.first and threshold <= thresholds[loop.index0 - 1] -%}
            {{ exceptions.raise_compiler_error("score_thresholds: `thresholds` must be strictly increasing, got " ~ thresholds) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set count = thresholds | length -%}
    case
        when {{ column }} is null then null
        {%- for threshold in thresholds | reverse %}
        when {{ column }} >= {{ threshold }} then {{ (count - loop.index0 + 1) if not reverse else (loop.index0 + 1) }}
        {%- endfor %}
        else {{ 1 if not reverse else count + 1 }}
    end
{%- endmacro %}
