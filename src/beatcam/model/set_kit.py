"""The set kit: parametric grey-box pieces, each a tuple of axis-aligned ``SetBox``es.

Pieces stay boxes so plan.json, the renderer, the critic's collision checks and every export
carry them unchanged. A piece is built around its footprint's centre (x, z) on the ground;
``turns`` quarter turns face its front (+Z) elsewhere (a box cannot rotate, so width and depth
swap on odd turns). Every box's
name starts with its piece's kind ("lighthouse_tower", "window_sill"), so the blocking finds a
piece by name and props rest on it ("on the table"). Sizes are the everyday ones, each stated
once below with where it comes from.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from beatcam.model.geometry import FloatArray, floor_heading_deg
from beatcam.model.plan import SetBox

# Walls: the height and thickness of the presets' flats (a studio flat is 8-10 ft, 2.4-3 m).
WALL_HEIGHT_M: Final = 2.8
WALL_THICKNESS_M: Final = 0.1
# Openings: a door's head at 2.03 m (the standard 80 in door), built 1.2 m wide so a body
# (BODY_CLEARANCE_M either side of its centre) walks through a little off its axis; a window
# 1.2 m wide from a 0.9 m sill (counter height, the usual residential sill) to the door head.
DOOR_WIDTH_M: Final = 1.2
DOOR_HEAD_M: Final = 2.03
WINDOW_WIDTH_M: Final = 1.2
WINDOW_SILL_M: Final = 0.9
# Furniture at the usual heights: tables and desks 0.76 m (30 in), kitchen counters 0.9 m
# (36 in) by 0.6 m deep, seats 0.45 m (18 in); a double bed 1.37 x 1.9 m (54 x 75 in).
TABLE_SIZE_M: Final = (1.6, 0.76, 0.9)
DESK_SIZE_M: Final = (1.8, 0.76, 0.8)
COUNTER_SIZE_M: Final = (3.0, 0.9, 0.6)
SEAT_HEIGHT_M: Final = 0.45
BED_SIZE_M: Final = (1.37, 0.55, 1.9)
SOFA_SIZE_M: Final = (2.2, 0.8, 0.9)
# A mid-size saloon car: 1.8 m wide, 4.5 m long, 1.45 m tall.
CAR_SIZE_M: Final = (1.8, 1.45, 4.5)
# Stairs at the building-code limits: 0.18 m rise, 0.28 m run, 1.2 m wide.
STEP_RISE_M: Final = 0.18
STEP_RUN_M: Final = 0.28
STAIR_WIDTH_M: Final = 1.2
STAIR_STEPS: Final = 8
# A small coastal light: a 12 m tower tapering in three drums, a gallery, a lantern room.
LIGHTHOUSE_DRUMS: Final = ((3.2, 5.0), (2.7, 4.0), (2.3, 3.0))  # (width, height), bottom up
LIGHTHOUSE_GALLERY_M: Final = (3.4, 0.3)
LIGHTHOUSE_LANTERN_M: Final = (1.6, 1.8)
# A street tree: a 0.4 m trunk to 2.5 m, a 3.5 m crown above it.
TRUNK_M: Final = (0.4, 2.5)
CROWN_M: Final = 3.5
# A bus shelter: 3 m by 1.4 m, 2.5 m to its roof, a bench at seat height inside.
SHELTER_M: Final = (3.0, 2.5, 1.4)
GATEPOST_M: Final = (0.3, 1.2)
POST_M: Final = 0.1
# A signpost: a 0.45 x 0.25 m board (a trail marker, a door sign) on a post, its middle at 1.6 m,
# about the eyes of a standing adult (0.92 x 1.75 m), where signs are put to be read.
SIGN_BOARD_M: Final = (0.45, 0.25, 0.03)
SIGN_MIDDLE_M: Final = 1.6


@dataclass(frozen=True)
class Opening:
    """A hole in a wall: ``centre_m`` along the wall from its start, ``width_m`` across, from
    ``sill_m`` (0 for a door) up to ``head_m``. ``kind`` names the boxes round it."""

    kind: str
    centre_m: float
    width_m: float
    sill_m: float
    head_m: float


def door(centre_m: float) -> Opening:
    return Opening("door", centre_m, DOOR_WIDTH_M, 0.0, DOOR_HEAD_M)


def window(centre_m: float) -> Opening:
    return Opening("window", centre_m, WINDOW_WIDTH_M, WINDOW_SILL_M, DOOR_HEAD_M)


def _box(
    name: str, x: float, z: float, size: tuple[float, float, float], y0: float = 0.0
) -> SetBox:
    return SetBox(name, (x, y0 + size[1] / 2.0, z), size)


def wall(
    name: str,
    start: tuple[float, float],
    end: tuple[float, float],
    openings: Sequence[Opening] = (),
    height: float = WALL_HEIGHT_M,
) -> tuple[SetBox, ...]:
    """A straight wall along X or Z from ``start`` to ``end`` (x, z), ``WALL_THICKNESS_M``
    thick, with its openings cut out: full-height boxes between them, a head box over each
    and a sill box under each window, so it covers exactly the wall less the openings."""
    along_x = start[1] == end[1]
    if not along_x and start[0] != end[0]:
        raise ValueError(f"wall {name!r} must run along X or Z, not from {start} to {end}")
    axis = 0 if along_x else 1
    low, high = sorted((start[axis], end[axis]))
    fixed = start[1] if along_x else start[0]

    def part(label: str, a: float, b: float, y0: float, y1: float) -> SetBox:
        middle, length = (a + b) / 2.0, b - a
        x, z = (middle, fixed) if along_x else (fixed, middle)
        size = (
            (length, y1 - y0, WALL_THICKNESS_M) if along_x else (WALL_THICKNESS_M, y1 - y0, length)
        )
        return _box(label, x, z, size, y0)

    boxes: list[SetBox] = []
    cursor = low
    for index, hole in enumerate(sorted(openings, key=lambda o: o.centre_m)):
        a, b = low + hole.centre_m - hole.width_m / 2.0, low + hole.centre_m + hole.width_m / 2.0
        if a < cursor or b > high:
            raise ValueError(f"wall {name!r}: opening {index} overlaps another or the wall's end")
        if a > cursor:
            boxes.append(part(f"{name}_{len(boxes) + 1}", cursor, a, 0.0, height))
        if hole.head_m < height:
            boxes.append(part(f"{hole.kind}_head_{name}", a, b, hole.head_m, height))
        if hole.sill_m > 0.0:
            boxes.append(part(f"{hole.kind}_sill_{name}", a, b, 0.0, hole.sill_m))
        cursor = b
    if cursor < high:
        boxes.append(part(f"{name}_{len(boxes) + 1}", cursor, high, 0.0, height))
    return tuple(boxes)


def _turn(size: tuple[float, float, float], turns: int) -> tuple[float, float, float]:
    return (size[2], size[1], size[0]) if turns % 2 else size


def _offset(dx: float, dz: float, turns: int) -> tuple[float, float]:
    """A piece's own (dx, dz) in the world after ``turns`` quarter turns counter-clockwise
    seen from above (one turn faces its front, +Z, to +X: headings as a character's)."""
    for _ in range(turns % 4):
        dx, dz = dz, -dx
    return dx, dz


def _parts(
    kind: str, x: float, z: float, turns: int,
    parts: Sequence[tuple[str, float, float, tuple[float, float, float], float]],
) -> tuple[SetBox, ...]:  # fmt: skip
    """Boxes of a piece from its parts in its own frame: (label, dx, dz, size, bottom)."""
    boxes = []
    for label, dx, dz, size, bottom in parts:
        ox, oz = _offset(dx, dz, turns)
        boxes.append(
            _box(f"{kind}_{label}" if label else kind, x + ox, z + oz, _turn(size, turns), bottom)
        )
    return tuple(boxes)


def _solid(
    kind: str, size: tuple[float, float, float]
) -> Callable[[float, float, int], tuple[SetBox, ...]]:
    """A piece that is one box (a table, a counter): one name, so props rest on its top."""
    return lambda x, z, turns: _parts(kind, x, z, turns, (("", 0.0, 0.0, size, 0.0),))


def chair(x: float, z: float, turns: int) -> tuple[SetBox, ...]:
    seat = (0.45, SEAT_HEIGHT_M, 0.45)
    back = (0.45, 0.45, 0.05)
    return _parts(
        "chair",
        x,
        z,
        turns,
        (("seat", 0.0, 0.0, seat, 0.0), ("back", 0.0, -0.2, back, SEAT_HEIGHT_M)),
    )


def bed(x: float, z: float, turns: int) -> tuple[SetBox, ...]:
    width, _, length = BED_SIZE_M
    return _parts("bed", x, z, turns, (
        ("", 0.0, 0.0, BED_SIZE_M, 0.0),
        ("headboard", 0.0, -length / 2.0 - 0.04, (width, 1.0, 0.08), 0.0),
    ))  # fmt: skip


def bench(x: float, z: float, turns: int) -> tuple[SetBox, ...]:
    return _parts("bench", x, z, turns, (
        ("", 0.0, 0.0, (1.6, SEAT_HEIGHT_M, 0.4), 0.0),
        ("back", 0.0, -0.18, (1.6, 0.4, 0.05), SEAT_HEIGHT_M),
    ))  # fmt: skip


def car(x: float, z: float, turns: int) -> tuple[SetBox, ...]:
    """A car, its length along the piece's depth: a body to 0.95 m and a cabin on top."""
    width, height, length = CAR_SIZE_M
    return _parts("car", x, z, turns, (
        ("body", 0.0, 0.0, (width, 0.65, length), 0.3),
        ("cabin", 0.0, -0.2, (width - 0.2, height - 0.95, length * 0.5), 0.95),
        ("wheels", 0.0, 0.0, (width - 0.1, 0.3, length - 1.0), 0.0),
    ))  # fmt: skip


def flight(steps: int, x: float, z: float, turns: int) -> tuple[SetBox, ...]:
    """A flight of ``steps`` rising away from its foot (toward -Z), centred on (x, z): each
    step a box from the ground."""
    first = STEP_RUN_M * (steps - 1) / 2.0
    return _parts("stairs", x, z, turns, tuple(
        (f"{i + 1:02d}", 0.0, first - STEP_RUN_M * i,
         (STAIR_WIDTH_M, STEP_RISE_M * (i + 1), STEP_RUN_M), 0.0)
        for i in range(steps)
    ))  # fmt: skip


def stairs(x: float, z: float, turns: int) -> tuple[SetBox, ...]:
    return flight(STAIR_STEPS, x, z, turns)


def lighthouse(x: float, z: float, turns: int) -> tuple[SetBox, ...]:
    parts = []
    bottom = 0.0
    for index, (width, height) in enumerate(LIGHTHOUSE_DRUMS):
        parts.append((f"tower_{index + 1}", 0.0, 0.0, (width, height, width), bottom))
        bottom += height
    gallery, rail = LIGHTHOUSE_GALLERY_M
    parts.append(("gallery", 0.0, 0.0, (gallery, rail, gallery), bottom))
    lantern, tall = LIGHTHOUSE_LANTERN_M
    parts.append(("lantern", 0.0, 0.0, (lantern, tall, lantern), bottom + rail))
    parts.append(("roof", 0.0, 0.0, (lantern * 0.6, 0.5, lantern * 0.6), bottom + rail + tall))
    width = LIGHTHOUSE_DRUMS[0][0]
    parts.append(("door", 0.0, width / 2.0 + 0.05, (DOOR_WIDTH_M, DOOR_HEAD_M, 0.1), 0.0))
    return _parts("lighthouse", x, z, turns, parts)


def tree(x: float, z: float, turns: int) -> tuple[SetBox, ...]:
    trunk, bole = TRUNK_M
    return _parts("tree", x, z, turns, (
        ("trunk", 0.0, 0.0, (trunk, bole, trunk), 0.0),
        ("crown", 0.0, 0.0, (CROWN_M, CROWN_M, CROWN_M), bole),
    ))  # fmt: skip


def bus_stop(x: float, z: float, turns: int) -> tuple[SetBox, ...]:
    """A shelter open at its front (+Z): a back panel, two side panels, a roof, a bench."""
    width, height, depth = SHELTER_M
    side = width / 2.0 - POST_M / 2.0
    return _parts("bus", x, z, turns, (
        ("shelter_back", 0.0, -depth / 2.0, (width, height, POST_M), 0.0),
        ("shelter_left", -side, 0.0, (POST_M, height, depth - POST_M), 0.0),
        ("shelter_right", side, 0.0, (POST_M, height, depth - POST_M), 0.0),
        ("shelter_roof", 0.0, 0.0, (width, POST_M, depth + 0.2), height),
        ("shelter_bench", 0.0, -depth / 2.0 + 0.3, (width - 0.4, SEAT_HEIGHT_M, 0.4), 0.0),
        ("stop_sign", side + 0.6, depth / 2.0, (POST_M, height, POST_M), 0.0),
    ))  # fmt: skip


def _facade(
    kind: str, opening: Callable[[float], Opening]
) -> Callable[[float, float, int], tuple[SetBox, ...]]:
    """A stretch of wall 3 m wide with a door or a window in its middle, for exteriors."""

    def build(x: float, z: float, turns: int) -> tuple[SetBox, ...]:
        half = 1.5
        start, end = ((x, z - half), (x, z + half)) if turns % 2 else ((x - half, z), (x + half, z))
        return wall(f"{kind}_wall", start, end, (opening(half),))

    return build


def gatepost(x: float, z: float, turns: int) -> tuple[SetBox, ...]:
    width, height = GATEPOST_M
    return _parts("gatepost", x, z, turns, (("", 0.0, 0.0, (width, height, width), 0.0),))


def signpost(x: float, z: float, turns: int) -> tuple[SetBox, ...]:
    """A board on a post, its face to the front (+Z), as a trail sign or a notice stands."""
    width, height, thick = SIGN_BOARD_M
    bottom = SIGN_MIDDLE_M - height / 2.0
    return _parts("sign", x, z, turns, (
        ("post", 0.0, 0.0, (POST_M, bottom, POST_M), 0.0),
        ("board", 0.0, 0.0, (width, height, thick), bottom),
    ))  # fmt: skip


PIECES: Final[Mapping[str, Callable[[float, float, int], tuple[SetBox, ...]]]] = {
    "table": _solid("table", TABLE_SIZE_M),
    "desk": _solid("desk", DESK_SIZE_M),
    "counter": _solid("counter", COUNTER_SIZE_M),
    "sofa": _solid("sofa", SOFA_SIZE_M),
    "chair": chair,
    "bed": bed,
    "bench": bench,
    "car": car,
    "stairs": stairs,
    "lighthouse": lighthouse,
    "tree": tree,
    "bus": bus_stop,
    "door": _facade("door", door),
    "window": _facade("window", window),
    "gatepost": gatepost,
    "sign": signpost,
}


def kind_of(box: SetBox) -> str:
    """The piece a box belongs to: its name's first word ("window_sill_left" -> "window")."""
    return box.name.split("_")[0]


# A face is taken this far in front of its box, so a line of sight to it ends in the air
# before the board, not inside the box that holds it.
FACE_CLEARANCE_M: Final = 0.01


@dataclass(frozen=True)
class Face:
    """The front of a piece's highest box (a sign's board): its middle just clear of the box,
    the horizontal way it looks (``normal``), its width to the right as seen from in front
    (``across``), and half its width and height (metres)."""

    centre: FloatArray
    normal: FloatArray
    across: FloatArray
    half_width: float
    half_height: float

    @property
    def heading_deg(self) -> float:
        return floor_heading_deg(self.normal[[0, 2]])

    def corners(self) -> FloatArray:
        """``(4, 3)``: top left, top right, bottom right, bottom left, seen from in front."""
        across, up = self.across * self.half_width, np.array([0.0, self.half_height, 0.0])
        return np.array([-across + up, across + up, across - up, -across - up]) + self.centre


def face_of(boxes: Sequence[SetBox], kind: str) -> Face | None:
    """The face of piece ``kind``'s highest box, looking across its thinner side toward the
    acting area (None where the set has no such piece)."""
    pieces = [box for box in boxes if kind_of(box) == kind]
    if not pieces:
        return None
    board = max(pieces, key=lambda box: box.center[1] + box.size[1] / 2.0)
    centre = np.array(board.center)
    axis, side = (0, 2) if board.size[0] < board.size[2] else (2, 0)
    normal = np.zeros(3)
    normal[axis] = -1.0 if centre[axis] > 0.0 else 1.0
    across = np.cross(np.array([0.0, 1.0, 0.0]), normal)  # right, seen from in front
    return Face(
        centre + normal * (board.size[axis] / 2.0 + FACE_CLEARANCE_M),
        normal,
        across,
        board.size[side] / 2.0,
        board.size[1] / 2.0,
    )


def room(
    half_width: float, back_z: float, front_z: float,
    openings: Sequence[tuple[str, Callable[[float], Opening], float]],
) -> tuple[SetBox, ...]:  # fmt: skip
    """Three walls round a room, the camera's side (+Z) open like a studio set; ``openings``
    are (wall, ``door`` or ``window``, where): the wall "left", "right" or "back", and where
    along it (x for the back wall, z for the sides) the opening's centre stands."""
    ends = {
        "back": ((-half_width, back_z), (half_width, back_z)),
        "left": ((-half_width, back_z), (-half_width, front_z)),
        "right": ((half_width, back_z), (half_width, front_z)),
    }
    boxes: list[SetBox] = []
    for side, (start, end) in ends.items():
        origin = start[0] if side == "back" else start[1]
        holes = [make(at - origin) for wall_side, make, at in openings if wall_side == side]
        boxes.extend(wall(f"wall_{side}", start, end, holes))
    return tuple(boxes)
