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

{#- dbt-duckdb stages an incremental Python model's new rows in a table `<model>__dbt_tmp<time>`
    of the main schema and leaves it there after the merge: one more table per run. A post-hook
    of the model drops its own leftovers (the rows are merged by then). Nothing to do elsewhere. -#}
{% macro drop_python_model_leftovers() -%}
    {{ return(adapter.dispatch('drop_python_model_leftovers', 'segmentation')()) }}
{%- endmacro %}

{% macro default__drop_python_model_leftovers() -%}
{%- endmacro %}

{% macro duckdb__drop_python_model_leftovers() -%}
    {%- if execute -%}
        {%- set leftovers = run_query(
            "select table_name from information_schema.tables"
            ~ " where table_catalog = '" ~ this.database ~ "' and table_schema = 'main'"
            ~ " and starts_with(table_name, '" ~ this.identifier ~ "__dbt_tmp')"
        ).columns[0].values() -%}
        {%- for leftover in leftovers -%}
            {%- do run_query('drop table if exists "' ~ this.database ~ '"."main"."' ~ leftover ~ '"') -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
