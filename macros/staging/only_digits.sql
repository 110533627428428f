{#- The digits of a text, everything else removed. -#}
{% macro only_digits(expression) -%}
    {{ return(adapter.dispatch('only_digits', 'segmentation')(expression)) }}
{%- endmacro %}

{% macro default__only_digits(expression) -%}
    regexp_replace({{ expression }}, '[^0-9]', '', 'g')
{%- endmacro %}

{% macro spark__only_digits(expression) -%}
    regexp_replace({{ expression }}, '[^0-9]', '')
{%- endmacro %}
