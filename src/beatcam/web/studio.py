"""What the studio plans: scene text read by beatcam's own readers, with the director's pins.

A project is its history of edits, replayed up to a cursor (so undo and redo are moves of the
cursor): a ``text`` edit sets the scene text, its format and the style; a ``pin`` edit pins
parts of any one shot, by its beat and its place in the beat (``Beat.shot_pins``; its why says
"pinned in the studio"), and may ask the shot for a length (``Beat.shot_seconds``, with the
beat's seconds set so that its other shots keep theirs). A pin rides its beat and place by
position, so it outlives a rewrite of the text while that shot exists.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

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

T = TypeVar("T")


@dataclass(frozen=True)
class State:
    """A project at a point of its history: the text, its format, the style, the pins by
    (scene index, beat index, place of the shot in its beat), the seconds set for beats by
    (scene index, beat index), and the lengths asked of shots by the pins' key."""

    text: str
    format: str
    style: str
    pins: Mapping[tuple[int, int, int], ShotPin] = field(default_factory=dict)
    seconds: Mapping[tuple[int, int], float] = field(default_factory=dict)
    lengths: Mapping[tuple[int, int, int], float] = field(default_factory=dict)


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
        beat = (int(edit["scene"]), int(edit["beat"]))
        # Edits made before any shot could be pinned have no slot: they held the first shot.
        where = (*beat, int(edit.get("slot", 0)))
        pins = dict(state.pins)
        pins[where] = replace(pins.get(where, ShotPin()), **edit["pin"])
        seconds, lengths = dict(state.seconds), dict(state.lengths)
        if edit.get("seconds") is not None:
            seconds[beat] = float(edit["seconds"])
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
        for index, beat in enumerate(beats):
            pins = _by_slot(state.pins, number, index)
            lengths = _by_slot(state.lengths, number, index)
            beats[index] = replace(
                beat,
                seconds=state.seconds.get((number, index), beat.seconds),
                shot_pins=tuple((slot, replace(pin, pinned=PINNED_HERE)) for slot, pin in pins),
                shot_seconds=lengths,
            )
        edited.append(replace(scene, beats=tuple(beats)))
    return tuple(edited)


def _by_slot(
    keyed: Mapping[tuple[int, int, int], T], scene: int, beat: int
) -> tuple[tuple[int, T], ...]:
    """The values ``keyed`` holds for one beat, as (place in the beat, value) in place order."""
    return tuple(sorted((k[2], v) for k, v in keyed.items() if k[:2] == (scene, beat)))


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
    """The edit that pins ``changes`` (size, angle, movement, lens_mm, seconds) on any shot,
    or with ``lock`` the whole shot as it stands with the changes on top; the pin is kept by
    the shot's beat and its place in the beat.

    ``seconds`` is the shot's new length: the beat grows or shrinks by the shot's change, so
    that its other shots keep their lengths, and the director gives the shot the length asked
    where the beat's split allows (``unkept`` says where it did not). Raises InputError with
    one line.
    """
    if not 0 <= scene < len(documents):
        raise InputError(f"no scene {scene + 1}; the project has {len(documents)}")
    shots = documents[scene]["shots"]
    shot = next((s for s in shots if s["id"] == shot_id), None)
    if shot is None:
        raise InputError(f"no shot {shot_id!r} in scene {scene + 1}")
    slot = [s["id"] for s in shots if s["beat"] == shot["beat"]].index(shot_id)
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
        fps = documents[scene]["fps"]
        others = documents[scene]["beats"][shot["beat"]]["frames"] - shot["frames"]
        seconds = round(min(max(asked + others / fps, SECONDS_RANGE[0]), SECONDS_RANGE[1]), 3)
    if not pin and seconds is None:
        raise InputError("nothing to change; give size, angle, movement, lens_mm or seconds")
    return {
        "kind": "pin",
        "scene": scene,
        "beat": shot["beat"],
        "slot": slot,
        "shot": shot_id,
        "pin": pin,
        "seconds": seconds,
        "shot_seconds": asked,
        "lock": lock,
    }


def unkept(documents: Sequence[Mapping[str, Any]], state: State) -> list[str]:
    """One line per pinned part the plan could not keep as pinned: the camera lengthens a
    pinned lens where the size cannot be framed on it from clear of the subject and the set;
    a beat made longer or shorter may be split into another number of shots, and a length
    that would leave the beat's other shots under the minimum is not given; a pin on a shot
    the beat no longer has (a rewrite, or a new split) holds nothing."""
    notes: list[str] = []
    for document, shots, slot, asked in _still_there(documents, state.lengths, "length", notes):
        got = shots[slot]["frames"] / document["fps"]
        if abs(got - asked) * document["fps"] > 1:
            notes.append(
                f"{shots[slot]['id']}: {asked:g} s asked, planned as {got:.1f} s, since its "
                f"beat is now covered in {len(shots)} shots"
            )
    for _, shots, slot, pin in _still_there(documents, state.pins, "pin", notes):
        shot = shots[slot]
        for part, wanted in vars(pin).items():
            if wanted is None or part not in shot:
                continue
            got = shot[part]
            differs = abs(got - wanted) > LENS_TOLERANCE_MM if part == "lens_mm" else got != wanted
            if differs:
                notes.append(f"{shot['id']}: {part} pinned at {wanted}, planned as {got}")
    return notes


def _still_there(
    documents: Sequence[Mapping[str, Any]],
    pinned: Mapping[tuple[int, int, int], T],
    what: str,
    notes: list[str],
) -> Iterator[tuple[Mapping[str, Any], list[Mapping[str, Any]], int, T]]:
    """Each pinned part whose shot the plan still has, with its scene's plan, its beat's shots
    and its place; a note for one on a shot its beat no longer has. A beat that is gone (a
    rewrite) is passed over: its pins wait for it."""
    for (scene, beat, slot), value in sorted(pinned.items(), key=lambda item: item[0]):
        shots = _beat_shots(documents, scene, beat)
        if slot >= len(shots) and shots:
            notes.append(_gone(beat, slot, len(shots), what))
        elif shots:
            yield documents[scene], shots, slot, value


def _beat_shots(
    documents: Sequence[Mapping[str, Any]], scene: int, beat: int
) -> list[Mapping[str, Any]]:
    """A beat's shots in order; none for a scene or beat the plan does not have."""
    if scene >= len(documents):
        return []
    return [s for s in documents[scene]["shots"] if s["beat"] == beat]


def _gone(beat: int, slot: int, count: int, what: str) -> str:
    return (
        f"beat {beat + 1}, shot {slot + 1}: the {what} holds nothing, since the beat is now "
        f"covered in {count} shot{'' if count == 1 else 's'}"
    )


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
