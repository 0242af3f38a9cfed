"""The intent -> device table (``data/intent_devices.yaml``): what the literature does with the
camera to make an audience feel each expressive intent, ranked, with its sources.

The table is data so a DP can read, cite and argue with it; this module checks it against the
vocabulary once and turns a row into the preferences a grammar rule gives. A device scores
``DEVICE_GAIN × RANK_DECAY^rank``, so an intent's first device clearly beats its third, and the
rule multiplies that by the director's belief in the intent: a confident intent's first device
wins outright, an unsure one only tips a close choice.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

from beatcam import tables
from beatcam.errors import StageError
from beatcam.model.vocab import ANGLES, FRAMINGS, MOVEMENTS, SIZES, Intent

TABLE_FILE: Final = "intent_devices.yaml"
# The first device of a fully believed intent scores this much: above the neutral grammar's
# strongest single preference (3 × "calm holds still" at rest in the fitted classical style),
# so that a confident intent wins, as docs/design.md section 7 asks.
DEVICE_GAIN: Final = 3.5
RANK_DECAY: Final = 0.8  # each later device keeps this share of the one before
LENSES: Final = {"wide": 0.75, "normal": 1.0, "long": 1.35}  # multiplies the size's usual lens
SPEEDS: Final = ("slow", "fast")
DEVICE_FIELDS: Final = ("movement", "angle", "size")
# A sideways move's direction is geometry (where the subject walks or looks), not feeling, so a
# row that names one direction asks for either.
MIRRORED: Final = {
    "pan_left": "pan_right", "pan_right": "pan_left", "truck_left": "truck_right",
    "truck_right": "truck_left", "arc_left": "arc_right", "arc_right": "arc_left",
}  # fmt: skip
FIELD_VALUES: Final[Mapping[str, tuple[str, ...]]] = {
    "movement": MOVEMENTS,
    "angle": ANGLES,
    "size": SIZES,
    "framing": FRAMINGS,
}


def ranked_scores(values: tuple[str, ...], gain: float) -> dict[str, float]:
    """``gain × RANK_DECAY^rank`` for each value, best first; a sideways move counts for its
    mirror too."""
    scores: dict[str, float] = {}
    for rank, value in enumerate(values):
        for each in (value, MIRRORED.get(value, value)):
            scores.setdefault(each, gain * RANK_DECAY**rank)
    return scores


def first_device(values: tuple[str, ...]) -> frozenset[str]:
    """A row's first device, in either direction when it is a sideways move: what the row's
    words are true of."""
    return frozenset({values[0], MIRRORED.get(values[0], values[0])})


def checked_values(
    field: str, raw: Any, where: str, fail: Callable[[str], StageError]
) -> tuple[str, ...]:
    """A table's ranked values of ``field``, each a word of the vocabulary."""
    values = tuple(str(value) for value in raw or ())
    unknown = [value for value in values if value not in FIELD_VALUES[field]]
    if unknown or not values:
        raise fail(f"{where}.{field}: needs values of the vocabulary, got {values}")
    return values


def checked_dutch(raw: Any, where: str, fail: Callable[[str], StageError]) -> float:
    """How strongly a row asks for a canted horizon: a number from 0 to 1."""
    if not isinstance(raw, int | float) or not 0.0 <= raw <= 1.0:
        raise fail(f"{where}.dutch: needs a number in [0, 1], got {raw!r}")
    return float(raw)


def checked_sources(
    raw: Any, where: str, fail: Callable[[str], StageError]
) -> tuple[Mapping[str, str], ...]:
    """A row's sources: at least one, each a mapping of strings."""
    if not isinstance(raw, list) or not raw or not all(isinstance(s, dict) for s in raw):
        raise fail(f"{where}: every row cites at least one source")
    return tuple({str(k): str(v) for k, v in source.items()} for source in raw)


@dataclass(frozen=True)
class IntentDevices:
    """One row of the table: ranked devices per field, how strongly the intent asks for a
    canted horizon (0 to 1), lens and speed, the words the director says, and the books."""

    intent: Intent
    ranked: Mapping[str, tuple[str, ...]]  # field -> values, best first
    dutch: float
    lens: str
    speed: str
    reasons: Mapping[str, str]
    sources: tuple[Mapping[str, str], ...]

    def preferences(self, field: str) -> dict[str, float]:
        """The score of each listed value of ``field`` for a fully believed intent."""
        if field == "dutch":
            return {"dutch": DEVICE_GAIN * self.dutch} if self.dutch > 0 else {}
        return ranked_scores(self.ranked.get(field, ()), DEVICE_GAIN)

    @property
    def lens_scale(self) -> float:
        return LENSES[self.lens]


def _fail(message: str) -> StageError:
    return StageError("direct", f"{TABLE_FILE}: {message}")


