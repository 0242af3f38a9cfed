"""Cues: one per section of the scene, with tempo, key, meter and instruments read from the
section's affect, and per beat a level (dynamics, density, register) that follows the beat's
intensity and the build toward the scene's peak.

Every decision keeps its reason in words, so score.json can say why a cue sounds as it does.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from beatcam.model import Affect, PlannedBeat
from beatcam.score.harmony import (
    PROGRESSIONS,
    TENSION_CLASH,
    TENSION_CLUSTER,
    TENSION_NINTH,
    Chord,
    choose_mode,
    key_name,
    tension_of,
)
from beatcam.score.sections import Section

GROUPS: Final = ("strings", "piano", "brass", "pulse", "percussion")

TEMPO_SLOWEST_BPM: Final = 56.0  # at arousal -1
TEMPO_FASTEST_BPM: Final = 160.0  # at arousal +1
# Notes per quarter for the moving parts (piano, pulse): a calm cue starts on the first, any
# other on the second, and the build climbs BUILD_DENSITY_STEPS more toward the peak.
DENSITIES: Final = (1, 2, 3, 4)
BUILD_DENSITY_STEPS: Final = 2
BUILD_REGISTER: Final = 7  # semitones the voicing climbs at the peak: a fifth
VALENCE_REGISTER: Final = 2  # semitones up for a bright cue, down for a dark one: less than the
# build, so a dark build still climbs
AROUSAL_CALM: Final = -0.3
AROUSAL_DRIVING: Final = 0.3
AROUSAL_PERCUSSION: Final = 0.4
# Loudness follows intensity alone: intensity 0 to 1 spans these key velocities and CC11
# values. Through the sound font's default modulators (SoundFont 2.04, 8.4.1 and 8.4.6: both
# attenuate about 40 log10(value / 127) dB) that is about 14 + 12 = 26 dB from the quietest
# beat to the loudest, a film score's loudness range (EBU Tech 3342 measures 15 to 25 LU for
# feature films); the floor keeps a quiet beat a quiet cue, never a dropout.
VELOCITY_RANGE: Final = (52, 118)
EXPRESSION_RANGE: Final = (62, 127)
DYNAMICS: Final = ((0.15, "pp"), (0.3, "p"), (0.45, "mp"), (0.6, "mf"), (0.8, "f"), (1.01, "ff"))
EMOTION_CUE: Final = 0.3  # an emotion this strong shapes the orchestration
POWER_DOMINANCE: Final = 0.4

# General MIDI programs (0-based) the arrangement chooses from.
PROGRAM_STRINGS, PROGRAM_SLOW_STRINGS, PROGRAM_TREMOLO = 48, 49, 44
PROGRAM_TUBA, PROGRAM_TROMBONE, PROGRAM_BRASS_SECTION = 58, 57, 61


@dataclass(frozen=True)
class Level:
    """How loud, how busy and how high the music is under one beat of a cue."""

    beat: int
    start_s: float
    intensity: float
    build: float
    velocity: int
    expression: int
    dynamics: str
    density: int
    register: int
    start_tick: int = 0


@dataclass(frozen=True)
class Cue:
    """The music under one section. Times in seconds at the edges, ticks in the core."""

    number: int
    beats: tuple[int, ...]
    role: str
    section: str
    start_s: float
    end_s: float
    mode: str
    key: str
    arousal: float
    tempo_target_bpm: float
    meter: int
    tension: float
    anger: float
    groups: tuple[str, ...]
    programs: Mapping[str, int]
    instruments: tuple[str, ...]
    progression: tuple[int, ...]
    levels: tuple[Level, ...]
    affect_words: str
    why: str
    start_tick: int = 0
    end_tick: int = 0
    tempo_bpm: float = 0.0
    chords: tuple[Chord, ...] = ()

    def level_at(self, tick: int) -> Level:
        """The level of the beat sounding at ``tick`` (the first before the cue starts)."""
        index = bisect.bisect_right([level.start_tick for level in self.levels], tick) - 1
        return self.levels[max(index, 0)]


def _dynamics_word(intensity: float) -> str:
    return next(word for limit, word in DYNAMICS if intensity < limit)


def section_affect(beats: Sequence[PlannedBeat]) -> Affect:
    """One affect for a section: its beats' valence, arousal, dominance and intensity
    weighted by their length, each emotion at its strongest in the section (its colour), and
    the function of its most intense beat."""
    weights = np.array([max(beat.frames, 1) for beat in beats], dtype=float)

    def mean(values: Sequence[float]) -> float:
        return float(np.average(values, weights=weights))

    names = sorted({name for beat in beats for name in beat.affect.emotions})
    strongest = max(beats, key=lambda beat: beat.affect.intensity)
    return Affect(
        mean([b.affect.valence for b in beats]),
        mean([b.affect.arousal for b in beats]),
        mean([b.affect.dominance for b in beats]),
        mean([b.affect.intensity for b in beats]),
        {name: max(b.affect.emotions.get(name, 0.0) for b in beats) for name in names},
        strongest.affect.function,
    )


def _orchestrate(affect: Affect) -> tuple[tuple[str, ...], dict[str, int], list[str], list[str]]:
    """Groups, programs, instrument names and the reasons, by emotion and function; every cue
    gets a moving part (piano or pulse), which carries the build in density."""
    e = affect.emotions
    fear, anger, sadness = e.get("fear", 0.0), e.get("anger", 0.0), e.get("sadness", 0.0)
    tender = max(e.get("joy", 0.0), e.get("trust", 0.0))
    function = affect.function
    groups = ["strings"]
    reasons: list[str] = []
    instruments: list[str] = []
    if fear >= EMOTION_CUE or function in ("suspense", "threat"):
        programs = {"strings": PROGRAM_TREMOLO}
        instruments.append("tremolo strings")
        reasons.append("tremolo strings for fear")
    elif sadness >= EMOTION_CUE or function in ("intimacy", "grief", "isolation"):
        programs = {"strings": PROGRAM_SLOW_STRINGS}
        instruments.append("sustained slow strings")
        reasons.append("sustained strings for sadness or intimacy")
    else:
        programs = {"strings": PROGRAM_STRINGS}
        instruments.append("string ensemble")
        reasons.append("a string bed")
    instruments.append("contrabass")
    calm_enough = affect.arousal < AROUSAL_DRIVING + 0.2
    if (tender >= EMOTION_CUE and calm_enough) or function in ("intimacy", "establishing", "grief"):
        groups.append("piano")
        instruments.append("piano")
        reasons.append("piano for tenderness")
    threat = function in ("threat", "confrontation", "attack") or anger >= EMOTION_CUE
    if threat or affect.dominance >= POWER_DOMINANCE or function == "triumph":
        groups.append("brass")
        if affect.valence > 0.0:
            programs["brass"] = PROGRAM_BRASS_SECTION
            instruments.append("brass section")
            reasons.append("brass for power and triumph")
        else:
            programs["brass"] = PROGRAM_TUBA if fear >= anger else PROGRAM_TROMBONE
            instruments.append("tuba" if fear >= anger else "trombones")
            reasons.append("low brass for threat")
    suspense = function in ("suspense", "chase", "threat", "action")
    if suspense or e.get("anticipation", 0.0) >= EMOTION_CUE or fear >= EMOTION_CUE:
        groups.append("pulse")
        instruments.append("synth-bass ostinato")
        reasons.append("an ostinato pulse for suspense")
    if "piano" not in groups and "pulse" not in groups:
        moving = "pulse" if affect.arousal >= 0.0 else "piano"
        groups.append(moving)
        instruments.append("synth-bass ostinato" if moving == "pulse" else "piano")
        reasons.append(f"a {moving} to carry the build")
    if affect.arousal >= AROUSAL_PERCUSSION or function in ("attack", "chase", "action"):
        groups.append("percussion")
        instruments.extend(["toms and kick", "timpani"])
        reasons.append(f"percussion for high arousal {affect.arousal:+.2f}")
    return tuple(groups), programs, instruments, reasons


def _levels(
    beats: Sequence[PlannedBeat], build: Sequence[float], fps: int, arousal: float, register: int
) -> tuple[Level, ...]:
    """Per beat: dynamics from its intensity, density and register (above the cue's
    ``register``) from the build."""
    base = 0 if arousal < AROUSAL_CALM else 1
    low_v, high_v = VELOCITY_RANGE
    low_x, high_x = EXPRESSION_RANGE
    levels = []
    for beat, rise in zip(beats, build, strict=True):
        intensity = float(np.clip(beat.affect.intensity, 0.0, 1.0))
        step = min(len(DENSITIES) - 1, base + round(BUILD_DENSITY_STEPS * rise))
        levels.append(
            Level(
                beat=beat.index,
                start_s=beat.start_frame / fps,
                intensity=intensity,
                build=rise,
                velocity=round(low_v + (high_v - low_v) * intensity),
                expression=round(low_x + (high_x - low_x) * intensity),
                dynamics=_dynamics_word(intensity),
                density=DENSITIES[step],
                register=register + round(BUILD_REGISTER * rise),
            )
        )
    return tuple(levels)


def _shape_words(levels: Sequence[Level], role: str) -> str:
    """How the cue's dynamics and texture move, in words."""
    first, last = levels[0], levels[-1]
    loudest = max(levels, key=lambda level: level.intensity)
    shape = {
        "build": "builds toward the peak",
        "peak": f"peaks at beat {loudest.beat + 1}",
        "release": "releases after the peak",
    }[role]
    return (
        f"{shape}: {first.dynamics} to {last.dynamics} (loudest {loudest.dynamics} at beat "
        f"{loudest.beat + 1}, intensity {loudest.intensity:.2f}), {first.density} to "
        f"{last.density} notes a quarter, voicing {first.register:+d} to {last.register:+d} "
        "semitones"
    )


