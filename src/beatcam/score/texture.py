"""Notes and controllers: what each instrument group plays under each cue, in ticks.

Channels are fixed per group so each group renders alone as a stem. Dynamics move from beat to
beat through CC11 ramps; the one deliberate silence before a hit cuts every note in its window.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from beatcam.score.arrangement import PROGRAM_STRINGS, Cue, Level
from beatcam.score.harmony import Chord, voice
from beatcam.score.hits import Hit
from beatcam.score.tempo import TICKS_PER_QUARTER, TempoMap

DRUM_CHANNEL: Final = 9
# (channel, program, CC7 volume, CC10 pan) for every part; program None on the drum channel.
PARTS: Final[Mapping[str, tuple[tuple[int, int | None, int, int], ...]]] = {
    "strings": ((0, PROGRAM_STRINGS, 100, 48), (1, 43, 92, 64)),
    "piano": ((2, 0, 92, 70),),
    "brass": ((3, 58, 96, 80), (7, 61, 110, 64)),
    "pulse": ((4, 38, 88, 56),),
    "percussion": ((6, 47, 112, 64), (DRUM_CHANNEL, None, 104, 64)),
}
STRINGS, BASS, PIANO, BRASS, STAB, PULSE, TIMPANI = 0, 1, 2, 3, 7, 4, 6
RAMPED_CHANNELS: Final = (STRINGS, BASS, PIANO, BRASS, PULSE)
RAMP_STEPS: Final = 8
KICK, LOW_TOM, SNARE, CRASH = 36, 41, 38, 49
STRINGS_RANGE: Final = (55, 79)
BASS_RANGE: Final = (36, 47)
LOW_BRASS_RANGE: Final = (34, 50)
STAB_RANGE: Final = (55, 72)
TIMPANI_RANGE: Final = (41, 52)
HIT_ACCENT: Final = 20  # a hit stands this much velocity above the beat it lands in
STAB_SECONDS: Final = 0.35
FADE_SECONDS: Final = 2.0
SNARE_AROUSAL: Final = 0.6  # a backbeat only when the scene runs


@dataclass(frozen=True, order=True)
class Note:
    start: int
    end: int
    channel: int
    pitch: int
    velocity: int
    group: str


@dataclass(frozen=True, order=True)
class Control:
    """A program change (``number`` -1) or a control change at ``tick``."""

    tick: int
    channel: int
    number: int
    value: int
    group: str


GROUP_OF_CHANNEL: Final = {part[0]: group for group, parts in PARTS.items() for part in parts}


def _in_range(pitch_class: int, low: int) -> int:
    return low + (pitch_class - low) % 12


def _bars(cue: Cue) -> list[tuple[int, int]]:
    step = cue.meter * TICKS_PER_QUARTER
    starts = range(cue.start_tick, cue.end_tick, step)
    return [(start, min(start + step, cue.end_tick)) for start in starts]


def _clamp(value: float) -> int:
    return int(min(127, max(1, round(value))))


def _steps(cue: Cue, start: int, end: int, fastest: int = 1) -> list[tuple[int, int, Level]]:
    """(tick, step, level) of the moving parts' notes over ``start .. end``: each step as
    long as the density of the beat sounding there asks (at least ``fastest`` a quarter)."""
    steps = []
    tick = start
    while tick < end:
        level = cue.level_at(tick)
        step = TICKS_PER_QUARTER // max(fastest, level.density)
        steps.append((tick, step, level))
        tick += step
    return steps


def _cue_notes(
    cue: Cue, previous: Sequence[int], rng: np.random.Generator, ending: str | None
) -> tuple[list[Note], tuple[int, ...]]:
    """The notes of one cue; ``ending`` is the score's ending when this is the last cue."""
    notes: list[Note] = []
    voicing = tuple(previous)
    bars = _bars(cue)
    for bar_index, ((start, end), chord) in enumerate(zip(bars, cue.chords, strict=True)):
        final_bar = ending in ("resolve", "hang") and bar_index == len(bars) - 1
        level = cue.level_at(start)
        low, high = (bound + level.register for bound in STRINGS_RANGE)
        voicing = voice(chord.pitch_classes, low, high, voicing)
        vel = level.velocity
        notes += [Note(start, end, STRINGS, p, _clamp(vel - 6), "strings") for p in voicing]
        bass = _in_range(chord.root, BASS_RANGE[0])
        notes.append(Note(start, end, BASS, bass, _clamp(vel), "strings"))
        if "brass" in cue.groups:
            notes += _brass(cue, level, chord, voicing, start, end)
        if "piano" in cue.groups:
            notes += _piano(cue, voicing, start, end, rng, final_bar)
        if "pulse" in cue.groups and not final_bar:
            notes += _pulse(cue, chord, start, end)
        if "percussion" in cue.groups and not final_bar:
            notes += _drums(cue, chord, start, end)
    return notes, voicing


