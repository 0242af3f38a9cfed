"""write_score(plan, out_dir): score.json, score.mid, score.wav and stems/<group>.wav."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from beatcam.files import atomic_path, write_atomic
from beatcam.model import ShotPlan
from beatcam.score.arrangement import GROUPS
from beatcam.score.compose import SAMPLE_RATE, ScorePlan, compose
from beatcam.score.harmony import NOTE_NAMES
from beatcam.score.midi import midi_bytes
from beatcam.score.stems import render_stems
from beatcam.score.synth import SCORE_PROVENANCE, TARGET_LUFS

WAV_SUBTYPE: Final = "PCM_24"
SCORE_FORMAT: Final = "beatcam.score.2"  # 2: cues per section, levels per beat


def _seconds(value: float) -> float:
    return round(value, 6)


def score_document(score: ScorePlan, measured_lufs: float, stems: list[str]) -> dict[str, Any]:
    """The content of score.json: every cue and hit with the affect and reasons behind it."""
    cues = [
        {
            "cue": cue.number,
            "section": cue.section,
            "role": cue.role,
            "beats": list(cue.beats),
            "start_s": _seconds(cue.start_s),
            "end_s": _seconds(cue.end_s),
            "key": cue.key,
            "mode": cue.mode,
            "tempo_bpm": round(cue.tempo_bpm, 3),
            "meter": f"{cue.meter}/4",
            "bars": len(cue.chords),
            "chords": [c.symbol for c in cue.chords],
            "instruments": list(cue.instruments),
            "groups": list(cue.groups),
            "tension": round(cue.tension, 3),
            "affect": cue.affect_words,
            "why": cue.why,
            "levels": [
                {
                    "beat": level.beat,
                    "start_s": _seconds(level.start_s),
                    "intensity": round(level.intensity, 3),
                    "build": round(level.build, 3),
                    "dynamics": level.dynamics,
                    "velocity": level.velocity,
                    "expression_cc11": level.expression,
                    "notes_per_quarter": level.density,
                    "register_semitones": level.register,
                }
                for level in cue.levels
            ],
        }
        for cue in score.cues
    ]
    hits = [
        {
            "frame": hit.frame,
            "time_s": _seconds(hit.seconds),
            "kind": hit.kind,
            "silence_before_s": _seconds(hit.drop_s),
            "why": hit.why,
        }
        for hit in score.hits
    ]
    return {
        "format": SCORE_FORMAT,
        "title": score.title,
        "seed": score.seed,
        "fps": score.fps,
        "frames": score.frames,
        "duration_s": _seconds(score.duration_s),
        "sample_rate": SAMPLE_RATE,
        "samples": score.samples,
        "tonic": NOTE_NAMES[score.tonic],
        "loudness": {
            "target_lufs": TARGET_LUFS,
            "integrated_lufs": round(measured_lufs, 2) if math.isfinite(measured_lufs) else None,
        },
        "peak_beat": score.peak_beat,
        "ending": {"kind": score.ending, "why": score.ending_why},
        "silences": [
            {
                "start_s": _seconds(hit.seconds - hit.drop_s),
                "end_s": _seconds(hit.seconds),
                "why": hit.why,
            }
            for hit in score.hits
            if hit.drop_s > 0
        ],
        "cues": cues,
        "hits": hits,
        "stems": stems,
        "provenance": list(SCORE_PROVENANCE),
    }


def write_score(
    plan: ShotPlan, out_dir: Path, progress: Callable[[int, int], None] | None = None
) -> list[Path]:
    """Compose and render the plan's score into ``out_dir``; return the files written."""
    import soundfile

    score = compose(plan)
    total = len(score.groups) + 2
    done = 1

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(done, total)
    mix, stems, measured = render_stems(score, step)
    paths = [write_atomic(out_dir / "score.mid", midi_bytes(score))]
    for name, audio in [("score.wav", mix), *((f"stems/{g}.wav", a) for g, a in stems.items())]:
        target = out_dir / name
        with atomic_path(target) as temporary:
            soundfile.write(str(temporary), audio, SAMPLE_RATE, subtype=WAV_SUBTYPE, format="WAV")
        paths.append(target)
    for silent in set(GROUPS) - set(stems):
        (out_dir / "stems" / f"{silent}.wav").unlink(missing_ok=True)  # stale from an older run
    document = score_document(score, measured, [f"stems/{g}.wav" for g in stems])
    text = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    paths.insert(0, write_atomic(out_dir / "score.json", text))
    step()
    return paths
