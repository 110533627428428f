{#- A timestamp (without time zone, in UTC when the text gives an offset) from cleaned ISO 8601
    text, or null: only the shape of timestamp_pattern() converts, on every engine alike. A date
    alone is midnight; an offset (Z, +02, +0530, -03:00) is taken off, so '10:00:00+02' is 08:00;
    digits of a fraction beyond the microsecond are dropped. The plain shape (no offset, no 'T')
    is cast at once: the groups of the full pattern cost a regular expression each. -#}
{% macro parse_timestamp(expression) -%}
    {%- set pattern = segmentation.timestamp_pattern() -%}
    {%- set time = segmentation.pattern_group(expression, pattern, 2) -%}
    {%- set offset = segmentation.pattern_group(expression, pattern, 4) -%}
    {%- set local_text -%}
        {{ segmentation.pattern_group(expression, pattern, 1) }} || ' '
        || coalesce({{ time }}, '00:00') || case when length({{ time }}) = 5 then ':00' else '' end
        || coalesce({{ segmentation.pattern_group(expression, pattern, 3) }}, '')
    {%- endset -%}
    {%- set offset_minutes -%}
        case
            when {{ offset }} is null or {{ offset }} = 'Z' then 0
            else
                (case when substring({{ offset }}, 1, 1) = '-' then -1 else 1 end)
                * (
                    cast(substring({{ offset }}, 2, 2) as {{ dbt.type_int() }}) * 60
                    + case when length({{ offset }}) > 3 then cast(right({{ offset }}, 2) as {{ dbt.type_int() }}) else 0 end
                )
        end
    {%- endset -%}
    case
        when {{ segmentation.matches_pattern(expression, segmentation.plain_timestamp_pattern()) }}
            then {{ segmentation.try_cast(expression, dbt.type_timestamp()) }}
        when {{ segmentation.matches_pattern(expression, pattern) }}
            then {{ segmentation.minus_minutes(segmentation.try_cast(local_text, dbt.type_timestamp()), offset_minutes) }}
    end
{%- endmacro %}

{#- A timestamp moved back by a number of minutes (exact to the microsecond on every engine;
    dbt.dateadd on Spark goes through whole seconds). -#}
{% macro minus_minutes(timestamp_expression, minutes) -%}
    {{ return(adapter.dispatch('minus_minutes', 'segmentation')(timestamp_expression, minutes)) }}
{%- endmacro %}

{% macro default__minus_minutes(timestamp_expression, minutes) -%}
    {{ dbt.dateadd('minute', '-(' ~ minutes ~ ')', timestamp_expression) }}
{%- endmacro %}

{% macro spark__minus_minutes(timestamp_expression, minutes) -%}
    timestampadd(minute, -({{ minutes }}), {{ timestamp_expression }})
{%- endmacro %}