def _row(intent: Intent, entry: Any) -> IntentDevices:
    if not isinstance(entry, dict):
        raise _fail(f"{intent}: expected a mapping")
    ranked = {
        field: checked_values(field, entry.get(field), intent, _fail) for field in DEVICE_FIELDS
    }
    dutch = checked_dutch(entry.get("dutch"), intent, _fail)
    if entry.get("lens") not in LENSES or entry.get("speed") not in SPEEDS:
        raise _fail(f"{intent}: lens must be one of {sorted(LENSES)}, speed one of {SPEEDS}")
    sources = checked_sources(entry.get("sources"), intent, _fail)
    return IntentDevices(
        intent=intent,
        ranked=ranked,
        dutch=dutch,
        lens=str(entry["lens"]),
        speed=str(entry["speed"]),
        reasons={str(k): str(v) for k, v in entry.get("reason", {}).items()},
        sources=sources,
    )


def table_section(table_file: str, key: str) -> Mapping[str, Any]:
    """What a table of ``direct/data`` holds under ``key`` (nothing, where it is no mapping)."""
    source = resources.files("beatcam.direct").joinpath("data", table_file)
    document = tables.safe_load(source.read_text(encoding="utf-8"))
    section = document.get(key, {}) if isinstance(document, dict) else {}
    return section if isinstance(section, dict) else {}


def table_rows(
    table_file: str, key: str, names: Iterable[str], fail: Callable[[str], StageError]
) -> Mapping[str, Any]:
    """A device table's rows under ``key``, one for each of ``names`` and no other."""
    rows = table_section(table_file, key)
    wanted = list(names)
    missing = [name for name in wanted if name not in rows]
    unknown = sorted(set(rows) - set(wanted))
    if missing or unknown:
        raise fail(f"rows missing for {missing}, unknown rows {unknown}")
    return {name: rows[name] for name in wanted}


@functools.cache
def intent_table() -> Mapping[Intent, IntentDevices]:
    """Every intent's row, checked against the vocabulary (StageError naming a broken row)."""
    rows = table_rows(TABLE_FILE, "intents", (intent.value for intent in Intent), _fail)
    return {intent: _row(intent, rows[intent.value]) for intent in Intent}


STYLE_TABLE_FILE: Final = "style_devices.yaml"
INTENT_NAMES: Final = frozenset(intent.value for intent in Intent)


def device_rule_name(intent: Intent, field: str, style: str | None = None) -> str:
    """The grammar rule that plays ``field`` of ``intent``: the table's own, or a style's way
    with it, which that style weighs in the table rule's place."""
    return f"{intent}: {field}" + (f" ({style})" if style else "")


@dataclass(frozen=True)
class StyleWay:
    """How one style plays one intent: the table's row with the fields the style names
    (``fields``) ranked its own way."""

    style: str
    row: IntentDevices
    fields: tuple[str, ...]


def _style_fail(message: str) -> StageError:
    return StageError("direct", f"{STYLE_TABLE_FILE}: {message}")


def _style_way(style: str, intent: Intent, entry: Any) -> StyleWay:
    where = f"{style}.{intent}"
    if not isinstance(entry, dict):
        raise _style_fail(f"{where}: expected a mapping")
    base = intent_table()[intent]
    ranked = {
        field: checked_values(field, entry[field], where, _style_fail)
        for field in DEVICE_FIELDS
        if field in entry
    }
    dutch = checked_dutch(entry.get("dutch", base.dutch), where, _style_fail)
    fields = (*ranked, *(("dutch",) if "dutch" in entry else ()))
    if not fields:
        raise _style_fail(f"{where}: names no field to play its own way")
    reasons = {str(k): str(v) for k, v in entry.get("reason", {}).items()}
    if unsaid := [field for field in ranked if field not in reasons]:
        raise _style_fail(f"{where}: says no reason for its own {', '.join(unsaid)}")
    row = IntentDevices(
        intent=intent,
        ranked={**base.ranked, **ranked},
        dutch=dutch,
        lens=base.lens,
        speed=base.speed,
        reasons={**base.reasons, **reasons},
        sources=checked_sources(entry.get("sources"), where, _style_fail),
    )
    return StyleWay(style, row, fields)


@functools.cache
def style_ways() -> tuple[StyleWay, ...]:
    """Every style's own ways with intents, checked against the vocabulary (StageError naming a
    broken row)."""
    ways = []
    for style, rows in table_section(STYLE_TABLE_FILE, "styles").items():
        for name, entry in (rows or {}).items():
            if name not in INTENT_NAMES:
                raise _style_fail(f"{style}.{name}: not an intent")
            ways.append(_style_way(str(style), Intent(name), entry))
    return tuple(ways)
