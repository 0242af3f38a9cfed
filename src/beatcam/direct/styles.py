"""Directing styles: the same rules of film grammar, weighted differently.

A weight multiplies every score a rule gives; 0 silences the rule, 2 doubles it. Rules not
named keep their default weight (1 for most; 0 for a rule only one style uses).
``lens_scale`` moves every lens choice longer (>1) or wider (<1). A style may also play an
intent with devices of its own (``data/style_devices.yaml``): the documentary operator has no
dolly for a dolly zoom, the epic style lifts away on a crane where the classical one warps the
space, so the same scene reads differently in each style at its strongest moments, not only in
its quiet ones.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources

from beatcam import tables
from beatcam.direct.intents import (
    IntentDevices,
    StyleWay,
    device_rule_name,
    intent_table,
    style_ways,
)
from beatcam.direct.stagings import staging_rule_name, staging_table
from beatcam.errors import UsageError
from beatcam.model.vocab import Intent

CLASSICAL_WEIGHTS = "classical.yaml"
INTENT_FIELDS = ("movement", "angle", "size", "dutch")


@dataclass(frozen=True)
class Style:
    name: str
    description: str
    weights: Mapping[str, float] = field(default_factory=dict)
    lens_scale: float = 1.0
    pace: float = 1.0  # >1: longer shots, <1: faster cutting

    def weight(self, rule: str, default: float = 1.0) -> float:
        return self._played_weights.get(rule, default)

    @functools.cached_property
    def _played_weights(self) -> Mapping[str, float]:
        """The weights with the style's own ways in the table rules' places: a field the style
        plays its own way takes the weight the style gives the table's rule for it, and the
        staging rows' rankings for that intent (a look down as vertigo) fall silent, since
        they are the table's way with the feeling too."""
        weights = dict(self.weights)
        for way in self._ways:
            for played in way.fields:
                table_rule = device_rule_name(way.row.intent, played)
                own = device_rule_name(way.row.intent, played, self.name)
                weights[own] = weights.get(table_rule, 1.0)
                weights[table_rule] = 0.0
                for staging, row in staging_table().items():
                    shaded = row.shadings.get(way.row.intent)
                    if shaded is not None and played in shaded.ranked:
                        weights[staging_rule_name(staging, played, way.row.intent)] = 0.0
        return weights

    @functools.cached_property
    def _ways(self) -> tuple[StyleWay, ...]:
        """This style's own ways with intents (``data/style_devices.yaml``)."""
        return tuple(way for way in style_ways() if way.style == self.name)

    @functools.cached_property
    def own_ways(self) -> Mapping[Intent, frozenset[str]]:
        """The fields of each intent this style plays its own way (epic's vertigo: movement)."""
        return {way.row.intent: frozenset(way.fields) for way in self._ways}

    @functools.cached_property
    def devices(self) -> Mapping[Intent, IntentDevices]:
        """Each intent's devices as this style plays them."""
        own = {way.row.intent: way.row for way in self._ways}
        return {intent: own.get(intent, row) for intent, row in intent_table().items()}


def _classical_weights() -> dict[str, float]:
    """Classical coverage is the grammar the books teach, so its weights are fitted to the
    literature's situations (``scripts/fit_classical.py``) and kept as plain numbers."""
    source = resources.files("beatcam.direct").joinpath("data", CLASSICAL_WEIGHTS)
    document = tables.safe_load(source.read_text(encoding="utf-8"))
    return {str(name): float(weight) for name, weight in document["weights"].items()}


def _intent_weights(
    intents: tuple[str, ...], weight: float, fields: tuple[str, ...] = INTENT_FIELDS
) -> dict[str, float]:
    """The same weight for the device rules of these intents (``direct.grammar`` names them
    "intent: field")."""
    return {f"{intent}: {field}": weight for intent in intents for field in fields}


STYLES: dict[str, Style] = {
    style.name: style
    for style in (
        Style(
            "classical",
            "invisible, motivated coverage: eye level, steady dolly moves, strict continuity",
            weights=_classical_weights(),
        ),
        Style(
            "thriller",
            "tension first: slow creeping push-ins, low and high angles, dutch under stress",
            weights={
                **_intent_weights(("dread", "shock", "vertigo", "tension"), 1.5),
                **_intent_weights(("dominance", "vulnerability"), 1.3),
                "the watcher's eyes": 1.6,
                "calm holds still": 0.6,
                "showy moves are earned": 0.6,
                "the camera creeps": 1.0,
            },
            lens_scale=1.15,
            pace=0.85,
        ),
        Style(
            "intimate",
            "intimate drama: close sizes on longer lenses, slow arcs, faces over places",
            weights={
                "intensity tightens": 1.4,
                **_intent_weights(("intimacy", "grief", "realisation"), 1.5),
                **_intent_weights(("dominance", "vulnerability", "chaos"), 0.6),
                "eye level is honest": 1.5,
                "establish the space": 0.7,
                "faces over places": 1.0,
            },
            lens_scale=1.35,
            pace=1.2,
        ),
        Style(
            "handheld-docu",
            "observational documentary: handheld, eye level, zooms rather than dollies",
            weights={
                "observe by hand": 2.0,
                "written still": 0.0,  # the observer's camera is never locked off
                "eye level is honest": 1.6,
                "showy moves are earned": 1.5,
                **_intent_weights(("vertigo", "dread", "chaos"), 0.3, ("dutch",)),
            },
            lens_scale=1.2,
            pace=0.9,
        ),
        Style(
            "epic",
            "epic: wide lenses and big spaces, cranes and arcs at the turning points",
            weights={
                **_intent_weights(("wonder", "triumph", "liberation", "isolation"), 1.6),
                "establish the space": 1.5,
                "intensity tightens": 0.7,
                "showy moves are earned": 0.5,
                "places over faces": 2.0,
            },
            lens_scale=0.8,
            pace=1.1,
        ),
    )
}

DEFAULT_STYLE = "classical"


def style_named(name: str) -> Style:
    """The style called ``name``; UsageError listing the known ones otherwise."""
    try:
        return STYLES[name]
    except KeyError:
        known = ", ".join(STYLES)
        raise UsageError(f"unknown style {name!r}; known styles: {known}") from None
