{#- Phone as a matching key in national format: digits only, the international prefix
    (+<code> or 00<code>, code from var('phone_country_code')) replaced by a leading 0.
    Null when fewer than 6 digits remain. -#}
{% macro normalize_phone(expression) -%}
    {%- set digits = only_digits(expression) -%}
    {%- set code = digits_var('phone_country_code') -%}
    case
        when length({{ digits }}) < 6 then null
        when {{ digits }} like '00{{ code }}%'
            then '0' || substr({{ digits }}, {{ 3 + code | length }})
        when {{ digits }} like '{{ code }}%' and length({{ digits }}) = {{ 9 + code | length }}
            then '0' || substr({{ digits }}, {{ 1 + code | length }})
        else {{ digits }}
    end
{%- endmacro %}
