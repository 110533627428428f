{#- One row per customer × segmentation × period of unchanged membership, read from
    fct_segment_changes: the segment held from valid_from (the built date it began) until valid_to
    (the built date it changed or ended, excluded; null while it lasts). Membership is known on
    built dates only: between two built dates it is the one of the earlier. The membership on a
    date D: valid_from <= D and (valid_to is null or valid_to > D). A view: it costs nothing to
    keep and adds nothing per day; it reads marts only, so a published version holds it as a view
    too (over the version's change log). -#}
{{ config(materialized='view') }}

with

changes as (
    select * from {{ ref('fct_segment_changes') }}
),

labels as (
    select * from {{ ref('segment_catalog') }}
),

periods as (
    select
        customer_key,
        segmentation,
        segment_code,
        as_of_date as valid_from,
        lead(as_of_date) over (
            partition by customer_key, segmentation
            order by as_of_date
        ) as valid_to
    from changes
),

final as (
    select
        periods.customer_key,
        periods.segmentation,
        periods.segment_code,
        {{ segment_label('periods.segment_code') }} as segment_label,
        periods.valid_from,
        periods.valid_to
    from periods
    left join labels
        on
            periods.segmentation = labels.segmentation
            and periods.segment_code = labels.segment_code
    {{ join_any_code_labels('periods.segmentation') }}
    -- a 'left' row ends a period and begins none
    where periods.segment_code is not null
)

select * from final
