"""`python -m segmentation report --out report.html`: one self-contained HTML file of the segment
marts for marketing managers: charts drawn as inline SVG here, no script, no font, no image and no
stylesheet fetched, so the file opens offline, by e-mail attachment, from any folder.

It reads the `marts` schema only (what BI tools read), so the build database and the serving file
both work. Sections without their mart (predictions off, pressure disabled, one as-of date only)
say so instead of drawing an empty chart.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from segmentation.outcomes import current_as_of_date
from segmentation.targets import Target, connect

WIDTH = 720
PALETTE = ["#1f5f8b", "#e07b39", "#3a9d5d", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c", "#ccb974", "#64b5cd"]
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1100px;
color:#222;line-height:1.4;padding:0 1rem}
h1{margin-bottom:.2rem}h2{margin-top:2.5rem;border-bottom:2px solid #1f5f8b;padding-bottom:.2rem}
.meta{color:#555}.grid{display:flex;flex-wrap:wrap;gap:1.5rem}.card{flex:1 1 480px}
table{border-collapse:collapse;font-size:.9rem}td,th{padding:.25rem .5rem;border-bottom:1px solid #ddd;text-align:left}
td.num,th.num{text-align:right}.note{color:#666;font-style:italic}svg text{font-size:11px;fill:#222}
.warning{color:#8a1c1c;font-weight:bold}
svg .axis{stroke:#999}nav a{margin-right:.8rem}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _number(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "\u2013"
    return f"{value:,.{digits}f}".replace(",", "\u202f")


def _share(value: float | None) -> str:
    return "\u2013" if value is None else f"{100 * value:.1f}%"


def hbar_chart(
    chart_id: str, title: str, rows: Sequence[tuple[str, float, str]], color: str = PALETTE[0], floor: float = 0
) -> str:
    """Horizontal bars: (label, value, text shown at the bar's end), scaled to the largest value or
    to `floor` when larger (so that 0.2% does not fill the width)."""
    height = 24 * len(rows) + 30
    peak = max(max((value for _, value, _ in rows), default=0), floor) or 1
    label_width, bar_width = 190, WIDTH - 190 - 160
    parts = [
        f'<svg data-chart="{chart_id}" role="img" aria-label="{_e(title)}" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="14" font-weight="bold">{_e(title)}</text>',
    ]
    for index, (label, value, text) in enumerate(rows):
        y = 24 + 24 * index
        width = max(bar_width * value / peak, 0)
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{_e(label)}</text>')
        parts.append(
            f'<rect class="mark" x="{label_width}" y="{y + 2}" width="{width:.1f}" height="16" fill="{color}">'
            f"<title>{_e(label)}: {_e(text)}</title></rect>"
        )
        parts.append(f'<text x="{label_width + width + 4:.1f}" y="{y + 14}">{_e(text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def heatmap(
    chart_id: str,
    title: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    cells: dict[tuple[str, str], tuple[float, str]],
    row_title: str,
    column_title: str,
) -> str:
    """A grid: cells[(row, column)] = (value for the colour, text in the cell)."""
    cell_w = min(90, (WIDTH - 150) // max(len(column_labels), 1))
    cell_h = 28
    left, top = 150, 60
    width = left + cell_w * len(column_labels) + 10
    height = top + cell_h * len(row_labels) + 10
    peak = max((value for value, _ in cells.values()), default=0) or 1
    parts = [
        f'<svg data-chart="{chart_id}" role="img" aria-label="{_e(title)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="14" font-weight="bold">{_e(title)}</text>',
        f'<text x="{left}" y="32" font-style="italic">{_e(column_title)} →</text>',
        f'<text x="0" y="{top - 6}" font-style="italic">{_e(row_title)} ↓</text>',
    ]
    for column_index, column in enumerate(column_labels):
        x = left + cell_w * column_index + cell_w / 2
        parts.append(f'<text x="{x:.0f}" y="{top - 6}" text-anchor="middle">{_e(_short(column, cell_w))}</text>')
    for row_index, row in enumerate(row_labels):
        y = top + cell_h * row_index
        parts.append(f'<text x="{left - 6}" y="{y + 18}" text-anchor="end">{_e(row)}</text>')
        for column_index, column in enumerate(column_labels):
            value, text = cells.get((row, column), (0, ""))
            intensity = value / peak
            fill = f"rgba(31,95,139,{0.08 + 0.85 * intensity:.3f})" if text else "#f4f4f4"
            x = left + cell_w * column_index
            parts.append(
                f'<rect class="mark" x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{fill}">'
                f"<title>{_e(row)} → {_e(column)}: {_e(text)}</title></rect>"
            )
            if text:
                color = "#fff" if intensity > 0.55 else "#222"
                parts.append(
                    f'<text x="{x + cell_w / 2 - 1:.0f}" y="{y + 18}" text-anchor="middle" style="fill:{color}">'
                    f"{_e(text)}</text>"
                )
    parts.append("</svg>")
    return "".join(parts)


def _short(text: str, pixels: int) -> str:
    most = max(int(pixels / 6.5), 4)
    return text if len(text) <= most else text[: most - 1] + "…"


def line_chart(
    chart_id: str,
    title: str,
    points: Sequence[tuple[float, float]],
    x_title: str,
    y_title: str,
    marks: Iterable[tuple[float, str]] = (),
) -> str:
    """A curve through (x, y) points, both between 0 and 1, with vertical marks (x, label)."""
    left, top, plot_w, plot_h = 50, 30, WIDTH - 80, 260
    height = top + plot_h + 45

    def px(x: float, y: float) -> str:
        return f"{left + plot_w * x:.1f},{top + plot_h * (1 - y):.1f}"

    parts = [
        f'<svg data-chart="{chart_id}" role="img" aria-label="{_e(title)}" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="14" font-weight="bold">{_e(title)}</text>',
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>',
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>',
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top}" stroke-dasharray="4 4"/>',
    ]
    for tick in (0, 0.2, 0.4, 0.6, 0.8, 1.0):
        x, y = left + plot_w * tick, top + plot_h * (1 - tick)
        parts.append(f'<text x="{x:.0f}" y="{top + plot_h + 16}" text-anchor="middle">{tick:.0%}</text>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end">{tick:.0%}</text>')
    for x, label in marks:
        position = left + plot_w * x
        parts.append(f'<line x1="{position:.1f}" y1="{top}" x2="{position:.1f}" y2="{top + plot_h}" stroke="#c44e52"/>')
        parts.append(f'<text x="{position + 3:.1f}" y="{top + 12}" style="fill:#c44e52">{_e(label)}</text>')
    parts.append(
        f'<polyline class="mark" fill="none" stroke="{PALETTE[0]}" stroke-width="2" '
        f'points="{" ".join(px(x, y) for x, y in [(0.0, 0.0), *points])}"/>'
    )
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle">{_e(x_title)}</text>')
    parts.append(
        f'<text x="12" y="{top + plot_h / 2}" transform="rotate(-90 12 {top + plot_h / 2})" '
        f'text-anchor="middle">{_e(y_title)}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def histogram(chart_id: str, title: str, bins: Sequence[tuple[str, int]], x_title: str) -> str:
    left, top, plot_w, plot_h = 50, 30, WIDTH - 70, 200
    height = top + plot_h + 50
    peak = max((count for _, count in bins), default=0) or 1
    bar = plot_w / max(len(bins), 1)
    parts = [
        f'<svg data-chart="{chart_id}" role="img" aria-label="{_e(title)}" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="14" font-weight="bold">{_e(title)}</text>',
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}"/>',
    ]
    for index, (label, count) in enumerate(bins):
        h = plot_h * count / peak
        x = left + bar * index
        parts.append(
            f'<rect class="mark" x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{bar - 2:.1f}" height="{h:.1f}" '
            f'fill="{PALETTE[0]}"><title>{_e(label)}: {count} customers</title></rect>'
        )
        if index % max(len(bins) // 10, 1) == 0:
            parts.append(f'<text x="{x + bar / 2:.0f}" y="{top + plot_h + 14}" text-anchor="middle">{_e(label)}</text>')
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle">{_e(x_title)}</text>')
    parts.append(f'<text x="{left - 6}" y="{top + 10}" text-anchor="end">{peak}</text>')
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars(
    chart_id: str, title: str, rows: Sequence[tuple[str, dict[str, float]]], categories: Sequence[str]
) -> str:
    """One 100% bar per row, split by category shares; a legend below."""
    label_width, bar_width = 170, WIDTH - 170 - 20
    height = 30 + 24 * len(rows) + 20 * ((len(categories) + 3) // 4) + 20
    parts = [
        f'<svg data-chart="{chart_id}" role="img" aria-label="{_e(title)}" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="14" font-weight="bold">{_e(title)}</text>',
    ]
    for index, (label, shares) in enumerate(rows):
        y = 24 + 24 * index
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{_e(label)}</text>')
        x = float(label_width)
        for category_index, category in enumerate(categories):
            share = shares.get(category, 0.0)
            if share <= 0:
                continue
            width = bar_width * share
            parts.append(
                f'<rect class="mark" x="{x:.1f}" y="{y + 2}" width="{width:.1f}" height="16" '
                f'fill="{PALETTE[category_index % len(PALETTE)]}"><title>{_e(label)}, {_e(category)}: '
                f"{_share(share)}</title></rect>"
            )
            x += width
    legend_top = 30 + 24 * len(rows)
    for index, category in enumerate(categories):
        x, y = 10 + (WIDTH // 4) * (index % 4), legend_top + 20 * (index // 4)
        parts.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{PALETTE[index % len(PALETTE)]}"/>')
        parts.append(f'<text x="{x + 16}" y="{y + 10}">{_e(_short(category, WIDTH // 4 - 20))}</text>')
    parts.append("</svg>")
    return "".join(parts)


class Report:
    """Reads the marts and renders the sections."""

    def __init__(self, warehouse) -> None:
        self.warehouse = warehouse
        self.tables = {
            str(name)
            for (name,) in warehouse.query(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            )
        }
        # the date the current marts describe (the latest build's), not the latest of the history
        current = current_as_of_date(warehouse)
        if current is None:
            raise ValueError("marts.segment_summary is empty: build the warehouse first")
        self.as_of = current

    def query(self, sql: str) -> list[tuple]:
        return self.warehouse.query(sql)

    def segmentations(self) -> list[tuple[str, str, str]]:
        return [
            (str(name), str(label), str(description))
            for name, label, description in self.query(
                "select segmentation, segmentation_label, segmentation_description from marts.segmentation_registry "
                "where is_enabled order by sort_order"
            )
        ]

    def summary(self, segmentation: str) -> list[tuple]:
        return self.query(
            "select segment_code, segment_label, customer_count, customer_share, revenue_amount, revenue_share, "
            "description, recommended_action, avg_recency_days, avg_frequency, avg_monetary_amount "
            f"from marts.segment_summary where as_of_date = cast('{self.as_of}' as date) "
            f"and segmentation = '{segmentation}' order by sort_order, segment_code"
        )

    # sections

    def headline(self) -> str:
        ((customers, revenue),) = self.query(
            "select sum(customer_count), sum(revenue_amount) from marts.segment_summary "
            f"where as_of_date = cast('{self.as_of}' as date) and segmentation = 'rfm'"
        )
        dates = self.query("select count(distinct as_of_date) from marts.segment_summary")[0][0]
        return (
            f'<p class="meta">As of <strong>{_e(self.as_of)}</strong>: {_number(customers)} customers and prospects, '
            f"{_number(float(revenue or 0))} of net revenue over the last 365 days; "
            f"{dates} as-of date(s) in the history. Made by <code>python -m segmentation report</code> "
            "from the marts (the same marts give the same file).</p>"
        )

    def missing_evidence(self) -> dict[str, str]:
        """segmentation -> what is missing, for those running without the evidence their labels
        need on the report's date (marts.segmentation_coverage; none in a warehouse without it)."""
        if "segmentation_coverage" not in self.tables:
            return {}
        return {
            str(name): str(note)
            for name, note in self.query(
                "select segmentation, coverage_note from marts.segmentation_coverage "
                f"where as_of_date = cast('{self.as_of}' as date) and not is_evidence_sufficient"
            )
        }

    def sizes(self) -> str:
        cards = []
        missing = self.missing_evidence()
        for name, label, description in self.segmentations():
            rows = self.summary(name)
            if not rows:
                continue
            customers = [(str(r[1]), float(r[3] or 0), f"{_number(r[2])} · {_share(r[3])}") for r in rows]
            revenue = [(str(r[1]), float(r[5] or 0), _share(r[5])) for r in rows]
            notice = (
                f'<p class="warning" data-coverage="{_e(name)}">Not enough data: {_e(missing[name])}</p>'
                if name in missing
                else ""
            )
            cards.append(
                f'<div class="card"><h3>{_e(label)}</h3><p class="note">{_e(description)}</p>{notice}'
                + hbar_chart(f"sizes-{name}", "Customers (share)", customers)
                + hbar_chart(f"revenue-{name}", "Revenue share, last 365 days", revenue, PALETTE[1])
                + "</div>"
            )
        return '<div class="grid">' + "".join(cards) + "</div>"

    def rfm_grid(self) -> str:
        # FM as the segment map reads it: the average of F and M rounded half up (macro rfm_fm_score)
        rows = self.query(
            "select r_score, cast(floor((f_score + m_score) / 2.0 + 0.5) as integer) as fm_score, count(*), "
            "sum(window_revenue_amount) from marts.fct_customer_segments "
            f"where as_of_date = cast('{self.as_of}' as date) and segmentation = 'rfm' and r_score is not null "
            "group by 1, 2"
        )
        if not rows:
            return '<p class="note">No scored customer at this date.</p>'
        total_customers = sum(r[2] for r in rows)
        total_revenue = sum(float(r[3] or 0) for r in rows) or 1
        r_labels = [f"R {r}" for r in sorted({r[0] for r in rows}, reverse=True)]
        fm_labels = [f"FM {fm}" for fm in sorted({r[1] for r in rows})]
        customers = {(f"R {r}", f"FM {fm}"): (count, _number(count)) for r, fm, count, _ in rows}
        revenue = {
            (f"R {r}", f"FM {fm}"): (float(amount or 0), _share(float(amount or 0) / total_revenue))
            for r, fm, _, amount in rows
        }
        return (
            f'<p class="note">{_number(total_customers)} scored customers (prospects have no score). '
            "R 5 = most recent; FM = average of the frequency and amount scores.</p>"
            '<div class="grid"><div class="card">'
            + heatmap(
                "rfm-grid-customers",
                "Customers per R \u00d7 FM cell",
                r_labels,
                fm_labels,
                customers,
                "recency",
                "frequency & amount",
            )
            + '</div><div class="card">'
            + heatmap(
                "rfm-grid-revenue",
                "Revenue share per R \u00d7 FM cell",
                r_labels,
                fm_labels,
                revenue,
                "recency",
                "frequency & amount",
            )
            + "</div></div>"
        )

    def pareto(self) -> str:
        amounts = [
            float(amount)
            for (amount,) in self.query(
                "select window_revenue_amount from marts.fct_customer_segments "
                f"where as_of_date = cast('{self.as_of}' as date) and segmentation = 'pmg' "
                "and window_revenue_amount > 0 "
                "order by window_revenue_amount desc"
            )
        ]
        if not amounts:
            return '<p class="note">No revenue in the last 365 days.</p>'
        total, running, points = sum(amounts), 0.0, []
        step = max(len(amounts) // 400, 1)
        for index, amount in enumerate(amounts, start=1):
            running += amount
            if index % step == 0 or index == len(amounts):
                points.append((index / len(amounts), running / total))
        tiers = self.query(
            "select segment_label, customer_count from marts.segment_summary "
            f"where as_of_date = cast('{self.as_of}' as date) and segmentation = 'pmg' "
            "and segment_code in ('major', 'medium') "
            "order by sort_order"
        )
        marks, cumulative = [], 0
        for label, count in tiers:
            cumulative += count
            marks.append((cumulative / len(amounts), f"end of {label}"))
        return line_chart(
            "pmg-pareto",
            "Cumulative share of revenue by customers ranked by revenue (buyers of the last 365 days)",
            points,
            "share of buying customers",
            "share of revenue",
            marks,
        )

    def migrations(self) -> str:
        if "segment_migrations" not in self.tables:
            return '<p class="note">marts.segment_migrations is not built.</p>'
        pair = self.query(
            "select cast(previous_as_of_date as varchar), cast(as_of_date as varchar) from marts.segment_migrations "
            f"where as_of_date = cast('{self.as_of}' as date) limit 1"
        )
        if not pair:
            return (
                '<p class="note">One as-of date only: build earlier dates with '
                "<code>python -m segmentation backfill</code> to see who moved.</p>"
            )
        previous, current = (str(value)[:10] for value in pair[0])
        rows = self.query(
            "select coalesce(from_segment_label, '(not yet a customer)'), coalesce(to_segment_label, '(left)'), "
            "sum(customer_count) from marts.segment_migrations "
            f"where segmentation = 'rfm' and as_of_date = cast('{current}' as date) group by 1, 2"
        )
        order = [str(r[1]) for r in self.summary("rfm")]
        from_labels = [label for label in ["(not yet a customer)", *order] if any(r[0] == label for r in rows)]
        to_labels = [label for label in [*order, "(left)"] if any(r[1] == label for r in rows)]
        cells = {(str(a), str(b)): (float(n), _number(n)) for a, b, n in rows}
        moved = sum(n for a, b, n in rows if a != b)
        total = sum(n for _, _, n in rows) or 1
        return (
            f'<p class="note">RFM segments on {previous} (rows) and {current} (columns): '
            f"{_number(moved)} of {_number(total)} customers ({_share(moved / total)}) changed segment. "
            "Read a row to see where a segment's customers went.</p>"
            + heatmap(
                "migration-matrix",
                f"RFM migrations {previous} → {current}",
                from_labels,
                to_labels,
                cells,
                previous,
                current,
            )
        )

    def predictions(self) -> str:
        if "customer_predictions" not in self.tables:
            return '<p class="note">marts.customer_predictions is not built on this engine (DuckDB only).</p>'
        churn = self.query(
            "select least(cast(floor(churn_probability * 20) as integer), 19), count(*) "
            "from marts.customer_predictions "
            f"where as_of_date = cast('{self.as_of}' as date) and not is_prospect and churn_probability is not null "
            "group by 1 order by 1"
        )
        churn_bins = dict(churn)
        churn_chart = histogram(
            "churn-distribution",
            "Churn probability (no purchase in the horizon)",
            [(f"{i * 5}%", int(churn_bins.get(i, 0))) for i in range(20)],
            "probability, bins of 5 points",
        )
        values = [
            float(v)
            for (v,) in self.query(
                "select predicted_customer_value from marts.customer_predictions "
                f"where as_of_date = cast('{self.as_of}' as date) and not is_prospect "
                "and predicted_customer_value is not null order by 1"
            )
        ]
        if not values:
            return churn_chart
        top = values[int(0.99 * (len(values) - 1))] or 1
        width = top / 20
        counts = [0] * 20
        for value in values:
            counts[min(int(value / width), 19)] += 1
        value_chart = histogram(
            "clv-distribution",
            "Predicted customer value over the horizon (top 1% in the last bin)",
            [(_number(i * width), counts[i]) for i in range(20)],
            "predicted value",
        )
        return f'<div class="grid"><div class="card">{churn_chart}</div><div class="card">{value_chart}</div></div>'

    def mix(self, segmentation: str, chart_id: str, title: str) -> str:
        rows = self.query(
            "select rfm.segment_label, other.segment_label, count(*) from marts.fct_customer_segments as rfm "
            "inner join marts.fct_customer_segments as other on rfm.customer_key = other.customer_key "
            "and rfm.as_of_date = other.as_of_date "
            f"where rfm.as_of_date = cast('{self.as_of}' as date) and rfm.segmentation = 'rfm' "
            f"and other.segmentation = '{segmentation}' group by 1, 2"
        )
        if not rows:
            return f'<p class="note">Segmentation {_e(segmentation)} is not enabled.</p>'
        totals: dict[str, int] = defaultdict(int)
        for segment, _, count in rows:
            totals[str(segment)] += count
        categories = [str(r[1]) for r in self.summary(segmentation) if any(str(x[1]) == str(r[1]) for x in rows)]
        shares: dict[str, dict[str, float]] = defaultdict(dict)
        for segment, category, count in rows:
            shares[str(segment)][str(category)] = count / totals[str(segment)]
        ordered = [(str(r[1]), shares[str(r[1])]) for r in self.summary("rfm") if str(r[1]) in shares]
        return stacked_bars(chart_id, title, ordered, categories)

    def pressure(self) -> str:
        if "commercial_pressure_summary" not in self.tables:
            return '<p class="note">The pressure segmentation is not enabled.</p>'
        rows = self.query(
            "select rfm_label, avg_messages_per_month, over_solicited_share, max_messages_per_month "
            "from marts.commercial_pressure_summary "
            f"where as_of_date = cast('{self.as_of}' as date) order by sort_order"
        )
        if not rows:
            return '<p class="note">No pressure figures at this date.</p>'
        messages = [
            (str(label), float(average or 0), f"{float(average or 0):.2f} a month (max {_number(maximum)})")
            for label, average, _, maximum in rows
        ]
        over = [(str(label), float(share or 0), _share(share)) for label, _, share, _ in rows]
        return (
            '<div class="grid"><div class="card">'
            + hbar_chart("pressure-messages", "Messages per customer per month", messages)
            + '</div><div class="card">'
            + hbar_chart("pressure-over-solicited", "Share of customers above the maximum", over, PALETTE[3], 0.1)
            + "</div></div>"
        )

    def actions(self) -> str:
        blocks = []
        for name, label, _ in self.segmentations():
            if name not in ("rfm", "lifecycle", "pmg", "churn_risk", "future_value"):
                continue
            rows = self.summary(name)
            body = "".join(
                f"<tr><td><strong>{_e(r[1])}</strong></td><td class='num'>{_number(r[2])}</td>"
                f"<td class='num'>{_share(r[5])}</td><td>{_e(r[6])}</td><td>{_e(r[7])}</td></tr>"
                for r in rows
                if r[2]
            )
            blocks.append(
                f'<h3>{_e(label)}</h3><table data-table="actions-{name}"><tr><th>segment</th>'
                f'<th class="num">customers</th><th class="num">revenue share</th>'
                f"<th>who they are</th><th>recommended action</th></tr>{body}</table>"
            )
        return "".join(blocks)

    def render(self) -> str:
        sections = [
            ("sizes", "Segment sizes and revenue shares", self.sizes()),
            ("rfm-grid", "RFM grid", self.rfm_grid()),
            ("pareto", "PMG: the Pareto curve", self.pareto()),
            ("migrations", "Migrations between the last two as-of dates", self.migrations()),
            ("predictions", "Churn probability and future value", self.predictions()),
            (
                "channel-mix",
                "Channel mix per RFM segment",
                self.mix("channel", "channel-mix", "Channel appetence per RFM segment"),
            ),
            (
                "category-mix",
                "Category mix per RFM segment",
                self.mix("product", "category-mix", "Favourite category per RFM segment"),
            ),
            ("pressure", "Commercial pressure per RFM segment", self.pressure()),
            ("actions", "What to do with each segment", self.actions()),
        ]
        nav = "".join(f'<a href="#{anchor}">{_e(title)}</a>' for anchor, title, _ in sections)
        body = "".join(
            f'<section id="{anchor}"><h2>{_e(title)}</h2>{content}</section>' for anchor, title, content in sections
        )
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            # nothing may be fetched: no script, no remote style, image or font
            '<meta http-equiv="Content-Security-Policy" '
            "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
            f"<title>Customer segments as of {_e(self.as_of)}</title><style>{STYLE}</style></head><body>"
            f"<h1>Customer segments</h1>{self.headline()}<nav>{nav}</nav>{body}</body></html>\n"
        )


def write_report(target: Target, out: Path) -> str:
    """Write the report to `out`; returns its as-of date."""
    with connect(target) as warehouse:
        report = Report(warehouse)
        text = report.render()
    out.parent.mkdir(parents=True, exist_ok=True)
    scratch = out.with_name(out.name + ".tmp")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(out)
    return report.as_of
