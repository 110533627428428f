{#- The fitted BG/NBD and Gamma-Gamma parameters, one row per as-of date, purpose (scoring: the
    segments of that date; backtest: fitted up to its calibration end), model and parameter, with
    the unit (BG/NBD time in weeks) and the fit's quality line. History of every date built
    (int_btyd_parameters is incremental by as-of date). -#}
with

parameters as (
    select * from {{ ref('int_btyd_parameters') }}
),

final as (
    select
        as_of_date,
        purpose,
        observation_end_date,
        model,
        parameter,
        value,
        unit,
        fit_status,
        parameters_as_of_date,
        log_likelihood,
        converged,
        iterations,
        customers,
        distinct_rows,
        message
    from parameters
)

select * from final
