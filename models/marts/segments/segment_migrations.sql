{#- One row per as_of_date × segmentation × from segment × to segment: how the customers of the
    previous built as-of date moved by this one. Customers absent at the previous date (not
    customers yet) entered with no from segment; customers absent now (merged into another key,
    quarantined or removed) left with no to segment. Read from fct_segment_changes (the movers) and
    segment_summary (the stayers: a segment's customers at the previous date less those who moved
    out). Incremental by as-of date: a run rebuilds the pair that ends on its as_of_date and the
    pair that starts on it, so dates built out of order (a backfill) still chain. -#}
{{ config(**incremental_by_as_of_date()) }}

with

changes as (
    select * from {{ ref('fct_segment_changes') }}
),

summary as (
    select * from {{ ref('segment_summary') }}
),

labels as (
    select
        as_of_date,
        segmentation,
        segment_code,
        segment_label
    from summary
),

built_dates as (
    select distinct as_of_date
    from summary
),

built_segmentations as (
    select distinct
        as_of_date,
        segmentation
    from summary
),

date_pairs as (
    select
        as_of_date,
        lag(as_of_date) over (order by as_of_date) as previous_as_of_date
    from built_dates
),

pairs_to_build as (
    select
        as_of_date,
        previous_as_of_date
    from date_pairs
    where
        previous_as_of_date is not null
        and (
            not {{ is_incremental() }}
            or as_of_date = {{ as_of_date() }}
            or previous_as_of_date = {{ as_of_date() }}
        )
),

movers as (
    -- a 'restated' row is a customer who stayed: counted with the stayers
    select
        pairs.as_of_date,
        pairs.previous_as_of_date,
        changes.segmentation,
        changes.previous_segment_code as from_segment_code,
        changes.segment_code as to_segment_code,
        changes.change_type as migration_type,
        count(*) as customer_count
    from pairs_to_build as pairs
    inner join changes
        on pairs.as_of_date = changes.as_of_date
    where changes.change_type != 'restated'
    group by
        pairs.as_of_date,
        pairs.previous_as_of_date,
        changes.segmentation,
        changes.previous_segment_code,
        changes.segment_code,
        changes.change_type
),

moved_out as (
    select
        as_of_date,
        segmentation,
        from_segment_code,
        sum(customer_count) as customer_count
    from movers
    where from_segment_code is not null
    group by as_of_date, segmentation, from_segment_code
),

stayers as (
    select
        pairs.as_of_date,
        pairs.previous_as_of_date,
        summary.segmentation,
        summary.segment_code as from_segment_code,
        summary.segment_code as to_segment_code,
        'stayed' as migration_type,
        summary.customer_count - coalesce(moved_out.customer_count, 0) as customer_count
    from pairs_to_build as pairs
    inner join summary
        on pairs.previous_as_of_date = summary.as_of_date
    -- only segmentations built on both dates: one enabled in between has entries, no stayers
    inner join built_segmentations
        on
            pairs.as_of_date = built_segmentations.as_of_date
            and summary.segmentation = built_segmentations.segmentation
    left join moved_out
        on
            pairs.as_of_date = moved_out.as_of_date
            and summary.segmentation = moved_out.segmentation
            and summary.segment_code = moved_out.from_segment_code
    where summary.customer_count - coalesce(moved_out.customer_count, 0) > 0
),

moves as (
    select * from movers
    union all
    select * from stayers
),

final as (
    select
        cast(moves.as_of_date as date) as as_of_date,
        cast(moves.previous_as_of_date as date) as previous_as_of_date,
        cast(moves.segmentation as {{ dbt.type_string() }}) as segmentation,
        cast(moves.from_segment_code as {{ dbt.type_string() }}) as from_segment_code,
        cast(from_labels.segment_label as {{ dbt.type_string() }}) as from_segment_label,
        cast(moves.to_segment_code as {{ dbt.type_string() }}) as to_segment_code,
        cast(to_labels.segment_label as {{ dbt.type_string() }}) as to_segment_label,
        cast(moves.migration_type as {{ dbt.type_string() }}) as migration_type,
        cast(moves.customer_count as {{ dbt.type_bigint() }}) as customer_count
    from moves
    left join labels as from_labels
        on
            moves.previous_as_of_date = from_labels.as_of_date
            and moves.segmentation = from_labels.segmentation
            and moves.from_segment_code = from_labels.segment_code
    left join labels as to_labels
        on
            moves.as_of_date = to_labels.as_of_date
            and moves.segmentation = to_labels.segmentation
            and moves.to_segment_code = to_labels.segment_code
)

select * from final
