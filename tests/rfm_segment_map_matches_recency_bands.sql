-- RFM and lifecycle never contradict each other by construction: every cell of the RFM map names
-- a segment whose activity status (seed segment_labels) is the status of its R band (var
-- rfm_recency_days cut at lifecycle_active_days and lifecycle_lapsing_days). Returns the cells
-- where a churned R band would get a live segment, or the reverse.
with

segment_map as (
    select * from {{ ref('rfm_segment_map') }}
),

labels as (
    select * from {{ ref('segment_labels') }}
    where segmentation = 'rfm'
),

recency_bands as (
    {%- for band in rfm_recency_bands() %}
    select
        {{ band.score }} as r_score,
        '{{ band.activity_status }}' as activity_status
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

compared as (
    select
        segment_map.r_score,
        segment_map.fm_score,
        segment_map.segment_code,
        labels.activity_status as segment_activity_status,
        recency_bands.activity_status as band_activity_status
    from segment_map
    left join labels
        on segment_map.segment_code = labels.segment_code
    left join recency_bands
        on segment_map.r_score = recency_bands.r_score
)

select * from compared
where coalesce(segment_activity_status, '') != coalesce(band_activity_status, '-')
