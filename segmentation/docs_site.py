"""`python -m segmentation docs`: the dbt documentation site of the project, generated with the
warehouse's catalog (column types, row counts) as one static file that works offline
(`dbt docs generate --static`: manifest and catalog inside the page), then served on loopback."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
from pathlib import Path

from segmentation.contract import PROJECT_ROOT

STATIC_PAGE = "static_index.html"


def generate(out_dir: Path, target: str, warehouse: Path | None, raw_dir: Path) -> Path:
    """Run `dbt docs generate --static` into out_dir; returns the page. Raises RuntimeError with
    dbt's output when it fails (no warehouse built, for instance)."""
    env = {
        **os.environ,
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROFILES_DIR": os.environ.get("DBT_PROFILES_DIR", str(PROJECT_ROOT)),
        "SEGMENTATION_TARGET": target,
        # dbt runs the project's run-start hooks, which register the raw files
        "SEGMENTATION_RAW_DIR": str(raw_dir.resolve()),
    }
    if warehouse is not None:
        env["SEGMENTATION_DUCKDB"] = str(warehouse.resolve())
    command = [str(Path(sys.executable).parent / "dbt"), "docs", "generate", "--static", "--target", target]
    command += ["--target-path", str(out_dir.resolve())]
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)
    page = out_dir / STATIC_PAGE
    if result.returncode != 0 or not page.is_file():
        raise RuntimeError(f"dbt docs generate failed:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
    return page


class _Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path in ("/", "/index.html"):
            self.path = "/" + STATIC_PAGE
        super().do_GET()


def serve(out_dir: Path, port: int) -> None:
    """Serve out_dir on 127.0.0.1:port until interrupted."""
    handler = functools.partial(_Handler, directory=str(out_dir))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"docs at http://127.0.0.1:{port}/ (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
