-- Scores are monotonic in their metric and tied values never straddle two scores: for frequency
-- and amount each score's band lies strictly above the band of the score below; for recency
-- (reversed) strictly below. Returns the overlapping pairs.
with

cutpoints as (
    select * from {{ ref('int_rfm_cutpoints') }}
),

paired as (
    select
        lower_band.as_of_date,
        lower_band.metric,
        lower_band.score as lower_score,
        lower_band.min_value as lower_min_value,
        lower_band.max_value as lower_max_value,
        upper_band.min_value as upper_min_value,
        upper_band.max_value as upper_max_value
    from cutpoints as lower_band
    inner join cutpoints as upper_band
        on
            lower_band.as_of_date = upper_band.as_of_date
            and lower_band.metric = upper_band.metric
            and lower_band.score + 1 = upper_band.score
)

select * from paired
where
    (metric != 'recency_days' and lower_max_value >= upper_min_value)
    or (metric = 'recency_days' and lower_min_value <= upper_max_value)
