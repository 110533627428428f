"""The backtest: for each customer of int_btyd_backtest_inputs, the purchases and revenue the
models fitted on the calibration period predict for the holdout period, beside what happened."""

TYPES = {
    "customer_key": "varchar",
    "as_of_date": "date",
    "calibration_end_date": "date",
    "holdout_days": "integer",
    "repeat_purchase_days": "bigint",
    "predicted_holdout_purchases": "double",
    "predicted_no_purchase_probability": "double",
    "actual_holdout_purchases": "bigint",
    "predicted_holdout_revenue": "double",
    "actual_holdout_revenue": "double",
}


def model(dbt, session):
    dbt.config(materialized="table")
    from segmentation.predictive import scoring

    inputs = dbt.ref("int_btyd_backtest_inputs").df()
    parameters = dbt.ref("int_btyd_parameters").df()
    holdout_days = int(inputs["holdout_days"].iloc[0]) if not inputs.empty else 1  # nothing to predict
    if not inputs.empty:
        parameters = parameters[parameters["as_of_date"] == inputs["as_of_date"].iloc[0]]
    predictions = scoring.predict(
        scoring.parameters_of(parameters, "backtest"),
        inputs["repeat_purchase_days"],
        inputs["first_to_last_purchase_days"],
        inputs["first_purchase_to_calibration_end_days"],
        inputs["mean_repeat_purchase_value"],
        holdout_days,
    )
    frame = inputs.reset_index(drop=True)
    frame["predicted_holdout_purchases"] = predictions["expected_purchases"]
    frame["predicted_no_purchase_probability"] = predictions["churn_probability"]
    frame["predicted_holdout_revenue"] = predictions["predicted_customer_value"]
    frame["actual_holdout_purchases"] = frame["holdout_purchase_days"]
    frame["actual_holdout_revenue"] = frame["holdout_revenue_amount"]
    return scoring.typed_relation(session, frame[list(TYPES)], TYPES)
