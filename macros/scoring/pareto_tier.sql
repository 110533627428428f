{#- Window expression: the Pareto tier of each row by its share of the total of `amount_column`.
    Rows are ranked by amount, largest first; a row's tier is set by the share of the total made
    by the rows strictly larger than it: below shares[0] → labels[0], below shares[0]+shares[1] →
    labels[1], ..., otherwise the last label. Equal amounts always share a tier. Rows whose
    amount is null or <= 0 get `no_amount_label` and do not count in the total. -#}
{% macro pareto_tier(amount_column, shares, labels, no_amount_label, partition_by=none) -%}
    {{ return(adapter.dispatch('pareto_tier', 'segmentation')(amount_column, shares, labels, no_amount_label, partition_by)) }}
{%- endmacro %}

{% macro default__pareto_tier(amount_column, shares, labels, no_amount_label, partition_by) -%}
    {%- if shares is string or shares | length == 0 -%}
        {{ exceptions.raise_compiler_error("pareto_tier: `shares` must be a non-empty list of numbers, got " ~ shares) }}
    {%- endif -%}
    {%- if labels is string or labels | length != shares | length + 1 -%}
        {{ exceptions.raise_compiler_error(
            "pareto_tier: `labels` must list one label more than `shares` (" ~ (shares | length + 1) ~ "), got " ~ labels
        ) }}
    {%- endif -%}
    {%- set ns = namespace(total=0) -%}
    {%- for share in shares -%}
        {%- if share is not number or share <= 0 -%}
            {{ exceptions.raise_compiler_error("pareto_tier: every share must be a number > 0, got " ~ share) }}
        {%- endif -%}
        {%- set ns.total = ns.total + share -%}
    {%- endfor -%}
    {%- if ns.total >= 1 -%}
        {{ exceptions.raise_compiler_error("pareto_tier: `shares` must add up to less than 1, got " ~ shares) }}
    {%- endif -%}
    {%- set share_before = segmentation.cumulative_share_before(amount_column, partition_by) -%}
    {%- set ns.bound = 0 -%}
    case
        when coalesce({{ amount_column }}, 0) <= 0 then '{{ no_amount_label }}'
        {%- for share in shares %}
        {%- set ns.bound = ns.bound + share %}
        when {{ share_before }} < {{ ns.bound | round(10) }} then '{{ labels[loop.index0] }}'
        {%- endfor %}
        else '{{ labels[-1] }}'
    end
{%- endmacro %}

{#- Window expression: share of the positive total of `amount_column` made by the rows with a
    strictly larger amount (0 for the largest). Null for rows whose amount is null or <= 0. -#}
{% macro cumulative_share_before(amount_column, partition_by=none) -%}
    {%- set partition = 'partition by ' ~ partition_by if partition_by else '' -%}
    {%- set positive = 'case when ' ~ amount_column ~ ' > 0 then ' ~ amount_column ~ ' end' -%}
    {#- in double precision: engines round decimal divisions differently (Spark to 6 places) -#}
    case when {{ amount_column }} > 0 then
        cast(
            sum({{ positive }}) over ({{ partition }} order by {{ positive }} desc nulls last)
            - sum({{ positive }}) over (partition by {{ (partition_by ~ ', ') if partition_by else '' }}{{ positive }})
            as {{ segmentation.type_double() }}
        ) / cast(sum({{ positive }}) over ({{ partition }}) as {{ segmentation.type_double() }})
    end
{%- endmacro %}
