{#- Last acceptable day for any event date: var('future_date_cutoff') or the run date.
    Later dates are extraction defects and go to quarantine. -#}
{% macro future_date_cutoff() -%}
    cast('{{ segmentation.future_date_cutoff_text() }}' as date)
{%- endmacro %}

{#- The same day as YYYY-MM-DD text, validated. -#}
{% macro future_date_cutoff_text() -%}
    {%- set configured = var('future_date_cutoff', none) -%}
    {%- set cutoff = configured if configured else run_started_at.strftime('%Y-%m-%d') -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', cutoff | string) -%}
        {{ exceptions.raise_compiler_error(
            "var future_date_cutoff must be a date written YYYY-MM-DD, got '" ~ cutoff ~ "'"
        ) }}
    {%- endif -%}
    {{ return(cutoff | string) }}
{%- endmacro %}
