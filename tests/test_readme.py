"""The README's worked examples are what the current director does, word for word."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_readme_examples_are_regenerated_from_the_current_director() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_examples.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_the_readme_shows_one_scene_in_four_styles_with_reasons() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- styles:begin -->")[1].split("<!-- styles:end -->")[0]
    for style in ("classical", "thriller", "intimate", "handheld-docu"):
        assert f"**{style}**" in block
    rows = [line for line in block.splitlines() if line.startswith("| S")]
    assert len(rows) >= 4 * 4
    assert all(len(row.split(" | ")[-1]) > 40 for row in rows)