def _brass(
    cue: Cue, level: Level, chord: Chord, voicing: Sequence[int], start: int, end: int
) -> list[Note]:
    vel = _clamp(level.velocity - 4)
    if cue.programs.get("brass") == PARTS["brass"][1][1]:
        return [Note(start, end, BRASS, p, vel, "brass") for p in voicing[:3]]
    root = _in_range(chord.root, LOW_BRASS_RANGE[0])
    pitches = (root, root + 7) if root + 7 <= LOW_BRASS_RANGE[1] else (root - 5, root)
    return [Note(start, end, BRASS, p, vel, "brass") for p in pitches]


def _piano(
    cue: Cue,
    voicing: Sequence[int],
    start: int,
    end: int,
    rng: np.random.Generator,
    final_bar: bool,
) -> list[Note]:
    tones = [p + 12 for p in voicing] + [voicing[0] + 24]
    if final_bar:
        vel = _clamp(cue.level_at(start).velocity - 10)
        return [Note(start, end, PIANO, p, vel, "piano") for p in tones]
    pattern = tones + tones[-2:0:-1]
    notes = []
    for index, (tick, step, level) in enumerate(_steps(cue, start, end)):
        accent = 8 if (tick - start) % TICKS_PER_QUARTER == 0 else 0
        jitter = int(rng.integers(-4, 5))
        vel = _clamp(level.velocity - 12 + accent + jitter)
        pitch = pattern[index % len(pattern)]
        notes.append(Note(tick, min(tick + 2 * step, end), PIANO, pitch, vel, "piano"))
    return notes


