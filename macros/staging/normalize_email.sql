{#- Email as a matching key: lower case, no white space anywhere; null unless it looks like an address. -#}
{% macro normalize_email(expression) -%}
    case
        when lower(replace({{ expression }}, ' ', '')) like '%_@_%._%'
            then lower(replace({{ expression }}, ' ', ''))
    end
{%- endmacro %}
