-- The membership contract every segmentation model of the registry follows (docs/decisions/0011):
-- columns customer_key, as_of_date, segment_code, score, explanation (selecting them fails to
-- compile otherwise); exactly one row per customer known at the as-of date; a segment code and an
-- explanation on every row; a label for every code. Returns the (segmentation, customer, problem)
-- rows that break it.
with

customers as (
    select * from {{ ref('int_customer_metrics') }}
),

registry as (
    select * from {{ ref('segmentation_registry') }}
    where is_enabled
),

labels as (
    select * from {{ ref('segment_labels') }}
),

memberships as (
    {%- for entry in segmentation_registry(enabled_only=true) %}
    select
        '{{ entry.name }}' as segmentation,
        customer_key,
        as_of_date,
        segment_code,
        cast(score as {{ dbt.type_int() }}) as score,
        explanation
    from {{ ref(entry.model) }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

counted as (
    select
        segmentation,
        customer_key,
        count(*) as row_count,
        sum(case when segment_code is null or explanation is null then 1 else 0 end) as incomplete_rows,
        max(as_of_date) as as_of_date
    from memberships
    group by segmentation, customer_key
),

expected as (
    select
        registry.segmentation,
        customers.customer_key
    from customers
    cross join registry
),

problems as (
    select
        coalesce(expected.segmentation, counted.segmentation) as segmentation,
        coalesce(expected.customer_key, counted.customer_key) as customer_key,
        case
            when counted.customer_key is null then 'customer missing'
            when expected.customer_key is null then 'not a customer known at the as-of date'
            when counted.row_count > 1 then 'more than one row'
            when counted.incomplete_rows > 0 then 'no segment code or explanation'
        end as problem
    from expected
    full outer join counted
        on
            expected.segmentation = counted.segmentation
            and expected.customer_key = counted.customer_key
),

segment_codes as (
    -- the few distinct codes first: the join below has an `or`, which the engines loop over
    select distinct
        segmentation,
        segment_code
    from memberships
),

unlabelled as (
    -- one row per unlabelled code: a code without a match joins no label row
    select
        segment_codes.segmentation,
        segment_codes.segment_code as customer_key,
        'segment code without a label in segment_labels' as problem
    from segment_codes
    left join labels
        on
            segment_codes.segmentation = labels.segmentation
            -- '*': the codes of this segmentation are data (geography), each its own label
            and (segment_codes.segment_code = labels.segment_code or labels.segment_code = '*')
    where labels.segment_code is null
)

select * from problems
where problem is not null
union all
select * from unlabelled
