{#- Config of the models kept per as-of date: each run replaces the rows of its as_of_date and
    keeps the others. delete+insert on DuckDB and PostgreSQL; on Spark (no row deletes in its
    Hive tables) the table is partitioned by as_of_date and the run's partition is overwritten
    (spark.sql.sources.partitionOverwriteMode = dynamic, set in profiles.yml). -#}
{% macro incremental_by_as_of_date(on_schema_change='fail') %}
    {%- if target.type == 'spark' -%}
        {{ return({
            'materialized': 'incremental',
            'incremental_strategy': 'insert_overwrite',
            'partition_by': ['as_of_date'],
            'on_schema_change': on_schema_change,
        }) }}
    {%- endif -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': 'as_of_date',
        'on_schema_change': on_schema_change,
    }) }}
{% endmacro %}
