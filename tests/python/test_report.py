"""`python -m segmentation report` opened in headless Chromium (Debian's, driven by Playwright):
every chart is drawn, nothing is fetched, no console message. Screenshots of the page and of each
section go to target/test-artifacts/report/ for a human to look at."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import Backfilled
from playwright.sync_api import sync_playwright

from segmentation.contract import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "target" / "test-artifacts" / "report"
CHARTS = [
    "sizes-rfm",
    "revenue-rfm",
    "sizes-pmg",
    "sizes-lifecycle",
    "rfm-grid-customers",
    "rfm-grid-revenue",
    "pmg-pareto",
    "migration-matrix",
    "churn-distribution",
    "clv-distribution",
    "channel-mix",
    "category-mix",
    "pressure-messages",
    "pressure-over-solicited",
]
SECTIONS = [
    "sizes",
    "rfm-grid",
    "pareto",
    "migrations",
    "predictions",
    "channel-mix",
    "category-mix",
    "pressure",
    "actions",
]


def _report(warehouse: Path, out: Path) -> None:
    command = [sys.executable, "-m", "segmentation", "report", "--target", "dev", "--warehouse", str(warehouse)]
    result = subprocess.run(
        [*command, "--out", str(out)], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.fixture(scope="module")
def report(backfilled_warehouse: Backfilled, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    _report(backfilled_warehouse.warehouse, out)
    return out


def test_the_report_renders_every_chart_offline_in_chromium(report: Path) -> None:
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is missing: scripts/ensure_chromium.sh installs it (make pytest runs it)"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    messages: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(report.as_uri())
        page.wait_for_load_state("load")
        for chart in CHARTS:
            svg = page.locator(f'svg[data-chart="{chart}"]')
            assert svg.count() == 1, chart
            box = svg.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50, chart
            marks = svg.locator(".mark")
            assert marks.count() > 0, chart
            sizes = marks.evaluate_all("(nodes) => nodes.map((node) => node.getBBox().width * node.getBBox().height)")
            assert any(size > 0 for size in sizes), f"{chart}: no visible mark"
        for section in SECTIONS:
            page.locator(f"#{section}").screenshot(path=str(ARTIFACTS / f"{section}.png"))
        page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
        assert page.locator('table[data-table="actions-rfm"] tr').count() > 5
        browser.close()
    assert messages == []
    assert requests == [report.as_uri()]  # the file itself, nothing else
    assert all((ARTIFACTS / f"{section}.png").stat().st_size > 5_000 for section in SECTIONS)


def test_the_report_is_self_contained_and_deterministic(
    report: Path, backfilled_warehouse: Backfilled, tmp_path: Path
) -> None:
    text = report.read_text(encoding="utf-8")
    for fetched in ("<script", "<link", "<img", "@import", "url(", "http://", "https://"):
        if fetched.startswith("http"):
            # the SVG namespace is an identifier, not a request
            text_without_namespace = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
            assert fetched not in text_without_namespace
        else:
            assert fetched not in text
    again = tmp_path / "again.html"
    _report(backfilled_warehouse.warehouse, again)
    assert again.read_bytes() == report.read_bytes()


def test_the_report_says_when_there_is_nothing_to_compare(fixture_warehouse: tuple[Path, Path], tmp_path: Path) -> None:
    _, warehouse = fixture_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        dates = connection.execute("select count(distinct as_of_date) from marts.fct_customer_segments").fetchall()
    assert dates == [(1,)]  # the fixture warehouse holds one as-of date
    out = tmp_path / "one_date.html"
    _report(warehouse, out)
    text = out.read_text(encoding="utf-8")
    assert 'data-chart="migration-matrix"' not in text
    assert "python -m segmentation backfill" in text
    assert 'data-chart="sizes-rfm"' in text


def test_a_segmentation_without_its_evidence_says_so_on_its_card(
    fixture_warehouse: tuple[Path, Path], tmp_path: Path
) -> None:
    _, fixture = fixture_warehouse
    warehouse = tmp_path / "w.duckdb"
    shutil.copyfile(fixture, warehouse)
    with duckdb.connect(str(warehouse)) as connection:
        (sufficient,) = connection.execute(
            "select count(*) from marts.segmentation_coverage where is_evidence_sufficient"
        ).fetchall()[0]
        assert sufficient > 0
        connection.execute(
            "update marts.segmentation_coverage set is_evidence_sufficient = false, "
            "coverage_note = 'missing for 100.0% of customers: orders.promo_code' where segmentation = 'promo'"
        )
    out = tmp_path / "report.html"
    _report(warehouse, out)
    text = out.read_text(encoding="utf-8")
    assert 'data-coverage="promo">Not enough data: missing for 100.0% of customers: orders.promo_code</p>' in text
    assert text.count("data-coverage=") == 1
