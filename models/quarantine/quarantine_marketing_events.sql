{{ quarantine_rows(ref('base_raw__marketing_events'), 'marketing_events') }}
