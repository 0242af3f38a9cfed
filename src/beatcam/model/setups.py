"""Rigs, setups and the shooting order: the plan as a crew schedules it.

A shot's **rig** is read off its camera track (``rig_for``), by the first rule of ``RIG_RULES``
that holds; each rule says why that rig does that move. Shots whose cameras start in the same
place on the same lens and rig are one **setup** (``setups``): the camera is placed, lit and
focus-marked once for all of them, whatever their order in the cut. Setups are named A, B, …
in the order the cut first sees them and shot in the order ``shooting_order`` gives.

Everything here is a pure function of the shot tracks, so plan.json's ``rig`` and ``setup``
can always be recomputed from the plan itself (and the tests do).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
from numpy.typing import NDArray

from beatcam.model.geometry import (
    FloatArray,
    camera_axes,
    floor_heading_deg,
    lengths,
    yaw_pitch_roll_deg,
)
from beatcam.model.plan import SetBox, Shot, ShotPlan
from beatcam.model.vocab import SIZES

# A camera that travels less than this stays on its legs: the movement vocabulary's own bound
# for a fixed camera (docs/design.md section 3: pans, tilts and zooms move < 5 cm).
STILL_M = 0.05
# Tall sticks on a riser, or a dolly's column, top out about here; a lens higher up needs an
# arm (a jib or a crane).
REACH_M = 2.2
# The longest common slider (60-120 cm rails): a straight move up to this is set on one.
SLIDER_M = 1.0
# Chord over path length at or above this is a straight move: laid as straight track.
STRAIGHT = 0.95
# A path within this of one circle runs on curved (round) track.
ROUND_TRACK_M = 0.10
# A steadicam's arm carries the lens from the operator's waist to head height; a walked move
# with the lens lower than this is carried on a hand-held gimbal.
WAIST_M = 1.0

# Two shots share a setup when their cameras start this close on the floor (a nudge of the
# legs the grips need not re-mark), this close in height (a crank of the column) and on focal
# lengths this close in ratio (the same lens; another is a lens change, re-marked focus).
SAME_PLACE_M = 0.15
SAME_HEIGHT_M = 0.10
SAME_LENS = 0.05
# The shooting order turns the camera (and the lights with it) round the set a quarter at a
# time: setups looking within 45° of one way are lit together.
QUARTER_DEG = 90.0


@dataclass(frozen=True)
class Path:
    """What the rig rules read of a camera track: the movement word, the path's length and
    chord (metres), the lowest and highest lens height (metres), and its greatest distance
    from one circle (metres; inf where no circle fits) through its ``floor`` points (n, 2).

    The circle is fitted only when a rule asks: the fit was two thirds of a path's cost, and
    a still or straight camera's rig is found before (a plan's files ask for each shot's rig
    some five times, ~0.2 s of CPU at 2,000 beats: issue 19)."""

    movement: str
    length_m: float
    chord_m: float
    lowest_m: float
    highest_m: float
    floor: FloatArray = field(repr=False, compare=False)

    @property
    def straight(self) -> bool:
        return self.chord_m >= STRAIGHT * self.length_m

    @functools.cached_property
    def off_circle_m(self) -> float:
        return _off_circle(self.floor)


@dataclass(frozen=True)
class RigRule:
    """One rig rule: the rig, why it does the move (a sentence the crew reads on the setups
    page), and the test."""

    rig: str
    reason: str
    holds: Callable[[Path], bool]


RIG_RULES: tuple[RigRule, ...] = (
    RigRule(
        "handheld", "The move is the operator's own hands.", lambda p: p.movement == "handheld"
    ),
    RigRule(
        "crane",
        "The whole camera rises or falls: an arm lifts it.",
        lambda p: lifted(p.movement),
    ),
    RigRule("crane", "The lens is higher than legs reach.", lambda p: p.highest_m > REACH_M),
    RigRule(
        "sticks",
        "The camera stays put: pans, tilts and zooms are the head's and the lens's.",
        lambda p: p.length_m < STILL_M,
    ),
    RigRule(
        "slider",
        "A straight move short enough for a slider.",
        lambda p: p.straight and p.length_m <= SLIDER_M,
    ),
    RigRule("dolly", "A straight move: dolly on straight track.", lambda p: p.straight),
    RigRule(
        "dolly",
        "The move keeps its distance round one centre: dolly on round track.",
        lambda p: p.off_circle_m <= ROUND_TRACK_M,
    ),
    RigRule(
        "gimbal",
        "A walked move below a steadicam's reach: a gimbal carried low.",
        lambda p: p.lowest_m < WAIST_M,
    ),
    RigRule("steadicam", "A walked move that bends: no track lays it.", lambda p: True),
)


@dataclass(frozen=True)
class Setup:
    """One camera setup: its id, place in the shooting order (1 first), the rig and lens,
    where the camera starts (``position`` metres, world) and the floor heading it looks along
    (degrees, as a character's ``facing_deg``), and its shots in cut order."""

    id: str
    order: int
    rig: str
    lens_mm: float
    position: tuple[float, float, float]
    heading_deg: float
    shots: tuple[str, ...]

    @property
    def camera_height_m(self) -> float:
        return self.position[1]


def _off_circle(points: FloatArray) -> float:
    """Greatest distance of floor points (n, 2) from their least-squares circle (Kasa's fit)."""
    if len(points) < 3:
        return float("inf")
    design = np.column_stack([2.0 * points, np.ones(len(points))])
    target = (points**2).sum(axis=1)
    (cx, cz, c), *_ = np.linalg.lstsq(design, target, rcond=None)
    radius = np.sqrt(max(c + cx * cx + cz * cz, 0.0))
    return float(np.abs(np.linalg.norm(points - (cx, cz), axis=1) - radius).max())


def path_of(shot: Shot) -> Path:
    """The camera path of a shot as the rig rules read it."""
    position = shot.camera.position
    steps = lengths(np.diff(position, axis=0))
    return Path(
        movement=shot.movement,
        length_m=float(steps.sum()),
        chord_m=float(np.linalg.norm(position[-1] - position[0])),
        lowest_m=float(position[:, 1].min()),
        highest_m=float(position[:, 1].max()),
        floor=position[:, [0, 2]],
    )


def rig_rule(shot: Shot) -> RigRule:
    """The first rig rule that holds for the shot's track."""
    path = path_of(shot)
    return next(rule for rule in RIG_RULES if rule.holds(path))


def rig_for(shot: Shot) -> str:
    """What carries the camera of a shot (a vocab.RIGS word)."""
    return rig_rule(shot).rig


def camera_height_m(shot: Shot) -> float:
    """The lens height above the floor on the shot's first frame, metres."""
    return float(shot.camera.position[0, 1])


def tilt_deg(shot: Shot) -> float:
    """The camera's tilt on the shot's first frame, degrees; positive looks down."""
    return float(yaw_pitch_roll_deg(shot.camera.rotation[:1])[0, 1])


def heading_deg(shot: Shot) -> float:
    """The floor heading the lens looks along on the shot's first frame (as ``facing_deg``)."""
    forward = camera_axes(shot.camera.rotation[:1])[2][0]
    return floor_heading_deg(forward[[0, 2]])


def setup_name(index: int) -> str:
    """A, B, … Z, AA, AB, …: the index-th setup's id (0 is A)."""
    name = ""
    index += 1
    while index:
        index, letter = divmod(index - 1, 26)
        name = chr(ord("A") + letter) + name
    return name


def _same_setup(anchor: Shot, rig: str, shot: Shot, shot_rig: str) -> bool:
    start, other = anchor.camera.position[0], shot.camera.position[0]
    return (
        rig == shot_rig
        and float(np.hypot(*(start - other)[[0, 2]])) <= SAME_PLACE_M
        and abs(float(start[1] - other[1])) <= SAME_HEIGHT_M
        and abs(shot.lens_mm - anchor.lens_mm) <= SAME_LENS * anchor.lens_mm
    )


def shooting_order(setups: list[Setup], widest: dict[str, int]) -> list[Setup]:
    """The setups in the order to shoot them, numbered.

    The master goes first: the setup holding the scene's widest shot (the earliest, of
    equals), since the lighting is set for it and the closer coverage matches it. Then the
    camera turns round the set one way, a quarter (``QUARTER_DEG``) at a time from the
    master's heading, so each direction is lit once and the lights turn round once; within a
    quarter, widest first (a tighter frame is a tweak of the light a wider one set), then in
    cut order. ``widest`` gives each setup's widest size as an index of vocab.SIZES.
    """
    master = min(setups, key=lambda setup: (widest[setup.id], setups.index(setup)))

    def quarter(setup: Setup) -> int:
        turned = (setup.heading_deg - master.heading_deg + QUARTER_DEG / 2) % 360.0
        return int(turned // QUARTER_DEG)

    ordered = sorted(
        setups,
        key=lambda setup: (setup is not master, quarter(setup), widest[setup.id], setup.id),
    )
    return [replace(setup, order=order) for order, setup in enumerate(ordered, start=1)]


def setups(plan: ShotPlan) -> tuple[Setup, ...]:
    """The plan's setups in shooting order. Each shot joins the first setup (in cut order)
    whose first shot starts in the same place on the same lens and rig, or opens a new one."""
    rigs = {shot.id: rig_for(shot) for shot in plan.shots}
    anchors: list[Shot] = []
    members: list[list[Shot]] = []
    for shot in plan.shots:
        for anchor, group in zip(anchors, members, strict=True):
            if _same_setup(anchor, rigs[anchor.id], shot, rigs[shot.id]):
                group.append(shot)
                break
        else:
            anchors.append(shot)
            members.append([shot])
    found = [
        Setup(
            id=setup_name(index),
            order=0,
            rig=rigs[anchor.id],
            lens_mm=anchor.lens_mm,
            position=(
                float(anchor.camera.position[0, 0]),
                camera_height_m(anchor),
                float(anchor.camera.position[0, 2]),
            ),
            heading_deg=heading_deg(anchor),
            shots=tuple(shot.id for shot in group),
        )
        for index, (anchor, group) in enumerate(zip(anchors, members, strict=True))
    ]
    widest = {
        setup.id: min(SIZES.index(shot.size) for shot in group)
        for setup, group in zip(found, members, strict=True)
    }
    return tuple(shooting_order(found, widest))


def setup_of(plan_setups: tuple[Setup, ...]) -> dict[str, Setup]:
    """Each shot id's setup."""
    return {shot: setup for setup in plan_setups for shot in setup.shots}


@dataclass(frozen=True)
class Crossing:
    """A camera that stands or travels where a set piece stands: the shot, the piece (a
    ``SetBox`` name), the first floor point (x, z) inside it, and whether the camera moves."""

    shot: str
    piece: str
    point: tuple[float, float]
    moving: bool

    def words(self, rig: str) -> str:
        """The warning as the shot list prints it."""
        piece = piece_words(self.piece)
        if self.moving:
            return f"The {rig}'s path runs through the {piece}: re-lay it or move the {piece}."
        return f"The camera stands where the {piece} is: move the {piece} or cheat the camera."


def piece_words(name: str) -> str:
    """A set box's name as a crew says it: "wall_left_4" the "left wall", "window_sill_wall_left"
    the "window", "chair_seat" the "chair"."""
    words = [word for word in name.split("_") if not word.isdigit()]
    if words[0] == "wall":
        return f"{' '.join(words[1:])} wall".strip()
    for opening in ("door", "window"):
        if opening in words:
            return opening
    return words[0]


# A piece whose underside is this high is hung (a lintel, a window head): a camera on the
# floor passes under it.
HUNG_M = 0.5


def lifted(movement: str) -> bool:
    """Whether a movement raises or lowers the whole camera, which an arm does."""
    return movement.startswith(("crane_", "pedestal_"))


# A fluid head and the camera body on it overhang the legs or the dolly under them by about
# this much: the lens may reach this far over a piece's edge while its rig stands clear.
OVERHANG_M = 0.25


@dataclass(frozen=True)
class RigRoom:
    """Boxes a camera rig must keep out of: centres and half sizes (k, 3), and the index of
    the set box each stands for (k,)."""

    centers: FloatArray
    halves: FloatArray
    pieces: NDArray[np.intp]

    def entered(self, position: FloatArray, margin_m: float = 0.0) -> NDArray[np.bool_]:
        """(frames, set boxes): whether each point (n, 3) is within ``margin_m`` of the room
        kept round each piece."""
        reach = self.halves[None] + margin_m
        inside = np.all(np.abs(position[:, None] - self.centers[None]) < reach, axis=2)
        each_piece = self.pieces[:, None] == np.arange(int(self.pieces.max(initial=-1)) + 1)
        return np.asarray((inside.astype(np.int64) @ each_piece) > 0)


def box_extents(boxes: tuple[SetBox, ...]) -> tuple[FloatArray, FloatArray]:
    """The set's boxes as arrays: centres and half sizes (k, 3)."""
    centers = np.array([box.center for box in boxes], dtype=np.float64).reshape(-1, 3)
    halves = np.array([box.size for box in boxes], dtype=np.float64).reshape(-1, 3) / 2.0
    return centers, halves


def rig_room(boxes: tuple[SetBox, ...], on_floor: bool) -> RigRoom:
    """The room a camera rig must keep: every set box as it stands and, for a rig that stands
    on the floor, a column over each piece standing on the floor, from the floor up to
    ``REACH_M``, its footprint less ``OVERHANG_M`` all round. Legs, a dolly or an operator
    cannot stand on a table even where the lens would clear its top; a crane's arm reaches
    over it (and a lens above ``REACH_M`` is on one)."""
    centers, halves = box_extents(boxes)
    pieces = np.arange(len(boxes))
    if not on_floor:
        return RigRoom(centers, halves, pieces)
    bottom, top = centers[:, 1] - halves[:, 1], centers[:, 1] + halves[:, 1]
    footprint = halves[:, [0, 2]] - OVERHANG_M
    column = (bottom <= HUNG_M) & (top < REACH_M) & np.all(footprint > 0.0, axis=1)
    column_centers = centers[column].copy()
    column_halves = np.zeros_like(column_centers)
    column_centers[:, 1], column_halves[:, 1] = REACH_M / 2.0, REACH_M / 2.0
    column_halves[:, [0, 2]] = footprint[column]
    return RigRoom(
        np.concatenate([centers, column_centers]),
        np.concatenate([halves, column_halves]),
        np.concatenate([pieces, pieces[column]]),
    )


def crossings(plan: ShotPlan) -> tuple[Crossing, ...]:
    """Every shot whose camera, on some frame, stands inside the room its rig must keep round a
    piece (``rig_room``: for a rig on the floor, over the piece's footprint), one per shot and
    piece, in cut order."""
    found: list[Crossing] = []
    for shot in plan.shots:
        position = shot.camera.position
        moving = path_of(shot).length_m >= STILL_M
        entered = rig_room(plan.set.boxes, rig_for(shot) != "crane").entered(position)
        for piece in np.flatnonzero(entered.any(axis=0)):
            first = position[int(np.argmax(entered[:, piece]))]
            point = (float(first[0]), float(first[2]))
            found.append(Crossing(shot.id, plan.set.boxes[piece].name, point, moving))
    return tuple(found)
