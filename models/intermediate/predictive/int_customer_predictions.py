"""Per customer known at the as-of date: probability alive, churn probability, expected purchases
and spend, and the discounted value of the horizon, from the scoring parameters of that date
(int_btyd_parameters). Prospects, and every customer when no parameters exist, get nulls."""

TYPES = {
    "customer_key": "varchar",
    "as_of_date": "date",
    "is_prospect": "boolean",
    "repeat_purchase_days": "bigint",
    "first_to_last_purchase_days": "bigint",
    "first_purchase_to_as_of_days": "bigint",
    "mean_repeat_purchase_value": "double",
    "horizon_days": "integer",
    "probability_alive": "double",
    "churn_probability": "double",
    "expected_purchases": "double",
    "expected_order_value": "double",
    "predicted_customer_value": "double",
    "fit_status": "varchar",
    "spend_fit_status": "varchar",
}


def model(dbt, session):
    dbt.config(materialized="table")
    from segmentation.predictive import scoring

    horizon_days = int(dbt.config.get("horizon_days"))
    inputs = dbt.ref("int_btyd_inputs").df()
    parameters = dbt.ref("int_btyd_parameters").df()
    if not inputs.empty:
        parameters = parameters[parameters["as_of_date"] == inputs["as_of_date"].iloc[0]]
    predictions = scoring.predict(
        scoring.parameters_of(parameters, "scoring"),
        inputs["repeat_purchase_days"],
        inputs["first_to_last_purchase_days"],
        inputs["first_purchase_to_as_of_days"],
        inputs["mean_repeat_purchase_value"],
        horizon_days,
        margin_rate=float(dbt.config.get("margin_rate")),
        annual_discount_rate=float(dbt.config.get("annual_discount_rate")),
    )
    frame = inputs.reset_index(drop=True).join(predictions)
    frame["horizon_days"] = horizon_days
    for column, model in (("fit_status", "bg_nbd"), ("spend_fit_status", "gamma_gamma")):
        statuses = parameters[(parameters["purpose"] == "scoring") & (parameters["model"] == model)]["fit_status"]
        frame[column] = statuses.iloc[0] if len(statuses) else "not_fitted"
    return scoring.typed_relation(session, frame[list(TYPES)], TYPES)
