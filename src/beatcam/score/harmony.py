"""Keys, modes and chords: valence picks the mode, fear and anger colour the chords.

Pitches are MIDI note numbers (60 = middle C); pitch classes are 0..11 with 0 = C. Every cue
of a score shares one tonic (parallel modes), so a change of mood changes the colour of the
harmony without a jarring change of key centre.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from beatcam.model import Affect

NOTE_NAMES: Final = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")

# Scale steps above the tonic for each mode the score can speak.
MODES: Final[Mapping[str, tuple[int, ...]]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "whole-tone": (0, 2, 4, 6, 8, 10),
    "diminished": (0, 1, 3, 4, 6, 7, 9, 10),
}
MAJOR_FAMILY: Final = frozenset({"major", "lydian", "mixolydian"})
MINOR_FAMILY: Final = frozenset({"minor", "dorian", "phrygian"})

# Chord progressions as scale degrees (0 = tonic), one chord a bar; cues pick one by seed.
PROGRESSIONS: Final[Mapping[str, tuple[tuple[int, ...], ...]]] = {
    "major": ((0, 5, 3, 4), (0, 3, 4, 0), (0, 4, 5, 3)),
    "lydian": ((0, 1, 0, 4), (0, 1, 5, 0)),
    "mixolydian": ((0, 6, 3, 0), (0, 3, 6, 0)),
    "dorian": ((0, 3, 0, 6), (0, 6, 3, 0)),
    "minor": ((0, 3, 5, 4), (0, 3, 0, 5), (0, 5, 3, 4)),
    "phrygian": ((0, 3, 0, 1), (0, 0, 3, 1)),
    "whole-tone": ((0, 1, 0, 2), (0, 2, 1, 0)),
    "diminished": ((0, 1, 0, 1), (0, 1, 1, 0)),
}

VALENCE_BRIGHT: Final = 0.15  # at or above: a major-family mode
VALENCE_DARK: Final = -0.15  # at or below: a minor-family mode
DREAD_FEAR: Final = 0.4  # fear this strong, and leading the negative emotions, turns phrygian
AWE_SURPRISE: Final = 0.4  # surprise this strong on a bright beat opens to lydian
DIMINISHED_SURPRISE: Final = 0.5  # surprise plus fear this strong: octatonic colour
TENSION_NINTH: Final = 0.3  # from here an added 9th
TENSION_CLASH: Final = 0.5  # from here a b9 (fear) or a tritone (anger) instead
TENSION_CLUSTER: Final = 0.75  # from here a semitone cluster on top


def choose_mode(affect: Affect) -> tuple[str, str]:
    """The mode for a beat and the reason in words."""
    emotions = affect.emotions
    fear, surprise = emotions.get("fear", 0.0), emotions.get("surprise", 0.0)
    if affect.function == "disorientation":
        return "whole-tone", "whole-tone colour for disorientation"
    if fear >= DREAD_FEAR and surprise >= DIMINISHED_SURPRISE:
        return (
            "diminished",
            f"diminished colour for shock (fear {fear:.2f}, surprise {surprise:.2f})",
        )
    if affect.valence >= VALENCE_BRIGHT:
        if affect.function == "awe" or surprise >= AWE_SURPRISE:
            return "lydian", f"lydian for awe (valence {affect.valence:+.2f})"
        if affect.dominance > 0.0 and affect.function == "triumph":
            return "mixolydian", f"mixolydian for triumph (valence {affect.valence:+.2f})"
        return "major", f"major for positive valence {affect.valence:+.2f}"
    if affect.valence <= VALENCE_DARK:
        negatives = {name: emotions.get(name, 0.0) for name in ("fear", "sadness", "anger")}
        if fear >= DREAD_FEAR and fear >= max(negatives.values()):
            return (
                "phrygian",
                f"phrygian for dread (valence {affect.valence:+.2f}, fear {fear:.2f})",
            )
        return "minor", f"minor for negative valence {affect.valence:+.2f}"
    return "dorian", f"dorian for a neutral valence {affect.valence:+.2f}"


def tension_of(affect: Affect) -> float:
    """Harmonic tension in [0, 1]: fear and anger drive it, disgust a little."""
    emotions = affect.emotions
    raw = max(
        emotions.get("fear", 0.0), emotions.get("anger", 0.0), 0.5 * emotions.get("disgust", 0.0)
    )
    return min(1.0, max(0.0, raw))


def key_name(tonic: int, mode: str) -> str:
    return f"{NOTE_NAMES[tonic % 12]} {mode}"


@dataclass(frozen=True)
class Chord:
    """A chord as pitch classes, root first, with a readable symbol."""

    root: int
    pitch_classes: tuple[int, ...]
    symbol: str


def chord(tonic: int, mode: str, degree: int, tension: float, anger: float) -> Chord:
    """The chord on a scale degree: stacked scale thirds plus the colour tension asks for."""
    scale = MODES[mode]
    steps = len(scale)
    tones = [(tonic + scale[(degree + 2 * k) % steps]) % 12 for k in range(3)]
    root = tones[0]
    third = (tones[1] - root) % 12
    fifth = (tones[2] - root) % 12
    quality = {(4, 7): "", (3, 7): "m", (3, 6): "dim", (4, 8): "aug"}.get((third, fifth), "")
    extras: list[int] = []
    colour = ""
    if mode == "diminished":
        extras.append((root + 9) % 12)
        colour = "7"
    if tension >= TENSION_CLASH:
        clash, name = (
            ((root + 6) % 12, "+#11") if anger > 0.5 * tension else ((root + 1) % 12, "b9")
        )
        extras.append(clash)
        colour += name
    elif tension >= TENSION_NINTH:
        extras.append((tonic + scale[(degree + 1) % steps]) % 12)
        colour += "add9"
    if tension >= TENSION_CLUSTER:
        extras.append((root + 2) % 12)
        colour += "+cluster"
    pcs: list[int] = []
    for pc in tones + extras:
        if pc not in pcs:
            pcs.append(pc)
    return Chord(root, tuple(pcs), f"{NOTE_NAMES[root]}{quality}{colour}")


def voice(
    pitch_classes: Sequence[int], low: int, high: int, previous: Sequence[int]
) -> tuple[int, ...]:
    """Place a chord's pitch classes in [low, high] moving as little as possible from
    ``previous`` (smooth voice leading); with no previous chord, the lowest closed voicing."""
    candidates: list[tuple[int, ...]] = []
    count = len(pitch_classes)
    for inversion in range(count):
        order = list(pitch_classes[inversion:]) + list(pitch_classes[:inversion])
        for start in range(low, low + 12):
            if start % 12 != order[0]:
                continue
            notes = [start]
            for pc in order[1:]:
                step = (pc - notes[-1]) % 12 or 12
                notes.append(notes[-1] + step)
            if notes[-1] <= high:
                candidates.append(tuple(notes))
    if not candidates:
        base = low - low % 12
        return tuple(
            sorted(base + pc if base + pc >= low else base + 12 + pc for pc in pitch_classes)
        )
    if not previous:
        return min(candidates, key=lambda notes: (notes[0], notes))

    def distance(notes: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
        forward = sum(min(abs(n - p) for p in previous) for n in notes)
        backward = sum(min(abs(p - n) for n in notes) for p in previous)
        return forward + backward, notes

    return min(candidates, key=distance)
