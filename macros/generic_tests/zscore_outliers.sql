{#- Fails (one row per group) when more than `max_outlier_share` of the non-null values of
    `column_name` lie more than `max_zscore` standard deviations from their mean. -#}
{% test zscore_outliers(model, column_name, max_zscore=3, max_outlier_share=0.01, group_by=none) %}
    {{ return(adapter.dispatch('test_zscore_outliers', 'segmentation')(
        model, column_name, max_zscore, max_outlier_share, group_by)) }}
{% endtest %}

{% macro default__test_zscore_outliers(model, column_name, max_zscore, max_outlier_share, group_by) %}
    {%- if max_zscore is not number or max_zscore <= 0 -%}
        {{ exceptions.raise_compiler_error("zscore_outliers: max_zscore must be a number > 0, got " ~ max_zscore) }}
    {%- endif -%}
    {%- set groups = group_by if group_by else [] -%}
    {%- set partition = ('partition by ' ~ groups | join(', ')) if groups else '' %}
with

scored as (
    select
        {% for column in groups %}{{ column }}, {% endfor -%}
        ({{ column_name }} - avg({{ column_name }}) over ({{ partition }}))
        / nullif(stddev_samp({{ column_name }}) over ({{ partition }}), 0) as zscore
    from {{ model }}
    where {{ column_name }} is not null
),

summarized as (
    select
        {% for column in groups %}{{ column }}, {% endfor -%}
        count(*) as checked_rows,
        sum(case when abs(zscore) > {{ max_zscore }} then 1 else 0 end) as outlier_rows
    from scored
    {% if groups %}group by {{ groups | join(', ') }}{% endif %}
)

select
    *,
    '{{ column_name }}' as column_name,
    outlier_rows * 1.0 / checked_rows as outlier_share
from summarized
where outlier_rows * 1.0 / checked_rows > {{ max_outlier_share }}
{% endmacro %}
