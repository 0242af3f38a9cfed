"""The tempo map: MIDI ticks against seconds, so each cue fills its beat exactly.

Each cue holds a whole number of quarter notes and its tempo is stretched to fit, so tempo
changes fall on beat boundaries. MIDI tempi are whole microseconds per quarter; each cue's
tempo is computed from where the previous one really ended, so rounding never accumulates, and
the last quarter of the score takes its own tempo to land on the exact final second.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Final

TICKS_PER_QUARTER: Final = 480
MICROSECONDS: Final = 1_000_000


@dataclass(frozen=True)
class TempoSegment:
    """From ``tick`` on, ``tempo_us`` microseconds per quarter; ``seconds`` is when it starts."""

    tick: int
    seconds: float
    tempo_us: int

    @property
    def bpm(self) -> float:
        return 60.0 * MICROSECONDS / self.tempo_us


@dataclass(frozen=True)
class TempoMap:
    segments: tuple[TempoSegment, ...]
    end_tick: int

    def _segment_for_tick(self, tick: int) -> TempoSegment:
        index = bisect.bisect_right([s.tick for s in self.segments], tick) - 1
        return self.segments[max(index, 0)]

    def seconds(self, tick: int) -> float:
        segment = self._segment_for_tick(tick)
        return segment.seconds + (tick - segment.tick) * segment.tempo_us / (
            MICROSECONDS * TICKS_PER_QUARTER
        )

    def tick(self, seconds: float) -> int:
        """The tick nearest to a time in seconds, clamped to the score."""
        index = bisect.bisect_right([s.seconds for s in self.segments], seconds) - 1
        segment = self.segments[max(index, 0)]
        ticks = (seconds - segment.seconds) * MICROSECONDS * TICKS_PER_QUARTER / segment.tempo_us
        return min(self.end_tick, max(0, segment.tick + round(ticks)))


def build_tempo_map(bounds_s: list[tuple[float, float]], quarters: list[int]) -> TempoMap:
    """A map in which cue ``i`` spans ``bounds_s[i]`` seconds with ``quarters[i]`` quarters."""
    segments: list[TempoSegment] = []
    tick, now = 0, 0.0
    last = len(bounds_s) - 1
    for index, ((_, end_s), count) in enumerate(zip(bounds_s, quarters, strict=True)):
        spans = [count]
        if index == last and count > 1:
            spans = [count - 1, 1]
        for part, span in enumerate(spans):
            target = end_s if part == len(spans) - 1 else now + (end_s - now) * span / count
            tempo_us = max(1, round((target - now) * MICROSECONDS / span))
            segments.append(TempoSegment(tick, now, tempo_us))
            tick += span * TICKS_PER_QUARTER
            now += span * tempo_us / MICROSECONDS
    return TempoMap(tuple(segments), tick)
