-- A pressure limit for a segment that does not exist (a typo, a renamed segment) would never
-- apply: every row of pressure_limits must name a segment of segment_labels.
select
    pressure_limits.segmentation,
    pressure_limits.segment_code
from {{ ref('pressure_limits') }} as pressure_limits
left join {{ ref('segment_labels') }} as segment_labels
    on
        pressure_limits.segmentation = segment_labels.segmentation
        and pressure_limits.segment_code = segment_labels.segment_code
where segment_labels.segment_code is null
