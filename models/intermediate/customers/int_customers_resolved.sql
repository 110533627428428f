{#- Identity resolution: source records sharing a normalized email, or the same normalized phone
    + last name + birth date, are one person. Clusters are the connected components of that
    "shares a key" graph, found by label propagation: each round, every record takes the smallest
    record id among the records that share a key with it. One extra round proves convergence.
    The person's key comes from their founding record (the earliest created; ties and missing
    dates: the smallest id), so a newer record joining the person keeps the key (ADR 0004). -#}
{%- set rounds = var('identity_resolution_rounds') | int -%}
{%- if rounds < 1 -%}
    {{ exceptions.raise_compiler_error("var identity_resolution_rounds must be a whole number >= 1, got " ~ var('identity_resolution_rounds')) }}
{%- endif -%}

with

customers as (
    select * from {{ ref('stg_raw__customers') }}
),

match_keys as (
    select
        customer_id,
        'email:' || email as match_key
    from customers
    where email is not null
    union all
    select
        customer_id,
        'person:' || phone || '|' || lower(last_name) || '|' || cast(birth_date as {{ dbt.type_string() }}) as match_key
    from customers
    where phone is not null and last_name is not null and birth_date is not null
),

labels_0 as (
    select
        customer_id,
        customer_id as cluster_id
    from customers
),

{% for round in range(1, rounds + 2) %}
key_labels_{{ round }} as (
    select
        match_keys.match_key,
        min(labels_{{ round - 1 }}.cluster_id) as cluster_id
    from match_keys
    inner join labels_{{ round - 1 }}
        on match_keys.customer_id = labels_{{ round - 1 }}.customer_id
    group by match_keys.match_key
),

labels_{{ round }} as (
    select
        candidates.customer_id,
        min(candidates.cluster_id) as cluster_id
    from (
        select
            customer_id,
            cluster_id
        from labels_{{ round - 1 }}
        union all
        select
            match_keys.customer_id,
            key_labels_{{ round }}.cluster_id
        from match_keys
        inner join key_labels_{{ round }}
            on match_keys.match_key = key_labels_{{ round }}.match_key
    ) as candidates
    group by candidates.customer_id
),

{% endfor %}
resolved as (
    select
        customers.customer_id,
        customers.source_system,
        customers.created_at,
        labels_{{ rounds }}.cluster_id,
        labels_{{ rounds }}.cluster_id = labels_{{ rounds + 1 }}.cluster_id as is_resolution_converged
    from customers
    inner join labels_{{ rounds }}
        on customers.customer_id = labels_{{ rounds }}.customer_id
    inner join labels_{{ rounds + 1 }}
        on customers.customer_id = labels_{{ rounds + 1 }}.customer_id
),

anchored as (
    select
        customer_id,
        source_system,
        is_resolution_converged,
        first_value(customer_id) over (
            partition by cluster_id
            order by created_at asc nulls last, customer_id asc
        ) as anchor_customer_id,
        count(*) over (partition by cluster_id) as source_record_count
    from resolved
),

final as (
    select
        customer_id,
        {{ dbt.hash('anchor_customer_id') }} as customer_key,
        anchor_customer_id,
        source_system,
        source_record_count,
        is_resolution_converged
    from anchored
)

select * from final
