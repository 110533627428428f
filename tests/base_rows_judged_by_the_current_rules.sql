-- Incremental base models (ADR 0015): after a run every stored row carries a row hash and the
-- fingerprint of the rules of this run, whatever run parsed it (a row judged by older rules or
-- code would have been re-parsed). Fails with one row per base table that breaks it.
{{ config(enabled=target.type == 'duckdb' and var('incremental_staging', true)) }}

{% for table_name in raw_table_names() %}
select
    '{{ table_name }}' as table_name,
    count(distinct validation_rules) as rule_fingerprints,
    sum(case when raw_row_hash is null then 1 else 0 end) as rows_without_hash
from {{ ref('base_raw__' ~ table_name) }}
having
    count(distinct validation_rules) > 1
    or sum(case when raw_row_hash is null then 1 else 0 end) > 0
{% if not loop.last %}union all{% endif %}
{% endfor %}
