"""``mip bench web``: the dashboard's budgets, measured in headless Debian Chromium against `mip demo`.

* first load of the plant overview (cold browser cache, logged in, until live values are on the tiles);
* JavaScript bundle size (raw and gzip) of the production build in web/dist;
* rendering a 100,000-point chart, and a zoom and a pan of it.
"""

from __future__ import annotations

import gzip
import json
import platform
from pathlib import Path
from typing import Any

from mip.bench.demo_stack import WEB_DIR, DemoStack, StackError

BUDGETS = {"overview_first_load_ms": 2000.0, "chart_render_ms": 500.0}


def bundle_sizes(dist: Path) -> dict[str, Any]:
    files = sorted((dist / "assets").glob("*.js")) + sorted((dist / "assets").glob("*.css"))
    if not files:
        raise StackError(f"no build in {dist}: run `make web` first")
    rows: list[dict[str, Any]] = [
        {"file": f.name, "bytes": f.stat().st_size, "gzip_bytes": len(gzip.compress(f.read_bytes(), 9))} for f in files
    ]
    js = [r for r in rows if r["file"].endswith(".js")]
    index = (dist / "index.html").read_text()
    initial = [r for r in js if f"/assets/{r['file']}" in index]  # loaded before the first page renders
    return {
        "files": rows,
        "initial_js_bytes": sum(r["bytes"] for r in initial),
        "initial_js_gzip_bytes": sum(r["gzip_bytes"] for r in initial),
        "js_bytes": sum(r["bytes"] for r in js),
        "js_gzip_bytes": sum(r["gzip_bytes"] for r in js),
    }


def run_web_bench(*, runs: int = 5, points: int = 100_000, rate: int = 300) -> dict[str, Any]:
    bundle = bundle_sizes(WEB_DIR / "dist")
    with DemoStack(rate=rate) as stack:
        stack.wait_for_data()
        out = stack.node("bench.mjs", extra_env={"RUNS": str(runs), "CHART_POINTS": str(points)})
    measured = json.loads(out.strip().splitlines()[-1])
    return {
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "bundle": bundle,
        **measured,
        "budgets": BUDGETS,
        "within_budget": {
            "overview_first_load": measured["overview_first_load_ms_max"] <= BUDGETS["overview_first_load_ms"],
            "chart_render": measured["chart_render_ms_median"] <= BUDGETS["chart_render_ms"],
        },
    }


def render_text(r: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"plant overview first load: median {r['overview_first_load_ms_median']:.0f} ms, "
            f"max {r['overview_first_load_ms_max']:.0f} ms ({r['overview_tiles']} tiles; budget 2000 ms)",
            f"JS: initial {r['bundle']['initial_js_bytes'] / 1024:.0f} KiB "
            f"({r['bundle']['initial_js_gzip_bytes'] / 1024:.0f} KiB gzip), "
            f"all chunks {r['bundle']['js_bytes'] / 1024:.0f} KiB",
            f"chart of {r['chart_points']} points: render {r['chart_render_ms_median']:.0f} ms (budget 500 ms), "
            f"zoom {r['chart_zoom_ms_median']:.0f} ms, pan {r['chart_pan_ms_median']:.0f} ms",
        ]
    )
