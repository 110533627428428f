"""The documentation people read offline: the dbt docs site (`python -m segmentation docs`) and the
data-quality page of `check`, opened in headless Chromium. Screenshots go to
target/test-artifacts/docs/."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

from segmentation.contract import PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "target" / "test-artifacts" / "docs"


def _browser(playwright):
    chromium = shutil.which("chromium")
    assert chromium, "Chromium is missing: scripts/ensure_chromium.sh installs it (make pytest runs it)"
    return playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])


def test_the_overview_names_every_var() -> None:
    overview = (PROJECT_ROOT / "models" / "_overview.md").read_text(encoding="utf-8")
    project_vars = yaml.safe_load((PROJECT_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    named = set(re.findall(r"`([a-z_]+)`", overview))
    assert set(project_vars) <= named, sorted(set(project_vars) - named)


def test_the_docs_site_opens_offline_on_the_overview_a_mart_and_the_lineage(
    fixture_warehouse: tuple[Path, Path], tmp_path: Path
) -> None:
    raw_dir, warehouse = fixture_warehouse
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    out = tmp_path / "docs"
    command = [sys.executable, "-m", "segmentation", "docs", "--target", "dev", "--warehouse", str(copy)]
    command += ["--raw-dir", str(raw_dir), "--out-dir", str(out), "--no-serve"]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    page_file = out / "static_index.html"
    assert page_file.is_file()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(page_file.as_uri())
        page.get_by_text("Customer segmentation warehouse").first.wait_for(timeout=30_000)
        assert page.get_by_text("The segmentations").count() > 0
        page.screenshot(path=str(ARTIFACTS / "overview.png"))

        page.goto(f"{page_file.as_uri()}#!/model/model.segmentation.customer_segments")
        page.get_by_text("One row per customer_key at the as-of date of the latest").first.wait_for(timeout=30_000)
        assert page.get_by_text("CRM team").count() > 0  # the owner of the group
        assert page.get_by_text("rfm_segment").count() > 0  # a column from the catalog
        page.screenshot(path=str(ARTIFACTS / "customer_segments.png"))

        page.locator(".launcher-btn .btn").first.click()
        page.locator("#cy canvas").first.wait_for(timeout=30_000)
        size = page.evaluate(
            "() => { const c = document.querySelector('#cy'); return [c.clientWidth, c.clientHeight] }"
        )
        assert size[0] > 100 and size[1] > 100
        page.screenshot(path=str(ARTIFACTS / "lineage.png"))
        browser.close()
    assert errors == []
    # the page embeds its manifest and catalog: it asks nothing from a network (dbt-docs' own
    # unrendered icon paths resolve to local files next to it)
    assert all(url.startswith("file://") for url in requests), [u for u in requests if not u.startswith("file://")]


def test_the_data_quality_page_is_self_contained(fixture_warehouse: tuple[Path, Path], tmp_path: Path) -> None:
    raw_dir, warehouse = fixture_warehouse
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse, copy)
    docs_dir = tmp_path / "dq"
    command = [sys.executable, "-m", "segmentation", "check", "--target", "dev", "--warehouse", str(copy)]
    command += ["--raw-dir", str(raw_dir), "--docs-dir", str(docs_dir)]
    result = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    page_file = docs_dir / "data_quality.html"
    assert str(page_file.resolve()) in result.stdout
    text = page_file.read_text(encoding="utf-8")
    assert "<script" not in text and "<link" not in text and "http" not in text.replace("http-equiv", "")
    summary = re.search(r"data quality: (\d+) expectations, (\d+) passed, (\d+) warnings", result.stdout)
    assert summary

    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        page.on("request", lambda request: requests.append(request.url))
        page.goto(page_file.as_uri())
        rows = page.locator("tr[data-status]")
        assert rows.count() == int(summary.group(1))  # one row per expectation checked (no input missing here)
        assert page.locator('tr[data-status="failed-warn"]').count() == int(summary.group(3))
        assert page.locator("section[data-suite]").count() > 3
        page.screenshot(path=str(ARTIFACTS / "data_quality.png"))
        browser.close()
    assert requests == [page_file.as_uri()]
