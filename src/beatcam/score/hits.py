"""Hit points: where the music must land on the picture.

A smash cut gets a stinger (brass stab, crash, kick, timpani); a reveal or realisation beat gets
an accent. Silence is a choice made once at most: when the scene's peak lands on a hit, the
music stops for a breath before it, long enough to be heard as meant (a short drop sounds
like a glitch), so the peak lands in the clear. score.json announces it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from beatcam.model import ShotPlan
from beatcam.score.sections import peak_of

HIT_FUNCTIONS: Final = ("reveal", "realisation")
SILENCE_S: Final = 1.0  # the breath before the peak: a full second reads as a held breath
SILENCE_SHARE: Final = 0.25  # and never more than this share of the beat it cuts into


@dataclass(frozen=True)
class Hit:
    """A hit at ``frame``; ``drop_s`` seconds of silence before it (0 for none)."""

    frame: int
    seconds: float
    kind: str
    drop_s: float
    why: str


def find_hits(plan: ShotPlan) -> tuple[Hit, ...]:
    """Every hit point of the plan, in time order, one per frame (reasons merged)."""
    found: dict[int, list[tuple[str, str]]] = {}
    for shot in plan.shots:
        if shot.transition == "smash_cut":
            found.setdefault(shot.start_frame, []).append(("stinger", f"smash cut into {shot.id}"))
    for beat in plan.beats:
        if beat.affect.function in HIT_FUNCTIONS and beat.frames > 0:
            why = f"{beat.affect.function} at beat {beat.index + 1}"
            found.setdefault(beat.start_frame, []).append(("accent", why))
    timed = [beat for beat in plan.beats if beat.frames > 0]
    peak = peak_of([beat.affect.intensity for beat in timed]) if timed else 0
    silence_at, silence_s = -1, 0.0
    if peak > 0 and timed[peak].start_frame in found:
        before_s = timed[peak - 1].frames / plan.fps
        if SILENCE_SHARE * before_s >= SILENCE_S:
            silence_at, silence_s = timed[peak].start_frame, SILENCE_S
    hits = []
    for frame in sorted(found):
        entries = found[frame]
        kind = "stinger" if any(entry[0] == "stinger" for entry in entries) else "accent"
        why = "; ".join(entry[1] for entry in entries)
        drop = silence_s if frame == silence_at else 0.0
        if drop:
            why += (
                f"; the scene's peak (beat {timed[peak].index + 1}), so the music stops for "
                f"{drop:.1f} s before it and the hit lands in the clear"
            )
        hits.append(Hit(frame, frame / plan.fps, kind, drop, why))
    return tuple(hits)
