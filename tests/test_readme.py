"""The README's worked examples are what the current director does, word for word."""

from __future__ import annotations

import re
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


def _block(name: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split(f"<!-- {name}:begin -->")[1].split(f"<!-- {name}:end -->")[0]


def test_the_readme_shows_one_scene_in_every_style_with_reasons() -> None:
    tables = {
        name: [line for line in table.splitlines() if line.startswith("| S")]
        for name, table in re.findall(r"\*\*(.+?)\*\*\n\n((?:\|.*\n)+)", _block("styles"))
    }
    assert set(tables) == {"classical", "thriller", "intimate", "handheld-docu", "epic"}
    assert all(len(row.split(" | ")[-1]) > 40 for rows in tables.values() for row in rows)
    # The styles shoot the scene differently: no two give the same sequence of shots.
    shots = {tuple(" | ".join(row.split(" | ")[2:6]) for row in rows) for rows in tables.values()}
    assert len(shots) == len(tables)


def test_the_readme_covers_a_dialogue_with_two_shots_and_over_the_shoulders() -> None:
    rows = [line.split(" | ") for line in _block("dialogue").splitlines() if line.startswith("| S")]
    framings = [row[2] for row in rows]
    assert "two_shot" in framings and "over_shoulder" in framings
    # Shot and reverse shot: the coverage turns from one of them to the other.
    speakers = {row[3].split(" over ")[0] for row in rows if row[2] in {"over_shoulder", "single"}}
    assert len(speakers) == 2
