-- The RFM map names exactly one segment for every (R, FM) cell of 1..rfm_tiles: returns the
-- cells that are missing or mapped more than once.
{%- set tiles = var('rfm_tiles') | int %}
with

segment_map as (
    select * from {{ ref('rfm_segment_map') }}
),

cells as (
    {%- for r in range(1, tiles + 1) %}
    {%- for fm in range(1, tiles + 1) %}
    select
        {{ r }} as r_score,
        {{ fm }} as fm_score
    {{ 'union all' if not (loop.last and r == tiles) }}
    {%- endfor %}
    {%- endfor %}
),

coverage as (
    select
        cells.r_score,
        cells.fm_score,
        count(segment_map.segment_code) as mapped_times
    from cells
    left join segment_map
        on
            cells.r_score = segment_map.r_score
            and cells.fm_score = segment_map.fm_score
    group by cells.r_score, cells.fm_score
)

select * from coverage
where mapped_times != 1
