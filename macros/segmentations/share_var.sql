{#- The value of a var that is a share: a number from 0 to 1 (above `above` when given), or a clear
    compile error naming the var: a typo in --vars must not become a silently different rule. -#}
{% macro share_var(name, above=none) %}
    {%- set value = var(name) -%}
    {%- set valid = value is number and value is not boolean and value <= 1
        and ((value > above) if above is not none else (value >= 0)) -%}
    {%- if not valid -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be a number " ~ (("above " ~ above) if above is not none else "from 0")
            ~ " and at most 1, got " ~ value) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}

{#- The value of a var that lists `length` strictly increasing shares in (0, 1], or a clear
    compile error naming the var. -#}
{% macro increasing_shares_var(name, length) %}
    {%- set shares = var(name) -%}
    {%- set check = namespace(valid=shares is not string and shares is iterable and shares | length == length, before=0) -%}
    {%- for share in (shares if check.valid else []) -%}
        {%- set check.valid = check.valid and share is number and share is not boolean and check.before < share <= 1 -%}
        {%- set check.before = share if share is number else 1 -%}
    {%- endfor -%}
    {%- if not check.valid -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must list " ~ length ~ " increasing shares in (0, 1], got " ~ shares) }}
    {%- endif -%}
    {{ return(shares) }}
{% endmacro %}