def _pulse(cue: Cue, chord: Chord, start: int, end: int) -> list[Note]:
    root = _in_range(chord.root, BASS_RANGE[0])
    third = root + (chord.pitch_classes[1] - chord.root) % 12
    figure = (root, root + 12, third + 12, root + 12)
    notes = []
    for index, (tick, step, level) in enumerate(_steps(cue, start, end, fastest=2)):
        accent = 10 if (tick - start) % TICKS_PER_QUARTER == 0 else 0
        length = max(1, step * 3 // 4)
        vel = _clamp(level.velocity - 8 + accent)
        notes.append(Note(tick, min(tick + length, end), PULSE, figure[index % 4], vel, "pulse"))
    return notes


def _drums(cue: Cue, chord: Chord, start: int, end: int) -> list[Note]:
    notes = [
        Note(
            start,
            end,
            TIMPANI,
            _in_range(chord.root, TIMPANI_RANGE[0]),
            _clamp(cue.level_at(start).velocity),
            "percussion",
        )
    ]
    eighth = TICKS_PER_QUARTER // 2
    for index, tick in enumerate(range(start, end, eighth)):
        level = cue.level_at(tick)
        beat, offbeat = divmod(index, 2)
        hits = []
        if not offbeat and beat % 2 == 0:
            hits.append((KICK, level.velocity + 4))
        if offbeat or level.density >= 4:
            hits.append((LOW_TOM, level.velocity - 10 + (0 if offbeat else 6)))
        if not offbeat and beat % 2 == 1 and cue.arousal >= SNARE_AROUSAL:
            hits.append((SNARE, level.velocity - 4))
        notes += [
            Note(tick, min(tick + eighth // 2, end), DRUM_CHANNEL, p, _clamp(v), "percussion")
            for p, v in hits
        ]
    return notes


def _hit_notes(hit_tick: int, stab_end: int, chord: Chord, velocity: int) -> list[Note]:
    stab = voice(chord.pitch_classes[:3], *STAB_RANGE, ())
    notes = [Note(hit_tick, stab_end, STAB, p, velocity, "brass") for p in stab]
    timpani = _in_range(chord.root, TIMPANI_RANGE[0])
    notes.append(Note(hit_tick, stab_end, TIMPANI, timpani, velocity, "percussion"))
    notes += [
        Note(hit_tick, stab_end, DRUM_CHANNEL, pitch, velocity, "percussion")
        for pitch in (KICK, CRASH)
    ]
    return notes


def _drop(notes: list[Note], windows: Sequence[tuple[int, int]]) -> list[Note]:
    """Silence every note in each [start, end) window: cut the ones that ring into it."""
    kept = []
    for note in notes:
        end = note.end
        dropped = False
        for start, stop in windows:
            if start <= note.start < stop:
                dropped = True
            elif note.start < start < end:
                end = start
        if not dropped and end > note.start:
            kept.append(dataclasses.replace(note, end=end))
    return kept


def _ramp(tick: int, length: int, before: int, after: int) -> list[tuple[int, int]]:
    """CC11 values from ``before`` to ``after`` over ``length`` ticks, as (tick, value)."""
    return [
        (tick + length * step // RAMP_STEPS, round(before + (after - before) * step / RAMP_STEPS))
        for step in range(1, RAMP_STEPS + 1)
    ]


def _controls(
    cues: Sequence[Cue], fade: bool, tempo: TempoMap, drops: Sequence[tuple[int, int]]
) -> list[Control]:
    """Set-up, program changes, a CC11 ramp into each beat's level, fades into drops and the
    last fade."""
    controls: list[Control] = []
    dropped_into = {stop for _, stop in drops}
    levels = [level for cue in cues for level in cue.levels]
    for group, parts in PARTS.items():
        for channel, program, volume, pan in parts:
            if program is not None:
                controls.append(Control(0, channel, -1, program, group))
            controls.append(Control(0, channel, 7, volume, group))
            controls.append(Control(0, channel, 10, pan, group))
            start = levels[0].expression if channel in RAMPED_CHANNELS else 127
            controls.append(Control(0, channel, 11, start, group))
    programs = {"strings": PARTS["strings"][0][1], "brass": PARTS["brass"][0][1]}
    for cue in cues:
        for group, channel in (("strings", STRINGS), ("brass", BRASS)):
            wanted = cue.programs.get(group)
            if wanted is not None and wanted != programs[group]:
                controls.append(Control(cue.start_tick, channel, -1, wanted, group))
                programs[group] = wanted
    ends = [level.start_tick for level in levels[1:]] + [tempo.end_tick]
    for previous, level, end in zip(levels[:-1], levels[1:], ends[1:], strict=True):
        for channel in RAMPED_CHANNELS:
            group = GROUP_OF_CHANNEL[channel]
            if level.start_tick in dropped_into:
                controls.append(Control(level.start_tick, channel, 11, level.expression, group))
            elif previous.expression != level.expression:
                length = min(TICKS_PER_QUARTER, (end - level.start_tick) // 2)
                ramp = _ramp(level.start_tick, length, previous.expression, level.expression)
                controls += [Control(tick, channel, 11, value, group) for tick, value in ramp]
    for start, stop in drops:
        level = max((lv for lv in levels if lv.start_tick <= start), key=lambda lv: lv.start_tick)
        for channel in RAMPED_CHANNELS:
            ramp = _ramp(start, max(1, (stop - start) // 4), level.expression, 0)
            controls += [Control(t, channel, 11, v, GROUP_OF_CHANNEL[channel]) for t, v in ramp]
    if fade:
        last = cues[-1]
        fade_start = tempo.tick(max(last.start_s, last.end_s - FADE_SECONDS))
        length = max(1, tempo.end_tick - fade_start)
        for channel in (*RAMPED_CHANNELS, TIMPANI):
            controls += [
                Control(tick, channel, 11, value, GROUP_OF_CHANNEL[channel])
                for tick, value in _ramp(fade_start, length, levels[-1].expression, 0)
            ]
    return controls


def arrange(
    cues: Sequence[Cue],
    hits: Sequence[Hit],
    tempo: TempoMap,
    ending: str,
    rng: np.random.Generator,
) -> tuple[tuple[Note, ...], tuple[Control, ...]]:
    """Every note and controller of the score, sorted; one note per (tick, channel, pitch)."""
    notes: list[Note] = []
    voicing: tuple[int, ...] = ()
    for index, cue in enumerate(cues):
        last = index == len(cues) - 1
        cue_notes, voicing = _cue_notes(cue, voicing, rng, ending if last else None)
        notes += cue_notes
    windows = []
    hit_notes: list[Note] = []
    for hit in hits:
        tick = tempo.tick(hit.seconds)
        if tick >= tempo.end_tick:
            continue
        if hit.drop_s > 0:
            windows.append((tempo.tick(hit.seconds - hit.drop_s), tick))
        cue = next(c for c in reversed(cues) if c.start_tick <= tick)
        bar = min((tick - cue.start_tick) // (cue.meter * TICKS_PER_QUARTER), len(cue.chords) - 1)
        stab_end = min(tempo.end_tick, max(tick + 1, tempo.tick(hit.seconds + STAB_SECONDS)))
        velocity = _clamp(cue.level_at(tick).velocity + HIT_ACCENT)
        hit_notes += _hit_notes(tick, stab_end, cue.chords[bar], velocity)
    loudest: dict[tuple[int, int, int], Note] = {}
    for note in _drop(notes, windows) + hit_notes:
        key = (note.start, note.channel, note.pitch)
        if key not in loudest or note.velocity > loudest[key].velocity:
            loudest[key] = note
    controls = _controls(cues, ending == "hang", tempo, windows)
    return tuple(sorted(loudest.values())), tuple(sorted(controls))
