"""The data-quality results as one self-contained HTML page (ADR 0018): Great Expectations' Data
Docs fetch their stylesheets and scripts from CDNs and render unstyled, with an empty index,
offline. This page needs nothing: the outcomes of one `check` run, suite by suite, with their
severity, status, counts and observed values. Like quarantine.dq_results it can show raw values
(examples of unexpected ones): it is as restricted as the build database."""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

from segmentation.quality.runner import CheckReport, Outcome

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:2rem auto;max-width:1200px;
padding:0 1rem;color:#222}h2{margin-top:2rem;border-bottom:2px solid #1f5f8b}table{border-collapse:collapse;width:100%;
font-size:.85rem}td,th{padding:.3rem .5rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
td.num{text-align:right}.passed{color:#2e7d32}.failed-error{color:#fff;background:#c62828}
.failed-warn{background:#ffe0b2}.note{color:#555}.status{font-weight:bold;white-space:nowrap}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _status(outcome: Outcome) -> tuple[str, str]:
    if outcome.severity == "info":
        return "note", "note"
    if outcome.success:
        return "passed", "passed"
    return ("failed-error", "failed (error)") if outcome.severity == "error" else ("failed-warn", "failed (warn)")


def render(report: CheckReport) -> str:
    by_suite: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in report.outcomes:
        by_suite[outcome.suite].append(outcome)
    checked = [o for o in report.outcomes if o.severity != "info"]
    passed = sum(o.success for o in checked)
    rows = []
    for suite in sorted(by_suite):
        outcomes = by_suite[suite]
        failed = sum(not o.success and o.severity != "info" for o in outcomes)
        body = "".join(
            f'<tr data-status="{css}"><td class="status {css}">{_e(label)}</td><td>{_e(o.severity)}</td>'
            f"<td>{_e(o.expectation)}</td><td>{_e(o.column_name)}</td>"
            f'<td class="num">{_e(o.unexpected_count)}</td><td class="num">{_e(o.element_count)}</td>'
            f"<td>{_e(o.observed_value)}</td></tr>"
            for o in outcomes
            for css, label in [_status(o)]
        )
        rows.append(
            f'<section data-suite="{_e(suite)}"><h2>{_e(suite)}</h2><p class="note">{_e(outcomes[0].data_asset)}: '
            f"{len(outcomes)} expectations, {failed} failed</p><table><tr><th>status</th><th>severity</th>"
            "<th>expectation</th><th>column</th><th>unexpected</th><th>rows</th><th>observed</th></tr>"
            f"{body}</table></section>"
        )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>Data quality, run {_e(report.run_id)}</title><style>{STYLE}</style></head><body>"
        f"<h1>Data quality</h1><p>Run <code>{_e(report.run_id)}</code>: {len(checked)} expectations, "
        f"{passed} passed, {len(report.warnings)} warnings, {len(report.errors)} errors, "
        f"{len(report.notes)} notes (inputs not supplied, rows checked). The same outcomes are in "
        "<code>quarantine.dq_results</code>.</p>" + "".join(rows) + "</body></html>\n"
    )


def write_offline_docs(report: CheckReport, docs_dir: Path) -> Path:
    path = docs_dir / "data_quality.html"
    docs_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(render(report), encoding="utf-8")
    return path
