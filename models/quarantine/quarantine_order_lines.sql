{{ quarantine_rows(ref('base_raw__order_lines'), 'order_lines') }}
