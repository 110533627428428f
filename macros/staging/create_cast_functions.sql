{#- Run at the start of every dbt invocation (on-run-start), after the raw tables are registered.
    PostgreSQL: creates the safe-cast functions postgres__try_cast calls, in the staging schema.
    A value converts only when it has the shape DuckDB and Spark accept too (ISO 8601 dates and
    times, dot decimals), so every engine quarantines the same rows; anything else is null. -#}
{% macro create_cast_functions() %}
    {{ return(adapter.dispatch('create_cast_functions', 'segmentation')()) }}
{% endmacro %}

{% macro default__create_cast_functions() %}
    select 1
{% endmacro %}

{% macro postgres__create_cast_functions() %}
    create schema if not exists staging;

    create or replace function staging.segmentation_try_numeric(value text) returns numeric
    language plpgsql immutable as $$
    begin
        if value is null or trim(value) !~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$' then
            return null;
        end if;
        -- the precision of dbt.type_numeric(): a larger value is out of range, so null
        return cast(trim(value) as numeric(28, 6));
    exception when others then
        return null;
    end $$;

    create or replace function staging.segmentation_try_timestamp(value text) returns timestamp
    language plpgsql immutable as $$
    begin
        if value is null
            or trim(value) !~ '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?$' then
            return null;
        end if;
        return cast(trim(value) as timestamp);
    exception when others then
        return null;
    end $$
{% endmacro %}
