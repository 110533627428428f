{#- A regular expression, as an SQL expression, matching one control character that has no place
    in a raw value: every one below a space but tab, line feed and carriage return (which quoted
    CSV fields may carry). NUL only where the engine's text can hold it (PostgreSQL's cannot:
    such a file fails to load there). Built with chr(), as literal control characters would not
    survive SQL files. -#}
{% macro control_character_pattern() -%}
    '[' || {{ 'chr(1)' if target.type == 'postgres' else 'chr(0)' }} || '-' || chr(8) || chr(11) || chr(12)
    || chr(14) || '-' || chr(31) || ']'
{%- endmacro %}

{#- Boolean: one of the texts holds a control character (false when all are null). The texts are
    joined and searched once: one regular expression per row, not one per column, which made the
    check a quarter of a large build. -#}
{% macro has_control_character(expressions) -%}
    {{ return(adapter.dispatch('has_control_character', 'segmentation')(expressions)) }}
{%- endmacro %}

{% macro default__has_control_character(expressions) -%}
    coalesce(regexp_like(concat_ws(' ', {{ expressions | join(', ') }}), {{ segmentation.control_character_pattern() }}), false)
{%- endmacro %}

{% macro duckdb__has_control_character(expressions) -%}
    regexp_matches(concat_ws(' ', {{ expressions | join(', ') }}), {{ segmentation.control_character_pattern() }})
{%- endmacro %}

{% macro postgres__has_control_character(expressions) -%}
    coalesce(concat_ws(' ', {{ expressions | join(', ') }}) ~ ({{ segmentation.control_character_pattern() }}), false)
{%- endmacro %}

{% macro spark__has_control_character(expressions) -%}
    coalesce(concat_ws(' ', {{ expressions | join(', ') }}) rlike ({{ segmentation.control_character_pattern() }}), false)
{%- endmacro %}
