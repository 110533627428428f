{#- Expression: whole years from a date of birth to the as-of date (birthdays counted on the
    day, as people count them), null when the date is unknown. -#}
{% macro age_in_years(birth_date_column) -%}
    cast(extract(year from {{ segmentation.as_of_date() }}) - extract(year from {{ birth_date_column }})
    - case
        when
            extract(month from {{ segmentation.as_of_date() }}) < extract(month from {{ birth_date_column }})
            or (
                extract(month from {{ segmentation.as_of_date() }}) = extract(month from {{ birth_date_column }})
                and extract(day from {{ segmentation.as_of_date() }}) < extract(day from {{ birth_date_column }})
            )
            then 1
        else 0
    end as {{ dbt.type_int() }})
{%- endmacro %}

{#- Expression: the age band of var('age_bands') (increasing upper bounds, exclusive): with
    [25, 35, 50, 65], 'under 25', '25-34', '35-49', '50-64', '65 and over'; 'unknown' for null. -#}
{% macro age_band(age_expression) -%}
    {{ segmentation.bounded_band(age_expression, var('age_bands'), 'age_bands') }}
{%- endmacro %}
