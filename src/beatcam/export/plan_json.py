"""plan.json: the plan as one JSON document, validated against the shipped schema both ways.

Numbers are rounded to 5 decimals and keys keep the order of docs/design.md section 5, so the same
plan always gives the same bytes. Per-frame rows are written one per line, which keeps a
thousand-beat plan diffable without making it enormous.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from beatcam.errors import PlanFileError
from beatcam.export import schemas
from beatcam.files import Runs, write_atomic
from beatcam.model import (
    Affect,
    Blocking,
    CameraTrack,
    CharacterTrack,
    PlannedBeat,
    Prop,
    Provenance,
    Reason,
    SetBox,
    SetDesign,
    Shot,
    ShotIntent,
    ShotPlan,
)
from beatcam.model.setups import Setup, rig_for, setup_of
from beatcam.model.vocab import (
    ANGLES,
    EMOTIONS,
    FRAMINGS,
    FUNCTIONS,
    INTENTS,
    MOVEMENTS,
    SIZES,
)

FORMAT_VERSION = "1"
DECIMALS = 5
FILE_NAME = "plan.json"


REASON_SCORED = ("rules", "sequence")  # Reason fields holding (rule name, score) pairs


def schema() -> dict[str, Any]:
    """The JSON Schema every plan.json is checked against (``beatcam schema`` prints it)."""
    return schemas.load("plan")


def _number(value: float) -> float | int:
    rounded = round(float(value), DECIMALS)
    return 0.0 if rounded == 0 else rounded


@dataclass(frozen=True)
class _PerFrame:
    """A per-frame array as the writer holds it: numbers rounded to DECIMALS, each run of
    equal rows once with its length in ``runs`` (``_rows``), or one word per frame (``runs``
    None). Kept whole rather than listed, so that checking it (``_check_rows``) reads the
    array and writing it (``_frames_text``) formats each run of equal rows once: a chair stands
    still for the whole scene and a camera holds still for most of it, and a 2,000-beat plan
    has some 40 props and 2,000 shots of 250,000 frames."""

    rows: np.ndarray | tuple[str | None, ...]
    runs: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.rows) if self.runs is None else int(self.runs.sum())

    def head(self) -> list[Any]:
        """The first row as JSON data (none for no frames), for the schema check."""
        return list(self.rows[:1]) if isinstance(self.rows, tuple) else self.rows[:1].tolist()


def _rows(array: np.ndarray) -> _PerFrame:
    """The array's rows rounded, each run of equal rows once: found before rounding (rows
    equal before are equal after) and joined where they round alike, so a chair's quarter of a
    million rows are rounded and checked as one (issue 19)."""
    values = np.asarray(array, dtype=np.float64)
    if not len(values):
        return _PerFrame(values + 0.0, np.zeros(0, dtype=np.intp))
    starts = run_starts(values.reshape(len(values), -1))
    rounded = np.round(values[starts], DECIMALS) + 0.0
    kept = run_starts(rounded.reshape(len(rounded), -1))
    lengths = np.diff(np.append(starts, len(values)))
    return _PerFrame(rounded[kept], np.add.reduceat(lengths, kept))


def _beliefs(belief: Mapping[str, float], vocabulary: Sequence[str]) -> dict[str, float]:
    """The values ``belief`` holds, in the vocabulary's order (those left out are not read)."""
    return {name: _number(belief[name]) for name in vocabulary if name in belief}


def _affect(affect: Affect) -> dict[str, Any]:
    return {
        "valence": _number(affect.valence),
        "arousal": _number(affect.arousal),
        "dominance": _number(affect.dominance),
        "intensity": _number(affect.intensity),
        "emotions": {name: _number(affect.emotions.get(name, 0.0)) for name in EMOTIONS},
        "function": affect.function,
        "characters": list(affect.characters),
        "actions": list(affect.actions),
        "stagings": list(affect.stagings),
        "walkers": list(affect.walkers),
        "objects": list(affect.objects),
        "evidence": list(affect.evidence),
        "function_belief": _beliefs(affect.function_belief, FUNCTIONS),
        "intent_belief": _beliefs(affect.intent_belief, INTENTS),
        "size_belief": _beliefs(affect.size_belief, SIZES),
        "angle_belief": _beliefs(affect.angle_belief, ANGLES),
        "movement_belief": _beliefs(affect.movement_belief, MOVEMENTS),
        "framing_belief": _beliefs(affect.framing_belief, FRAMINGS),
    }


