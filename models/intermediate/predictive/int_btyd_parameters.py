"""BG/NBD and Gamma-Gamma parameters per as-of date, fitted on int_btyd_inputs (purpose 'scoring')
and on the backtest's calibration period (purpose 'backtest'), one row per parameter with the fit's
quality. A scoring fit that does not converge keeps the latest earlier fitted parameters."""

import warnings

TYPES = {
    "as_of_date": "date",
    "purpose": "varchar",
    "observation_end_date": "date",
    "model": "varchar",
    "parameter": "varchar",
    "value": "double",
    "unit": "varchar",
    "fit_status": "varchar",
    "parameters_as_of_date": "date",
    "log_likelihood": "double",
    "converged": "boolean",
    "iterations": "integer",
    "customers": "bigint",
    "distinct_rows": "bigint",
    "message": "varchar",
}


def model(dbt, session):
    dbt.config(
        materialized="incremental",
        incremental_strategy="delete+insert",
        unique_key="as_of_date",
        on_schema_change="fail",
    )
    import pandas as pd

    from segmentation.predictive import scoring

    max_iterations = int(dbt.config.get("max_iterations"))
    scoring_inputs = dbt.ref("int_btyd_inputs").df()
    backtest_inputs = dbt.ref("int_btyd_backtest_inputs").df()
    previous = session.sql(f"select * from {dbt.this}").df() if dbt.is_incremental else None

    frames = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", scoring.PredictiveFitWarning)
        if not scoring_inputs.empty:
            as_of_date = scoring_inputs["as_of_date"].iloc[0]
            fits = scoring.fit_models(
                scoring_inputs["repeat_purchase_days"],
                scoring_inputs["first_to_last_purchase_days"],
                scoring_inputs["first_purchase_to_as_of_days"],
                scoring_inputs["mean_repeat_purchase_value"],
                max_iterations,
            )
            frames.append(scoring.parameter_rows(as_of_date, "scoring", as_of_date, fits, previous))
        if not backtest_inputs.empty:
            fits = scoring.fit_models(
                backtest_inputs["repeat_purchase_days"],
                backtest_inputs["first_to_last_purchase_days"],
                backtest_inputs["first_purchase_to_calibration_end_days"],
                backtest_inputs["mean_repeat_purchase_value"],
                max_iterations,
            )
            frames.append(
                scoring.parameter_rows(
                    backtest_inputs["as_of_date"].iloc[0],
                    "backtest",
                    backtest_inputs["calibration_end_date"].iloc[0],
                    fits,
                )
            )
    for warning in caught:
        print(f"WARNING {warning.message}")  # in dbt's log; the fit_status test warns in the build summary
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(TYPES))
    return scoring.typed_relation(session, frame, TYPES)
