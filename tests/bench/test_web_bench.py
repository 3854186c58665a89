"""`mip bench web` bundle accounting: every built file with raw and gzip sizes; "initial" is what index.html
loads. (The browser measurements themselves run in `mip bench web`, never as timed tests.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from mip.bench.demo_stack import StackError
from mip.bench.web import bundle_sizes


def test_given_build_then_initial_and_total_js_sizes(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<script type="module" src="/assets/index-a.js"></script>')
    (tmp_path / "assets" / "index-a.js").write_text("x" * 1000)
    (tmp_path / "assets" / "Chart-b.js").write_text("y" * 500)
    (tmp_path / "assets" / "index-c.css").write_text("z" * 100)
    b = bundle_sizes(tmp_path)
    assert b["initial_js_bytes"] == 1000
    assert b["js_bytes"] == 1500
    assert 0 < b["initial_js_gzip_bytes"] < 1000
    assert {f["file"] for f in b["files"]} == {"index-a.js", "Chart-b.js", "index-c.css"}


def test_given_no_build_then_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StackError, match="make web"):
        bundle_sizes(tmp_path)
