-- Warning: a raw table with more than var('quarantine_max_share') of its rows quarantined is a
-- suspicious extract, even though nothing was lost. Returns those tables with their share.
with

reconciliation as (
    select * from {{ ref('quarantine_reconciliation') }}
)

select
    table_name,
    quarantined_row_count,
    raw_row_count,
    quarantined_row_count * 1.0 / raw_row_count as quarantined_share
from reconciliation
where
    raw_row_count > 0
    and quarantined_row_count * 1.0 / raw_row_count > {{ var('quarantine_max_share') }}