def _reason(reason: Reason) -> dict[str, Any]:
    """The why as data, in the field order of ``Reason`` (scored rules as [name, score])."""
    document: dict[str, Any] = {}
    for name, value in vars(reason).items():
        if name in REASON_SCORED:
            document[name] = [[rule, _number(score)] for rule, score in value]
        elif isinstance(value, float):
            document[name] = _number(value)
        else:
            document[name] = list(value) if isinstance(value, tuple) else value
    return document


def _reason_from(document: Mapping[str, Any]) -> Reason:
    values = dict(document)
    for name in REASON_SCORED:
        values[name] = tuple((str(rule), float(score)) for rule, score in values[name])
    for name in ("evidence", "failed"):
        values[name] = tuple(values[name])
    return Reason(**values)


def _shot(shot: Shot, setup: Setup) -> dict[str, Any]:
    """One shot; its ``rig`` and ``setup`` are read off the tracks (``model.setups``), so the
    reader recomputes them rather than trusting the file."""
    shows = {"shows": shot.shows} if shot.shows else {}
    return {
        "id": shot.id,
        "beat": shot.beat,
        "start_frame": shot.start_frame,
        "frames": shot.frames,
        "size": shot.size,
        "end_size": shot.end_size,
        "angle": shot.angle,
        "dutch_deg": _number(shot.dutch_deg),
        "movement": shot.movement,
        "framing": shot.framing,
        "transition": shot.transition,
        "subjects": list(shot.subjects),
        **shows,
        "lens_mm": _number(shot.lens_mm),
        "rig": rig_for(shot),
        "setup": setup.id,
        "azimuth_deg": _number(shot.azimuth_deg),
        "side": shot.side,
        "why": shot.why,
        "intent": (
            {"name": shot.intent.name, "confidence": _number(shot.intent.confidence)}
            if shot.intent
            else None
        ),
        "reason": _reason(shot.reason),
        "camera": {
            "position": _rows(shot.camera.position),
            "rotation": _rows(shot.camera.rotation),
            "focal_mm": _rows(shot.camera.focal_mm),
            "focus_m": _rows(shot.camera.focus_m),
        },
    }


def to_document(plan: ShotPlan) -> dict[str, Any]:
    """The plan as plain JSON-ready data, in the contract's key order."""
    setups = setup_of(plan.setups)
    return {
        "beatcam": FORMAT_VERSION,
        "title": plan.title,
        "fps": plan.fps,
        "seed": plan.seed,
        "style": plan.style,
        "aspect": plan.aspect,
        "sensor_mm": [_number(v) for v in plan.sensor_mm],
        "resolution": list(plan.resolution),
        "cast": [{"name": name, "height_m": _number(height)} for name, height in plan.cast],
        "set": {
            "preset": plan.set.preset,
            "boxes": [
                {
                    "name": box.name,
                    "center": [_number(v) for v in box.center],
                    "size": [_number(v) for v in box.size],
                }
                for box in plan.set.boxes
            ],
            "props": [
                {
                    "name": prop.name,
                    "held_by": prop.held_by,
                    "position": _rows(prop.position),
                    "facing_deg": _rows(prop.facing_deg),
                    "holder": _PerFrame(tuple(prop.holder)),
                }
                for prop in plan.set.props
            ],
        },
        "beats": [
            {
                "index": beat.index,
                "text": beat.text,
                "start_frame": beat.start_frame,
                "frames": beat.frames,
                "speaker": beat.speaker,
                "affect": _affect(beat.affect),
            }
            for beat in plan.beats
        ],
        "blocking": {
            name: {
                "position": _rows(track.position),
                "facing_deg": _rows(track.facing_deg),
                "pose": _PerFrame(tuple(track.pose)),
                "look_at": _PerFrame(tuple(track.look_at)),
            }
            for name, track in plan.blocking.tracks.items()
        },
        "shots": [_shot(shot, setups[shot.id]) for shot in plan.shots],
        "provenance": {
            "beatcam_version": plan.provenance.beatcam_version,
            "input_sha256": plan.provenance.input_sha256,
            "models": [dict(model) for model in plan.provenance.models],
            "network": plan.provenance.network,
        },
    }


# json.dumps(value, ensure_ascii=False) without building an encoder per call.
_scalar = json.JSONEncoder(ensure_ascii=False).encode

