"""Sections: a scene's beats grouped into a few cues at the turns of its emotional curve.

A cue holds one mood, so the beats are split only where valence and arousal turn. The split is
an optimal segmentation (dynamic programming over every split, as in Jackson et al. 2005, "An
algorithm for optimal partitioning of data on an interval", IEEE Signal Processing Letters):
a section costs the seconds-weighted spread of its beats' (valence, arousal) around their
mean, plus TURN_PRICE, so a new cue starts only where the mood moves by more than that buys.

The peak is the scene's most intense beat. ``build`` rises from 0 at the scene's start to 1
at the peak and falls back to 0 at its end: the arrangement reads density and register from
it, so the music builds toward the peak and releases after it whatever the cues are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

# Price of one more cue, in seconds x (affect units)^2. Two 10 s halves whose means differ by
# d cost 5 d^2 more as one section than as two, so a turn of about 0.45 in valence or arousal
# between two 10 s stretches is worth a new cue; smaller wobbles stay inside one.
TURN_PRICE: Final = 1.0
# Four bars at 80 bpm: the least a cue needs to state its tempo, key and a cadence.
MIN_CUE_S: Final = 12.0
MOVE_WORD: Final = 0.1  # a change of mean valence or arousal this large is named


@dataclass(frozen=True)
class Section:
    """Beats ``first .. last`` (positions in the beat list), their role around the peak
    (build, peak, release) and why the section starts where it does."""

    first: int
    last: int
    role: str
    turn: str

    @property
    def positions(self) -> range:
        return range(self.first, self.last + 1)


def _spread(seconds: np.ndarray, points: np.ndarray) -> float:
    """Seconds-weighted sum of squared distances of ``points`` (n, 2) from their mean."""
    mean = np.average(points, axis=0, weights=seconds)
    return float(np.sum(seconds[:, None] * (points - mean) ** 2))


def segment(seconds: Sequence[float], points: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """(first, last) beat positions of each section of the cheapest split; every section
    lasts at least MIN_CUE_S unless the whole scene is shorter."""
    weights = np.asarray(seconds, dtype=float)
    values = np.asarray(points, dtype=float)
    count = len(weights)
    ends = np.concatenate([[0.0], np.cumsum(weights)])
    best = np.full(count + 1, np.inf)
    best[0] = 0.0
    start_of = np.zeros(count + 1, dtype=int)
    for end in range(1, count + 1):
        for start in range(end):
            long_enough = ends[end] - ends[start] >= MIN_CUE_S or (start == 0 and end == count)
            if not long_enough or not np.isfinite(best[start]):
                continue
            cost = best[start] + TURN_PRICE + _spread(weights[start:end], values[start:end])
            if cost < best[end]:
                best[end], start_of[end] = cost, start
    if not np.isfinite(best[count]):  # no split keeps every cue long enough: one cue
        return [(0, count - 1)]
    spans = []
    end = count
    while end > 0:
        spans.append((int(start_of[end]), end - 1))
        end = int(start_of[end])
    return spans[::-1]


def peak_of(intensities: Sequence[float]) -> int:
    """Position of the scene's peak: its most intense beat (the first, on a tie)."""
    return int(np.argmax(np.asarray(intensities, dtype=float)))


def build_curve(seconds: Sequence[float], peak: int) -> list[float]:
    """Per beat, 0..1: how far the scene has come toward its peak (rising to 1 at the peak
    beat, measured at each beat's middle) and, after it, how much is left to release."""
    ends = np.concatenate([[0.0], np.cumsum(seconds)])
    middles = (ends[:-1] + ends[1:]) / 2
    total = ends[-1]
    curve = []
    for position, middle in enumerate(middles):
        if position < peak:
            curve.append(float(middle / middles[peak]))
        elif position == peak:
            curve.append(1.0)
        else:
            after = total - ends[peak + 1]
            curve.append(float(1.0 - (middle - ends[peak + 1]) / after) if after > 0 else 0.0)
    return curve


def _moves(before: np.ndarray, after: np.ndarray) -> str:
    """The turn between two sections' mean (valence, arousal), in words."""
    words = []
    valence, arousal = after - before
    if abs(valence) >= MOVE_WORD:
        words.append(
            f"the mood {'brightens' if valence > 0 else 'darkens'} (valence "
            f"{before[0]:+.2f} to {after[0]:+.2f})"
        )
    if abs(arousal) >= MOVE_WORD:
        words.append(
            f"the energy {'rises' if arousal > 0 else 'settles'} (arousal "
            f"{before[1]:+.2f} to {after[1]:+.2f})"
        )
    return " and ".join(words) or "the mood holds but the section would run too long"


def sections(
    seconds: Sequence[float], points: Sequence[Sequence[float]], peak: int
) -> tuple[Section, ...]:
    """The cues' sections of a scene whose beats last ``seconds`` and feel ``points``
    ((valence, arousal) each), with the peak at beat position ``peak``."""
    weights = np.asarray(seconds, dtype=float)
    values = np.asarray(points, dtype=float)
    found = []
    previous: np.ndarray | None = None
    for first, last in segment(seconds, points):
        mean = np.average(values[first : last + 1], axis=0, weights=weights[first : last + 1])
        role = "build" if last < peak else "release" if first > peak else "peak"
        turn = "the scene opens" if previous is None else _moves(previous, mean)
        found.append(Section(first, last, role, turn))
        previous = mean
    return tuple(found)
