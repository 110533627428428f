-- Share of each raw table that did not reach staging, and the main reason why.
-- Compile with `dbt compile -s quarantine_share_by_table` and run the SQL in target/compiled.
with

reconciliation as (
    select * from {{ ref('quarantine_reconciliation') }}
),

reasons as (
    select * from {{ ref('quarantine_reason_counts') }}
),

top_reasons as (
    select
        table_name,
        reason,
        quarantined_row_count,
        row_number() over (partition by table_name order by quarantined_row_count desc, reason asc) as reason_rank
    from reasons
),

final as (
    select
        reconciliation.table_name,
        reconciliation.raw_row_count,
        reconciliation.quarantined_row_count,
        top_reasons.reason as main_reason,
        round(
            100.0 * reconciliation.quarantined_row_count / nullif(reconciliation.raw_row_count, 0), 2
        ) as quarantined_percent
    from reconciliation
    left join top_reasons
        on
            reconciliation.table_name = top_reasons.table_name
            and top_reasons.reason_rank = 1
)

select * from final
