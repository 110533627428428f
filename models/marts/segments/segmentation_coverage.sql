{#- One row per as-of date × enabled segmentation of segment_summary: how many customers' segments
    rest on observed data (segment_catalog.evidence) and how many got an unknown / not scored / no
    data segment because the input the segmentation needs is absent for them; whether that meets
    the segmentation's min_evidence_share; what it needs (registry `evidence`); and one line that
    says what is missing, or that every customer landed in one segment. Read by `summary`, the
    report and the docs; a test warns when a segmentation runs without its evidence. -#}
with

summary as (
    select * from {{ ref('segment_summary') }}
),

labels as (
    select * from {{ ref('segment_catalog') }}
),

registry as (
    select * from {{ ref('segmentation_registry') }}
    where is_enabled
),

-- a segmentation whose codes are data (geography) takes the evidence of its '*' row
segments as (
    select
        summary.as_of_date,
        summary.segmentation,
        summary.segment_code,
        summary.customer_count,
        coalesce(labels.evidence, any_code_labels.evidence, 'observed') as evidence
    from summary
    left join labels
        on
            summary.segmentation = labels.segmentation
            and summary.segment_code = labels.segment_code
    {{ join_any_code_labels('summary.segmentation') }}
),

largest as (
    select
        as_of_date,
        segmentation,
        segment_code,
        customer_count,
        row_number() over (
            partition by as_of_date, segmentation order by customer_count desc, segment_code asc
        ) as size_rank
    from segments
),

counted as (
    select
        as_of_date,
        segmentation,
        sum(customer_count) as customer_count,
        sum(case when evidence = 'observed' then customer_count else 0 end) as customers_with_evidence,
        sum(case when evidence = 'missing' then customer_count else 0 end) as customers_without_evidence
    from segments
    group by as_of_date, segmentation
),

measured as (
    select
        counted.as_of_date,
        counted.segmentation,
        registry.segmentation_label,
        counted.customer_count,
        counted.customers_with_evidence,
        counted.customers_without_evidence,
        cast(counted.customers_with_evidence as {{ type_double() }})
        / nullif(counted.customer_count, 0) as evidence_share,
        registry.min_evidence_share,
        registry.evidence_needed,
        largest.segment_code as largest_segment_code,
        cast(largest.customer_count as {{ type_double() }})
        / nullif(counted.customer_count, 0) as largest_segment_share
    from counted
    inner join registry
        on counted.segmentation = registry.segmentation
    left join largest
        on
            counted.as_of_date = largest.as_of_date
            and counted.segmentation = largest.segmentation
            and largest.size_rank = 1
),

final as (
    select
        as_of_date,
        segmentation,
        segmentation_label,
        cast(customer_count as {{ dbt.type_bigint() }}) as customer_count,
        cast(customers_with_evidence as {{ dbt.type_bigint() }}) as customers_with_evidence,
        cast(customers_without_evidence as {{ dbt.type_bigint() }}) as customers_without_evidence,
        evidence_share,
        min_evidence_share,
        coalesce(evidence_share >= min_evidence_share, false) as is_evidence_sufficient,
        evidence_needed,
        largest_segment_code,
        largest_segment_share,
        case
            when customer_count = 0 then 'no customer'
            when not coalesce(evidence_share >= min_evidence_share, false)
                then
                    'missing for ' || {{ explain_value('100 * (1 - evidence_share)', 1) }}
                    || '% of customers: ' || evidence_needed
                    || ' (needed for at least ' || {{ explain_value('100 * min_evidence_share', 1) }}
                    || '%)'
            else
                'observed for ' || {{ explain_value('100 * evidence_share', 1) }} || '% of customers'
        end
        || case
            when largest_segment_share = 1 and customer_count > 0
                then '; every customer in one segment (' || largest_segment_code || ')'
            else ''
        end as coverage_note
    from measured
)

select * from final
