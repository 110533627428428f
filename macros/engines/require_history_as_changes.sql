{#- Run start: a warehouse built before the history became a change log (docs/decisions/0023)
    keeps every date in marts.fct_customer_segments. Building over it would replace that table by
    the run's date alone, so the run stops until `python -m segmentation convert-history` has
    turned those dates into marts.fct_segment_changes. -#}
{% macro require_history_as_changes() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set facts = adapter.get_relation(database=target.database, schema='marts', identifier='fct_customer_segments') -%}
    {%- set changes = adapter.get_relation(database=target.database, schema='marts', identifier='fct_segment_changes') -%}
    {%- if facts is none or changes is not none -%}{{ return('') }}{%- endif -%}
    {%- set dates = run_query('select count(distinct as_of_date) from ' ~ facts) -%}
    {%- if dates.columns[0].values()[0] > 1 -%}
        {{ exceptions.raise_compiler_error(
            facts ~ " holds " ~ dates.columns[0].values()[0] ~ " as-of dates, the history kept before it "
            ~ "became a change log: run `python -m segmentation convert-history` once (it keeps every date) "
            ~ "before building (docs/decisions/0023)"
        ) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
