{#- Left-joins the seed canonical_codes for one column: `<alias>.canonical_code` is the canonical
    code of `expression` in `code_domain`, null when the value is unknown. The model must define a
    CTE named canonical_codes. -#}
{% macro join_canonical_code(alias, code_domain, expression) -%}
    {%- if code_domain is not string or code_domain | length == 0 -%}
        {{ exceptions.raise_compiler_error("join_canonical_code: code_domain must be a non-empty string, got " ~ code_domain) }}
    {%- endif %}
    left join canonical_codes as {{ alias }}
        on
            {{ alias }}.code_domain = '{{ code_domain }}'
            and {{ alias }}.raw_value = lower({{ expression }})
{%- endmacro %}
