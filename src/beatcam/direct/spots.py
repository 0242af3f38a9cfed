"""Where a person stands for a relation the beats state: behind, beside or over someone,
across from them, near or far, with their back to them, or at a piece of the set.

Distances are Hall's proxemic zones (E. T. Hall, *The Hidden Dimension*, 1966): intimate
to 0.45 m, personal to 1.2 m, social to 3.6 m, public beyond. Positions are (x, z) metres on
the floor; headings are degrees counter-clockwise from +Z seen from above, as the blocking's.
Nobody is placed inside a set box: a spot that would be is moved to the nearest free one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from beatcam.model import SetBox
from beatcam.model.geometry import FloatArray, floor_direction, floor_heading_deg
from beatcam.model.set_kit import kind_of

# Hall's personal distance, close phase (0.45-0.76 m): where someone stands beside, behind or
# over a partner, within arm's reach.
CLOSE_M: Final = 0.75
# Hall's social distance ends at 3.6 m: across from someone, still addressing them.
ACROSS_M: Final = 3.6
# Hall's public distance, far phase, begins at 7.6 m (25 ft): out of any exchange.
FAR_M: Final = 7.6
# Across a street: its two 3.65 m traffic lanes (the standard lane width) and a step back
# onto each kerb, so the two stand on opposite pavements.
ACROSS_STREET_M: Final = 2 * 3.65 + 2 * 0.5
STREET: Final = "street"  # the piece word of a street (data/space.yaml's streets)
# A body is a disc this wide about its mark, and stands this far off the piece it is at.
BODY_CLEARANCE_M: Final = 0.3
# Boxes from this high up are walked under: a tall person's 1.9 m and a little (door heads at
# 2.03 m, a tree's crown, a shelter's roof).
HEADROOM_M: Final = 2.0
STAND_OFF_M: Final = BODY_CLEARANCE_M + 0.05
# Free spots are looked for on rings this far apart, out to SEARCH_M, in SEARCH_DIRECTIONS.
SEARCH_STEP_M: Final = 0.1
SEARCH_M: Final = 6.0
SEARCH_DIRECTIONS: Final = 24
# A point this far off a piece picks its side facing that way: "behind the counter" is the
# side away from the camera's open front (+Z).
FAR_SIDE_M: Final = 100.0
BEHIND_PIECE: Final = np.array([0.0, -FAR_SIDE_M])

# Pieces people face each other across: someone at one, "across from her" is across it.
ACROSS_PIECES: Final = frozenset({"table", "desk", "counter", "bed"})
# Pieces one sits on or waits at with one's back to them: a bench, a sofa, a bus shelter.
BACK_TO: Final = frozenset({"bench", "sofa", "chair", "bus"})
KINDS: Final = ("behind", "beside", "over", "across", "near", "far", "away", "at")
PIECE_KINDS: Final = frozenset({"behind", "beside", "across", "near", "at"})  # "at the window"


@dataclass(frozen=True)
class Relation:
    """Where the beats put ``doer``: ``kind`` (one of KINDS) relative to ``anchor`` (a cast
    member) and/or ``piece`` (a set piece's kind, or a street), as said in beat ``beat``."""

    doer: str
    kind: str
    anchor: str | None
    piece: str | None
    beat: int


def footprints(boxes: Sequence[SetBox]) -> tuple[FloatArray, FloatArray]:
    """``(n, 2)`` low and high (x, z) corners of the boxes' footprints on the floor."""
    centre = np.array([[box.center[0], box.center[2]] for box in boxes]).reshape(-1, 2)
    half = np.array([[box.size[0], box.size[2]] for box in boxes]).reshape(-1, 2) / 2.0
    return centre - half, centre + half


def standing(boxes: Sequence[SetBox]) -> tuple[SetBox, ...]:
    """The boxes a body bumps into: those starting below HEADROOM_M."""
    return tuple(box for box in boxes if box.center[1] - box.size[1] / 2.0 < HEADROOM_M)


def blocked(points: FloatArray, boxes: Sequence[SetBox], others: FloatArray) -> NDArray[np.bool_]:
    """``(m,)`` True where a body at ``points`` (m, 2) would stand in a box (its footprint
    grown by BODY_CLEARANCE_M, overhead ones left out) or in another person (``others``
    (k, 2), a body apart)."""
    low, high = footprints(standing(boxes))
    inside = np.all(
        (points[:, None] > low[None] - BODY_CLEARANCE_M)
        & (points[:, None] < high[None] + BODY_CLEARANCE_M),
        axis=2,
    ).any(axis=1)
    near = np.linalg.norm(points[:, None] - others.reshape(-1, 2)[None], axis=2)
    crowded = (near < 2 * BODY_CLEARANCE_M).any(axis=1)
    result: NDArray[np.bool_] = inside | crowded
    return result


def free_spot(point: FloatArray, boxes: Sequence[SetBox], others: FloatArray) -> FloatArray:
    """The nearest spot to ``point`` (2,) where a body stands clear of every box and person
    (on rings SEARCH_STEP_M apart); ``point`` itself when no spot within SEARCH_M is free."""
    if not blocked(point[None], boxes, others)[0]:
        return point
    radii = np.arange(SEARCH_STEP_M, SEARCH_M + 1e-9, SEARCH_STEP_M)
    angles = np.linspace(0.0, 2 * np.pi, SEARCH_DIRECTIONS, endpoint=False)
    ring = np.column_stack([np.sin(angles), np.cos(angles)])
    candidates = (point + radii[:, None, None] * ring[None]).reshape(-1, 2)
    free = np.flatnonzero(~blocked(candidates, boxes, others))
    return candidates[free[0]] if len(free) else point


def back_off(
    point: FloatArray, toward: FloatArray, boxes: Sequence[SetBox], others: FloatArray
) -> FloatArray:
    """The first free spot from ``point`` back along the line to ``toward`` (both (2,)), so
    someone across from a person keeps facing them when a wall is in the way; ``point`` when
    the whole line is taken."""
    shares = np.linspace(1.0, 0.0, SEARCH_DIRECTIONS, endpoint=False)[:, None]
    line = toward + shares * (point - toward)
    free = np.flatnonzero(~blocked(line, boxes, others))
    return line[free[0]] if len(free) else point


def at_piece(own: Sequence[SetBox], reference: FloatArray) -> tuple[FloatArray, float]:
    """Where someone coming from ``reference`` (2,) stands at a piece made of the boxes
    ``own``: STAND_OFF_M off the middle of the side of its nearest box that faces them (a
    window's middle, a table's near side), facing it, or facing away from a seat or a shelter
    (BACK_TO)."""
    low, high = footprints(own)
    index = int(np.argmin(np.linalg.norm(np.clip(reference, low, high) - reference, axis=1)))
    centre, half = (low[index] + high[index]) / 2.0, (high[index] - low[index]) / 2.0
    toward = (reference - centre) / np.maximum(half, 1e-9)
    axis = int(np.argmax(np.abs(toward)))
    outward = np.zeros(2)
    outward[axis] = 1.0 if toward[axis] >= 0 else -1.0
    facing = outward if kind_of(own[index]) in BACK_TO else -outward
    return centre + outward * (half + STAND_OFF_M), floor_heading_deg(facing)


def _piece_at(point: FloatArray, boxes: Sequence[SetBox]) -> str | None:
    """The piece one faces someone across (ACROSS_PIECES) that ``point`` stands at, if any."""
    shared = [box for box in boxes if kind_of(box) in ACROSS_PIECES]
    if not shared:
        return None
    low, high = footprints(shared)
    gaps = np.linalg.norm(np.clip(point, low, high) - point, axis=1)
    index = int(np.argmin(gaps))
    return kind_of(shared[index]) if gaps[index] <= STAND_OFF_M + SEARCH_STEP_M else None


def place(
    relation: Relation,
    here: FloatArray,
    anchor: tuple[FloatArray, float] | None,
    boxes: Sequence[SetBox],
    walk_heading_deg: float,
    others: FloatArray,
) -> tuple[FloatArray, float] | None:
    """The spot (x, z) and facing for ``relation``'s doer, now at ``here``; ``anchor`` is the
    anchor's position and facing, ``others`` (k, 2) everyone else's positions. None when the
    relation cannot be placed (its piece is not in the set, its anchor is unknown)."""
    kind, piece = relation.kind, relation.piece
    if kind == "across" and piece is None and anchor is not None:
        piece = _piece_at(anchor[0], boxes)  # "sits across from her": she is at the table
    own = [box for box in boxes if piece is not None and kind_of(box) == piece]
    spot: tuple[FloatArray, float] | None
    if own and kind in PIECE_KINDS:
        low, high = footprints(own)
        middle = (low.min(axis=0) + high.max(axis=0)) / 2.0
        if kind == "behind":
            here = middle + BEHIND_PIECE
        elif kind == "across" and anchor is not None:
            here = middle + FAR_SIDE_M * (middle - anchor[0]) / max(  # the far side from them
                float(np.linalg.norm(middle - anchor[0])), 1e-9
            )
        spot = at_piece(own, here)
    elif anchor is None:
        return None
    else:
        spot = _beside_person(kind, piece, here, anchor, walk_heading_deg)
    if spot is None:
        return None
    point = spot[0]
    if anchor is not None and not own:
        point = back_off(point, anchor[0], boxes, others)
    point = free_spot(point, boxes, others)
    if kind == "away" and anchor is not None:
        return point, floor_heading_deg(point - anchor[0])
    return point, spot[1]


def _beside_person(
    kind: str,
    piece: str | None,
    here: FloatArray,
    anchor: tuple[FloatArray, float],
    walk_heading_deg: float,
) -> tuple[FloatArray, float] | None:
    """A spot relative to a person at ``anchor`` (position, facing)."""
    there, facing = anchor
    toward = here - there
    gap = float(np.linalg.norm(toward))
    direction = toward / gap if gap > 1e-9 else floor_direction(facing)
    if kind == "behind":
        point = there - CLOSE_M * floor_direction(facing)
        return point, facing
    if kind == "beside":
        side = floor_direction(facing + 90.0)
        side = side if float(np.dot(side, direction)) >= 0 else -side
        return there + CLOSE_M * side, facing
    if kind in {"near", "over"}:  # over someone seated or lying: near, looking down
        point = there + CLOSE_M * direction
        return point, floor_heading_deg(there - point)
    if kind in {"across", "far"}:
        distance = FAR_M if kind == "far" else ACROSS_M
        if piece == STREET:
            distance = ACROSS_STREET_M
            across = floor_direction(walk_heading_deg + 90.0)
            direction = across if float(np.dot(across, direction)) >= 0 else -across
        point = there + distance * direction
        return point, floor_heading_deg(there - point)
    if kind == "away":
        return here, floor_heading_deg(here - there)
    return None
