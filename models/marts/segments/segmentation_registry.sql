{#- One row per segmentation of the registry (var segmentations), enabled or not: what BI tools
    need to list and describe the segmentations of customer_segments and segment_summary.
    is_enabled: built on this engine (a Python segmentation is not built without Python models);
    evidence_needed, min_evidence_share: what segmentation_coverage measures it against. -#}
with

registry as (
    {%- for entry in segmentation_registry() %}
    select
        '{{ entry.name }}' as segmentation,
        '{{ entry.label | replace("'", "''") }}' as segmentation_label,
        '{{ entry.description | replace("'", "''") }}' as segmentation_description,
        '{{ entry.owner | replace("'", "''") }}' as owner_team,
        '{{ entry.model }}' as model_name,
        '{{ entry.column }}' as customer_segments_column,
        {{ loop.index }} as sort_order,
        {{ 'true' if segmentation_is_built(entry) else 'false' }} as is_enabled,
        '{{ entry.get("evidence", "not declared in the registry") | replace("'", "''") }}' as evidence_needed,
        {{ segmentation_min_evidence_share(entry) }} as min_evidence_share
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

final as (
    select
        cast(segmentation as {{ dbt.type_string() }}) as segmentation,
        cast(segmentation_label as {{ dbt.type_string() }}) as segmentation_label,
        cast(segmentation_description as {{ dbt.type_string() }}) as segmentation_description,
        cast(owner_team as {{ dbt.type_string() }}) as owner_team,
        cast(model_name as {{ dbt.type_string() }}) as model_name,
        cast(customer_segments_column as {{ dbt.type_string() }}) as customer_segments_column,
        cast(sort_order as {{ dbt.type_int() }}) as sort_order,
        cast(is_enabled as {{ dbt.type_boolean() }}) as is_enabled,
        cast(evidence_needed as {{ dbt.type_string() }}) as evidence_needed,
        cast(min_evidence_share as {{ type_double() }}) as min_evidence_share
    from registry
)

select * from final
