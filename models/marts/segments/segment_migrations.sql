{#- One row per as_of_date × segmentation × from segment × to segment: how the customers of the
    previous as-of date held in fct_customer_segments moved by this one, with their revenue at
    both dates. Customers absent at the previous date (not customers yet) entered with no from
    segment; customers absent now (merged into another key, quarantined or removed) left with no
    to segment. Incremental by as-of date: a run rebuilds the pair that ends on its as_of_date and
    the pair that starts on it, so dates built out of order (a backfill) still chain. -#}
{{ config(**incremental_by_as_of_date()) }}

with

facts as (
    select
        as_of_date,
        customer_key,
        segmentation,
        segment_code,
        segment_label,
        window_revenue_amount
    from {{ ref('fct_customer_segments') }}
),

fact_dates as (
    select distinct as_of_date
    from facts
),

date_pairs as (
    select
        as_of_date,
        lag(as_of_date) over (order by as_of_date) as previous_as_of_date
    from fact_dates
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

pair_members as (
    -- every membership of both dates of a pair, told apart by is_current
    select
        pairs.as_of_date,
        pairs.previous_as_of_date,
        facts.customer_key,
        facts.segmentation,
        facts.as_of_date = pairs.as_of_date as is_current,
        facts.segment_code,
        facts.segment_label,
        facts.window_revenue_amount
    from pairs_to_build as pairs
    inner join facts
        on facts.as_of_date in (pairs.previous_as_of_date, pairs.as_of_date)
),

customer_moves as (
    select
        as_of_date,
        previous_as_of_date,
        segmentation,
        customer_key,
        max(case when not is_current then segment_code end) as from_segment_code,
        max(case when not is_current then segment_label end) as from_segment_label,
        max(case when is_current then segment_code end) as to_segment_code,
        max(case when is_current then segment_label end) as to_segment_label,
        coalesce(sum(case when not is_current then window_revenue_amount end), 0) as previous_revenue_amount,
        coalesce(sum(case when is_current then window_revenue_amount end), 0) as revenue_amount
    from pair_members
    group by as_of_date, previous_as_of_date, segmentation, customer_key
),

moves as (
    select
        *,
        case
            when from_segment_code is null then 'entered'
            when to_segment_code is null then 'left'
            when from_segment_code = to_segment_code then 'stayed'
            else 'moved'
        end as migration_type
    from customer_moves
),

final as (
    select
        cast(as_of_date as date) as as_of_date,
        cast(previous_as_of_date as date) as previous_as_of_date,
        cast(segmentation as {{ dbt.type_string() }}) as segmentation,
        cast(from_segment_code as {{ dbt.type_string() }}) as from_segment_code,
        cast(from_segment_label as {{ dbt.type_string() }}) as from_segment_label,
        cast(to_segment_code as {{ dbt.type_string() }}) as to_segment_code,
        cast(to_segment_label as {{ dbt.type_string() }}) as to_segment_label,
        cast(migration_type as {{ dbt.type_string() }}) as migration_type,
        cast(count(*) as {{ dbt.type_bigint() }}) as customer_count,
        cast(sum(previous_revenue_amount) as {{ dbt.type_numeric() }}) as previous_revenue_amount,
        cast(sum(revenue_amount) as {{ dbt.type_numeric() }}) as revenue_amount
    from moves
    group by
        as_of_date,
        previous_as_of_date,
        segmentation,
        from_segment_code,
        from_segment_label,
        to_segment_code,
        to_segment_label,
        migration_type
)

select * from final
