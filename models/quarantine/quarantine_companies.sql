{{ quarantine_rows(ref('base_raw__companies'), 'companies') }}
