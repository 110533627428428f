{#- The raw tables, in pipeline order. Literal (not read from the graph) so that models looping
    over it declare their refs at parse time; a Python test keeps it equal to the contract. -#}
{% macro raw_table_names() %}
    {{ return(['customers', 'companies', 'products', 'orders', 'order_lines', 'payments', 'marketing_events']) }}
{% endmacro %}
