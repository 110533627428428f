{{ quarantine_rows(ref('base_raw__orders'), 'orders') }}
