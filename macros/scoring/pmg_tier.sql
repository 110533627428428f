{#- Window expression: the PMG tier (major / medium / small) of `amount_column` with the shares of
    vars pmg_major_share and pmg_medium_share; without a positive amount, no_recent_revenue when
    `has_bought` (a boolean expression: bought before, or only returns in the window) holds, else
    no_purchase (never bought). -#}
{% macro pmg_tier(amount_column, has_bought='false', partition_by=none) -%}
    case
        when coalesce({{ amount_column }}, 0) <= 0 and coalesce({{ has_bought }}, false) then 'no_recent_revenue'
        else
            {{ segmentation.pareto_tier(
                amount_column,
                [var('pmg_major_share'), var('pmg_medium_share')],
                ['major', 'medium', 'small'],
                'no_purchase',
                partition_by
            ) }}
    end
{%- endmacro %}
