{#- Expression: the band of a number among increasing upper bounds (exclusive), labelled
    'under a', 'a-b', ..., 'z and over'; 'unknown' for null. With whole=true (counts, ages) a
    band reads with its last whole value ('25-34' for [25, 35)); otherwise with its bound
    ('2M-10M' for [2,000,000, 10,000,000)). Bounds of a million or a thousand read as M / k. -#}
{% macro bounded_band(expression, bounds, var_name, whole=true) -%}
    {%- if bounds is string or bounds is not iterable or bounds | length == 0 -%}
        {{ exceptions.raise_compiler_error("var " ~ var_name ~ " must be a non-empty list of increasing numbers, got " ~ bounds) }}
    {%- endif -%}
    {%- for bound in bounds -%}
        {%- if bound is not number or (not loop.first and bound <= bounds[loop.index0 - 1]) -%}
            {{ exceptions.raise_compiler_error("var " ~ var_name ~ " must be a non-empty list of increasing numbers, got " ~ bounds) }}
        {%- endif -%}
    {%- endfor -%}
    case
        when {{ expression }} is null then 'unknown'
        {%- for bound in bounds %}
        when {{ expression }} < {{ bound }}
            then '{{ ("under " ~ segmentation.band_bound(bound)) if loop.first
                else (segmentation.band_bound(bounds[loop.index0 - 1]) ~ "-" ~ segmentation.band_bound(bound - 1 if whole else bound)) }}'
        {%- endfor %}
        else '{{ segmentation.band_bound(bounds[-1]) }} and over'
    end
{%- endmacro %}

{#- A band bound as people read it: 2000000 -> 2M, 50000 -> 50k, 35 -> 35. -#}
{% macro band_bound(number) -%}
    {%- if number >= 1000000 and number % 1000000 == 0 -%}
        {{ (number // 1000000) | int }}M
    {%- elif number >= 1000 and number % 1000 == 0 -%}
        {{ (number // 1000) | int }}k
    {%- else -%}
        {{ number | int if number == number | int else number }}
    {%- endif -%}
{%- endmacro %}
