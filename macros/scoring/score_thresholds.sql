{#- Expression: a score from fixed cutpoints. `thresholds` is a strictly increasing list of
    numbers; the score is 1 + the number of thresholds the value passes (value >= threshold, or
    value > threshold with strict=true), so N thresholds give scores 1..N+1. With reverse=true
    the order is flipped (a value passing no threshold gets N+1). Null values get a null score.
    Recency bands use reverse and strict: with [30, 90], 30 days → 3, 31..90 → 2, 91+ → 1. -#}
{% macro score_thresholds(column, thresholds, reverse=false, strict=false) -%}
    {{ return(adapter.dispatch('score_thresholds', 'segmentation')(column, thresholds, reverse, strict)) }}
{%- endmacro %}

{% macro default__score_thresholds(column, thresholds, reverse, strict) -%}
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
    {%- if strict not in [true, false] -%}
        {{ exceptions.raise_compiler_error("score_thresholds: `strict` must be true or false, got " ~ strict) }}
    {%- endif -%}
    {%- set count = thresholds | length -%}
    case
        when {{ column }} is null then null
        {%- for threshold in thresholds | reverse %}
        when {{ column }} {{ '>' if strict else '>=' }} {{ threshold }} then {{ (count - loop.index0 + 1) if not reverse else (loop.index0 + 1) }}
        {%- endfor %}
        else {{ 1 if not reverse else count + 1 }}
    end
{%- endmacro %}