# A piece of plan.json's text: once, or (text, times) repeated (a run of equal rows).
Piece = str | tuple[str, int]


def _encode(value: Any, depth: int, out: list[Piece]) -> None:
    """Append to ``out`` the JSON text of ``value`` with two-space indents, but a per-frame row
    (a list of numbers) on one line. Appended in pieces and joined once (``runs``): joined at
    every level, a long plan's half a gigabyte of text was copied once per level.

    A number, a word and a dict are told by their type first, before asking whether a value is
    a ``Mapping`` (an abstract class's check): the 2,000-beat bench plan's plan.json, in
    process, 1.22 -> 1.14 s of CPU."""
    kind = type(value)
    if kind is int or (kind is float and math.isfinite(value)):
        out.append(repr(value))  # as json.dumps writes them, without its calls
        return
    if kind is str:
        out.append(_scalar(value))
        return
    pad = "  " * (depth + 1)
    if kind is dict or isinstance(value, Mapping):
        if not value:
            out.append("{}")
            return
        opening = "{\n"
        for key, item in value.items():
            out.append(f"{opening}{pad}{_key(key)}: ")
            _encode(item, depth + 1, out)
            opening = ",\n"
        out.append("\n" + "  " * depth + "}")
    elif isinstance(value, _PerFrame):
        out += _frames_text(value, pad, "  " * depth)
    elif isinstance(value, list):
        if not value:
            out.append("[]")
        elif all(isinstance(item, int | float) and not isinstance(item, bool) for item in value):
            # Rounded finite floats and ints print the same with repr as with json.dumps.
            out.append("[" + ", ".join(map(repr, value)) + "]")
        else:
            opening = "[\n"
            for item in value:
                out.append(opening + pad)
                _encode(item, depth + 1, out)
                opening = ",\n"
            out.append("\n" + "  " * depth + "]")
    else:
        out.append(_scalar(value))


@functools.cache
def _key(key: str) -> str:
    """A key's JSON text: a plan has some twenty kinds of key, written 270,000 times at 2,000
    beats (issue 19)."""
    return json.dumps(key)


def _frames_text(frames: _PerFrame, pad: str, closing: str) -> list[Piece]:
    """The text json.dumps gives the rows (numbers as ``repr``), with each row of a 2-D array
    on its own line, as pieces: each run of equal rows is formatted once, a repeated piece."""
    rows = frames.rows
    if not len(rows):
        return ["[]"]
    if isinstance(rows, tuple) and rows.count(rows[0]) == len(rows):  # a chair's holder
        return ["[", *_repeated([json.dumps(rows[0])], [len(rows)], ", "), "]"]
    if isinstance(rows, tuple):
        distinct = list(set(rows))
        code = {word: index for index, word in enumerate(distinct)}
        codes = np.fromiter(map(code.__getitem__, rows), dtype=np.intp, count=len(rows))
        starts = run_starts(codes[:, None])
        texts = [json.dumps(distinct[index]) for index in codes[starts].tolist()]
        runs = np.diff(np.append(starts, len(rows))).tolist()
    else:  # a row a run already (``_rows``)
        if rows.ndim == 1:
            texts = [repr(number) for number in rows.tolist()]
        else:
            texts = ["[" + ", ".join(map(repr, row)) + "]" for row in rows.tolist()]
        assert frames.runs is not None
        runs = frames.runs.tolist()
    if isinstance(rows, tuple) or rows.ndim == 1:
        return ["[", *_repeated(texts, runs, ", "), "]"]
    return ["[\n" + pad, *_repeated(texts, runs, ",\n" + pad), "\n" + closing + "]"]


def run_starts(rows: np.ndarray) -> np.ndarray:
    """Where each run of equal rows of ``rows`` (n, k) starts (a NaN equals nothing)."""
    new = np.ones(len(rows), dtype=bool)
    new[1:] = np.any(rows[1:] != rows[:-1], axis=1)
    return np.flatnonzero(new)


def _repeated(texts: list[str], runs: list[int], separator: str) -> list[Piece]:
    """``separator.join`` of each text repeated its run's count of times, as pieces: each run
    its text and separator repeated, the last text alone (a chair standing still for 250,000
    frames is one piece)."""
    pieces: list[Piece] = [(text + separator, run) for text, run in zip(texts, runs, strict=True)]
    pieces[-1] = (texts[-1] + separator, runs[-1] - 1)
    pieces.append(texts[-1])
    return pieces


