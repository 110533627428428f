{#- The RFM segment of a buyer: the cell of the seed rfm_segment_map (`map_code`), except 'lost'
    for one whose last order is more than var('rfm_lost_after_days') days old (At Risk, Can't
    Lose and Hibernating hold customers still worth a win-back; empty var = no limit). -#}
{% macro rfm_segment_code(recency_days, map_code) -%}
    {%- set limit = segmentation.optional_var('rfm_lost_after_days') -%}
    {%- if limit is none -%}
        {{ map_code }}
    {%- elif not limit.isdigit() or limit | int < 1 -%}
        {{ exceptions.raise_compiler_error(
            "var rfm_lost_after_days must be empty (no limit) or a whole number of days >= 1, got '" ~ limit ~ "'") }}
    {%- else -%}
        case when {{ recency_days }} > {{ limit | int }} then 'lost' else {{ map_code }} end
    {%- endif -%}
{%- endmacro %}
