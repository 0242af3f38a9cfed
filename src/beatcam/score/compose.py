"""compose(plan): the whole musical plan, pure and seeded, before any sound is made."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from beatcam.errors import StageError
from beatcam.model import PlannedBeat, ShotPlan
from beatcam.score.arrangement import GROUPS, POWER_DOMINANCE, Cue, design_cue
from beatcam.score.harmony import TENSION_CLASH, VALENCE_BRIGHT, chord
from beatcam.score.hits import Hit, find_hits
from beatcam.score.sections import build_curve, peak_of, sections
from beatcam.score.tempo import TICKS_PER_QUARTER, TempoMap, build_tempo_map
from beatcam.score.texture import Control, Note, arrange

SAMPLE_RATE: Final = 48_000
TONICS: Final = (0, 2, 4, 5, 7, 9)  # C D E F G A: keys that sit well for strings and brass
DOMINANT_DEGREE: Final = 4
CADENCE_BARS: Final = 3  # a cue this long ends V-I; a shorter one just lands on I
# Beats that leave a conflict open: the music must not settle on the tonic after them.
CONFLICT_FUNCTIONS: Final = frozenset({"confrontation", "threat", "attack", "suspense", "chase"})


@dataclass(frozen=True)
class ScorePlan:
    """Everything the score will play, with the reasons; ``samples`` is the exact WAV length."""

    title: str
    seed: int
    fps: int
    frames: int
    samples: int
    tonic: int
    peak_beat: int
    cues: tuple[Cue, ...]
    hits: tuple[Hit, ...]
    ending: str
    ending_why: str
    tempo: TempoMap
    notes: tuple[Note, ...]
    controls: tuple[Control, ...]

    @property
    def duration_s(self) -> float:
        return self.frames / self.fps

    @property
    def groups(self) -> tuple[str, ...]:
        """The instrument groups that play at least one note, in a fixed order."""
        playing = {note.group for note in self.notes}
        return tuple(group for group in GROUPS if group in playing)


def _cue_bounds(plan: ShotPlan) -> list[tuple[int, int, int]]:
    """(beat position, start frame, end frame) per beat: contiguous and covering the scene."""
    beats = [(i, beat) for i, beat in enumerate(plan.beats) if beat.frames > 0]
    if not beats or plan.frames <= 0:
        raise StageError("score", "the plan has no beats with frames; re-plan the scene")
    bounds = []
    for position, (i, beat) in enumerate(beats):
        start = 0 if position == 0 else beat.start_frame
        end = plan.frames if position == len(beats) - 1 else beats[position + 1][1].start_frame
        bounds.append((i, start, end))
    return bounds


def _ending(last_cue: Sequence[PlannedBeat]) -> tuple[str, str]:
    """How the score ends, from the last beat and the last cue's beats, with the reason.

    ``resolve``: V-I onto the tonic, only after a positive last beat in a cue that has left
    its conflicts behind. ``cut``: a conflict left standing (a confrontation, a threat, a cold
    show of power) stops dead on an unresolved chord, moving parts still going. ``hang``:
    anything else holds an unresolved chord and fades."""
    last = last_cue[-1].affect
    conflicts = sorted({beat.affect.function for beat in last_cue} & CONFLICT_FUNCTIONS)
    cold = last.dominance >= POWER_DOMINANCE and last.valence < VALENCE_BRIGHT
    if last.function in CONFLICT_FUNCTIONS or cold:
        reason = (
            last.function
            if last.function in CONFLICT_FUNCTIONS
            else (
                f"power without warmth (dominance {last.dominance:+.2f}, "
                f"valence {last.valence:+.2f})"
            )
        )
        return "cut", f"the scene ends on {reason}: stop dead on an unresolved chord, no fade"
    if last.valence < VALENCE_BRIGHT:
        return "hang", (
            f"the last beat is not warm (valence {last.valence:+.2f}): hang on an unresolved "
            "chord and fade"
        )
    if conflicts:
        return "hang", (
            f"the last beat reads warm (valence {last.valence:+.2f}) but its cue holds "
            f"{', '.join(conflicts)}: the music does not believe it, so it hangs on an "
            "unresolved chord and fades"
        )
    return "resolve", (
        f"the last beat is warm (valence {last.valence:+.2f}) and its cue holds no conflict: "
        "resolve to the tonic"
    )


def _with_chords(cue: Cue, tonic: int, ending: str | None) -> Cue:
    bars = math.ceil((cue.end_tick - cue.start_tick) / (cue.meter * TICKS_PER_QUARTER))
    degrees = [cue.progression[i % len(cue.progression)] for i in range(bars)]
    chords = [chord(tonic, cue.mode, d, cue.tension, cue.anger) for d in degrees]
    if ending == "resolve":
        if bars >= CADENCE_BARS:
            chords[-2] = chord(tonic, "major", DOMINANT_DEGREE, 0.0, 0.0)
        chords[-1] = chord(tonic, "major", 0, 0.0, 0.0)  # a warm ending: the major tonic
    elif ending in ("hang", "cut"):
        chords[-1] = chord(tonic, cue.mode, 1, max(cue.tension, TENSION_CLASH), cue.anger)
    return dataclasses.replace(cue, chords=tuple(chords))


def compose(plan: ShotPlan) -> ScorePlan:
    """The musical plan for a shot plan: a cue per section, tempo map, hits, ending, notes."""
    rng = np.random.default_rng(plan.seed)
    tonic = int(TONICS[int(rng.integers(len(TONICS)))])
    bounds = _cue_bounds(plan)
    beats = [
        dataclasses.replace(plan.beats[i], start_frame=start, frames=end - start)
        for i, start, end in bounds
    ]
    seconds = [beat.frames / plan.fps for beat in beats]
    peak = peak_of([beat.affect.intensity for beat in beats])
    build = build_curve(seconds, peak)
    points = [(beat.affect.valence, beat.affect.arousal) for beat in beats]
    parts = sections(seconds, points, peak)
    cues = [
        design_cue(
            number,
            part,
            beats[part.first : part.last + 1],
            build[part.first : part.last + 1],
            plan.fps,
            tonic,
            rng,
        )
        for number, part in enumerate(parts, start=1)
    ]
    quarters = [
        max(1, round((cue.end_s - cue.start_s) * cue.tempo_target_bpm / 60.0)) for cue in cues
    ]
    tempo = build_tempo_map([(cue.start_s, cue.end_s) for cue in cues], quarters)
    ending, ending_why = _ending(beats[parts[-1].first :])
    placed = []
    tick = 0
    for index, (cue, count) in enumerate(zip(cues, quarters, strict=True)):
        span = count * TICKS_PER_QUARTER
        levels = tuple(
            dataclasses.replace(level, start_tick=max(tick, tempo.tick(level.start_s)))
            for level in cue.levels
        )
        timed = dataclasses.replace(
            cue,
            start_tick=tick,
            end_tick=tick + span,
            tempo_bpm=60.0 * count / (cue.end_s - cue.start_s),
            levels=levels,
        )
        placed.append(_with_chords(timed, tonic, ending if index == len(cues) - 1 else None))
        tick += span
    hits = find_hits(plan)
    notes, controls = arrange(placed, hits, tempo, ending, rng)
    return ScorePlan(
        title=plan.title,
        seed=plan.seed,
        fps=plan.fps,
        frames=plan.frames,
        samples=round(plan.frames * SAMPLE_RATE / plan.fps),
        tonic=tonic,
        peak_beat=beats[peak].index,
        cues=tuple(placed),
        hits=hits,
        ending=ending,
        ending_why=ending_why,
        tempo=tempo,
        notes=notes,
        controls=controls,
    )
