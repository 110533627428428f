{#- SQL text holding the control characters that have no place in a raw value (every one below
    a space but tab, line feed and carriage return, which quoted CSV fields may carry). NUL only
    where the engine's text can hold it (PostgreSQL's cannot: such a file fails to load there). -#}
{% macro control_characters() -%}
    {%- set codes = ([] if target.type == 'postgres' else [0]) + range(1, 9) | list + [11, 12] + range(14, 32) | list -%}
    {%- for code in codes -%}chr({{ code }}){{ ' || ' if not loop.last }}{%- endfor -%}
{%- endmacro %}

{#- Boolean: the text holds at least one of control_characters() (null for null). -#}
{% macro has_control_character(expression) -%}
    translate({{ expression }}, {{ segmentation.control_characters() }}, '') <> {{ expression }}
{%- endmacro %}
