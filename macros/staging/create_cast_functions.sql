{#- Run at the start of every dbt invocation (on-run-start), after the raw tables are registered.
    PostgreSQL: creates the safe casts postgres__try_cast calls, in the staging schema: numbers of
    the accepted shape that fit the type, and timestamps whose shape parse_timestamp has checked
    but that may be no calendar day (2024-02-30). -#}
{% macro create_cast_functions() %}
    {{ return(adapter.dispatch('create_cast_functions', 'segmentation')()) }}
{% endmacro %}

{% macro default__create_cast_functions() %}
    select 1
{% endmacro %}

{% macro postgres__create_cast_functions() %}
    create schema if not exists staging;

    -- a number of the accepted shape (also what `segmentation check` counts as parseable) that
    -- fits dbt.type_numeric(); case, not and: PostgreSQL does not promise to evaluate in order
    create or replace function staging.segmentation_try_numeric(value text) returns numeric
    language sql immutable strict parallel safe as $$
        select case
            when trim(value) ~ '{{ segmentation.number_pattern() }}'
                then case
                    when abs(round(cast(trim(value) as numeric), 6)) < 1e22
                        then cast(trim(value) as numeric(28, 6))
                end
        end
    $$;

    -- strict: null in, null out without a call; the exception block costs a subtransaction per
    -- call, paid only by values that already have the shape of a timestamp
    create or replace function staging.segmentation_try_timestamp(value text) returns timestamp
    language plpgsql immutable strict parallel safe as $$
    begin
        return cast(value as timestamp);
    exception when others then
        return null;
    end $$
{% endmacro %}
