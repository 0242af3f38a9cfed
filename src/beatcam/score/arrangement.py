"""Cues: one per beat, with tempo, density, dynamics, register and instruments read from affect.

Every decision keeps its reason in words, so score.json can say why a cue sounds as it does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np

from beatcam.model import PlannedBeat
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

GROUPS: Final = ("strings", "piano", "brass", "pulse", "percussion")

TEMPO_SLOWEST_BPM: Final = 56.0  # at arousal -1
TEMPO_FASTEST_BPM: Final = 160.0  # at arousal +1
# Notes per quarter for the moving parts (piano, pulse) by arousal band.
DENSITY_CALM, DENSITY_MOVING, DENSITY_DRIVING = 1, 2, 4
AROUSAL_CALM: Final = -0.3
AROUSAL_DRIVING: Final = 0.3
AROUSAL_PERCUSSION: Final = 0.4
ENERGY_FROM_INTENSITY: Final = 0.6  # the rest of a cue's energy comes from arousal
VELOCITY_RANGE: Final = (52, 118)
EXPRESSION_RANGE: Final = (72, 127)  # narrow enough that a quiet cue stays audible
DYNAMICS: Final = ((0.15, "pp"), (0.3, "p"), (0.45, "mp"), (0.6, "mf"), (0.8, "f"), (1.01, "ff"))
EMOTION_CUE: Final = 0.3  # an emotion this strong shapes the orchestration
POWER_DOMINANCE: Final = 0.4

# General MIDI programs (0-based) the arrangement chooses from.
PROGRAM_STRINGS, PROGRAM_SLOW_STRINGS, PROGRAM_TREMOLO = 48, 49, 44
PROGRAM_TUBA, PROGRAM_TROMBONE, PROGRAM_BRASS_SECTION = 58, 57, 61


@dataclass(frozen=True)
class Cue:
    """The music under one beat. Times in seconds at the edges, ticks in the core."""

    beat: int
    section: str
    start_s: float
    end_s: float
    mode: str
    key: str
    arousal: float
    tempo_target_bpm: float
    meter: int
    density: int
    energy: float
    velocity: int
    expression: int
    dynamics: str
    tension: float
    anger: float
    register: int
    groups: tuple[str, ...]
    programs: Mapping[str, int]
    instruments: tuple[str, ...]
    progression: tuple[int, ...]
    affect_words: str
    why: str
    start_tick: int = 0
    end_tick: int = 0
    tempo_bpm: float = 0.0
    chords: tuple[Chord, ...] = ()


def _energy(intensity: float, arousal: float) -> float:
    return ENERGY_FROM_INTENSITY * intensity + (1.0 - ENERGY_FROM_INTENSITY) * (arousal + 1.0) / 2


def _dynamics_word(energy: float) -> str:
    return next(word for limit, word in DYNAMICS if energy < limit)


def _orchestrate(beat: PlannedBeat) -> tuple[tuple[str, ...], dict[str, int], list[str], list[str]]:
    """Groups, programs, instrument names and the reasons, by emotion and function."""
    affect = beat.affect
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
    if affect.arousal >= AROUSAL_PERCUSSION or function in ("attack", "chase", "action"):
        groups.append("percussion")
        instruments.extend(["toms and kick", "timpani"])
        reasons.append(f"percussion for high arousal {affect.arousal:+.2f}")
    return tuple(groups), programs, instruments, reasons


def design_cue(beat: PlannedBeat, fps: int, tonic: int, rng: np.random.Generator) -> Cue:
    """The cue for one beat, before the tempo map places it in ticks."""
    affect = beat.affect
    mode, mode_why = choose_mode(affect)
    arousal = float(np.clip(affect.arousal, -1.0, 1.0))
    tempo = TEMPO_SLOWEST_BPM + (TEMPO_FASTEST_BPM - TEMPO_SLOWEST_BPM) * (arousal + 1.0) / 2
    density = (
        DENSITY_CALM
        if arousal < AROUSAL_CALM
        else DENSITY_MOVING
        if arousal < AROUSAL_DRIVING
        else DENSITY_DRIVING
    )
    energy = float(np.clip(_energy(affect.intensity, arousal), 0.0, 1.0))
    low_v, high_v = VELOCITY_RANGE
    low_x, high_x = EXPRESSION_RANGE
    tension = tension_of(affect)
    anger = affect.emotions.get("anger", 0.0)
    sadness = affect.emotions.get("sadness", 0.0)
    register = round(5 * affect.valence) - (5 if affect.function in ("threat", "grief") else 0)
    meter = 3 if affect.function in ("intimacy", "grief") or sadness >= 0.5 else 4
    groups, programs, instruments, orchestra_why = _orchestrate(beat)
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
    dynamics = _dynamics_word(energy)
    top = sorted(affect.emotions.items(), key=lambda item: (-item[1], item[0]))[:2]
    feeling = ", ".join(f"{name} {value:.2f}" for name, value in top if value > 0)
    affect_words = (
        f"{affect.function}; valence {affect.valence:+.2f}, arousal {affect.arousal:+.2f}, "
        f"dominance {affect.dominance:+.2f}, intensity {affect.intensity:.2f}"
        + (f"; {feeling}" if feeling else "")
    )
    why = (
        f"{mode_why}; about {tempo:.0f} bpm and {density} note(s) a quarter from arousal "
        f"{arousal:+.2f}; {dynamics} from intensity {affect.intensity:.2f}; {colour} from "
        f"tension {tension:.2f}; {', '.join(orchestra_why)}"
    )
    return Cue(
        beat=beat.index,
        section=f"B{beat.index + 1} {affect.function}",
        start_s=beat.start_frame / fps,
        end_s=(beat.start_frame + beat.frames) / fps,
        mode=mode,
        key=key_name(tonic, mode),
        arousal=arousal,
        tempo_target_bpm=tempo,
        meter=meter,
        density=density,
        energy=energy,
        velocity=round(low_v + (high_v - low_v) * energy),
        expression=round(low_x + (high_x - low_x) * energy),
        dynamics=dynamics,
        tension=tension,
        anger=anger,
        register=register,
        groups=groups,
        programs=programs,
        instruments=tuple(instruments),
        progression=progression,
        affect_words=affect_words,
        why=why,
    )
