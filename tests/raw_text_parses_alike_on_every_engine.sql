{#- The parse macros read the same raw text the same way on DuckDB, PostgreSQL and Spark, so every
    engine quarantines the same rows (docs/decisions/0010-engines.md). Each case: raw text, the
    value expected (null = not a value: the row is quarantined). A row returned is a case an engine
    reads otherwise. -#}
{%- set timestamps = [
    ('2024-01-01', '2024-01-01 00:00:00'),
    ('2024-01-01 10:00', '2024-01-01 10:00:00'),
    ('2024-01-01 10:00:00', '2024-01-01 10:00:00'),
    ('2024-01-01T10:00:00', '2024-01-01 10:00:00'),
    ('2024-01-01T10:00:00Z', '2024-01-01 10:00:00'),
    ('2024-01-01 10:00:00+02', '2024-01-01 08:00:00'),
    ('2024-01-01 10:00:00+02:00', '2024-01-01 08:00:00'),
    ('2024-01-01T00:30:00+0530', '2023-12-31 19:00:00'),
    ('2024-01-01 22:00:00-03:00', '2024-01-02 01:00:00'),
    ('2024-01-01 10:00:00.123456', '2024-01-01 10:00:00.123456'),
    ('2024-01-01 10:00:00.1234567', '2024-01-01 10:00:00.123456'),
    ('2024-01-01 10:00:00.5+01', '2024-01-01 09:00:00.5'),
    ('2024-02-29', '2024-02-29 00:00:00'),
    ('2023-02-29', none), ('2024-02-30', none), ('2024-13-01', none), ('2024', none), ('2024-10', none),
    ('2024-1-01', none), ('2024-01-01 10', none), ('+2024-01-01', none), ('10:00:00', none),
    ('T10:00:00', none), ('2024/01/01', none), ('01/02/2024', none), ('epoch', none), ('infinity', none),
    ('2024-01-01 10:00:60', none), ('2024-01-01 24:00:00', none), ('2024-01-01  10:00:00', none),
    ('2024-01-01 1:2:3', none), ('2024-01-01Z', none), ('2024-01-01 10:00:00 UTC', none),
    ('2024-01-01 10:00:00+2', none), ('２０２４-01-01', none),
] -%}
{%- set numbers = [
    ('12.5', '12.5'), ('-3', '-3'), ('+4', '4'), ('.5', '0.5'), ('5.', '5'), ('1e3', '1000'),
    ('1.5E-2', '0.015'), ('0.0000001', '0'), ('9999999999999999999999', '9999999999999999999999'),
    ('10000000000000000000000', none), ('1e30', none), ('1e400', none), ('NaN', none), ('inf', none),
    ('-Infinity', none), ('1_000', none), ('1,5', none), ('1 000', none), ('12e', none), ('.', none),
    ('0x10', none), ('１２', none), ('12.5€', none),
] -%}
{%- set integers = [
    ('3', '3'), ('3.0', '3'), ('-2', '-2'), ('1e2', '100'), ('3.5', none), ('0.1', none),
    ('9223372036854775807', '9223372036854775807'), ('9223372036854775808', none),
    ('10000000000000000000', none), ('1e19', none),
] -%}
{%- set all_cases = [] -%}
{%- for kind, rows in [('timestamp', timestamps), ('number', numbers), ('integer', integers)] -%}
{%- for raw, expected in rows -%}
{%- do all_cases.append((kind, raw, expected)) -%}
{%- endfor -%}
{%- endfor -%}

{%- set parsers = [
    ('timestamp', parse_timestamp, dbt.type_timestamp()),
    ('number', parse_decimal, dbt.type_numeric()),
    ('integer', parse_integer, dbt.type_bigint()),
] -%}

with

cases as (
    {%- for kind, raw, expected in all_cases %}
    select
        '{{ kind }}' as kind,
        '{{ raw }}' as raw_text,
        {{ "'" ~ expected ~ "'" if expected is not none else 'null' }} as expected_text
    {{- ' union all' if not loop.last }}
    {%- endfor %}
),

read as (
    {%- for kind, parse, data_type in parsers %}
    select
        '{{ kind }}' as kind,
        raw_text,
        expected_text,
        cast({{ parse('raw_text') }} as {{ dbt.type_string() }}) as read_text,
        {{ parse('raw_text') }} is null as is_read_null,
        expected_text is null as is_expected_null,
        {{ parse('raw_text') }} = cast(expected_text as {{ data_type }}) as is_equal
    from cases
    where kind = '{{ kind }}'
    {{- ' union all' if not loop.last }}
    {%- endfor %}
)

select
    kind,
    raw_text,
    expected_text,
    read_text
from read
where is_read_null != is_expected_null or not is_equal
