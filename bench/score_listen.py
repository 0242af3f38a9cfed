"""Listening by eye: the score of shot scenes measured from its files, and drawn.

For each output folder of ``beatcam shoot`` (plan.json, score.mid, score.wav): the tempo
changes measured from the MIDI, the Spearman correlation of each beat's RMS level with its
intensity, the level span, and ``score.png`` beside the files (spectrogram, level in white,
intensity in blue, hits in green), to look at.

    .venv/bin/python bench/score_listen.py beatcam-out/the-letter beatcam-out/the-chase
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from beatcam.export.plan_json import from_document
from score import spectrogram_png
from test_score import beat_levels_db, tempo_changes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    for folder in parser.parse_args().folders:
        plan = from_document(json.loads((folder / "plan.json").read_text()), folder)
        spans = [
            (b.start_frame / plan.fps, (b.start_frame + b.frames) / plan.fps) for b in plan.beats
        ]
        levels = beat_levels_db(folder / "score.wav", spans)
        rho = stats.spearmanr(levels, [b.affect.intensity for b in plan.beats]).statistic
        tempi = tempo_changes(folder / "score.mid")
        hits = [hit["time_s"] for hit in json.loads((folder / "score.json").read_text())["hits"]]
        spectrogram_png(folder / "score.wav", plan, hits, folder / "score.png")
        print(
            f"{folder.name}: {len(plan.beats)} beats, {len(tempi) - 1} tempo changes "
            f"({', '.join(f'{bpm:.0f}' for _, bpm in tempi)} bpm), level-intensity rho "
            f"{rho:.2f}, span {max(levels) - min(levels):.1f} dB"
        )


if __name__ == "__main__":
    main()
