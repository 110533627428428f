-- The membership that fct_segment_changes gives for the run's as-of date (each customer's latest
-- row up to it) is exactly fct_customer_segments: the same customers in the same segments.
-- (segmentations disabled since keep their history and are left aside). Returns the memberships
-- found on one side only.
with

facts as (
    select
        customer_key,
        segmentation,
        segment_code
    from {{ ref('fct_customer_segments') }}
),

history as (
    select
        customer_key,
        segmentation,
        segment_code
    from {{ ref('segment_membership_history') }}
    where
        valid_from <= {{ as_of_date() }}
        and (valid_to is null or valid_to > {{ as_of_date() }})
        and segmentation in (select facts.segmentation from facts)
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