# Per-frame arrays: (columns, lowest, highest) for each; None columns means one number per row.
CAMERA_ARRAYS = {
    "position": (3, -np.inf, np.inf),
    "rotation": (4, -1.0, 1.0),
    "focal_mm": (None, 12.0, 300.0),
    "focus_m": (None, 0.0, np.inf),
}
BLOCKING_ARRAYS = {"position": (3, -np.inf, np.inf), "facing_deg": (None, -np.inf, np.inf)}
# Rotations are unit quaternions; rows rounded to 5 decimals stay far inside this.
QUATERNION_NORM_TOLERANCE = 1e-3


def _per_frame(document: Any) -> list[tuple[str, list[Any], tuple[int | None, float, float]]]:
    """(path, rows, shape and range) of every per-frame array in a schema-shaped document."""
    found = []
    if isinstance(document, dict):
        for name, track in (document.get("blocking") or {}).items():
            for key, spec in BLOCKING_ARRAYS.items():
                if isinstance(track, dict) and isinstance(track.get(key), list | _PerFrame):
                    found.append((f"blocking/{name}/{key}", track[key], spec))
        props = (
            document.get("set", {}).get("props") if isinstance(document.get("set"), dict) else None
        )
        for index, prop in enumerate(props if isinstance(props, list) else []):
            for key, spec in BLOCKING_ARRAYS.items():
                if isinstance(prop, dict) and isinstance(prop.get(key), list | _PerFrame):
                    found.append((f"set/props/{index}/{key}", prop[key], spec))
        for index, shot in enumerate(document.get("shots") or []):
            camera = shot.get("camera") if isinstance(shot, dict) else None
            for key, spec in CAMERA_ARRAYS.items():
                if isinstance(camera, dict) and isinstance(camera.get(key), list | _PerFrame):
                    found.append((f"shots/{index}/camera/{key}", camera[key], spec))
    return found


def _skeleton(document: Any) -> Any:
    """The document with every per-frame array cut to its first row, for the schema check:
    a schema walk over hundreds of thousands of rows would dominate the run time, and numpy
    checks all of them (``_check_rows``) against the same rules far faster."""
    if not isinstance(document, dict):
        return document
    skeleton = dict(document)
    skeleton["blocking"] = (
        {
            name: {key: _first_row(value) for key, value in track.items()}
            if isinstance(track, dict)
            else track
            for name, track in (document.get("blocking") or {}).items()
        }
        if isinstance(document.get("blocking"), dict)
        else document.get("blocking")
    )
    if isinstance(document.get("set"), dict) and isinstance(document["set"].get("props"), list):
        props = [
            {key: _first_row(value) for key, value in prop.items()}
            if isinstance(prop, dict)
            else prop
            for prop in document["set"]["props"]
        ]
        skeleton["set"] = {**document["set"], "props": props}
    if isinstance(document.get("shots"), list):
        shots = []
        for shot in document["shots"]:
            if isinstance(shot, dict) and isinstance(shot.get("camera"), dict):
                camera = {key: _first_row(value) for key, value in shot["camera"].items()}
                shot = {**shot, "camera": camera}
            shots.append(shot)
        skeleton["shots"] = shots
    return skeleton


def _first_row(value: Any) -> Any:
    if isinstance(value, _PerFrame):
        return value.head()
    return value[:1] if isinstance(value, list) else value


def _check_rows(document: Any, source: str | Path) -> None:
    for path, rows, (columns, lowest, highest) in _per_frame(document):
        try:
            held = rows.rows if isinstance(rows, _PerFrame) else rows
            array = held if isinstance(held, np.ndarray) else np.asarray(held, dtype=np.float64)
        except (TypeError, ValueError):
            raise PlanFileError(
                f"{path} must hold only numbers in rows of equal length", source
            ) from None
        if array.shape[1:] != ((columns,) if columns else ()):
            want = f"rows of {columns} numbers" if columns else "one number per frame"
            raise PlanFileError(f"{path} must hold {want}", source)
        if not np.all(np.isfinite(array)) or np.any(array < lowest) or np.any(array > highest):
            raise PlanFileError(f"{path} has a value outside {lowest}..{highest}", source)
        if path.endswith("/rotation"):
            norms = np.linalg.norm(array, axis=1)
            if np.any(np.abs(norms - 1.0) > QUATERNION_NORM_TOLERANCE):
                frame = int(np.argmax(np.abs(norms - 1.0)))
                if isinstance(rows, _PerFrame) and rows.runs is not None:
                    frame = int(rows.runs[:frame].sum())  # the first frame of that run
                raise PlanFileError(
                    f"{path} row {frame} is not a unit quaternion [w, x, y, z]", source
                )


