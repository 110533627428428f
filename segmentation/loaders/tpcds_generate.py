"""Generates TPC-DS with DuckDB's ``tpcds`` extension and writes it as the raw files of our contract.

Runs in its own virtualenv (duckdb and duckdb-extension-tpcds pinned to the same version, see
tpcds_requirements.txt and docs/decisions/0014), started by ``segmentation.loaders.tpcds``: it
imports nothing from the project, only duckdb, and prints one JSON line (row counts, as-of date).

    python tpcds_generate.py --scale-factor SF --out DIR --format parquet|csv --work-dir DIR

The mapping is documented in segmentation/loaders/tpcds.py.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

import duckdb
import duckdb_extension_tpcds

# Every sales channel as one shape: (prefix of the order id, channel, sales table, its column
# prefix, its order-number and customer columns, returns table). TPC-DS names the other columns
# alike in every channel (<prefix>item_sk, <prefix>quantity, ...) and keys a line by (order or
# ticket number, item).
CHANNELS = (
    ("S", "store", "store_sales", "ss_", "ss_ticket_number", "ss_customer_sk", "store_returns"),
    ("W", "web", "web_sales", "ws_", "ws_order_number", "ws_bill_customer_sk", "web_returns"),
    ("C", "phone", "catalog_sales", "cs_", "cs_order_number", "cs_bill_customer_sk", "catalog_returns"),
)
RETURN_PREFIXES = {"store_returns": "sr_", "web_returns": "wr_", "catalog_returns": "cr_"}
RETURN_ORDER_NUMBERS = {"store_returns": "sr_ticket_number"}


def sales_sql() -> str:
    parts = []
    for prefix, channel, table, c, order_number, customer, _ in CHANNELS:
        store = f"{c}store_sk" if channel == "store" else "null"
        parts.append(
            f"""select '{prefix}' || {order_number} as order_id, '{channel}' as channel,
                {c}item_sk as item_sk, {customer} as customer_sk, {c}sold_date_sk as date_sk,
                {c}sold_time_sk as time_sk, {store} as store_sk, {c}promo_sk as promo_sk,
                {c}quantity as quantity, {c}list_price as list_price,
                coalesce(
                    {c}ext_list_price - {c}ext_sales_price,
                    ({c}list_price - {c}sales_price) * {c}quantity
                ) as discount,
                {c}sales_price as sales_price
            from {table}"""
        )
    return "\nunion all\n".join(parts)


def returns_sql() -> str:
    parts = []
    for prefix, _, _, _, _, _, table in CHANNELS:
        r = RETURN_PREFIXES[table]
        order_number = RETURN_ORDER_NUMBERS.get(table, f"{r}order_number")
        parts.append(
            f"select '{prefix}' || {order_number} as order_id, {r}item_sk as item_sk, "
            f"{r}return_quantity as quantity from {table}"
        )
    return "\nunion all\n".join(parts)


# The raw tables, each a query over the generated TPC-DS schema. Types are the contract's
# (varchar, bigint, double, date, timestamp, boolean); rows are ordered by their key so that the
# same scale factor gives the same files.
TABLES = {
    "products": """
        select cast(i_item_sk as varchar) as product_id, i_product_name as product_name,
            i_category as category, i_class as subcategory, cast(null as varchar) as collection,
            i_brand as brand, cast(i_wholesale_cost as double) as unit_cost
        from item order by i_item_sk""",
    "orders": """
        with lines as (select * from sales),
        heads as (
            select order_id, min(channel) as channel, min(customer_sk) as customer_sk, min(date_sk) as date_sk,
                min(time_sk) as time_sk, min(store_sk) as store_sk, min(promo_sk) as promo_sk
            from lines group by order_id
        ),
        -- orders with a return line below (a return whose sale row lost its item key has none)
        returned as (
            select distinct sales_returns.order_id from sales_returns
            inner join sales on sales_returns.order_id = sales.order_id and sales_returns.item_sk = sales.item_sk
        )
        select heads.order_id, customer.c_customer_id as customer_id,
            cast(date_dim.d_date as timestamp) + to_seconds(coalesce(time_dim.t_time, 0)) as ordered_at,
            heads.channel, store.s_store_id as store_id,
            case when returned.order_id is null then 'completed' else 'returned' end as status,
            'USD' as currency, cast(null as varchar) as payment_method, promotion.p_promo_id as promo_code
        from heads
        left join customer on heads.customer_sk = customer.c_customer_sk
        left join date_dim on heads.date_sk = date_dim.d_date_sk
        left join time_dim on heads.time_sk = time_dim.t_time_sk
        left join store on heads.store_sk = store.s_store_sk
        left join promotion on heads.promo_sk = promotion.p_promo_sk
        left join returned on heads.order_id = returned.order_id
        order by heads.order_id""",
    "order_lines": """
        -- a line whose discount cannot be told (prices null) has no unit price either: it is
        -- quarantined rather than counted at list price
        select order_id || '-' || item_sk as order_line_id, order_id, cast(item_sk as varchar) as product_id,
            cast(quantity as bigint) as quantity,
            cast(case when discount is not null then list_price end as double) as unit_price,
            cast(discount as double) as discount_amount
        from sales
        union all
        -- a return: the units given back, at the price paid for them, on the original order
        select sales_returns.order_id || '-' || sales_returns.item_sk || '-R', sales_returns.order_id,
            cast(sales_returns.item_sk as varchar), -cast(sales_returns.quantity as bigint),
            cast(sales.sales_price as double), cast(0 as double)
        from sales_returns
        inner join sales on sales_returns.order_id = sales.order_id and sales_returns.item_sk = sales.item_sk
        order by order_line_id""",
    "customers": """
        with first_orders as (
            select customer_id, min(ordered_at) as first_ordered_at from raw_orders group by customer_id
        )
        select customer.c_customer_id as customer_id, 'tpcds' as source_system, 'B2C' as customer_type,
            cast(null as varchar) as company_id, c_email_address as email, cast(null as varchar) as phone,
            c_first_name as first_name, c_last_name as last_name,
            case when c_birth_day <= day(last_day(make_date(c_birth_year, c_birth_month, 1)))
                then make_date(c_birth_year, c_birth_month, c_birth_day) end as birth_date,
            cd_gender as gender, nullif(cd_marital_status, 'U') as marital_status,
            cast(cd_dep_count as bigint) as children_count,
            nullif(lower(cd_education_status), 'unknown') as education_level,
            cast(null as varchar) as occupation, cast(null as varchar) as socio_professional_category,
            ib_lower_bound || '-' || ib_upper_bound as income_band, cast(null as varchar) as housing_type,
            ca_zip as postal_code, ca_city as city, ca_county as department, ca_state as region,
            ca_country as country, cast(null as boolean) as email_opt_in, cast(null as boolean) as sms_opt_in,
            -- no sign-up date in TPC-DS: the first sales date it records, or the first order if earlier
            coalesce(
                least(cast(first_sales.d_date as timestamp), first_orders.first_ordered_at),
                timestamp '1998-01-01'
            ) as created_at,
            cast(null as timestamp) as updated_at
        from customer
        left join customer_demographics on c_current_cdemo_sk = cd_demo_sk
        left join household_demographics on c_current_hdemo_sk = hd_demo_sk
        left join income_band on hd_income_band_sk = ib_income_band_sk
        left join customer_address on c_current_addr_sk = ca_address_sk
        left join date_dim as first_sales on c_first_sales_date_sk = first_sales.d_date_sk
        left join first_orders on customer.c_customer_id = first_orders.customer_id
        order by customer.c_customer_id""",
}
WRITE_ORDER = ("products", "orders", "order_lines", "customers")


def extension_path() -> pathlib.Path:
    found = sorted(pathlib.Path(duckdb_extension_tpcds.__file__).parent.glob("extensions/*/tpcds.duckdb_extension"))
    if not found:
        raise SystemExit("duckdb-extension-tpcds holds no tpcds.duckdb_extension")
    return found[-1]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale-factor", type=float, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--work-dir", required=True, help="folder for the temporary TPC-DS database")
    parser.add_argument("--memory-limit", default="4GB")
    args = parser.parse_args(argv)
    out = pathlib.Path(args.out)
    database = pathlib.Path(args.work_dir) / "tpcds.duckdb"
    connection = duckdb.connect(str(database), config={"allow_unsigned_extensions": "true"})
    connection.execute(f"set memory_limit = '{args.memory_limit}'")
    connection.execute(f"set temp_directory = '{pathlib.Path(args.work_dir) / 'spill'}'")
    connection.execute(f"load '{extension_path()}'")
    connection.execute(f"call dsdgen(sf = {args.scale_factor})")
    connection.execute(f"create table sales as {sales_sql()}")
    connection.execute(f"create table sales_returns as {returns_sql()}")
    counts = {}
    options = "format parquet, compression zstd" if args.format == "parquet" else "format csv, header true"
    for name in WRITE_ORDER:
        query = TABLES[name]
        if name == "orders":  # customers read it back (first order)
            connection.execute(f"create table raw_orders as {query}")
            query = "select * from raw_orders"
        path = out / f"{name}.{args.format}"
        counts[name] = connection.execute(f"copy ({query}) to '{path}' ({options})").fetchone()[0]
    as_of = connection.execute("select cast(max(ordered_at) as date) from raw_orders").fetchone()[0]
    connection.close()
    print(json.dumps({"row_counts": counts, "as_of_date": as_of.isoformat()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
