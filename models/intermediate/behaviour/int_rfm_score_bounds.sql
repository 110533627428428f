{#- The lowest value of each F and M score above 1 at the as-of date (docs/decisions/0008).
    quantile mode: the quantile scores (score_quantile) of the customers with a valid order (F
    among those with an order in the value window, M among those with a positive amount), taken
    at the as-of date or, when var('rfm_reference_as_of_date') is set, at that reference date
    (frozen cutpoints);
    thresholds mode: the cutpoints of var('rfm_thresholds'). A score nobody reached has no row. -#}
{%- set tiles = var('rfm_tiles') | int -%}
{%- set mode = var('rfm_scoring_mode') -%}
{%- set reference = rfm_reference_as_of_date() -%}
{%- if mode not in ['quantile', 'thresholds'] -%}
    {{ exceptions.raise_compiler_error("var rfm_scoring_mode must be 'quantile' or 'thresholds', got '" ~ mode ~ "'") }}
{%- endif -%}
{%- set metrics_and_scores = [('frequency', 'f_score'), ('monetary_amount', 'm_score')] -%}
{%- set bounds_date = "cast('" ~ reference ~ "' as date)" if reference else as_of_date() -%}
{#- fixed dependencies whatever the vars, so that the model and its unit tests always come after them -#}
-- depends_on: {{ ref('int_customer_metrics') }}
-- depends_on: {{ ref('int_orders_valued') }}

with

{%- if mode == 'thresholds' %}

bounds as (
    {%- for metric, _ in metrics_and_scores %}
        {%- set thresholds = var('rfm_thresholds')[metric] %}
        {%- if thresholds is string or thresholds | length != tiles - 1 %}
            {{ exceptions.raise_compiler_error(
                "var rfm_thresholds." ~ metric ~ " must list rfm_tiles - 1 = " ~ (tiles - 1) ~ " cutpoints, got " ~ thresholds) }}
        {%- endif %}
        {%- for threshold in thresholds %}
            {%- if threshold is not number or (not loop.first and threshold <= thresholds[loop.index0 - 1]) %}
                {{ exceptions.raise_compiler_error(
                    "var rfm_thresholds." ~ metric ~ " must be strictly increasing numbers, got " ~ thresholds) }}
            {%- endif %}
    select
        '{{ metric }}' as metric,
        {{ loop.index + 1 }} as score,
        cast({{ threshold }} as {{ dbt.type_numeric() }}) as lower_bound
    {{ 'union all' if not loop.last }}
        {%- endfor %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

{%- elif reference %}

orders as (
    select * from {{ ref('int_orders_valued') }}
),

population as (
    -- the customers as they were at the reference date, measured with the macros of int_customer_metrics
    select
        customer_key,
        {{ rfm_frequency('order_date', bounds_date) }} as frequency,
        {{ rfm_monetary_amount('net_amount', 'order_date', bounds_date) }} as monetary_amount
    from orders
    where is_valid_order and order_date <= {{ bounds_date }}
    group by customer_key
),

{%- else %}

metrics as (
    select * from {{ ref('int_customer_metrics') }}
),

population as (
    select
        customer_key,
        frequency,
        monetary_amount
    from metrics
    where not is_prospect
),

{%- endif %}
{%- if mode == 'quantile' %}

scored as (
    select
        frequency,
        monetary_amount,
        {{ score_quantile('case when frequency > 0 then frequency end', tiles) }} as f_score,
        {{ score_quantile('case when monetary_amount > 0 then monetary_amount end', tiles) }} as m_score
    from population
),

bounds as (
    {%- for metric, score_column in metrics_and_scores %}
    select
        '{{ metric }}' as metric,
        {{ score_column }} as score,
        cast(min({{ metric }}) as {{ dbt.type_numeric() }}) as lower_bound
    from scored
    where {{ score_column }} > 1
    group by {{ score_column }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
),

{%- endif %}

final as (
    select
        {{ as_of_date() }} as as_of_date,
        metric,
        score,
        lower_bound,
        {{ 'cast(null as date)' if mode == 'thresholds' else bounds_date }} as bounds_as_of_date,
        '{{ mode }}' as scoring_mode
    from bounds
)

select * from final
