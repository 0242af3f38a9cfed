"""Set dressing: the preset plus a kit piece for every thing the heading and action beats name
that it lacks ("a lighthouse scene has a lighthouse").

A new piece stands at the first free site looking toward the acting area: straight behind it
first, then ever further round to the sides and further back, clear of the other pieces, of
the people's marks and of the way in from the entrance, and inside the room's walls for an
interior. A piece taller than the walls stands at least its own height back, so a wide shot
from the front holds it and the people together.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Final

import numpy as np

from beatcam.direct.space import pieces_named
from beatcam.direct.spots import BODY_CLEARANCE_M, footprints
from beatcam.model import SetBox
from beatcam.model.geometry import FloatArray
from beatcam.model.set_kit import PIECES, WALL_HEIGHT_M, kind_of
from beatcam.model.sets import INTERIORS, SetPreset

# The people's marks lie within this of the origin (a half circle of 1.4 m about z 0.5, and
# a body's width), and pieces keep two bodies' width apart so one can walk between them.
ACTING_M: Final = 2.4
GAP_M: Final = 2 * BODY_CLEARANCE_M
SITE_RADII_M: Final = np.arange(2.0, 40.0, 0.5)
SITE_SWINGS_DEG: Final = (0.0, 30.0, -30.0, 60.0, -60.0, 90.0, -90.0)
ENTRANCE_SAMPLES: Final = 24
SITE_SLACK_M: Final = 1e-6  # far above the rounding of a site's sums of metres (``_beyond_walls``)


def _free(piece: Sequence[SetBox], boxes: Sequence[SetBox], keep_clear: FloatArray) -> bool:
    """True when ``piece`` stands GAP_M clear of ``boxes`` and of the points ``keep_clear``
    (n, 2), whose disc of ACTING_M is the acting area for the first and GAP_M for the rest."""
    low, high = footprints(piece)
    if boxes:
        others_low, others_high = footprints(boxes)
        apart = (low[:, None] >= others_high[None] + GAP_M) | (
            high[:, None] <= others_low[None] - GAP_M
        )
        if not apart.any(axis=2).all():
            return False
    nearest = np.clip(keep_clear[:, None], low[None], high[None])
    gaps = np.linalg.norm(nearest - keep_clear[:, None], axis=2).min(axis=1)
    reach = np.full(len(keep_clear), GAP_M)
    reach[0] = ACTING_M
    return bool(np.all(gaps >= reach))


def _inside(piece: Sequence[SetBox], walls: Sequence[SetBox]) -> bool:
    """True when the piece lies within the walls' bounds (an interior's room), or no walls."""
    if not walls:
        return True
    low, high = footprints(piece)
    wall_low, wall_high = footprints(walls)
    return bool(np.all(low >= wall_low.min(axis=0)) and np.all(high <= wall_high.max(axis=0)))


def _beyond_walls(
    walls: Sequence[SetBox], build: Callable[[float, float, int], tuple[SetBox, ...]]
) -> float:
    """A site radius from which no site lies inside the walls (inf: no walls to leave).

    Inside the walls' bounds each box's centre is too, within the farthest corner's distance
    of the origin; a box's centre lies within the piece's reach (the farthest of its centres
    from where it stands, however it is turned) of the site, so a site further out than both
    leaves the room. ``SITE_SLACK_M`` covers the rounding of the sums, so the search stops only
    where every site would fail ``_inside``.
    """
    if not walls:
        return math.inf
    wall_low, wall_high = footprints(walls)
    corners = np.array([wall_low.min(axis=0), wall_high.max(axis=0)])
    room = float(np.hypot(*np.abs(corners).max(axis=0)))
    reach = max(
        math.hypot(box.center[0], box.center[2])
        for turns in range(4)
        for box in build(0.0, 0.0, turns)
    )
    return room + reach + SITE_SLACK_M


def site(kind: str, preset: SetPreset, boxes: Sequence[SetBox]) -> tuple[SetBox, ...] | None:
    """The piece ``kind`` built at its first free site in a set of ``boxes`` (None: no room)."""
    build = PIECES[kind]
    walls = [box for box in boxes if kind_of(box) == "wall"] if preset.name in INTERIORS else []
    tallest = max(box.center[1] + box.size[1] / 2.0 for box in build(0.0, 0.0, 0))
    way_in = np.linspace(0.0, 1.0, ENTRANCE_SAMPLES)[:, None] * np.array(preset.entrance)
    keep_clear = np.vstack([[0.0, 0.0], way_in])
    outside = _beyond_walls(walls, build)
    for radius in SITE_RADII_M:
        if radius > outside:
            break
        if tallest > WALL_HEIGHT_M and radius < tallest:
            continue
        for swing in SITE_SWINGS_DEG:
            heading = np.deg2rad(180.0 + swing)
            x, z = radius * np.sin(heading), radius * np.cos(heading)
            turns = round((swing + 360.0) / 90.0) % 4 if abs(swing) > 45.0 else 0
            piece = build(float(x), float(z), turns)
            if _inside(piece, walls) and _free(piece, boxes, keep_clear):
                return piece
    return None


def dress(preset: SetPreset, texts: Sequence[str], also: Sequence[str] = ()) -> SetPreset:
    """``preset`` with a kit piece for each piece ``texts`` (the heading and the action beats)
    name that it has none of, in order of mention, then each of the kinds ``also`` lists (a
    sign whose words a beat shows)."""
    boxes = list(preset.boxes)
    for kind in dict.fromkeys((*pieces_named(" . ".join(texts)), *also)):
        if any(kind_of(box) == kind for box in boxes):
            continue
        piece = site(kind, preset, boxes)
        boxes.extend(piece or ())
    return replace(preset, boxes=tuple(boxes))
