{#- Verdicts of a base model from its field rules (ADR 0019). `rules` is the ordered list of
    [contract column, reason code, condition]. Whether a rule quarantines the row or nulls one value
    is read from the contract, not from the rule:
    - rules on a required column (and on the key and references, which are required) make
      `quarantine_reason`: the first one the row fails, null when it fails none;
    - rules on an optional column make `<column>_null_reason`, one per optional contract column:
      the first rule of that column the value fails (null when none, or when the column has no
      rule). Staging turns such a value into null (`staged_value`) and keeps the row;
      quarantine.quarantine_nulled_values lists it with its raw value.
    Exact duplicates (copy_number > 1) get no verdict: they are counted apart. -#}
{% macro field_verdicts(table_name, rules) -%}
    {%- set columns = segmentation.raw_contract(table_name)[0].columns -%}
    {%- set required = columns | selectattr('is_required') | map(attribute='name') | list -%}
    {%- set known = columns | map(attribute='name') | list -%}
    {%- for column_name, reason, condition in rules if column_name not in known -%}
        {{ exceptions.raise_compiler_error(
            "field_verdicts: rule '" ~ reason ~ "' names '" ~ column_name ~ "', no column of " ~ table_name
        ) }}
    {%- endfor -%}
    case
            when copy_number > 1 then null
        {%- for column_name, reason, condition in rules if column_name in required %}
            when {{ condition }} then '{{ reason }}'
        {%- endfor %}
        end as quarantine_reason
    {%- for column in columns if not column.is_required %}
        {%- set column_rules = rules | selectattr(0, 'equalto', column.name) | list %},
        {%- if column_rules %}
        case
            when copy_number > 1 then null
            {%- for column_name, reason, condition in column_rules %}
            when {{ condition }} then '{{ reason }}'
            {%- endfor %}
        end as {{ column.name }}_null_reason
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ column.name }}_null_reason
        {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- The name a contract column takes once parsed, in base and staging models (most keep theirs). -#}
{% macro parsed_column_name(table_name, column_name) -%}
    {%- set renamed = {
        'customers.email_opt_in': 'has_email_opt_in',
        'customers.sms_opt_in': 'has_sms_opt_in',
        'companies.annual_revenue': 'annual_revenue_amount',
        'orders.status': 'order_status',
        'order_lines.unit_price': 'unit_price_amount',
        'products.unit_cost': 'unit_cost_amount',
        'payments.amount': 'payment_amount',
        'payments.status': 'payment_status',
    } -%}
    {{ return(renamed.get(table_name ~ '.' ~ column_name, column_name)) }}
{%- endmacro %}

{#- A parsed optional value as staging keeps it: null when a field rule nulled it. -#}
{% macro staged_value(table_name, column_name) -%}
    case
        when {{ column_name }}_null_reason is null
            then {{ segmentation.parsed_column_name(table_name, column_name) }}
    end
{%- endmacro %}

{#- The key column of a raw table: its first contract column. -#}
{% macro raw_key_column(table_name) -%}
    {{ return(segmentation.raw_column_names(table_name)[0]) }}
{%- endmacro %}
