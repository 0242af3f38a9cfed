"""Bench: seconds to compose and render one minute of score, as a share of real time.

Baseline, measured in the same run: FluidSynth alone rendering the finished score.mid once
(one process, same settings), which is the floor for any FluidSynth-based score. With
``--png PATH`` also draws a spectrogram of the minute (numpy + Pillow) with the beats marked.

    .venv/bin/python bench/score.py [--runs 3] [--png beatcam-out/score-spectrogram.png]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from beatcam.model import ShotPlan
from beatcam.score import write_score
from beatcam.score.synth import find_synth, fluidsynth_command
from conftest import build_tiny_plan
from test_score import ARC, arc_plan

MINUTE_S = 60.0
BUDGET = 0.05  # of real time
WIDTH, HEIGHT, STRIP = 1400, 420, 90
LOW_HZ, HIGH_HZ = 40.0, 12_000.0
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _timed(action: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its children) for a call."""
    before, start = os.times(), time.perf_counter()
    action()
    after = os.times()
    cpu = sum(after[:4]) - sum(before[:4])
    return time.perf_counter() - start, cpu


def _colour(level: np.ndarray) -> np.ndarray:
    """Map [0, 1] to a dark-to-bright palette (black, violet, orange, pale yellow)."""
    stops = np.array([[0, 0, 0], [70, 20, 110], [200, 60, 60], [250, 170, 40], [255, 250, 200]])
    position = np.clip(level, 0, 1) * (len(stops) - 1)
    index = np.minimum(position.astype(int), len(stops) - 2)
    frac = (position - index)[..., None]
    colours: np.ndarray = ((1 - frac) * stops[index] + frac * stops[index + 1]).astype(np.uint8)
    return colours


def spectrogram_png(wav: Path, plan: ShotPlan, hits: list[float], target: Path) -> None:
    """Log-frequency spectrogram with beat boundaries, hit points, level and intensity curves."""
    audio, rate = soundfile.read(str(wav))
    mono = audio.mean(axis=1)
    size, hop = 4096, 512
    frames = np.lib.stride_tricks.sliding_window_view(mono, size)[::hop] * np.hanning(size)
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2
    freqs = np.fft.rfftfreq(size, 1 / rate)
    rows = np.geomspace(HIGH_HZ, LOW_HZ, HEIGHT)
    columns = np.linspace(0, len(power) - 1, WIDTH).astype(int)
    bins = np.searchsorted(freqs, rows)
    db = 10 * np.log10(power[np.ix_(columns, bins)].T + 1e-12)
    level = (db - (db.max() - 80)) / 80
    image = np.zeros((HEIGHT + STRIP, WIDTH, 3), dtype=np.uint8)
    image[:HEIGHT] = _colour(level)
    picture = Image.fromarray(image)
    draw = ImageDraw.Draw(picture)
    font = ImageFont.truetype(FONT, 13)
    seconds = len(mono) / rate

    def x_of(time_s: float) -> int:
        return int(time_s / seconds * (WIDTH - 1))

    for beat in plan.beats:
        x = x_of(beat.start_frame / plan.fps)
        draw.line([(x, 0), (x, HEIGHT + STRIP)], fill=(255, 255, 255), width=1)
        draw.text((x + 4, 4), beat.affect.function, fill=(255, 255, 255), font=font)
    for time_s in hits:
        x = x_of(time_s)
        draw.polygon([(x - 6, HEIGHT - 14), (x + 6, HEIGHT - 14), (x, HEIGHT)], fill=(0, 255, 120))
    block = rate // 10
    rms = np.sqrt(np.mean(mono[: len(mono) // block * block].reshape(-1, block) ** 2, axis=1))
    rms_db = 20 * np.log10(rms + 1e-9)

    def scale(value: float, low: float, high: float) -> float:
        return float(HEIGHT + STRIP - 6 - (value - low) / (high - low) * (STRIP - 12))

    points = [(x_of(i / 10), scale(v, -50, 0)) for i, v in enumerate(rms_db)]
    draw.line(points, fill=(255, 255, 255), width=2)
    intensity = []
    for beat in plan.beats:
        y = scale(beat.affect.intensity, 0, 1)
        start, end = beat.start_frame / plan.fps, (beat.start_frame + beat.frames) / plan.fps
        intensity += [(x_of(start), y), (x_of(end), y)]
    draw.line(intensity, fill=(80, 200, 255), width=2)
    draw.text((6, HEIGHT + 4), "level dB (white), intensity (blue), hits (green)", font=font)
    for hz in (100, 1000, 10000):
        y = int(np.argmin(np.abs(rows - hz)))
        draw.text((WIDTH - 60, y - 7), f"{hz} Hz", fill=(200, 200, 200), font=font)
    target.parent.mkdir(parents=True, exist_ok=True)
    picture.save(target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--png", type=Path)
    args = parser.parse_args()
    plan = arc_plan(build_tiny_plan(), MINUTE_S / sum(row[0] for row in ARC))
    duration = plan.frames / plan.fps
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        cold = _timed(lambda: write_score(plan, out / "cold"))
        runs = [_timed(lambda: write_score(plan, out / "warm")) for _ in range(args.runs)]
        binary = find_synth()
        command = fluidsynth_command(binary, out / "warm" / "score.mid", out / "base.wav", 48_000)
        base = [_timed(lambda: subprocess.run(command, check=True)) for _ in range(args.runs)]
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        base_wall = statistics.median(r[0] for r in base)
        print(f"score of {duration:.1f} s, {os.cpu_count()} cores, median of {args.runs} runs")
        print(f"  first call (imports included): {cold[0]:.2f} s = {cold[0] / duration:.1%}")
        print(
            f"  compose + render + master + write: {wall:.2f} s wall = {wall / duration:.1%} "
            f"of real time (budget {BUDGET:.0%}); {cpu:.2f} s CPU"
        )
        print(
            f"  baseline fluidsynth alone on score.mid: {base_wall:.2f} s = "
            f"{base_wall / duration:.1%}"
        )
        if args.png:
            document = json.loads((out / "warm" / "score.json").read_text())
            hits = [hit["time_s"] for hit in document["hits"]]
            spectrogram_png(out / "warm" / "score.wav", plan, hits, args.png)
            print(f"  spectrogram: {args.png}")
        if wall / duration > BUDGET:
            sys.exit(f"over budget: {wall / duration:.1%} > {BUDGET:.0%}")


if __name__ == "__main__":
    main()
