{#- The history of memberships, kept as changes: one row per as-of date × customer × segmentation
    whose segment differs from the one it held at the previous built date (entered, moved, left:
    segment_code null). The membership on any built date is each customer's latest row up to that
    date (segment_membership_history). A day adds the customers who changed, not every customer.

    Incremental by as-of date. A run writes the rows of its date against the membership before it,
    and, when a later date was already built (a backfill, or a date built again), the rows of that
    next date against the new membership: dates built in any order chain. A date's rows are
    replaced only when the new rows hold that date, so a date that held rows and now has no change
    gets one unchanged row ('restated') in their place. -#}
-- depends_on: {{ ref('segment_summary') }}
{{ config(**incremental_by_as_of_date()) }}

{%- set run_date = as_of_date() %}

with

current_members as (
    select
        customer_key,
        segmentation,
        segment_code
    from {{ ref('fct_customer_segments') }}
),

{%- if is_incremental() %}

current_segmentations as (
    select distinct segmentation
    from current_members
),

changes as (
    select * from {{ this }}
),

built_dates as (
    -- segment_summary has rows for every built date, also a date on which nobody changed
    select distinct as_of_date
    from {{ ref('segment_summary') }}
    where as_of_date != {{ run_date }}
),

neighbours as (
    select
        max(case when as_of_date < {{ run_date }} then as_of_date end) as previous_as_of_date,
        min(case when as_of_date > {{ run_date }} then as_of_date end) as next_as_of_date
    from built_dates
),

latest_dates as (
    -- each key's latest row before the run's date and up to the next built date, in one hash
    -- aggregation over the log (no sort: the log is the largest table a daily run reads)
    select
        changes.customer_key,
        changes.segmentation,
        max(case when changes.as_of_date < {{ run_date }} then changes.as_of_date end) as date_before,
        max(case when changes.as_of_date <= neighbours.next_as_of_date then changes.as_of_date end) as date_at_next
    from changes
    cross join neighbours
    group by changes.customer_key, changes.segmentation
),

latest_rows as (
    select
        changes.customer_key,
        changes.segmentation,
        changes.segment_code,
        coalesce(changes.as_of_date = latest_dates.date_before, false) as is_latest_before,
        coalesce(changes.as_of_date = latest_dates.date_at_next, false) as is_latest_at_next
    from changes
    inner join latest_dates
        on
            changes.customer_key = latest_dates.customer_key
            and changes.segmentation = latest_dates.segmentation
    where changes.as_of_date in (latest_dates.date_before, latest_dates.date_at_next)
),

members_before as (
    select
        customer_key,
        segmentation,
        segment_code
    from latest_rows
    where is_latest_before and segment_code is not null
),

members_at_next as (
    -- the next built date's membership as it was built (its rows are rewritten, not its segments)
    select
        customer_key,
        segmentation,
        segment_code
    from latest_rows
    where is_latest_at_next and segment_code is not null
),

rows_held_on_run_date as (
    select
        customer_key,
        segmentation
    from changes
    where as_of_date = {{ run_date }}
),

rows_held_on_next_date as (
    select
        changes.customer_key,
        changes.segmentation
    from changes
    inner join neighbours
        on changes.as_of_date = neighbours.next_as_of_date
),

{%- set steps = [
    ('run_date', 'current_members', 'members_before', 'rows_held_on_run_date',
     run_date, 'neighbours.previous_as_of_date'),
    ('next_date', 'members_at_next', 'current_members', 'rows_held_on_next_date',
     'neighbours.next_as_of_date', run_date),
] %}
{%- for name, members, previous_members, held, date_expression, previous_date_expression in steps %}

pairs_{{ name }} as (
    select
        coalesce(members.customer_key, previous_members.customer_key) as customer_key,
        coalesce(members.segmentation, previous_members.segmentation) as segmentation,
        members.segment_code,
        previous_members.segment_code as previous_segment_code
    from {{ members }} as members
    full outer join {{ previous_members }} as previous_members
        on
            members.customer_key = previous_members.customer_key
            and members.segmentation = previous_members.segmentation
),

candidates_{{ name }} as (
    select
        {{ date_expression }} as as_of_date,
        pairs.customer_key,
        pairs.segmentation,
        pairs.segment_code,
        pairs.previous_segment_code,
        {{ previous_date_expression }} as previous_as_of_date,
        coalesce(pairs.segment_code, '') != coalesce(pairs.previous_segment_code, '') as is_change
    from pairs_{{ name }} as pairs
    cross join neighbours
    -- a segmentation disabled since keeps its history as it stands
    inner join current_segmentations
        on pairs.segmentation = current_segmentations.segmentation
    left join {{ held }} as held
        on
            pairs.customer_key = held.customer_key
            and pairs.segmentation = held.segmentation
    where
        {{ date_expression }} is not null
        and (
            coalesce(pairs.segment_code, '') != coalesce(pairs.previous_segment_code, '')
            or held.customer_key is not null
        )
),

ranked_{{ name }} as (
    select
        *,
        max(case when is_change then 1 else 0 end) over () as change_count,
        row_number() over (order by customer_key, segmentation) as row_rank
    from candidates_{{ name }}
),

rows_{{ name }} as (
    -- the changes; when there is none but the date held rows, one unchanged row replaces them
    select
        as_of_date,
        customer_key,
        segmentation,
        segment_code,
        previous_segment_code,
        previous_as_of_date
    from ranked_{{ name }}
    where is_change or (change_count = 0 and row_rank = 1)
),
{%- endfor %}

new_rows as (
    select * from rows_run_date
    union all
    select * from rows_next_date
),

{%- else %}

new_rows as (
    select
        {{ run_date }} as as_of_date,
        customer_key,
        segmentation,
        segment_code,
        cast(null as {{ dbt.type_string() }}) as previous_segment_code,
        cast(null as date) as previous_as_of_date
    from current_members
),

{%- endif %}

final as (
    select
        cast(as_of_date as date) as as_of_date,
        cast(customer_key as {{ dbt.type_string() }}) as customer_key,
        cast(segmentation as {{ dbt.type_string() }}) as segmentation,
        cast(segment_code as {{ dbt.type_string() }}) as segment_code,
        cast(previous_segment_code as {{ dbt.type_string() }}) as previous_segment_code,
        cast(
            case
                when previous_segment_code is null then 'entered'
                when segment_code is null then 'left'
                when segment_code = previous_segment_code then 'restated'
                else 'moved'
            end
            as {{ dbt.type_string() }}
        ) as change_type,
        cast(previous_as_of_date as date) as previous_as_of_date
    from new_rows
)

select * from final
