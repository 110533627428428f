{{ quarantine_rows(ref('base_raw__payments'), 'payments') }}
