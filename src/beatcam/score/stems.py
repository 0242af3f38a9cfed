"""Rendering each instrument group alone (a stem), in parallel, then mastering them together.

The mix is the sum of the stems by construction: one FluidSynth run per group, and the
loudness gain and peak limiter computed on the sum are applied to every stem alike.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed

import numpy as np

from beatcam.files import scratch_folder
from beatcam.score.compose import SAMPLE_RATE, ScorePlan
from beatcam.score.midi import midi_bytes
from beatcam.score.synth import find_synth, master, render


def render_stems(
    score: ScorePlan, progress: Callable[[], None] | None = None
) -> tuple[np.ndarray, dict[str, np.ndarray], float]:
    """(mix, stems by group, integrated LUFS): each (score.samples, 2) float32, mastered."""
    binary = find_synth()
    with scratch_folder("score") as work:

        def one(group: str) -> np.ndarray:
            midi = work / f"{group}.mid"
            midi.write_bytes(midi_bytes(score, [group]))
            return render(binary, midi, work / f"{group}.wav", SAMPLE_RATE, score.samples)

        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            futures = [pool.submit(one, group) for group in score.groups]
            for future in as_completed(futures):
                future.result()
                if progress is not None:
                    progress()
            rendered = {g: f.result() for g, f in zip(score.groups, futures, strict=True)}
    if not rendered:
        rendered = {"strings": np.zeros((score.samples, 2), dtype=np.float32)}
    return master(rendered, SAMPLE_RATE)
