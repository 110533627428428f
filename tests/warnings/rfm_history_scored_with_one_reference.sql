-- With frozen bounds (var rfm_reference_as_of_date), a segment move between two as-of dates is a
-- customer's move only if every date kept in the history was scored against the same bounds.
-- Returns the as-of dates scored otherwise: rebuild them with the var set (or drop the var).
{%- set reference = rfm_reference_as_of_date() %}
with

cutpoints as (
    select * from {{ ref('int_rfm_cutpoints') }}
    -- the scores somebody reached carry the date their bounds come from (none in thresholds mode)
    where metric in ('frequency', 'monetary_amount') and (bounds_as_of_date is not null or scoring_mode = 'thresholds')
),

bounds_per_date as (
    select distinct
        as_of_date,
        scoring_mode,
        bounds_as_of_date
    from cutpoints
)

select * from bounds_per_date
where
    scoring_mode != '{{ var("rfm_scoring_mode") }}'
    {%- if var('rfm_scoring_mode') == 'quantile' %}
    or bounds_as_of_date != {{ "cast('" ~ reference ~ "' as date)" if reference else 'as_of_date' }}
    {%- endif %}