def validate(document: Any, source: str | Path = "plan") -> None:
    """Raise PlanFileError naming the first place where ``document`` breaks the schema."""
    error = schemas.first_error("plan", _skeleton(document))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        raise PlanFileError(f"does not match the plan schema at {where}: {error.message}", source)
    _check_rows(document, source)


def runs(plan: ShotPlan) -> Runs:
    """The bytes of plan.json as runs (each long run of equal rows one run), after checking
    them against the schema."""
    document = to_document(plan)
    validate(document)
    out: list[Piece] = []
    _encode(document, 0, out)
    out.append("\n")
    return Runs.of_text(out)


def dumps(plan: ShotPlan) -> str:
    """The text of plan.json (``runs`` spelled out)."""
    return bytes(runs(plan)).decode("utf-8")


def write(plan: ShotPlan, out_dir: Path) -> list[Path]:
    return [write_atomic(out_dir / FILE_NAME, runs(plan))]


def _tuple3(values: list[float]) -> tuple[float, float, float]:
    return (float(values[0]), float(values[1]), float(values[2]))


def from_document(document: dict[str, Any], source: str | Path = "plan") -> ShotPlan:
    """Build a ShotPlan from a schema-valid document; consistency errors become PlanFileError."""
    validate(document, source)
    try:
        beats = tuple(
            PlannedBeat(
                index=beat["index"],
                text=beat["text"],
                start_frame=beat["start_frame"],
                frames=beat["frames"],
                speaker=beat.get("speaker"),
                affect=Affect(
                    valence=beat["affect"]["valence"],
                    arousal=beat["affect"]["arousal"],
                    dominance=beat["affect"]["dominance"],
                    intensity=beat["affect"]["intensity"],
                    emotions=dict(beat["affect"]["emotions"]),
                    function=beat["affect"]["function"],
                    characters=tuple(beat["affect"]["characters"]),
                    actions=tuple(beat["affect"]["actions"]),
                    objects=tuple(beat["affect"]["objects"]),
                    stagings=tuple(beat["affect"].get("stagings", ())),
                    walkers=tuple(beat["affect"].get("walkers", ())),
                    evidence=tuple(beat["affect"]["evidence"]),
                    function_belief=dict(beat["affect"].get("function_belief", {})),
                    intent_belief=dict(beat["affect"].get("intent_belief", {})),
                    size_belief=dict(beat["affect"].get("size_belief", {})),
                    angle_belief=dict(beat["affect"].get("angle_belief", {})),
                    movement_belief=dict(beat["affect"].get("movement_belief", {})),
                    framing_belief=dict(beat["affect"].get("framing_belief", {})),
                ),
            )
            for beat in document["beats"]
        )
        heights = {member["name"]: float(member["height_m"]) for member in document["cast"]}
        strangers = sorted(set(document["blocking"]) - set(heights))
        if strangers:
            raise PlanFileError(f"blocking names {strangers}, who are not in the cast", source)
        frames = sum(beat.frames for beat in beats)
        tracks = {
            name: CharacterTrack(
                name,
                heights.get(name, 1.75),
                np.array(track["position"], dtype=np.float64),
                np.array(track["facing_deg"], dtype=np.float64),
                tuple(track.get("pose", ())),
                tuple(track.get("look_at", ())),
                document["fps"],
            )
            for name, track in document["blocking"].items()
        }
        shots = tuple(
            Shot(
                id=shot["id"],
                beat=shot["beat"],
                start_frame=shot["start_frame"],
                frames=shot["frames"],
                size=shot["size"],
                end_size=shot["end_size"],
                angle=shot["angle"],
                dutch_deg=shot["dutch_deg"],
                movement=shot["movement"],
                framing=shot["framing"],
                transition=shot["transition"],
                subjects=tuple(shot["subjects"]),
                lens_mm=shot["lens_mm"],
                why=shot["why"],
                azimuth_deg=shot["azimuth_deg"],
                side=shot["side"],
                intent=ShotIntent(**shot["intent"]) if shot["intent"] else None,
                reason=_reason_from(shot["reason"]),
                shows=shot.get("shows"),
                camera=CameraTrack(
                    np.array(shot["camera"]["position"], dtype=np.float64),
                    np.array(shot["camera"]["rotation"], dtype=np.float64),
                    np.array(shot["camera"]["focal_mm"], dtype=np.float64),
                    np.array(shot["camera"]["focus_m"], dtype=np.float64),
                ),
            )
            for shot in document["shots"]
        )
        props = tuple(
            Prop(
                prop["name"],
                prop["held_by"],
                np.array(prop["position"], dtype=np.float64),
                np.array(prop["facing_deg"], dtype=np.float64),
                tuple(prop.get("holder", ())),
            )
            for prop in document["set"].get("props", ())
        )
    except ValueError as exc:
        raise PlanFileError(f"inconsistent plan: {exc}", source) from exc
    _check_timeline(beats, shots, tracks, frames, source)
    for prop in props:
        if len(prop.position) != frames:
            raise PlanFileError(
                f"prop {prop.name} has {len(prop.position)} frames, not {frames}", source
            )
        if prop.held_by is not None and prop.held_by not in tracks:
            raise PlanFileError(
                f"prop {prop.name} is held by {prop.held_by!r}, who is not blocked", source
            )
    provenance = document["provenance"]
    return ShotPlan(
        title=document["title"],
        fps=document["fps"],
        seed=document["seed"],
        aspect=document["aspect"],
        sensor_mm=(float(document["sensor_mm"][0]), float(document["sensor_mm"][1])),
        resolution=(int(document["resolution"][0]), int(document["resolution"][1])),
        style=document["style"],
        cast=tuple((name, height) for name, height in heights.items()),
        set=SetDesign(
            preset=document["set"]["preset"],
            boxes=tuple(
                SetBox(box["name"], _tuple3(box["center"]), _tuple3(box["size"]))
                for box in document["set"]["boxes"]
            ),
            props=props,
        ),
        beats=beats,
        blocking=Blocking(tracks, frames),
        shots=shots,
        provenance=Provenance(
            beatcam_version=provenance["beatcam_version"],
            input_sha256=provenance["input_sha256"],
            models=tuple(dict(model) for model in provenance["models"]),
            network=provenance["network"],
        ),
    )


