{#- var('rfm_reference_as_of_date') validated: none (F and M quantiles are taken at each as-of
    date) or a YYYY-MM-DD date, not after as_of_date, whose quantile bounds the as-of date is
    scored against, so that a move between segments over time is a customer's move, not a
    cutpoint's (every date of the history must be built with the same reference). -#}
{% macro rfm_reference_as_of_date() -%}
    {%- set text = segmentation.optional_var('rfm_reference_as_of_date') -%}
    {%- if text is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) or not segmentation._is_calendar_date(text) -%}
        {{ exceptions.raise_compiler_error(
            "var rfm_reference_as_of_date must be empty or a calendar date written YYYY-MM-DD, got '" ~ text ~ "'") }}
    {%- endif -%}
    {%- if text > segmentation.as_of_date_text() -%}
        {{ exceptions.raise_compiler_error(
            "var rfm_reference_as_of_date (" ~ text ~ ") is after as_of_date (" ~ segmentation.as_of_date_text()
            ~ "): the bounds would use orders the as-of date cannot know") }}
    {%- endif -%}
    {{ return(text) }}
{%- endmacro %}
