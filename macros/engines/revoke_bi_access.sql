{#- on-run-end: the BI role (var bi_role, empty = none) reads the published `serving` schema only
    (python -m segmentation publish grants it there): whatever it holds on the build schemas, where
    personal data and half-built marts live, is revoked after every run. PostgreSQL only: DuckDB
    has no roles (BI opens the serving file), Spark's local catalog no grants. -#}
{% macro revoke_bi_access() %}
    {{ return(adapter.dispatch('revoke_bi_access', 'segmentation')()) }}
{% endmacro %}

{% macro default__revoke_bi_access() %}
    select 1
{% endmacro %}

{% macro postgres__revoke_bi_access() %}
    {%- set role = segmentation.optional_var('bi_role') -%}
    {%- if role is none -%}
        select 1
    {%- else -%}
        do $$
        declare build_schema text;
        begin
            if exists (select 1 from pg_roles where rolname = '{{ role }}') then
                for build_schema in
                    select nspname from pg_namespace
                    where nspname in ('raw', 'staging', 'intermediate', 'quarantine', 'marts')
                loop
                    execute format('revoke all on all tables in schema %I from %I', build_schema, '{{ role }}');
                    execute format('revoke all on schema %I from %I', build_schema, '{{ role }}');
                end loop;
            end if;
        end
        $$
    {%- endif -%}
{% endmacro %}
