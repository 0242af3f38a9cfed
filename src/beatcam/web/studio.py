"""What the studio plans: scene text read by beatcam's own readers, with the director's pins.

A project is its history of edits, replayed up to a cursor (so undo and redo are moves of the
cursor): a ``text`` edit sets the scene text, its format and the style; a ``pin`` edit pins
parts of one beat's shot, as the YAML ``camera:`` key does (its why says "pinned in the
studio"), and may set the beat's seconds. A pin rides its beat by position, so it outlives a
rewrite of the text while that beat exists.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from beatcam.errors import InputError
from beatcam.model import Scene, ShotPlan
from beatcam.model.scene import ShotPin
from beatcam.model.vocab import ANGLES, FOCAL_MAX_MM, FOCAL_MIN_MM, MOVEMENTS, SIZES

# The name given to beatcam's reader picks the form, as a file's extension does on the CLI.
SOURCE_NAMES = {"txt": "scene.txt", "yaml": "scene.yaml", "fountain": "scene.fountain"}
# A beat's duration, as the YAML ``seconds:`` allows it.
SECONDS_RANGE = (0.1, 600.0)
CHOICES: Mapping[str, Sequence[str]] = {"size": SIZES, "angle": ANGLES, "movement": MOVEMENTS}
# What a lock pins: every part of the shot the director could otherwise change.
LOCKED_PARTS = ("size", "angle", "movement", "framing", "lens_mm", "dutch_deg")
# A pinned lens counts as kept within this (plan.json rounds to 5 decimals; lenses are sold
# in whole millimetres).
LENS_TOLERANCE_MM = 0.5
VIEW_DECIMALS = 4  # a tenth of a millimetre
# Where the studio's pins were set, in the words of a shot's why ("pinned in the studio").
PINNED_HERE = "in the studio"


@dataclass(frozen=True)
class State:
    """A project at a point of its history: the text, its format, the style, and the pins by
    (scene index, beat index) with the seconds set for beats and the length asked of their
    first shot (which those seconds were scaled to give)."""

    text: str
    format: str
    style: str
    pins: Mapping[tuple[int, int], ShotPin] = field(default_factory=dict)
    seconds: Mapping[tuple[int, int], float] = field(default_factory=dict)
    lengths: Mapping[tuple[int, int], float] = field(default_factory=dict)


def text_edit(text: str, form: str, style: str) -> dict[str, Any]:
    """The edit that sets a project's scene text; an unknown format is a one-line error."""
    if form not in SOURCE_NAMES:
        raise InputError(f"unknown format {form!r}; use one of: {', '.join(SOURCE_NAMES)}")
    return {"kind": "text", "text": text, "format": form, "style": style}


def replay(history: Sequence[Mapping[str, Any]]) -> State:
    """The state the edits make, in order (the first is always a text edit)."""
    state = State("", "txt", "classical")
    for edit in history:
        if edit["kind"] == "text":
            state = replace(state, text=edit["text"], format=edit["format"], style=edit["style"])
            continue
        where = (int(edit["scene"]), int(edit["beat"]))
        pins = dict(state.pins)
        pins[where] = replace(pins.get(where, ShotPin()), **edit["pin"])
        seconds, lengths = dict(state.seconds), dict(state.lengths)
        if edit.get("seconds") is not None:
            seconds[where] = float(edit["seconds"])
            lengths[where] = float(edit["shot_seconds"])
        state = replace(state, pins=pins, seconds=seconds, lengths=lengths)
    return state


def read(text: str, form: str) -> tuple[Scene, ...]:
    """The scenes of ``text`` in ``form``, read as the CLI reads a file of that kind."""
    from beatcam.script import read_scenes

    if form not in SOURCE_NAMES:
        raise InputError(f"unknown format {form!r}; use one of: {', '.join(SOURCE_NAMES)}")
    return read_scenes(SOURCE_NAMES[form], text.encode("utf-8"))


def scenes(state: State) -> tuple[Scene, ...]:
    """The state's scenes with its pins and seconds on their beats (pins on beats a rewrite
    removed are left out)."""
    edited = []
    for number, scene in enumerate(read(state.text, state.format)):
        beats = list(scene.beats)
        for (scene_index, beat_index), pin in state.pins.items():
            if scene_index == number and beat_index < len(beats):
                beat = beats[beat_index]
                studio_pin = replace(pin, pinned=PINNED_HERE)
                beats[beat_index] = replace(beat, pin=_merge(beat.pin, studio_pin))
        for (scene_index, beat_index), seconds in state.seconds.items():
            if scene_index == number and beat_index < len(beats):
                beats[beat_index] = replace(beats[beat_index], seconds=seconds)
        edited.append(replace(scene, beats=tuple(beats)))
    return tuple(edited)


def _merge(base: ShotPin, over: ShotPin) -> ShotPin:
    return replace(base, **{key: value for key, value in vars(over).items() if value is not None})


