"""Regenerate the README's worked examples from the current director, so the docs never drift.

Three blocks of README.md are written by this script, each between its HTML comment markers:
``session`` (the shot list and first reasons of ``beatcam plan examples/the-letter.yaml``),
``styles`` (``examples/the-landing.txt`` planned in every style, with every reason) and
``dialogue`` (``examples/the-confession.yaml``, a two-hander: who each shot is on, and how it is
framed). ``tests/test_readme.py`` fails when any block is out of date (decimals aside).

    .venv/bin/python scripts/readme_examples.py          # rewrite README.md
    .venv/bin/python scripts/readme_examples.py --check  # exit 1 if README.md is stale
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from beatcam.files import write_atomic
from beatcam.pipeline import plan_scene
from beatcam.script import read_scenes

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SESSION_SCENE = "examples/the-letter.yaml"
STYLES_SCENE = "examples/the-landing.txt"
STYLES_SHOWN = ("classical", "thriller", "intimate", "handheld-docu", "epic")
DIALOGUE_SCENE = "examples/the-confession.yaml"
REASONS_SHOWN = 4
TABLE_WIDTH = "1000"
DECIMAL = re.compile(r"[+-]?\d+\.\d+")


def _block(name: str) -> re.Pattern[str]:
    return re.compile(rf"(<!-- {name}:begin -->\n)(.*?)(<!-- {name}:end -->)", flags=re.DOTALL)


def session_block() -> str:
    """What a user sees from ``beatcam plan`` on the bundled scene: table, then reasons."""
    with tempfile.TemporaryDirectory() as out:
        printed = subprocess.run(
            [sys.executable, "-m", "beatcam", "plan", SESSION_SCENE, "-o", out],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": TABLE_WIDTH, "NO_COLOR": "1"},
            check=True,
        ).stdout
    lines = printed.splitlines()
    table_end = max(i for i, line in enumerate(lines) if line.startswith("└"))
    reasons = [line for line in lines[table_end + 1 :] if re.match(r"S\d\d ", line)]
    shown = [f"- **{line[:3]}** {line[4:]}" for line in reasons[:REASONS_SHOWN]]
    return (
        "```\n"
        + "\n".join(line.rstrip() for line in lines[: table_end + 1])
        + "\n```\n\nfollowed by each shot's reason, for example:\n\n"
        + "\n".join(shown)
        + "\n"
    )


def styles_block() -> str:
    """The same scene planned in each shown style: one table of shots and reasons per style."""
    scene = read_scenes(str(ROOT / STYLES_SCENE))[0]
    parts = []
    for style in STYLES_SHOWN:
        plan, _ = plan_scene(scene, style=style)
        rows = [
            f"**{style}**",
            "",
            "| shot | beat | size | angle | lens | movement | why |",
            "|---|---|---|---|---|---|---|",
        ]
        for shot in plan.shots:
            size = shot.size if shot.size == shot.end_size else f"{shot.size}→{shot.end_size}"
            angle = shot.angle + (" dutch" if abs(shot.dutch_deg) >= 5 else "")
            rows.append(
                f"| {shot.id} | {shot.beat + 1} | {size} | {angle} | {shot.lens_mm:.0f} mm | "
                f"{shot.movement} | {shot.why} |"
            )
        parts.append("\n".join(rows) + "\n")
    return "\n".join(parts)


def dialogue_block() -> str:
    """A two-hander in the classical style: each shot's framing and who it is on."""
    scene = read_scenes(str(ROOT / DIALOGUE_SCENE))[0]
    plan, _ = plan_scene(scene)
    rows = [
        "| shot | beat | framing | on | size | movement | why |",
        "|---|---|---|---|---|---|---|",
    ]
    for shot in plan.shots:
        on = (
            " over ".join(shot.subjects[:2])
            if shot.framing == "over_shoulder"
            else (
                " and ".join(shot.subjects[:2]) if shot.framing == "two_shot" else shot.subjects[0]
            )
        )
        rows.append(
            f"| {shot.id} | {shot.beat + 1} | {shot.framing} | {on} | {shot.size} | "
            f"{shot.movement} | {shot.why} |"
        )
    return "\n".join(rows) + "\n"


def regenerated(text: str) -> str:
    """README text with every block replaced by a freshly generated one."""
    blocks = (("session", session_block), ("styles", styles_block), ("dialogue", dialogue_block))
    for name, make in blocks:
        found = _block(name).search(text)
        if found is None:
            raise SystemExit(f"README.md has no <!-- {name}:begin --> ... end block")
        text = text[: found.start(2)] + make() + text[found.end(2) :]
    return text


def _masked(text: str) -> str:
    return DECIMAL.sub("#", text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if README.md is stale")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    fresh = regenerated(current)
    if args.check:
        # Decimals are masked: a last-digit difference in a printed affect number between two
        # CPUs' float kernels is not a stale README; any word, shot or choice that differs is.
        if _masked(fresh) != _masked(current):
            print("README.md is stale: run scripts/readme_examples.py", file=sys.stderr)
            return 1
        return 0
    write_atomic(README, fresh)
    print(f"wrote {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
