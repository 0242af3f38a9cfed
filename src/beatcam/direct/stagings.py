"""The staging -> move table (``data/staging_devices.yaml``): the moves that follow or answer
what happens in front of the camera (a rise, a look up, eyes travelling across a room), ranked,
with their sources.

A move motivated by the action is the one the audience does not notice (Mascelli, Katz,
Brown), so a staging the beat states outright scores ``STAGING_GAIN``, above a confident
intent's first device: the action chooses the move and the intent how it is done. Where the
books answer the same action differently for one feeling (a look down into a drop is a tilt,
until it is vertigo: then the space warps), a row's ``as`` rows rank the moves for that intent,
and the director shares the staging's gain between them by its belief in the intent.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from beatcam.direct.intents import (
    DEVICE_GAIN,
    checked_sources,
    checked_values,
    ranked_scores,
    table_rows,
)
from beatcam.errors import StageError
from beatcam.model.vocab import Intent, Staging

TABLE_FILE: Final = "staging_devices.yaml"
# Above a fully believed intent's first device (DEVICE_GAIN), so the stated action picks the
# move; not so far above that a second, agreeing intent device cannot pick among its moves.
STAGING_GAIN: Final = DEVICE_GAIN * 1.15
FIELDS: Final = ("movement", "angle", "size", "framing")
# Stagings a person does with their own body. A move or angle answering one is about the one who
# does it, who is the one the beat is about ("Mara stands and asks him ...; Tom steps toward
# her": the camera rises with Mara), so it says nothing for a shot on anyone else. The rest
# (an expanse, something looming, a drop far below) are about the place, whoever is framed.
PERFORMED: Final = frozenset(
    {
        Staging.RISE, Staging.SINK, Staging.DESCEND, Staging.LOOK_UP, Staging.LOOK_DOWN,
        Staging.SCAN, Staging.STRIDE, Staging.STARTLE, Staging.LYING, Staging.FLEE,
        Staging.EXULT, Staging.FOLLOWED,
    }
)  # fmt: skip


# Stagings the body does upright. Someone lying on their back who looks up looks at what is
# straight above them: there is no height for the camera to tilt or rise through with the look,
# and none to look up at them from (``Context.lying``).
UPRIGHT: Final = frozenset({Staging.LOOK_UP})

# Stagings that happen once in a beat, at its start: the camera comes down into the scene, or
# draws back to reveal what surrounds someone or to leave them alone, on the beat's first shot;
# a second shot of the beat that did it again would repeat the move, not answer anything new.
ONCE_PER_BEAT: Final = frozenset({Staging.SETTLING_OVER, Staging.REVEAL_AROUND, Staging.LEFT_ALONE})


@dataclass(frozen=True)
class StagingMoves:
    """One row of the table: ranked moves or angles (or both), words and books."""

    staging: Staging
    ranked: Mapping[str, tuple[str, ...]]  # field -> values, best first
    weight: float  # above 1 where it overrules another staging it meets, below where it yields
    reasons: Mapping[str, str]
    sources: tuple[Mapping[str, str], ...]
    intent: Intent | None = None  # the feeling this ranking is for; None: any other
    # The row's own rankings for particular intents.
    shadings: Mapping[Intent, StagingMoves] = field(default_factory=dict)

    def preferences(self, field: str) -> dict[str, float]:
        """The score of each listed value of ``field`` when the beat states the staging."""
        return ranked_scores(self.ranked.get(field, ()), STAGING_GAIN * self.weight)


def staging_rule_name(staging: Staging, field: str, intent: Intent | None = None) -> str:
    """The grammar rule that ranks ``field`` for a stated staging (as ``intent``, for a
    shading)."""
    shade = f" as {intent}" if intent else ""
    return f"staging: {staging}{shade}: {field}"


def _fail(message: str) -> StageError:
    return StageError("direct", f"{TABLE_FILE}: {message}")


def _row(staging: Staging, entry: Any, intent: Intent | None = None) -> StagingMoves:
    where = f"{staging} as {intent}" if intent else str(staging)
    if not isinstance(entry, dict):
        raise _fail(f"{where}: expected a mapping")
    ranked = {
        field: checked_values(field, entry[field], where, _fail)
        for field in FIELDS
        if field in entry
    }
    weight = entry.get("weight", 1.0)
    if not ranked or not isinstance(weight, int | float) or weight <= 0:
        raise _fail(f"{where}: needs a movement, angle or size list, and a positive weight")
    shaded = entry.get("as", {}) if intent is None else {}
    unknown = sorted(set(shaded) - set(Intent)) if isinstance(shaded, dict) else []
    if not isinstance(shaded, dict) or unknown:
        raise _fail(f"{where}.as: needs a mapping of intents to rankings, unknown {unknown}")
    return StagingMoves(
        staging=staging,
        ranked=ranked,
        weight=float(weight),
        reasons={str(k): str(v) for k, v in entry.get("reason", {}).items()},
        sources=checked_sources(entry.get("sources"), where, _fail),
        intent=intent,
        shadings={
            Intent(name): _row(staging, {"weight": weight, **shaded[name]}, Intent(name))
            for name in shaded
        },
    )


@functools.cache
def staging_table() -> Mapping[Staging, StagingMoves]:
    """Every staging's row, checked against the vocabulary (StageError naming a broken row)."""
    rows = table_rows(TABLE_FILE, "stagings", (staging.value for staging in Staging), _fail)
    return {staging: _row(staging, rows[staging.value]) for staging in Staging}
