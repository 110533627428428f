{#- For a segment summary (one row per as-of date × segmentation × segment with a share column),
    fails with the segments whose share moved by more than `max_share_change` (absolute, default
    var segment_drift_max_share_change) between the latest as-of date and the one before it.
    A segment that appears or disappears counts from 0. Nothing to compare with one date. -#}
{% test segment_share_drift(model, share_column='customer_share', max_share_change=none) %}
    {{ return(adapter.dispatch('test_segment_share_drift', 'segmentation')(model, share_column, max_share_change)) }}
{% endtest %}

{% macro default__test_segment_share_drift(model, share_column, max_share_change) %}
    {%- set limit = max_share_change if max_share_change is not none else var('segment_drift_max_share_change') -%}
    {%- if limit is not number or not (0 < limit <= 1) -%}
        {{ exceptions.raise_compiler_error("segment_share_drift: max_share_change must be a number in (0, 1], got " ~ limit) }}
    {%- endif %}
with

dates as (
    select
        as_of_date,
        row_number() over (order by as_of_date desc) as recency_rank
    from (select distinct as_of_date from {{ model }}) as distinct_dates
),

latest as (
    select summary.segmentation, summary.segment_code, summary.{{ share_column }} as share
    from {{ model }} as summary
    inner join dates on summary.as_of_date = dates.as_of_date and dates.recency_rank = 1
),

previous as (
    select summary.segmentation, summary.segment_code, summary.{{ share_column }} as share
    from {{ model }} as summary
    inner join dates on summary.as_of_date = dates.as_of_date and dates.recency_rank = 2
),

compared as (
    select
        coalesce(latest.segmentation, previous.segmentation) as segmentation,
        coalesce(latest.segment_code, previous.segment_code) as segment_code,
        coalesce(previous.share, 0) as previous_share,
        coalesce(latest.share, 0) as latest_share
    from latest
    full outer join previous
        on latest.segmentation = previous.segmentation and latest.segment_code = previous.segment_code
)

select
    *,
    latest_share - previous_share as share_change
from compared
where
    exists (select 1 from previous)
    and abs(latest_share - previous_share) > {{ limit }}
{% endmacro %}
