"""How fast `beatcam plan` is, cold, and how planning time grows with the number of beats.

Every figure is measured in this run, beside its baseline: the cold plan of a 10-beat scene
against the bare start of the Python interpreter with numpy, and each scene size against
the 10-beat scene, per beat (a ratio near 1 means linear growth). Peak memory is the child
process's maximum resident set size.

    .venv/bin/python bench/plan.py [--sizes 10,100,1000,2000]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SENTENCES = (
    "Mara sorts the post at the kitchen table, humming to herself.",
    "Tom comes in and drops his keys on the counter.",
    "She finds a letter addressed in her mother's hand.",
    "Her smile fades as she reads; something is wrong.",
    "Mara realises the letter is forged, and dread creeps in.",
    "Tom steps toward her, talking fast, reaching for the page.",
    "She backs away and holds the letter up between them.",
    "Tom shouts at her and slams his fist on the table.",
    "The house goes very quiet.",
    "Mara walks to the window and looks out at the empty street.",
    "Tom sits down slowly and does not look at her.",
    "She laughs, suddenly, at how small it all is.",
)


def scene_text(beats: int) -> str:
    lines = ["# Bench", "Cast: Mara, Tom", "Set: kitchen"]
    lines += [SENTENCES[index % len(SENTENCES)] for index in range(beats)]
    return "\n".join(lines) + "\n"


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000,2000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    beatcam = [sys.executable, "-m", "beatcam"]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        python_start, _ = timed([sys.executable, "-c", "import numpy"])
        help_start, _ = timed([*beatcam, "--help"])
        print(f"baseline: python + numpy start {python_start:.2f} s")
        print(f"          beatcam --help        {help_start:.2f} s")
        print(f"{'beats':>6} {'seconds':>8} {'s/beat':>8} {'per-beat ratio':>15} {'peak MiB':>9}")
        first_per_beat = None
        for beats in sizes:
            scene = base / f"scene-{beats}.txt"
            scene.write_text(scene_text(beats))
            out = str(base / str(beats))
            seconds, peak = timed([*beatcam, "plan", str(scene), "-o", out, "-q"])
            per_beat = seconds / beats
            first_per_beat = first_per_beat or per_beat
            ratio = per_beat / first_per_beat
            print(f"{beats:>6} {seconds:>8.2f} {per_beat:>8.4f} {ratio:>15.2f} {peak:>9.0f}")
            if beats == sizes[0]:
                print(f"        = {seconds / python_start:.1f}x the interpreter's start")


if __name__ == "__main__":
    main()
