"""Previs speed against a baseline checkout, in one run: render frames per second at 720p and
``beatcam shoot`` of the demo, each measured in pairs, baseline and this checkout in turn.

A baseline is another checkout of beatcam (``git worktree add --detach /tmp/base main``); its
``src`` is put first on ``PYTHONPATH`` for its runs, this checkout's for the others, with the
same Python. Pairs alternate which goes first, so a machine getting busier or quieter during
the run weighs on both alike; quote the medians of the per-pair ratios.

- *render*: the demo's plan (planned once, here) rendered by ``render_previs`` at
  ``--resolution`` with the HUD and no audio or cache, timed inside the process from the call
  to its return (GL context start-up included, imports not); also how many frames were drawn
  by the GL renderer, and whether both wrote the same previs.mp4 bytes.
- *shoot*: ``beatcam shoot`` of the demo (The Letter, every stage, its own 1280x720) with the
  cache off, as a user runs it, timed whole; and whether both wrote the same previs.mp4.

CPU seconds count every thread of the process and its children (llvmpipe's and x264's), so
they move less than wall seconds when other work shares the cores; the 1-minute load average
is printed with each run.

    .venv/bin/python bench/previs_speed.py --base /tmp/base [--pairs 3] [--only render,shoot]

Not part of ``make test``: three pairs of both take about ten minutes on two cores.

Figures on the 2-core machine (llvmpipe), three pairs, against main before frame reuse, while
two other engineers' tests and benches kept the 1-minute load average at 3.6-6.5 (so the wall
figures are low and spread; the CPU ones hold better):

    render 1280x720   base median   new median   speed-up per pair (median)
    fps                  10.0          18.7       1.86, 1.32, 1.56 (1.56x)
    CPU ms a frame       75.7          43.6       1.82, 1.60, 1.49 (1.60x)
    GL draws a frame     1.01          0.56       (the rest reuse the frame before)

The same previs.mp4 bytes from both in every pair. ``beatcam shoot`` of the demo, whole
processes in pairs (three), every output file the same bytes from both:

    shoot the demo, cache off            base median   new median   new / base
    wall s (load average 5.1-5.8)           143.9         106.4        0.72
    CPU s                                   113.0          81.3        0.71
    again, from a warm cache (unchanged)
    wall s (load average 4.5-6.9)            21.4           6.9        0.33
    CPU s                                    13.6           4.2        0.34

The cold shoot gains by frame reuse alone; the re-shoot by the cache's new entries: the
score's files and each file's AAC packets (before, a re-shoot synthesised the score and
encoded the audio again, about two thirds of its time).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "beatcam" / "examples" / "the-letter.yaml"
KINDS = ("render", "shoot")
Figures = dict[str, float]
Pair = tuple[Figures, Figures, bool]  # baseline's, this checkout's, same previs.mp4 bytes

# Run in the measured checkout: the render of a plan.json, timed from the call, counting the
# frames the GL renderer drew. Prints one JSON line.
RENDER = """
import json, sys, time
from pathlib import Path
import beatcam
from beatcam.export import plan_json
from beatcam.render import render_previs
from beatcam.render.scene import SceneRenderer
plan_path, out, width, height, root = sys.argv[1:]
assert beatcam.__file__.startswith(root), (beatcam.__file__, root)
plan = plan_json.read(Path(plan_path))
drawn = 0
draw = SceneRenderer.render
def counting(self, *args, **kwargs):
    global drawn
    drawn += 1
    return draw(self, *args, **kwargs)
SceneRenderer.render = counting
start = time.perf_counter()
render_previs(plan, Path(out), resolution=(int(width), int(height)), hud=True)
seconds = time.perf_counter() - start
print(json.dumps({"frames": plan.frames, "drawn": drawn, "seconds": seconds}))
"""


def _environment(checkout: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(checkout / "src"), "BEATCAM_CACHE": "0"}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(command: list[str], checkout: Path) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, standard output) of one run in ``checkout``'s code."""
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(
        command, env=_environment(checkout), capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"{command[:3]} failed in {checkout}:\n{done.stderr}")
    return seconds, _children_cpu() - cpu, done.stdout


