{#- The label of a membership's segment, from segment_catalog joined twice: `labels` on the code,
    and `any_code_labels` (join_any_code_labels) on the '*' row of a segmentation whose codes are
    data (geography), whose codes are their own labels. -#}
{% macro segment_label(code) -%}
    coalesce(labels.segment_label, case when any_code_labels.segment_code is not null then {{ code }} end)
{%- endmacro %}

{% macro join_any_code_labels(segmentation) -%}
    left join labels as any_code_labels
        on
            {{ segmentation }} = any_code_labels.segmentation
            and any_code_labels.segment_code = '*'
{%- endmacro %}
