{#- Models land in exactly the schema their folder names (staging, intermediate,
    marts, quarantine), with no `<target>_` prefix, on every target. dbt calls it for every node
    while parsing, before any SQL: the vars are validated there (validate_vars). -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if node is not none and node.resource_type == 'model' -%}{%- do segmentation.validate_vars() -%}{%- endif -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
