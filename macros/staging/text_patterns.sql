{#- Regular expressions the same on every engine: RE2 (DuckDB), POSIX ARE (PostgreSQL) and Java
    (Spark) agree on the subset used here: anchors, [classes], {m,n}, (?:...) groups. Patterns are
    written without backslashes, which Spark's string literals would eat. -#}

{#- Boolean: the whole text matches the pattern (anchor it with ^...$). -#}
{% macro matches_pattern(expression, pattern) -%}
    {{ return(adapter.dispatch('matches_pattern', 'segmentation')(expression, pattern)) }}
{%- endmacro %}

{% macro default__matches_pattern(expression, pattern) -%}
    regexp_like({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro duckdb__matches_pattern(expression, pattern) -%}
    regexp_matches({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__matches_pattern(expression, pattern) -%}
    ({{ expression }} ~ '{{ pattern }}')
{%- endmacro %}

{% macro spark__matches_pattern(expression, pattern) -%}
    ({{ expression }} rlike '{{ pattern }}')
{%- endmacro %}

{#- Text: capture group n of the pattern's first match, null when the text does not match or the
    group took no part in it. -#}
{% macro pattern_group(expression, pattern, n) -%}
    {{ return(adapter.dispatch('pattern_group', 'segmentation')(expression, pattern, n)) }}
{%- endmacro %}

{% macro default__pattern_group(expression, pattern, n) -%}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}', {{ n }}), '')
{%- endmacro %}

{% macro postgres__pattern_group(expression, pattern, n) -%}
    (regexp_match({{ expression }}, '{{ pattern }}'))[{{ n }}]
{%- endmacro %}

{#- The patterns of the values staging accepts (docs/decisions/0010-engines.md). A number: dot
    decimals, an optional exponent of at most three digits. A timestamp: ISO 8601 date, optional
    time (hh:mm or hh:mm:ss, a fraction kept to the microsecond) and an optional UTC offset (Z,
    +hh, +hhmm, +hh:mm), which only follows a time. Groups: 1 date, 2 time, 3 fraction, 4 offset. -#}
{% macro number_pattern() -%}
    ^[+-]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+)(?:[eE][+-]?[0-9]{1,3})?$
{%- endmacro %}

{#- The shapes most extracts hold, and typed Parquet columns become as text, which every engine
    casts directly to the same value the full patterns give: a whole number of at most 18 digits
    (within bigint), and a date or 'date hh:mm:ss[.ffffff]' without offset. The parse macros take
    this path first and the regular expressions with groups only for the rest. -#}
{% macro plain_integer_pattern() -%}
    ^[+-]?[0-9]{1,18}$
{%- endmacro %}

{% macro plain_timestamp_pattern() -%}
    ^[0-9]{4}-[0-9]{2}-[0-9]{2}(?: (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:[.][0-9]{1,6})?)?$
{%- endmacro %}

{% macro timestamp_pattern() -%}
    ^([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[ T]((?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?)(?:([.][0-9]{1,6})[0-9]*)?(Z|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?)?)?$
{%- endmacro %}
