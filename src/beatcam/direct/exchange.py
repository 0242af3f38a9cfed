"""The arc of an exchange of lines: coverage that tightens toward the line the exchange turns on.

A line of dialogue read alone says little of where its scene stands ("Nak?"), and cutting each
line at the size its own words ask for jumps about (that was a screenplay's coverage: 14 lines
at MS over the shoulder, not a move among them). A DP shapes the exchange as a whole instead:
it opens on the pair at speaking distance (Arijon: who talks to whom, before the reverses), the
matched reverses tighten as it builds toward the line it turns on, that line is pushed in on,
and after the turn the coverage eases back as the exchange winds down (Katz, *Shot by Shot*, on
covering dialogue: the reverses move in as the scene intensifies; Proferes, *Film Directing
Fundamentals*: the scene's beat change is where the camera marks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

# Fewer lines than this are a remark and its answer, not an exchange with a shape.
MIN_LINES: Final = 4
# How many lines on each side a line's weight is averaged over to find the turn: one line's own
# reading is noisy ("Nak." reads calm), a run of charged lines is where the scene turns.
SMOOTHING_LINES: Final = 1
# A line's readings alone barely rank the lines ("Nak." reads as calm as "Beer's ready!"), and a
# scene turns late, at its climax near the end (McKee, *Story*: the scene's turning point): so a
# line's weight gains this much from its place in the exchange, 0 at the first line, all of it at
# the last (about a sixth of the spread of the lines' intensities).
LATE_TURN: Final = 0.15
# After the turn the coverage eases back this far (a fraction of the build) by the last line.
EASE_AFTER_TURN: Final = 0.75


@dataclass(frozen=True)
class LinePlace:
    """Where one line of dialogue stands in its exchange: ``build`` 0 at the first line
    (``opens``), 1 at the line the exchange turns on (``turn``), easing back after it."""

    build: float
    turn: bool
    opens: bool = False


def exchange_places(
    spoken: Sequence[bool], intensity: Sequence[float]
) -> tuple[LinePlace | None, ...]:
    """Per beat of a scene, its place in the scene's exchange of lines (``spoken``: the beat is
    a line; ``intensity``: its affect's), or None for action and for a scene of too few lines.
    The lines are taken together, the action between them left out: the exchange turns on the
    line whose intensity, averaged with its neighbours' and lifted by how late it comes, is
    greatest (the later on a tie)."""
    lines = [index for index, said in enumerate(spoken) if said]
    places: list[LinePlace | None] = [None] * len(spoken)
    if len(lines) < MIN_LINES:
        return tuple(places)
    last = len(lines) - 1
    weight = []
    for k in range(last + 1):
        around = [
            intensity[index]
            for index in lines[max(0, k - SMOOTHING_LINES) : k + SMOOTHING_LINES + 1]
        ]
        weight.append(sum(around) / len(around) + LATE_TURN * k / last)
    turn = max(range(last + 1), key=lambda k: (weight[k], k))
    for k, index in enumerate(lines):
        if k <= turn:
            build = k / turn if turn else 1.0
        else:
            build = 1.0 - EASE_AFTER_TURN * (k - turn) / (last - turn)
        places[index] = LinePlace(build, k == turn, k == 0)
    return tuple(places)
