{#- The record of each dbt invocation in quarantine.run_outcomes (docs/decisions/0020): a
    `started` row when the run starts (last on-run-start hook: the raw files were readable) and a
    `success` or `failed` row when it ends (on-run-end, from `results`), with the number of failed
    nodes, the models that ran and whether every model was rebuilt. `python -m segmentation check`
    writes its outcome into the same table. export, report, summary and publish read it and refuse
    the marts of a failed or unfinished build, or of a failed check. Insert-only (Spark tables
    take no update), plain SQL on DuckDB, PostgreSQL and Spark. -#}
{% macro run_outcomes_relation() -%}
    quarantine.run_outcomes
{%- endmacro %}

{% macro create_run_outcomes() -%}
    create table if not exists {{ segmentation.run_outcomes_relation() }} (
        invocation_id {{ dbt.type_string() }},
        command {{ dbt.type_string() }},
        as_of_date date,
        started_at {{ dbt.type_timestamp() }},
        recorded_at {{ dbt.type_timestamp() }},
        status {{ dbt.type_string() }},
        failed_count {{ dbt.type_bigint() }},
        models_run {{ dbt.type_bigint() }},
        models_rebuilt {{ dbt.type_boolean() }},
        detail {{ dbt.type_string() }}
    )
{%- endmacro %}

{#- The commands whose hooks run nodes against the warehouse (compile and docs run no model). -#}
{% macro _recorded_command() -%}
    {%- set command = flags.WHICH | default('', true) | string -%}
    {{ return(command if command in ['build', 'run', 'test', 'seed', 'snapshot'] else none) }}
{%- endmacro %}

{% macro _run_outcome_row(status, failed_count, models_run, models_rebuilt, detail) -%}
    {%- set now = modules.datetime.datetime.now(modules.pytz.utc) -%}
    insert into {{ segmentation.run_outcomes_relation() }}
    select
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}),
        cast('{{ segmentation._recorded_command() }}' as {{ dbt.type_string() }}),
        cast('{{ segmentation.as_of_date_text() }}' as date),
        cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }}),
        cast('{{ now.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }}),
        cast('{{ status }}' as {{ dbt.type_string() }}),
        cast({{ failed_count }} as {{ dbt.type_bigint() }}),
        cast({{ models_run }} as {{ dbt.type_bigint() }}),
        cast({{ 'true' if models_rebuilt else 'false' }} as {{ dbt.type_boolean() }}),
        cast('{{ detail | replace("'", "''") | replace("\\", "/") }}' as {{ dbt.type_string() }})
{%- endmacro %}

{#- on-run-start, after the raw tables are registered. -#}
{% macro record_run_start() %}
    {%- if not execute or segmentation._recorded_command() is none -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- do run_query('create schema if not exists quarantine') -%}
    {%- do run_query(segmentation.create_run_outcomes()) -%}
    {{ return(segmentation._run_outcome_row('started', 0, 0, false, '')) }}
{% endmacro %}

{#- on-run-end: `results` are the node results of the run. A model, seed, snapshot or test that
    errored or failed makes the run `failed` (warnings do not) and counts in failed_count; a
    failed hook makes it `failed` too, with failed_count 0 when no node ran; models_rebuilt says every enabled
    model of the project ran successfully in it (a whole build: the marts and all they read). -#}
{% macro record_run_outcome(results) %}
    {%- if not execute or segmentation._recorded_command() is none -%}
        {{ return('select 1') }}
    {%- endif -%}
    {%- set failed, succeeded_models = [], [] -%}
    {%- set ns = namespace(models_run=0, hook_failed=false) -%}
    {%- for result in results -%}
        {%- set status = result.status | string | lower -%}
        {%- if status in ['error', 'fail', 'runtime error'] and result.node.resource_type == 'operation' -%}
            {%- set ns.hook_failed = true -%}
        {%- elif status in ['error', 'fail', 'runtime error'] -%}
            {%- do failed.append(result.node.unique_id) -%}
        {%- endif -%}
        {%- if result.node.resource_type == 'model' and status not in ['skipped'] -%}
            {%- set ns.models_run = ns.models_run + 1 -%}
            {%- if status == 'success' -%}{%- do succeeded_models.append(result.node.unique_id) -%}{%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set models = [] -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.package_name == project_name -%}
            {%- do models.append(node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set rebuilt = models | length > 0 and models | reject('in', succeeded_models) | list | length == 0 -%}
    {%- do run_query('create schema if not exists quarantine') -%}
    {%- do run_query(segmentation.create_run_outcomes()) -%}
    {{ return(segmentation._run_outcome_row(
        'failed' if failed or ns.hook_failed else 'success', failed | length, ns.models_run, rebuilt, failed[:5] | join(', ')
    )) }}
{% endmacro %}
