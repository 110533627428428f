{#- Vars pasted into SQL are validated first, so that a typo or a payload in --vars is a clear
    compile error naming the var, never different SQL. -#}

{#- A calendar date written YYYY-MM-DD. -#}
{% macro date_var(name) %}
    {%- set value = var(name) | string -%}
    {%- if not (modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value) and segmentation._is_calendar_date(value)) -%}
        {{ exceptions.raise_compiler_error("var " ~ name ~ " must be a calendar date written YYYY-MM-DD, got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}

{#- A string of 1 to max_length digits (e.g. a country calling code). -#}
{% macro digits_var(name, max_length=3) %}
    {%- set value = var(name) | string -%}
    {%- if not modules.re.match('^[0-9]{1,' ~ max_length ~ '}$', value) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be 1 to " ~ max_length ~ " digits, got '" ~ value ~ "'") }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}

{#- A number (not a boolean, not text) from `minimum` to `maximum`. -#}
{% macro number_var(name, minimum=0, maximum=none) %}
    {%- set value = var(name) -%}
    {%- if not (value is number and value is not boolean and value >= minimum and (maximum is none or value <= maximum)) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " must be a number >= " ~ minimum ~ ((" and <= " ~ maximum) if maximum is not none else "")
            ~ ", got " ~ value) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}
