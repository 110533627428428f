{{ config(enabled=python_models_supported()) }}
-- Warns when a fit of this as-of date did not converge: the previous parameters are used
-- (previous_kept) or nobody is scored (not_fitted). Returns the model rows of those fits.
select distinct
    as_of_date,
    purpose,
    model,
    fit_status,
    parameters_as_of_date,
    message
from {{ ref('int_btyd_parameters') }}
where as_of_date = {{ as_of_date() }} and fit_status != 'fitted'
