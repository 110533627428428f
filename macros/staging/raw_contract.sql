{#- The raw-data contract, read from the `raw` source in models/staging/raw/_raw__sources.yml.
    Returns a list of tables: {name, is_required, columns: [{name, is_required, data_type}]}.
    Only meaningful at execution time, when the graph is loaded. -#}
{% macro raw_contract(table_name=none) %}
    {%- set tables = [] -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() | sort(attribute='name') -%}
            {%- if node.package_name == project_name and node.source_name == 'raw'
                and (table_name is none or node.name == table_name) -%}
                {%- set columns = [] -%}
                {%- for column in node.columns.values() -%}
                    {%- do columns.append({
                        'name': column.name,
                        'is_required': column.config.meta.get('required', false),
                        'data_type': column.data_type,
                    }) -%}
                {%- endfor -%}
                {%- do tables.append({
                    'name': node.name,
                    'is_required': node.config.meta.get('required_table', false),
                    'columns': columns,
                }) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if table_name is not none and tables | length == 0 -%}
            {{ exceptions.raise_compiler_error(
                "raw_contract: no table '" ~ table_name ~ "' in the raw source contract"
            ) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(tables) }}
{% endmacro %}

{#- Column names of one raw table, in contract order. At parse time (no graph yet) returns []. -#}
{% macro raw_column_names(table_name) %}
    {%- set names = [] -%}
    {%- for table in raw_contract(table_name) -%}
        {%- for column in table.columns -%}
            {%- do names.append(column.name) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(names) }}
{% endmacro %}
