{#- on-run-end: lets the BI role (var bi_role, empty = none) use the marts schema. Its select on
    each mart comes from the `grants` config of models/marts (dbt applies it after each build);
    it gets nothing on raw, staging, intermediate or quarantine, where personal data lives.
    PostgreSQL only: DuckDB has no roles, Spark's local catalog no grants. -#}
{% macro grant_bi_access() %}
    {{ return(adapter.dispatch('grant_bi_access', 'segmentation')()) }}
{% endmacro %}

{% macro default__grant_bi_access() %}
    select 1
{% endmacro %}

{% macro postgres__grant_bi_access() %}
    {%- set role = segmentation.optional_var('bi_role') -%}
    {%- if role is none -%}
        select 1
    {%- else -%}
        {%- if not modules.re.match('^[a-z_][a-z0-9_]*$', role) -%}
            {{ exceptions.raise_compiler_error("var bi_role must be a plain role name (a-z, 0-9, _), got '" ~ role ~ "'") }}
        {%- endif -%}
        grant usage on schema marts to {{ role }}
    {%- endif -%}
{% endmacro %}