def plan_all(scene_list: Sequence[Scene], style: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Each scene's plan document as plan.json holds it (schema-checked), and what the 3D view
    needs beyond it (``view``), in order."""
    from beatcam.export.plan_json import dumps
    from beatcam.pipeline import ShootOptions
    from beatcam.pipeline.shooting import plan_task

    options = ShootOptions(style=style, stages=("plan",))
    plans = [plan_task(scene, options).plan for scene in scene_list]
    return [dumps(plan) for plan in plans], [view(plan) for plan in plans]


def view(plan: ShotPlan) -> dict[str, Any]:
    """What the 3D view needs beyond plan.json, from the renderer itself so that "look through
    the camera" draws what the previs draws: the picture's aspect, the clipping planes, and per
    character the costume colour, the posed eye point on every frame (the subject point the
    camera frames, and the centre of the rendered head) and the head's radii, in metres."""
    from beatcam.render.projection import FAR_M, NEAR_M, aspect_ratio
    from beatcam.render.scene import HEAD_RADII_RATIO, cast_colours

    names = [name for name, _ in plan.cast]
    cast = {}
    for (name, height), costume in zip(plan.cast, cast_colours(names), strict=True):
        eyes = np.round(plan.blocking[name].eyes(0, plan.frames), VIEW_DECIMALS)
        cast[name] = {
            "costume": [round(channel, VIEW_DECIMALS) for channel in costume],
            "eyes": eyes.tolist(),
            "head_radii": [round(ratio * height, VIEW_DECIMALS) for ratio in HEAD_RADII_RATIO],
        }
    return {
        "aspect_ratio": aspect_ratio(plan.aspect),
        "near_m": NEAR_M,
        "far_m": FAR_M,
        "cast": cast,
    }


def pin_edit(
    documents: Sequence[Mapping[str, Any]],
    scene: int,
    shot_id: str,
    changes: Mapping[str, Any],
    lock: bool,
) -> dict[str, Any]:
    """The edit that pins ``changes`` (size, angle, movement, lens_mm, seconds) on a shot, or
    with ``lock`` the whole shot as it stands with the changes on top.

    Pins are per beat (the YAML ``camera:`` key) and hold its first shot, so only a beat's
    first shot can be edited. ``seconds`` is the shot's new length: the director shares a
    beat's frames evenly among its shots, so the beat is scaled by the shot's change and its
    other shots keep their share of it (a beat of one shot is the shot). Raises InputError
    with one line.
    """
    if not 0 <= scene < len(documents):
        raise InputError(f"no scene {scene + 1}; the project has {len(documents)}")
    shots = documents[scene]["shots"]
    shot = next((s for s in shots if s["id"] == shot_id), None)
    if shot is None:
        raise InputError(f"no shot {shot_id!r} in scene {scene + 1}")
    first = next(s for s in shots if s["beat"] == shot["beat"])
    if first["id"] != shot_id:
        raise InputError(
            f"{shot_id} is a later shot of beat {shot['beat'] + 1}; pins hold a beat's first "
            f"shot ({first['id']}): edit that one"
        )
    pin: dict[str, Any] = {part: shot[part] for part in LOCKED_PARTS} if lock else {}
    for part, allowed in CHOICES.items():
        value = changes.get(part)
        if value is not None:
            if value not in allowed:
                raise InputError(f"unknown {part} {value!r}; use one of: {', '.join(allowed)}")
            pin[part] = value
    lens = changes.get("lens_mm")
    if lens is not None:
        pin["lens_mm"] = _number(lens, "lens_mm", FOCAL_MIN_MM, FOCAL_MAX_MM)
    seconds = asked = changes.get("seconds")
    if asked is not None:
        asked = _number(asked, "seconds", *SECONDS_RANGE)
        beat_seconds = asked * documents[scene]["beats"][shot["beat"]]["frames"] / shot["frames"]
        seconds = round(min(max(beat_seconds, SECONDS_RANGE[0]), SECONDS_RANGE[1]), 3)
    if not pin and seconds is None:
        raise InputError("nothing to change; give size, angle, movement, lens_mm or seconds")
    return {
        "kind": "pin",
        "scene": scene,
        "beat": shot["beat"],
        "shot": shot_id,
        "pin": pin,
        "seconds": seconds,
        "shot_seconds": asked,
        "lock": lock,
    }


def unkept(documents: Sequence[Mapping[str, Any]], state: State) -> list[str]:
    """One line per pinned part the plan could not keep as pinned: the camera lengthens a
    pinned lens where the size cannot be framed on it from clear of the subject and the set,
    and a beat made longer or shorter may be split into another number of shots, which share
    it (so its first shot is not the length asked)."""
    notes = []
    for (scene, beat), asked in sorted(state.lengths.items()):
        if scene >= len(documents):
            continue
        shots = [s for s in documents[scene]["shots"] if s["beat"] == beat]
        got = shots[0]["frames"] / documents[scene]["fps"] if shots else asked
        if abs(got - asked) * documents[scene]["fps"] > 1:
            notes.append(
                f"{shots[0]['id']}: {asked:g} s asked, planned as {got:.1f} s, since its beat "
                f"is now covered in {len(shots)} shots"
            )
    for (scene, beat), pin in sorted(state.pins.items()):
        if scene >= len(documents):
            continue
        shot = next((s for s in documents[scene]["shots"] if s["beat"] == beat), None)
        for part, wanted in vars(pin).items():
            if shot is None or wanted is None or part not in shot:
                continue
            got = shot[part]
            differs = abs(got - wanted) > LENS_TOLERANCE_MM if part == "lens_mm" else got != wanted
            if differs:
                notes.append(f"{shot['id']}: {part} pinned at {wanted}, planned as {got}")
    return notes


def _number(value: Any, what: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise InputError(f"{what} must be a number from {low:g} to {high:g}, not {value!r}")
    return float(value)


def documents_json(texts: Sequence[str]) -> str:
    """Plan documents as one JSON list, each kept byte for byte as plan.json writes it."""
    return "[" + ",".join(text.strip() for text in texts) + "]"


def load_documents(text: str) -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = json.loads(text)
    return documents
