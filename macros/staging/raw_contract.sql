{#- The raw-data contract for dbt: tables in pipeline order, each with its columns as
    (name, data_type, is_required). Documented in models/staging/raw/_raw__sources.yml, which
    tests/python/test_contract.py keeps identical to this list (and which Python reads).
    Returns a list of {name, is_required, columns: [{name, data_type, is_required}]}. -#}
{% macro raw_contract(table_name=none) %}
    {%- set tables = [
        ('customers', true, [
            ('customer_id', 'varchar', true),
            ('source_system', 'varchar', false),
            ('customer_type', 'varchar', false),
            ('company_id', 'varchar', false),
            ('email', 'varchar', false),
            ('phone', 'varchar', false),
            ('first_name', 'varchar', false),
            ('last_name', 'varchar', false),
            ('birth_date', 'date', false),
            ('gender', 'varchar', false),
            ('marital_status', 'varchar', false),
            ('children_count', 'integer', false),
            ('education_level', 'varchar', false),
            ('occupation', 'varchar', false),
            ('socio_professional_category', 'varchar', false),
            ('income_band', 'varchar', false),
            ('housing_type', 'varchar', false),
            ('postal_code', 'varchar', false),
            ('city', 'varchar', false),
            ('department', 'varchar', false),
            ('region', 'varchar', false),
            ('country', 'varchar', false),
            ('email_opt_in', 'boolean', false),
            ('sms_opt_in', 'boolean', false),
            ('created_at', 'timestamp', true),
            ('updated_at', 'timestamp', false),
        ]),
        ('companies', false, [
            ('company_id', 'varchar', true),
            ('company_name', 'varchar', false),
            ('industry_sector', 'varchar', false),
            ('employee_count', 'integer', false),
            ('annual_revenue', 'decimal', false),
            ('region', 'varchar', false),
            ('country', 'varchar', false),
            ('created_at', 'timestamp', false),
        ]),
        ('orders', true, [
            ('order_id', 'varchar', true),
            ('customer_id', 'varchar', true),
            ('ordered_at', 'timestamp', true),
            ('channel', 'varchar', true),
            ('store_id', 'varchar', false),
            ('status', 'varchar', true),
            ('currency', 'varchar', false),
            ('payment_method', 'varchar', false),
            ('promo_code', 'varchar', false),
        ]),
        ('order_lines', true, [
            ('order_line_id', 'varchar', true),
            ('order_id', 'varchar', true),
            ('product_id', 'varchar', true),
            ('quantity', 'integer', true),
            ('unit_price', 'decimal', true),
            ('discount_amount', 'decimal', false),
        ]),
        ('products', false, [
            ('product_id', 'varchar', true),
            ('product_name', 'varchar', false),
            ('category', 'varchar', true),
            ('subcategory', 'varchar', false),
            ('collection', 'varchar', false),
            ('brand', 'varchar', false),
            ('unit_cost', 'decimal', false),
        ]),
        ('payments', false, [
            ('payment_id', 'varchar', true),
            ('order_id', 'varchar', true),
            ('amount', 'decimal', true),
            ('due_date', 'date', false),
            ('paid_at', 'timestamp', false),
            ('payment_method', 'varchar', false),
            ('status', 'varchar', false),
        ]),
        ('marketing_events', false, [
            ('event_id', 'varchar', true),
            ('customer_id', 'varchar', true),
            ('campaign_id', 'varchar', false),
            ('channel', 'varchar', true),
            ('event_type', 'varchar', true),
            ('event_at', 'timestamp', true),
            ('is_promotional', 'boolean', false),
        ]),
    ] -%}
    {%- set contract = [] -%}
    {%- for name, is_required, columns in tables if table_name is none or name == table_name -%}
        {%- set column_specs = [] -%}
        {%- for column_name, data_type, column_is_required in columns -%}
            {%- do column_specs.append({'name': column_name, 'data_type': data_type, 'is_required': column_is_required}) -%}
        {%- endfor -%}
        {%- do contract.append({'name': name, 'is_required': is_required, 'columns': column_specs}) -%}
    {%- endfor -%}
    {%- if contract | length == 0 -%}
        {{ exceptions.raise_compiler_error("raw_contract: no table '" ~ table_name ~ "' in the raw-data contract") }}
    {%- endif -%}
    {{ return(contract) }}
{% endmacro %}

{#- Column names of one raw table, in contract order. -#}
{% macro raw_column_names(table_name) %}
    {{ return(segmentation.raw_contract(table_name)[0].columns | map(attribute='name') | list) }}
{% endmacro %}

{#- The raw table names, in pipeline order. -#}
{% macro raw_table_names() %}
    {{ return(segmentation.raw_contract() | map(attribute='name') | list) }}
{% endmacro %}
