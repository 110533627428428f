{#- Window expression: the PMG tier (major / medium / small / no_purchase) of `amount_column`
    with the shares of vars pmg_major_share and pmg_medium_share. -#}
{% macro pmg_tier(amount_column, partition_by=none) -%}
    {{ segmentation.pareto_tier(
        amount_column,
        [var('pmg_major_share'), var('pmg_medium_share')],
        ['major', 'medium', 'small'],
        'no_purchase',
        partition_by
    ) }}
{%- endmacro %}
