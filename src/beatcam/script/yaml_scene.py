"""YAML scenes (docs/design.md section 2): every key, type, range and word is checked here.

Loaded with ``yaml.safe_load`` only. YAML 1.1 quirks are accepted rather than fought:
``aspect: 2.39`` arrives as a float and unquoted ``aspect: 16:9`` as the base-60 integer 969.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from beatcam.errors import SceneError
from beatcam.model.scene import Beat, Character, Scene, ShotPin
from beatcam.model.vocab import (
    ANGLES,
    ASPECTS,
    DEFAULT_ASPECT,
    DEFAULT_FPS,
    DEFAULT_HEIGHT_M,
    FOCAL_MAX_MM,
    FOCAL_MIN_MM,
    FRAMINGS,
    MOVEMENTS,
    SIZES,
)
from beatcam.script.cast import infer_cast, unique_cast
from beatcam.script.limits import beat_text, check_beat_count, fold
from beatcam.script.sets import set_named

SCENE_KEYS = ("title", "cast", "set", "fps", "aspect", "beats")
CHARACTER_KEYS = ("name", "height_m", "position", "facing_deg")
BEAT_KEYS = ("text", "seconds", "camera")
CAMERA_KEYS = ("size", "angle", "movement", "framing", "lens_mm", "dutch_deg")

HEIGHT_RANGE_M = (0.5, 2.6)
FPS_RANGE = (1, 120)
SECONDS_MAX = 600.0
DUTCH_RANGE_DEG = (-45.0, 45.0)
FACING_RANGE_DEG = (-360.0, 360.0)
POSITION_LIMIT_M = 1000.0
# Unquoted "16:9" and "4:3" are YAML 1.1 base-60 integers (16 * 60 + 9, 4 * 60 + 3).
SEXAGESIMAL_ASPECTS = {16 * 60 + 9: "16:9", 4 * 60 + 3: "4:3"}


def load_yaml(text: str, source: str) -> Any:
    """The document ``yaml.safe_load`` reads, with its errors turned into one-line SceneErrors.

    PyYAML is imported here, by a YAML scene's plan only: a plan of any other scene reads
    beatcam's own tables pre-parsed (``beatcam.tables``) and has no use for it."""
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = fold(str(exc.problem or exc.context or "invalid YAML"))
        raise SceneError(f"malformed YAML{where}: {problem}; fix the YAML syntax", source) from exc
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise SceneError(
            f"malformed YAML at line {line}: control character #x{exc.character:04x} is not "
            "allowed; remove it",
            source,
        ) from exc
    except ValueError as exc:
        raise SceneError(f"malformed YAML: bad value ({fold(str(exc))})", source) from exc
    except RecursionError as exc:
        raise SceneError("malformed YAML: nested too deeply", source) from exc


def parse_yaml(document: Any, source: str, fallback_title: str) -> Scene:
    """One Scene from a loaded YAML document (see docs/design.md section 2)."""
    if not isinstance(document, Mapping):
        kind = "empty" if document is None else type(document).__name__
        raise SceneError(
            f"YAML must be a mapping with a 'beats' list, not {kind}; see examples/", source
        )
    _check_keys(document, SCENE_KEYS, "scene", source)
    if "beats" not in document:
        raise SceneError("YAML has no 'beats' key; add a list of beats", source)
    raw_beats = document["beats"]
    if raw_beats is None:
        raw_beats = []
    if not isinstance(raw_beats, list):
        raise SceneError("'beats' must be a list of beats", source)
    check_beat_count(len(raw_beats), source)
    beats = tuple(_beat(raw, index, source) for index, raw in enumerate(raw_beats))
    raw_cast = document.get("cast")
    if raw_cast is None:
        cast = infer_cast([beat.text for beat in beats])
    elif isinstance(raw_cast, list) and raw_cast:
        cast = unique_cast((_character(entry, source) for entry in raw_cast), source)
    else:
        raise SceneError("'cast' must be a non-empty list of names or mappings", source)
    raw_set = document.get("set")
    if raw_set is not None and not isinstance(raw_set, str):
        raise SceneError("'set' must be a set name", source)
    return Scene(
        title=_title(document.get("title"), source) or fallback_title,
        cast=cast,
        beats=beats,
        set_preset=None if raw_set is None else set_named(raw_set, source),
        fps=_fps(document.get("fps"), source),
        aspect=_aspect(document.get("aspect"), source),
        cast_explicit=raw_cast is not None,
    )


def _check_keys(
    mapping: Mapping[Any, Any],
    allowed: Sequence[str],
    what: str,
    source: str,
    beat: int | None = None,
) -> None:
    for key in mapping:
        if key not in allowed:
            raise SceneError(
                f"unknown {what} key {key!r}; allowed keys: {', '.join(allowed)}", source, beat
            )


