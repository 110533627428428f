{#- Every var of the project, checked for type, range and format before anything runs: called when
    dbt parses the project (generate_schema_name) and again at run start, so that a typo or a
    payload in --vars stops dbt with an error naming the var, never reaching SQL. A var used in the
    project but missing here fails tests/python/test_var_validation.py. -#}
{% macro var_rules() %}
    {%- set day_count = {'kind': 'integer', 'minimum': 1, 'maximum': 36500} -%}
    {%- set optional_day_count = {'kind': 'integer', 'minimum': 1, 'maximum': 36500, 'optional': true} -%}
    {%- set order_count = {'kind': 'integer', 'minimum': 1, 'maximum': 1000000} -%}
    {%- set share = {'kind': 'number', 'minimum': 0, 'maximum': 1} -%}
    {{ return({
        'raw_dir': {'kind': 'path'},
        'register_raw_files': {'kind': 'boolean'},
        'raw_formats': {'kind': 'mapping'},
        'raw_column_aliases': {'kind': 'mapping'},
        'force_as_of_date': {'kind': 'boolean'},
        'as_of_max_days_after_data': {'kind': 'integer', 'minimum': 0, 'maximum': 36500},
        'future_date_cutoff': {'kind': 'date', 'optional': true},
        'identity_resolution_rounds': {'kind': 'integer', 'minimum': 1, 'maximum': 100},
        'earliest_birth_date': {'kind': 'date'},
        'phone_country_code': {'kind': 'digits', 'maximum_length': 3},
        'as_of_date': {'kind': 'date', 'optional': true},
        'rfm_window_days': optional_day_count,
        'rfm_amount': {'kind': 'choice', 'choices': ['sum', 'average']},
        'rfm_tiles': {'kind': 'integer', 'minimum': 2, 'maximum': 10},
        'rfm_recency_days': {'kind': 'increasing_numbers', 'minimum': 1},
        'rfm_scoring_mode': {'kind': 'choice', 'choices': ['quantile', 'thresholds']},
        'rfm_thresholds': {'kind': 'increasing_numbers_by_key', 'keys': ['frequency', 'monetary_amount']},
        'rfm_reference_as_of_date': {'kind': 'date', 'optional': true},
        'rfm_lost_after_days': optional_day_count,
        'revenue_window_days': day_count,
        'pmg_major_share': share,
        'pmg_medium_share': share,
        'lifecycle_active_days': day_count,
        'lifecycle_lapsing_days': day_count,
        'lifecycle_new_days': day_count,
        'lifecycle_repeat_min_orders': order_count,
        'loyalty_min_tenure_days': {'kind': 'integer', 'minimum': 0, 'maximum': 36500},
        'loyalty_loyal_min_orders': order_count,
        'loyalty_regular_min_orders': order_count,
        'loyalty_max_interval_cv': {'kind': 'number', 'minimum': 0, 'maximum': 1000},
        'appetence_window_days': optional_day_count,
        'channel_dominant_share': share,
        'product_mono_share': share,
        'promo_min_discount_share': share,
        'promo_phile_share': share,
        'promo_phobe_share': share,
        'promo_min_orders': order_count,
        'payment_late_days': {'kind': 'integer', 'minimum': 0, 'maximum': 36500},
        'payment_bad_share': share,
        'payment_late_share': share,
        'age_bands': {'kind': 'increasing_numbers', 'minimum': 1},
        'geo_min_customers': {'kind': 'integer', 'minimum': 0, 'maximum': 1000000000},
        'life_moment_days': day_count,
        'pressure_window_days': day_count,
        'pressure_default_max_per_month': {'kind': 'number', 'minimum': 0, 'maximum': 100000},
        'account_employee_bands': {'kind': 'increasing_numbers', 'minimum': 1},
        'account_revenue_bands': {'kind': 'increasing_numbers', 'minimum': 1},
        'segment_min_customers': {'kind': 'integer', 'minimum': 0, 'maximum': 1000000000},
        'segment_min_share': share,
        'min_evidence_share': share,
        'segment_contradiction_max_share': share,
        'prediction_horizon_days': day_count,
        'clv_margin_rate': share,
        'clv_annual_discount_rate': {'kind': 'number', 'minimum': 0, 'maximum': 10},
        'churn_risk_medium_probability': share,
        'churn_risk_high_probability': share,
        'future_value_top_shares': {'kind': 'increasing_numbers', 'minimum': 0, 'maximum': 1},
        'future_value_top_min_share_of_mean': {'kind': 'number', 'minimum': 0, 'maximum': 100},
        'backtest_holdout_days': day_count,
        'predictive_fit_max_iterations': {'kind': 'integer', 'minimum': 1, 'maximum': 1000000},
        'python_models': {'kind': 'boolean', 'optional': true},
        'incremental_staging': {'kind': 'boolean', 'optional': true},
        'segmentations': {'kind': 'registry'},
        'segment_drift_max_share_change': share,
        'quarantine_max_share': share,
        'quarantine_error_share': share,
        'freshness_warn_after_days': day_count,
        'freshness_error_after_days': day_count,
        'bi_role': {'kind': 'identifier', 'optional': true},
    }) }}
{% endmacro %}

{% macro validate_vars() %}
    {%- for name, rule in segmentation.var_rules().items() -%}
        {%- set problem = segmentation._var_problem(var(name, none), rule) -%}
        {%- if problem -%}
            {{ exceptions.raise_compiler_error("var " ~ name ~ " must be " ~ problem ~ ", got " ~ (var(name, none) | tojson)) }}
        {%- endif -%}
    {%- endfor -%}
    select 1
{% endmacro %}

{#- What is wrong with `value` under `rule` (the end of "must be ..."), empty when nothing. -#}
{% macro _var_problem(value, rule) %}
    {%- set kind = rule.kind -%}
    {%- set is_number = value is number and value is not boolean -%}
    {%- if rule.get('optional') and (value is none or (value is string and value | trim | lower in ['', 'none', 'null'])) -%}
        {{ return('') }}
    {%- elif kind == 'integer' -%}
        {%- if not (is_number and value == (value | int) and rule.minimum <= value <= rule.maximum) -%}
            {{ return('a whole number from ' ~ rule.minimum ~ ' to ' ~ rule.maximum) }}
        {%- endif -%}
    {%- elif kind == 'number' -%}
        {%- if not (is_number and rule.minimum <= value <= rule.maximum) -%}
            {{ return('a number from ' ~ rule.minimum ~ ' to ' ~ rule.maximum) }}
        {%- endif -%}
    {%- elif kind == 'boolean' -%}
        {%- if value not in [true, false] or value is number and value is not boolean -%}
            {{ return('true or false') }}
        {%- endif -%}
    {%- elif kind == 'date' -%}
        {#- text, or a date YAML read from an unquoted 2026-09-30 -#}
        {%- if not (modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', value | string)
                and segmentation._is_calendar_date(value | string)) -%}
            {{ return('a calendar date written YYYY-MM-DD') }}
        {%- endif -%}
    {%- elif kind == 'digits' -%}
        {%- if not modules.re.match('^[0-9]{1,' ~ rule.maximum_length ~ '}$', value | string) or value is boolean -%}
            {{ return('1 to ' ~ rule.maximum_length ~ ' digits') }}
        {%- endif -%}
    {%- elif kind == 'choice' -%}
        {%- if value not in rule.choices -%}
            {{ return('one of ' ~ rule.choices | join(', ')) }}
        {%- endif -%}
    {%- elif kind == 'identifier' -%}
        {%- if not (value is string and modules.re.match('^[a-z_][a-z0-9_]{0,62}$', value)) -%}
            {{ return('a plain lower-case name (a-z, 0-9, _)') }}
        {%- endif -%}
    {%- elif kind == 'path' -%}
        {%- if not (value is string and value | length > 0 and not modules.re.search("['\\\\\\x00-\\x1f]", value)) -%}
            {{ return('a folder path without quotes, backslashes or control characters') }}
        {%- endif -%}
    {%- elif kind == 'mapping' -%}
        {#- the entries are checked by the raw reader (segmentation/inputs), which names each one -#}
        {%- if value is not mapping -%}
            {{ return('a mapping (YAML {key: value}); {} for none') }}
        {%- endif -%}
    {%- elif kind == 'increasing_numbers' -%}
        {{ return(segmentation._increasing_numbers_problem(value, rule.minimum, rule.get('maximum'))) }}
    {%- elif kind == 'increasing_numbers_by_key' -%}
        {%- if value is not mapping or value.keys() | list | sort != rule['keys'] | sort -%}
            {{ return('a mapping of ' ~ rule['keys'] | join(' and ') ~ ' to lists of increasing numbers') }}
        {%- endif -%}
        {%- for key in rule['keys'] -%}
            {%- set problem = segmentation._increasing_numbers_problem(value[key], 0, none) -%}
            {%- if problem -%}{{ return(key ~ ': ' ~ problem) }}{%- endif -%}
        {%- endfor -%}
    {%- elif kind == 'registry' -%}
        {#- the full rules (unique names, flags) are segmentation_registry's, run when parsing -#}
        {%- set expected = 'a non-empty list of segmentations with lower-case identifiers for name, model and '
            ~ 'column and texts without backslash or control character for label, description and owner' -%}
        {%- if value is string or value is mapping or value is not iterable or value | length == 0 -%}
            {{ return(expected) }}
        {%- endif -%}
        {%- for entry in value -%}
            {%- if entry is not mapping -%}{{ return(expected) }}{%- endif -%}
            {%- for field in ['name', 'model', 'column'] -%}
                {%- if not (entry.get(field) is string and modules.re.match('^[a-z][a-z0-9_]*$', entry.get(field))) -%}
                    {{ return(expected) }}
                {%- endif -%}
            {%- endfor -%}
            {%- for field in ['label', 'description', 'owner'] -%}
                {%- if not (entry.get(field) is string and not modules.re.search('[\\\\\\x00-\\x1f]', entry.get(field))) -%}
                    {{ return(expected) }}
                {%- endif -%}
            {%- endfor -%}
            {#- evidence is optional, pasted into SQL like the label -#}
            {%- if entry.get('evidence') is not none
                and not (entry.evidence is string and not modules.re.search('[\\\\\\x00-\\x1f]', entry.evidence)) -%}
                {{ return(expected ~ ' (and for evidence when given)') }}
            {%- endif -%}
        {%- endfor -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("var_rules: unknown kind " ~ kind) }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}

{% macro _increasing_numbers_problem(values, minimum, maximum) %}
    {%- set expected = 'a non-empty list of strictly increasing numbers from ' ~ minimum ~ ((' to ' ~ maximum) if maximum is not none else '') -%}
    {%- if values is string or values is mapping or values is not iterable or values | length == 0 -%}
        {{ return(expected) }}
    {%- endif -%}
    {%- set check = namespace(before=none) -%}
    {%- for value in values -%}
        {%- if not (value is number and value is not boolean and value >= minimum
                and (maximum is none or value <= maximum)
                and (check.before is none or value > check.before)) -%}
            {{ return(expected) }}
        {%- endif -%}
        {%- set check.before = value -%}
    {%- endfor -%}
    {{ return('') }}
{% endmacro %}

{#- For tests: `dbt run-operation var_problems --args '{values: {name: value}}'` prints, as JSON
    after "var_problems:", what each rule says of each value (empty = accepted) and every rule name. -#}
{% macro var_problems(values) %}
    {%- set rules = segmentation.var_rules() -%}
    {%- set problems = {} -%}
    {%- for name, value in values.items() -%}
        {%- do problems.update({name: segmentation._var_problem(value, rules[name]) if name in rules else 'no rule'}) -%}
    {%- endfor -%}
    {{ print('var_problems: ' ~ tojson({'problems': problems, 'rules': rules.keys() | list | sort})) }}
{% endmacro %}
