{#- Models land in exactly the schema their folder names (staging, intermediate,
    marts, quarantine), with no `<target>_` prefix, on every target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema | trim }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
