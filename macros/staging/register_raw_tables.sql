{#- Run at the start of every dbt invocation (on-run-start).
    DuckDB: exposes each raw file of `var('raw_dir')` (relative: to the project folder) as a view `raw.<table>` holding exactly the
    contract columns as text (a missing optional column reads as null, a missing optional file as an empty
    table). The files are read as written (encoding, delimiter, number and date formats, null strings,
    column names: segmentation/inputs, through the profile's dbt-duckdb plugin); what was decided is
    logged (one line per file) and kept in `raw.extract_readings`. Anything that cannot be read as it is
    (two files for a table, a missing required file or column, a consent column under an unknown name,
    a line that does not parse...) stops the run with every problem, naming file, column and line.
    Other warehouses: the raw tables already live in the `raw` schema (`python -m segmentation load`,
    through the same reader); only their columns are checked. -#}
{% macro register_raw_tables() %}
    {%- if not var('register_raw_files', true) -%}
        {{ return('select 1') }}
    {%- endif -%}
    {{ return(adapter.dispatch('register_raw_tables', 'segmentation')()) }}
{% endmacro %}

{% macro default__register_raw_tables() %}
    {%- if execute -%}
        {%- for table in raw_contract() -%}
            {%- set relation = adapter.get_relation(database=target.database, schema='raw', identifier=table.name) -%}
            {%- if relation is none -%}
                {%- if table.is_required -%}
                    {{ exceptions.raise_compiler_error(
                        "Raw table raw." ~ table.name ~ " is missing: it is required by the raw-data contract."
                    ) }}
                {%- endif -%}
            {%- else -%}
                {%- set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
                {%- for column in table.columns if column.is_required and column.name not in present -%}
                    {{ exceptions.raise_compiler_error(
                        "Raw table raw." ~ table.name ~ " has no column '" ~ column.name ~ "', which the raw-data contract requires."
                    ) }}
                {%- endfor -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    select 1
{% endmacro %}

{% macro duckdb__register_raw_tables() %}
    {%- if execute -%}
        {%- set raw_dir = var('raw_dir') | string | trim -%}
        {%- set raw_dir = raw_dir[:-1] if raw_dir.endswith('/') else raw_dir -%}
        {#- a relative folder is the project's (dbt --project-dir): the views then name an absolute
            path, and read the same files whatever the working directory of whoever queries them -#}
        {%- set project_dir = invocation_args_dict.get('project_dir') -%}
        {%- if project_dir and not modules.re.match('^([A-Za-z]:)?[/\\\\]', raw_dir) -%}
            {%- set raw_dir = project_dir ~ '/' ~ (raw_dir[2:] if raw_dir.startswith('./') else raw_dir) -%}
        {%- endif -%}
        {%- set plan = segmentation._plan_extract(raw_dir) -%}
        {%- if plan.problems -%}
            {{ exceptions.raise_compiler_error(
                "The extract in " ~ raw_dir ~ " cannot be read as it is:\n  - " ~ plan.problems | join("\n  - ")) }}
        {%- endif -%}
        {%- do segmentation._check_as_of_date(plan.latest_data_date) -%}
        {#- every file was read before a view is replaced: a run that stops leaves the views of the
            previous run as they were -#}
        {%- do run_query('create schema if not exists raw') -%}
        {%- for table in raw_contract() -%}
            {%- set body = plan.selects[table.name] -%}
            {%- if body is none -%}
                {%- set columns_sql = [] -%}
                {%- for column in table.columns -%}
                    {%- do columns_sql.append('cast(null as varchar) as ' ~ column.name) -%}
                {%- endfor -%}
                {%- set body = 'select ' ~ columns_sql | join(', ') ~ ' where false' -%}
            {%- endif -%}
            {%- do run_query('create or replace view raw.' ~ table.name ~ ' as ' ~ body) -%}
        {%- endfor -%}
        {%- do segmentation._write_extract_readings(plan.readings) -%}
        {%- for message in plan.messages -%}
            {{ log(message, info=true) }}
        {%- endfor -%}
    {%- endif -%}
    select 1
{% endmacro %}

{#- The reading plan of the extract, from the plugin's function (segmentation/inputs/reading.py),
    cached beside the warehouse file. -#}
{% macro _plan_extract(raw_dir) %}
    {%- set found = run_query("select count(*) from duckdb_functions() where function_name = 'segmentation_plan_extract'") -%}
    {%- if found.columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "The DuckDB profile lacks the raw reader: add `plugins: [{module: segmentation.inputs.dbt_plugin}]` to the "
            ~ "output of target '" ~ target.name ~ "' in profiles.yml (see the project's profiles.yml)") }}
    {%- endif -%}
    {%- set path = target.get('path') or ':memory:' -%}
    {%- set request = {
        'raw_dir': raw_dir,
        'formats': var('raw_formats', {}) or {},
        'aliases': var('raw_column_aliases', {}) or {},
        'cache_dir': none if path == ':memory:' else path ~ '.raw-cache',
        'cutoff': segmentation.future_date_cutoff_text(),
    } -%}
    {%- set answer = run_query("select segmentation_plan_extract('" ~ tojson(request) | replace("'", "''") ~ "')") -%}
    {{ return(fromjson(answer.columns[0].values()[0])) }}
{% endmacro %}

{#- An as-of date after today, or more than var as_of_max_days_after_data after the last day of
    data, describes nothing that happened: refused unless var force_as_of_date is true. Without var
    as_of_date the run date is used. -#}
{% macro _check_as_of_date(latest_data_date) %}
    {%- set requested = segmentation.optional_var('as_of_date') -%}
    {%- set today = segmentation.future_date_cutoff_text() -%}
    {%- set as_of = segmentation.as_of_date_text() -%}
    {%- set forced = requested and var('force_as_of_date', false) -%}
    {%- if requested and not forced -%}
        {%- set grace = var('as_of_max_days_after_data') -%}
        {%- set latest_allowed = none -%}
        {%- if latest_data_date -%}
            {%- set latest_allowed = (modules.datetime.date.fromisoformat(latest_data_date)
                + modules.datetime.timedelta(days=grace)).isoformat() -%}
        {%- endif -%}
        {%- if as_of > today -%}
            {{ exceptions.raise_compiler_error(
                "as_of_date " ~ as_of ~ " is after today (" ~ today ~ "): nothing has happened yet on that day. "
                ~ "Pass --vars '{as_of_date: ..., force_as_of_date: true}' to build it anyway.") }}
        {%- elif latest_allowed and as_of > latest_allowed -%}
            {{ exceptions.raise_compiler_error(
                "as_of_date " ~ as_of ~ " is after the last day of data (" ~ latest_data_date ~ ", the latest order, "
                ~ "payment, marketing event or customer record) by more than " ~ grace ~ " days "
                ~ "(var as_of_max_days_after_data): the marts would show every customer as inactive since. Use as_of_date "
                ~ latest_data_date ~ " (python -m segmentation as-of), or add force_as_of_date: true to build it anyway.") }}
        {%- endif -%}
    {%- endif -%}
    {{ log("as_of_date " ~ as_of ~ (" (var as_of_date, forced)" if forced else " (var as_of_date)" if requested
        else " (the run date)") ~ "; the data end on " ~ (latest_data_date or "no dated order"), info=true) }}
{% endmacro %}

{#- raw.extract_readings: what was detected or set for each file and column of the last run. -#}
{% macro _write_extract_readings(readings) %}
    {%- set names = ['table_name', 'file_name', 'column_name', 'setting', 'value', 'decided_by', 'detail'] -%}
    {%- set rows = [] -%}
    {%- for reading in readings -%}
        {%- set cells = [] -%}
        {%- for name in names -%}
            {%- do cells.append("'" ~ (reading[name] | string) | replace("'", "''") ~ "'") -%}
        {%- endfor -%}
        {%- do rows.append('(' ~ cells | join(', ') ~ ')') -%}
    {%- endfor -%}
    {%- do run_query('create or replace table raw.extract_readings as select * from (values ' ~ rows | join(', ')
        ~ ') as readings(' ~ names | join(', ') ~ ')') -%}
{% endmacro %}
