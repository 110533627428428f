{#- Run at the start of every dbt invocation (on-run-start).
    DuckDB: exposes each raw file of `var('raw_dir')` (relative: to the project folder) as a view `raw.<table>` holding exactly the
    contract columns (a missing optional column reads as null, a missing optional file as an empty
    table); a missing required file or column stops the run with an error naming both.
    Other warehouses: the raw tables already live in the `raw` schema; only their columns are checked. -#}
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
        {#- first check every file, then replace the views: a run that stops on a missing file or
            column leaves the views of the previous run as they were -#}
        {%- set views = [] -%}
        {%- for table in raw_contract() -%}
            {%- set file = _find_raw_file(raw_dir, table.name) -%}
            {%- if file is none -%}
                {%- if table.is_required -%}
                    {{ exceptions.raise_compiler_error(
                        "Raw file for table '" ~ table.name ~ "' not found: expected " ~ raw_dir ~ "/" ~ table.name
                        ~ ".csv or .parquet (set SEGMENTATION_RAW_DIR to the folder holding the raw files)."
                    ) }}
                {%- endif -%}
                {%- set columns_sql = [] -%}
                {%- for column in table.columns -%}
                    {%- do columns_sql.append('cast(null as varchar) as ' ~ column.name) -%}
                {%- endfor -%}
                {%- set body = 'select ' ~ columns_sql | join(', ') ~ ' where false' -%}
            {%- else -%}
                {%- do _check_raw_file_header(file) -%}
                {%- set reader = _raw_file_reader(file) -%}
                {%- set described = run_query('describe select * from ' ~ reader) -%}
                {%- set present = described.columns[0].values() | map('lower') | list -%}
                {%- set columns_sql = [] -%}
                {%- for column in table.columns -%}
                    {%- if column.name in present -%}
                        {%- do columns_sql.append('"' ~ _raw_source_name(described, column.name) ~ '" as ' ~ column.name) -%}
                    {%- elif column.is_required -%}
                        {{ exceptions.raise_compiler_error(
                            "Raw file " ~ file ~ " has no column '" ~ column.name ~ "', which the raw-data contract requires for table '"
                            ~ table.name ~ "'."
                        ) }}
                    {%- else -%}
                        {%- do columns_sql.append('cast(null as varchar) as ' ~ column.name) -%}
                    {%- endif -%}
                {%- endfor -%}
                {%- set body = 'select ' ~ columns_sql | join(', ') ~ ' from ' ~ reader -%}
            {%- endif -%}
            {%- do views.append((table.name, body, file)) -%}
        {%- endfor -%}
        {%- do run_query('create schema if not exists raw') -%}
        {%- for name, body, file in views -%}
            {%- do run_query('create or replace view raw.' ~ name ~ ' as ' ~ body) -%}
            {{ log('raw.' ~ name ~ ' <- ' ~ (file or 'no file: empty table'), info=true) }}
        {%- endfor -%}
    {%- endif -%}
    select 1
{% endmacro %}

{#- First of <dir>/<table>.parquet, <dir>/<table>.csv that exists, or none. -#}
{% macro _find_raw_file(raw_dir, table_name) %}
    {%- for extension in ['parquet', 'csv', 'csv.gz'] -%}
        {%- set candidate = raw_dir ~ '/' ~ table_name ~ '.' ~ extension -%}
        {%- set found = run_query("select count(*) from glob('" ~ candidate | replace("'", "''") ~ "')") -%}
        {%- if found.columns[0].values()[0] > 0 -%}
            {{ return(candidate) }}
        {%- endif -%}
    {%- endfor -%}
    {{ return(none) }}
{% endmacro %}

{#- CSV is read as text only, so a value that does not parse reaches staging (and quarantine)
    instead of failing the read; Parquet keeps its types. -#}
{% macro _raw_file_reader(file) %}
    {%- set quoted = "'" ~ file | replace("'", "''") ~ "'" -%}
    {%- if file.endswith('.parquet') -%}
        {{ return('read_parquet(' ~ quoted ~ ')') }}
    {%- else -%}
        {{ return('read_csv(' ~ quoted ~ ', header = true, all_varchar = true, auto_detect = true)') }}
    {%- endif -%}
{% endmacro %}

{#- The file's own spelling of a column (headers may differ in case from the contract). -#}
{% macro _raw_source_name(described, column_name) %}
    {%- for name in described.columns[0].values() if name | lower == column_name -%}
        {{ return(name) }}
    {%- endfor -%}
{% endmacro %}

{#- Stops the run on a file that cannot be read as a table: empty (0 bytes), or naming a column
    twice (DuckDB would rename the copy and one of the two would silently win). -#}
{% macro _check_raw_file_header(file) %}
    {%- set quoted = "'" ~ file | replace("'", "''") ~ "'" -%}
    {%- if run_query('select size from read_blob(' ~ quoted ~ ')').columns[0].values()[0] == 0 -%}
        {{ exceptions.raise_compiler_error(
            "Raw file " ~ file ~ " is empty (0 bytes): an extract with no rows still needs its header line.") }}
    {%- endif -%}
    {%- if file.endswith('.parquet') -%}
        {%- set names = run_query('select name from parquet_schema(' ~ quoted ~ ') where num_children is null').columns[0].values() | list -%}
    {%- else -%}
        {%- set first_row = run_query('select * from read_csv(' ~ quoted ~ ', header = false, all_varchar = true, auto_detect = true) limit 1') -%}
        {%- set names = first_row.rows[0].values() | list if first_row.rows | length > 0 else [] -%}
    {%- endif -%}
    {%- set seen = [] -%}
    {%- for name in names -%}
        {%- set key = (name or '') | string | trim | lower -%}
        {%- if key and key in seen -%}
            {{ exceptions.raise_compiler_error(
                "Raw file " ~ file ~ " has the column '" ~ key ~ "' twice (columns " ~ (seen.index(key) + 1) ~ " and "
                ~ loop.index ~ "): remove or rename one, which one holds the right values cannot be guessed.") }}
        {%- endif -%}
        {%- do seen.append(key) -%}
    {%- endfor -%}
{% endmacro %}
