{#- The as-of date of this run as a SQL date literal: var('as_of_date') (YYYY-MM-DD) or the run
    date. Only data up to and including this day is used, so any past date can be rebuilt. -#}
{% macro as_of_date() -%}
    {{ return(adapter.dispatch('as_of_date', 'segmentation')()) }}
{%- endmacro %}

{% macro default__as_of_date() -%}
    cast('{{ segmentation.as_of_date_text() }}' as date)
{%- endmacro %}

{#- The same date as YYYY-MM-DD text, validated. -#}
{% macro as_of_date_text() -%}
    {%- set value = segmentation.optional_var('as_of_date') or run_started_at.strftime('%Y-%m-%d') -%}
    {%- set is_valid = modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) and segmentation._is_calendar_date(value) -%}
    {%- if not is_valid -%}
        {{ exceptions.raise_compiler_error(
            "var as_of_date must be a calendar date written YYYY-MM-DD (e.g. 2026-06-30), got '" ~ value ~ "'"
        ) }}
    {%- endif -%}
    {{ return(value) }}
{%- endmacro %}

{% macro _is_calendar_date(value) -%}
    {%- set year, month, day = value.split('-') | map('int') | list -%}
    {%- set days_in_month = [31, 29 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 28,
        31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {{ return(1 <= month <= 12 and 1 <= day <= days_in_month[month - 1]) }}
{%- endmacro %}