def _title(value: Any, source: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SceneError("'title' must be text", source)
    return fold(str(value))


def _number(
    value: Any, what: str, low: float, high: float, source: str, beat: int | None = None
) -> float:
    """``value`` as a finite float in [low, high]; booleans are not numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SceneError(f"{what} must be a number, not {value!r}", source, beat)
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise SceneError(f"{what} is {value!r}, outside {low:g}..{high:g}", source, beat)
    return number


def _fps(value: Any, source: str) -> int:
    if value is None:
        return DEFAULT_FPS
    low, high = FPS_RANGE
    number = _number(value, "fps", low, high, source)
    if not number.is_integer():
        raise SceneError(f"fps must be a whole number, not {value!r}", source)
    return int(number)


def _aspect(value: Any, source: str) -> str:
    if value is None:
        return DEFAULT_ASPECT
    if isinstance(value, int) and not isinstance(value, bool) and value in SEXAGESIMAL_ASPECTS:
        return SEXAGESIMAL_ASPECTS[value]
    if isinstance(value, float):
        value = f"{value:g}"
    if isinstance(value, str) and value.strip() in ASPECTS:
        return value.strip()
    quoted = ", ".join(f'"{name}"' for name in ASPECTS)
    raise SceneError(f"unknown aspect {value!r}; use one of: {quoted}", source)


def _character(entry: Any, source: str) -> Character:
    if isinstance(entry, str):
        return Character(name=_name(entry, source))
    if not isinstance(entry, Mapping):
        raise SceneError(f"a cast entry must be a name or a mapping, not {entry!r}", source)
    _check_keys(entry, CHARACTER_KEYS, "cast", source)
    if "name" not in entry:
        raise SceneError(f"cast entry {dict(entry)!r} has no 'name'", source)
    name = _name(entry["name"], source)
    height = entry.get("height_m")
    facing = entry.get("facing_deg")
    return Character(
        name=name,
        height_m=DEFAULT_HEIGHT_M
        if height is None
        else _number(height, f"{name}'s height_m", *HEIGHT_RANGE_M, source),
        position=_position(entry.get("position"), name, source),
        facing_deg=None
        if facing is None
        else _number(facing, f"{name}'s facing_deg", *FACING_RANGE_DEG, source),
    )


def _name(value: Any, source: str) -> str:
    name = fold(value) if isinstance(value, str) else ""
    if not name:
        raise SceneError(f"a cast name must be non-empty text, not {value!r}", source)
    return name


def _position(value: Any, name: str, source: str) -> tuple[float, float] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise SceneError(f"{name}'s position must be [x, z] in metres, not {value!r}", source)
    x, z = (
        _number(v, f"{name}'s position", -POSITION_LIMIT_M, POSITION_LIMIT_M, source) for v in value
    )
    return (x, z)


def _beat(raw: Any, index: int, source: str) -> Beat:
    if isinstance(raw, str):
        return Beat(index=index, text=beat_text(raw, index, source))
    if not isinstance(raw, Mapping):
        raise SceneError(
            f"a beat must be text or a mapping with 'text', not {raw!r}; quote it", source, index
        )
    _check_keys(raw, BEAT_KEYS, "beat", source, index)
    text = raw.get("text")
    if not isinstance(text, str):
        raise SceneError("the beat needs a 'text' string", source, index)
    seconds = raw.get("seconds")
    return Beat(
        index=index,
        text=beat_text(text, index, source),
        seconds=None if seconds is None else _seconds(seconds, index, source),
        pin=_pin(raw.get("camera"), index, source),
    )


def _seconds(value: Any, index: int, source: str) -> float:
    number = _number(value, "seconds", 0.0, SECONDS_MAX, source, index)
    if number <= 0.0:
        raise SceneError(f"seconds must be more than 0, not {value!r}", source, index)
    return number


def _pin(raw: Any, index: int, source: str) -> ShotPin:
    if raw is None:
        return ShotPin()
    if not isinstance(raw, Mapping):
        raise SceneError("'camera' must be a mapping of shot choices", source, index)
    _check_keys(raw, CAMERA_KEYS, "camera", source, index)
    lens = raw.get("lens_mm")
    dutch = raw.get("dutch_deg")
    return ShotPin(
        size=_word(raw.get("size"), "size", SIZES, index, source),
        angle=_word(raw.get("angle"), "angle", ANGLES, index, source),
        movement=_word(raw.get("movement"), "movement", MOVEMENTS, index, source),
        framing=_word(raw.get("framing"), "framing", FRAMINGS, index, source),
        lens_mm=None
        if lens is None
        else _number(lens, "lens_mm", FOCAL_MIN_MM, FOCAL_MAX_MM, source, index),
        dutch_deg=None
        if dutch is None
        else _number(dutch, "dutch_deg", *DUTCH_RANGE_DEG, source, index),
    )


def _word(value: Any, what: str, allowed: Sequence[str], index: int, source: str) -> str | None:
    """A vocabulary word, forgiving case and spaces/hyphens for underscores ("push in")."""
    if value is None:
        return None
    if isinstance(value, str):
        word = "_".join(value.strip().replace("-", " ").split())
        for candidate in allowed:
            if candidate.lower() == word.lower():
                return candidate
    raise SceneError(f"unknown {what} {value!r}; use one of: {', '.join(allowed)}", source, index)
