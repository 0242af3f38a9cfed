"""Hit points: where the music must land on the picture.

A smash cut gets a stinger (brass stab, crash, kick, timpani); a reveal or realisation beat gets
an accent, and the music drops to silence just before it so the accent lands in the clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from beatcam.model import ShotPlan

HIT_FUNCTIONS: Final = ("reveal", "realisation")
DROP_MAX_S: Final = 0.5  # longest silence before a reveal
DROP_SHARE: Final = 0.25  # and never more than this share of the beat it cuts into


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
    found: dict[int, list[tuple[str, float, str]]] = {}
    for shot in plan.shots:
        if shot.transition == "smash_cut":
            why = f"smash cut into {shot.id}"
            found.setdefault(shot.start_frame, []).append(("stinger", 0.0, why))
    previous_frames = 0
    for beat in plan.beats:
        if beat.affect.function in HIT_FUNCTIONS and beat.frames > 0:
            drop = min(DROP_MAX_S, DROP_SHARE * previous_frames / plan.fps)
            why = f"{beat.affect.function} at beat {beat.index + 1}"
            found.setdefault(beat.start_frame, []).append(("accent", drop, why))
        previous_frames = beat.frames
    hits = []
    for frame in sorted(found):
        entries = found[frame]
        kind = "stinger" if any(entry[0] == "stinger" for entry in entries) else "accent"
        drop = max(entry[1] for entry in entries)
        why = "; ".join(entry[2] for entry in entries)
        if drop > 0:
            why += f" (silence for {drop:.2f} s before)"
        hits.append(Hit(frame, frame / plan.fps, kind, drop, why))
    return tuple(hits)