def _check_timeline(
    beats: tuple[PlannedBeat, ...],
    shots: tuple[Shot, ...],
    tracks: Mapping[str, CharacterTrack],
    frames: int,
    source: str | Path,
) -> None:
    """The contiguity rules of docs/design.md section 4 that a schema cannot express."""
    expected = 0
    for beat in beats:
        if beat.start_frame != expected:
            raise PlanFileError(
                f"beat {beat.index} starts at {beat.start_frame}, not {expected}", source
            )
        expected += beat.frames
    ids = [shot.id for shot in shots]
    repeated = sorted({name for name in ids if ids.count(name) > 1})
    if repeated:
        raise PlanFileError(f"shot ids must be unique; repeated: {repeated}", source)
    expected = 0
    for shot in shots:
        if shot.start_frame != expected:
            raise PlanFileError(
                f"shot {shot.id} starts at {shot.start_frame}, not {expected}", source
            )
        if not 0 <= shot.beat < len(beats):
            raise PlanFileError(
                f"shot {shot.id} names beat {shot.beat}, which does not exist", source
            )
        unknown = [name for name in shot.subjects if name not in tracks]
        if unknown:
            raise PlanFileError(f"shot {shot.id} names unblocked subjects {unknown}", source)
        expected += shot.frames
    if expected != frames:
        raise PlanFileError(f"shots cover {expected} frames but the beats cover {frames}", source)
    for name, track in tracks.items():
        if len(track.position) != frames:
            raise PlanFileError(
                f"blocking of {name} has {len(track.position)} frames, not {frames}", source
            )
        strangers = sorted({str(o) for o in track.look_at if o is not None and o not in tracks})
        if strangers:
            raise PlanFileError(f"{name} looks at {strangers}, who are not blocked", source)


def loads(text: str, source: str | Path = "plan") -> ShotPlan:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanFileError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}", source
        ) from exc
    return from_document(document, source)


def read(path: Path) -> ShotPlan:
    """Read and validate a plan.json; every failure is a one-line PlanFileError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise PlanFileError(f"cannot read: {exc.strerror}", path) from exc
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PlanFileError("not UTF-8 text; is this a plan.json?", path) from None
    return loads(text, path)
