{#- RFM scores of every customer with a valid order up to the as-of date (docs/decisions/0006).
    R is scored among all of them (fewer days = higher score); F among those with an order in the
    window, M among those with a positive net amount in the window; the others get F = 1 / M = 1.
    FM = average of F and M, rounded half up; the seed rfm_segment_map names each (R, FM) cell. -#}
{%- set tiles = var('rfm_tiles') | int -%}
{%- set mode = var('rfm_scoring_mode') -%}
{%- if mode not in ['quantile', 'thresholds'] -%}
    {{ exceptions.raise_compiler_error("var rfm_scoring_mode must be 'quantile' or 'thresholds', got '" ~ mode ~ "'") }}
{%- endif -%}
{%- if mode == 'thresholds' -%}
    {%- for metric in ['recency_days', 'frequency', 'monetary_amount'] -%}
        {%- if var('rfm_thresholds')[metric] | length != tiles - 1 -%}
            {{ exceptions.raise_compiler_error(
                "var rfm_thresholds." ~ metric ~ " must list rfm_tiles - 1 = " ~ (tiles - 1) ~ " cutpoints, got "
                ~ var('rfm_thresholds')[metric]
            ) }}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}

with

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

segment_map as (
    select * from {{ ref('rfm_segment_map') }}
),

buyers as (
    select
        customer_key,
        as_of_date,
        recency_days,
        frequency,
        monetary_amount,
        case when frequency > 0 then frequency end as scored_frequency,
        case when monetary_amount > 0 then monetary_amount end as scored_monetary_amount
    from metrics
    where not is_prospect
),

scored as (
    select
        *,
        {%- if mode == 'quantile' %}
        {{ score_quantile('recency_days', tiles, reverse=true) }} as r_score,
        coalesce({{ score_quantile('scored_frequency', tiles) }}, 1) as f_score,
        coalesce({{ score_quantile('scored_monetary_amount', tiles) }}, 1) as m_score
        {%- else %}
        {{ score_thresholds('recency_days', var('rfm_thresholds')['recency_days'], reverse=true) }} as r_score,
        coalesce({{ score_thresholds('scored_frequency', var('rfm_thresholds')['frequency']) }}, 1) as f_score,
        coalesce(
            {{ score_thresholds('scored_monetary_amount', var('rfm_thresholds')['monetary_amount']) }}, 1
        ) as m_score
        {%- endif %}
    from buyers
),

combined as (
    select
        *,
        -- FM on the same 1..5 scale as R, a half rounded up
        cast(floor((f_score + m_score + 1) / 2.0) as {{ dbt.type_int() }}) as fm_score
    from scored
),

final as (
    select
        combined.customer_key,
        combined.as_of_date,
        combined.recency_days,
        combined.frequency,
        combined.monetary_amount,
        combined.r_score,
        combined.f_score,
        combined.m_score,
        combined.fm_score,
        segment_map.segment_code
    from combined
    left join segment_map
        on
            combined.r_score = segment_map.r_score
            and combined.fm_score = segment_map.fm_score
)

select * from final
