{#- A var that may be left empty: none when it is null, empty or the word none/null, else its
    value as trimmed text. -#}
{% macro optional_var(name) -%}
    {%- set configured = var(name, none) -%}
    {%- set text = configured | string | trim -%}
    {{ return(none if configured is none or text | lower in ['', 'none', 'null'] else text) }}
{%- endmacro %}