def render_run(checkout: Path, plan: Path, out: Path, size: tuple[int, int]) -> Figures:
    """Frames per second of one render, the share of frames drawn, CPU ms a frame."""
    command = [sys.executable, "-c", RENDER, str(plan), str(out), *map(str, size)]
    _, cpu, output = _run([*command, str(checkout / "src")], checkout)
    found = json.loads(output.strip().splitlines()[-1])
    return {
        "fps": found["frames"] / found["seconds"],
        "drawn": found["drawn"] / found["frames"],
        "cpu_ms": 1000.0 * cpu / found["frames"],
    }


def shoot_run(checkout: Path, out: Path) -> Figures:
    """Wall and CPU seconds of ``beatcam shoot`` of the demo, cache off."""
    command = [sys.executable, "-m", "beatcam", "shoot", str(DEMO), "-o", str(out), "-q"]
    seconds, cpu, _ = _run(command, checkout)
    return {"wall_s": seconds, "cpu_s": cpu}


def _plan_demo(folder: Path) -> Path:
    command = [sys.executable, "-m", "beatcam", "plan", str(DEMO), "-o", str(folder), "-q"]
    _run(command, ROOT)
    return folder / "plan.json"


def _pairs(
    count: int, base: Path, measure: str, run: Callable[[Path, Path], Figures], scratch: Path
) -> list[Pair]:
    """``count`` pairs of runs into fresh folders under ``scratch``, alternating who goes first."""
    results = []
    for pair in range(count):
        order = [("base", base), ("new", ROOT)]
        if pair % 2:
            order.reverse()
        figures: dict[str, Figures] = {}
        digests: dict[str, str] = {}
        for label, checkout in order:
            out = scratch / f"{measure}-{label}-{pair}"
            load = os.getloadavg()[0]
            figures[label] = {**run(checkout, out), "load": load}
            digests[label] = _digest(out / "previs.mp4")
            shown = ", ".join(f"{key} {value:.2f}" for key, value in figures[label].items())
            print(f"  {measure} pair {pair + 1} {label}: {shown}", flush=True)
        results.append((figures["base"], figures["new"], digests["base"] == digests["new"]))
    return results


def _report(measure: str, key: str, higher_is_faster: bool, pairs: list[Pair]) -> None:
    base = [b[key] for b, _, _ in pairs]
    new = [n[key] for _, n, _ in pairs]
    ratios = [n / b if higher_is_faster else b / n for b, n in zip(base, new, strict=True)]
    print(
        f"{measure:<16} {key:<7} base median {statistics.median(base):8.2f}   "
        f"new median {statistics.median(new):8.2f}   speed-up per pair "
        f"{', '.join(f'{r:.2f}' for r in ratios)} (median {statistics.median(ratios):.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="a baseline checkout")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--only", default=",".join(KINDS))
    parser.add_argument("--resolution", default="1280x720")
    arguments = parser.parse_args()
    kinds = arguments.only.split(",")
    width, height = (int(part) for part in arguments.resolution.split("x"))
    base = arguments.base.resolve()
    print(f"baseline {base}, this checkout {ROOT}, {arguments.pairs} pairs", flush=True)
    results: dict[str, list[Pair]] = {}
    with tempfile.TemporaryDirectory(prefix="beatcam-previs-speed-") as folder:
        scratch = Path(folder)
        if "render" in kinds:
            plan = _plan_demo(scratch / "plan")

            def render(checkout: Path, out: Path) -> Figures:
                return render_run(checkout, plan, out, (width, height))

            results["render"] = _pairs(arguments.pairs, base, "render", render, scratch)
        if "shoot" in kinds:
            results["shoot"] = _pairs(arguments.pairs, base, "shoot", shoot_run, scratch)
    print()
    if "render" in results:
        pairs = results["render"]
        _report(f"render {arguments.resolution}", "fps", True, pairs)
        _report("", "cpu_ms", False, pairs)
        base_drawn = statistics.median(b["drawn"] for b, _, _ in pairs)
        new_drawn = statistics.median(n["drawn"] for _, n, _ in pairs)
        print(f"{'':<16} GL draws a frame: base {base_drawn:.2f}, new {new_drawn:.2f}")
    if "shoot" in results:
        _report("shoot demo", "wall_s", False, results["shoot"])
        _report("", "cpu_s", False, results["shoot"])
    same = all(same for pairs in results.values() for _, _, same in pairs)
    print(f"\nsame previs.mp4 bytes from both: {'yes' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
