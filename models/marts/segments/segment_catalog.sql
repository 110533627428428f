{#- One row per segmentation × segment code of the seed segment_labels: what BI tools join to show
    a segment's label, description and recommended action. A segmentation whose codes are data
    (geography) has one row '*': its codes are their own labels. A mart, so that the published
    views over the history (segment_membership_history) read nothing but marts.
    The windows a label or description names ('{revenue_window_days}', '{appetence_window}') are
    written from the vars (window_placeholders). -#}
with

labels as (
    select * from {{ ref('segment_labels') }}
),

final as (
    select
        cast(segmentation as {{ dbt.type_string() }}) as segmentation,
        cast(segment_code as {{ dbt.type_string() }}) as segment_code,
        -- a window a label names is the one the vars set, not the default's
        cast({{ window_placeholders('segment_label') }} as {{ dbt.type_string() }}) as segment_label,
        cast({{ window_placeholders('description') }} as {{ dbt.type_string() }}) as description,
        cast(recommended_action as {{ dbt.type_string() }}) as recommended_action,
        cast(sort_order as {{ dbt.type_int() }}) as sort_order,
        cast(activity_status as {{ dbt.type_string() }}) as activity_status,
        cast(evidence as {{ dbt.type_string() }}) as evidence
    from labels
)

select * from final
