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
