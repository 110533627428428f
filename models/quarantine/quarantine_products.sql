{{ quarantine_rows(ref('base_raw__products'), 'products') }}
