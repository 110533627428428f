-- The membership that fct_segment_changes gives for the run's as-of date (each customer's latest
-- row up to it, a 'left' row ending it) is exactly fct_customer_segments: the same customers in
-- the same segments (segmentations disabled since keep their history and are left aside).
-- Returns the memberships found on one side only. Read from the change log with a grouping and
-- a join (they spill to disk; a window over the whole log peaked above memory_limit at 1M
-- customers): segment_membership_history derives its periods from the same rows, and its unit
-- test checks that derivation.
with

facts as (
    select
        customer_key,
        segmentation,
        segment_code
    from {{ ref('fct_customer_segments') }}
),

changes as (
    select * from {{ ref('fct_segment_changes') }}
    where
        as_of_date <= {{ as_of_date() }}
        and segmentation in (select facts.segmentation from facts)
),

latest_dates as (
    select
        customer_key,
        segmentation,
        max(as_of_date) as as_of_date
    from changes
    group by customer_key, segmentation
),

history as (
    select
        changes.customer_key,
        changes.segmentation,
        changes.segment_code
    from changes
    inner join latest_dates
        on
            changes.customer_key = latest_dates.customer_key
            and changes.segmentation = latest_dates.segmentation
            and changes.as_of_date = latest_dates.as_of_date
    where changes.segment_code is not null
),

only_in_history as (
    select
        'history only' as found_in,
        customer_key,
        segmentation,
        segment_code
    from history
    except
    select
        'history only' as found_in,
        customer_key,
        segmentation,
        segment_code
    from facts
),

only_in_facts as (
    select
        'fact only' as found_in,
        customer_key,
        segmentation,
        segment_code
    from facts
    except
    select
        'fact only' as found_in,
        customer_key,
        segmentation,
        segment_code
    from history
)

select * from only_in_history
union all
select * from only_in_facts