def design_cue(
    number: int,
    section: Section,
    beats: Sequence[PlannedBeat],
    build: Sequence[float],
    fps: int,
    tonic: int,
    rng: np.random.Generator,
) -> Cue:
    """The cue for one section (its ``beats`` re-timed to tile it), before the tempo map
    places it in ticks."""
    affect = section_affect(beats)
    mode, mode_why = choose_mode(affect)
    arousal = float(np.clip(affect.arousal, -1.0, 1.0))
    tempo = TEMPO_SLOWEST_BPM + (TEMPO_FASTEST_BPM - TEMPO_SLOWEST_BPM) * (arousal + 1.0) / 2
    tension = tension_of(affect)
    anger = affect.emotions.get("anger", 0.0)
    sadness = affect.emotions.get("sadness", 0.0)
    base_register = round(VALENCE_REGISTER * affect.valence)
    meter = 3 if affect.function in ("intimacy", "grief") or sadness >= 0.5 else 4
    groups, programs, instruments, orchestra_why = _orchestrate(affect)
    choices = PROGRESSIONS[mode]
    progression = choices[int(rng.integers(len(choices)))]
    colour = (
        "a semitone cluster"
        if tension >= TENSION_CLUSTER
        else "a b9 or tritone"
        if tension >= TENSION_CLASH
        else "an added 9th"
        if tension >= TENSION_NINTH
        else "plain triads"
    )
    levels = _levels(beats, build, fps, arousal, base_register)
    top = sorted(affect.emotions.items(), key=lambda item: (-item[1], item[0]))[:2]
    feeling = ", ".join(f"{name} {value:.2f}" for name, value in top if value > 0)
    affect_words = (
        f"{affect.function}; valence {affect.valence:+.2f}, arousal {affect.arousal:+.2f}, "
        f"dominance {affect.dominance:+.2f}, intensity {affect.intensity:.2f}"
        + (f"; {feeling}" if feeling else "")
    )
    first, last = beats[0].index + 1, beats[-1].index + 1
    span = f"beat {first}" if first == last else f"beats {first}-{last}"
    why = (
        f"A new cue because {section.turn}. {mode_why}; about {tempo:.0f} bpm for the "
        f"section's arousal {arousal:+.2f}, held for the whole cue; {colour} from tension "
        f"{tension:.2f}; {', '.join(orchestra_why)}. It {_shape_words(levels, section.role)}."
    )
    return Cue(
        number=number,
        beats=tuple(beat.index for beat in beats),
        role=section.role,
        section=f"C{number} {section.role}, {span}",
        start_s=beats[0].start_frame / fps,
        end_s=(beats[-1].start_frame + beats[-1].frames) / fps,
        mode=mode,
        key=key_name(tonic, mode),
        arousal=arousal,
        tempo_target_bpm=tempo,
        meter=meter,
        tension=tension,
        anger=anger,
        groups=groups,
        programs=programs,
        instruments=tuple(instruments),
        progression=progression,
        levels=levels,
        affect_words=affect_words,
        why=why,
    )
