"""Blocking: where every character stands and walks on every frame of the scene.

Characters start on marks laid out for the set (facing each other when two, a half circle
when more) unless the scene file places them. A beat whose actions move its first named
character (walk, run, enter, approach, ...) moves them during that beat; a chase moves every
character it names, and two who walk together (side by side, arm in arm) go abreast. Someone
who enters waits off their mark until their entrance and walks onto it. Walks ease in and out,
the body turns before it walks, and nobody leaves the set's walking room (a walk that would
turns back). Where the words put people (``space``: "behind her", "at the window", "across
the street") is their first mark when said as we meet them, else where they walk in that
beat; such a walk goes round furniture and people, and in through a door from outside a room.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from beatcam.direct.spots import (
    BODY_CLEARANCE_M,
    FAR_SIDE_M,
    STAND_OFF_M,
    Relation,
    at_piece,
    back_off,
    footprints,
    free_spot,
    place,
    standing,
)
from beatcam.model import Affect, Blocking, Character, CharacterTrack, SetBox
from beatcam.model.geometry import (
    BODY_RADIUS_M,
    FloatArray,
    floor_direction,
    floor_heading_deg,
)
from beatcam.model.set_kit import kind_of
from beatcam.model.sets import INTERIORS, SetPreset
from beatcam.model.vocab import Staging

WALK_SPEED = 1.3
RUN_SPEED = 3.6
ACCELERATION_SECONDS = 0.5
TURN_FRAMES = 8
APPROACH_STOP_M = 0.9
TWO_SHOT_SPACING_M = 1.6
CIRCLE_RADIUS_M = 1.4
# Two who walk together go abreast this far apart, centre to centre: shoulder to shoulder, at
# the near end of Hall's personal distance (0.45-1.2 m).
ABREAST_M = 0.7
# A companion falls in beside the one they walk with over this long from the walk's start.
FALL_IN_S = 1.0

RUN_ACTIONS = frozenset({"run", "chase", "flee", "sprint", "bolt", "charge"})
# "follow" is a walk behind someone ("tails the courier through the market"); a gaze that
# follows is not an action at all (actions.yaml ignores it).
WALK_ACTIONS = frozenset(
    {"walk", "enter", "arrive", "exit", "approach", "retreat", "cross", "pace", "leave", "follow"}
)
TOWARD_OTHERS = frozenset({"approach", "charge"})
AWAY_FROM_OTHERS = frozenset({"retreat", "flee", "exit", "leave"})
ENTER_ACTIONS = frozenset({"enter", "arrive"})
SPREAD = frozenset({"across", "far"})  # relations that spread two unplaced people apart
# Across a table, each sits this share of its length off its middle, on opposite sides: the
# stage's cheat, so that from the open front neither hides the other.
DIAGONAL_SHARE = 0.15
WALK_SAMPLES = 64
# A person in the way of a walk is a box this wide and tall (BODY_CLEARANCE_M more is kept).
BODY_WIDTH_M = 0.3
BODY_HEIGHT_M = 1.8


@dataclass(frozen=True)
class Mark:
    x: float
    z: float
    facing_deg: float


def starting_marks(cast: Sequence[Character], preset: SetPreset) -> dict[str, Mark]:
    """Marks for the cast: explicit positions first, the set's layout for the rest."""
    count = len(cast)
    front_z = 0.9 if preset.name in INTERIORS else 0.0
    layout: list[Mark]
    if count == 1:
        layout = [Mark(0.0, front_z, 0.0)]
    elif count == 2:
        half = TWO_SHOT_SPACING_M / 2.0
        layout = [Mark(-half, front_z, 90.0), Mark(half, front_z, 270.0)]
    else:
        centre_z = front_z - 0.4
        headings = np.linspace(120.0, 240.0, count)
        layout = []
        for heading in headings:
            offset = CIRCLE_RADIUS_M * floor_direction(float(heading))
            layout.append(
                Mark(float(offset[0]), centre_z + float(offset[1]), float(heading) + 180.0)
            )
    marks: dict[str, Mark] = {}
    for member, default in zip(cast, layout, strict=True):
        if member.position is None:  # nobody's default mark is inside a piece of the set
            others = np.array([[mark.x, mark.z] for mark in marks.values()]).reshape(-1, 2)
            free = free_spot(np.array([default.x, default.z]), preset.boxes, others)
            x, z = float(free[0]), float(free[1])
        else:
            x, z = member.position
        facing = member.facing_deg if member.facing_deg is not None else default.facing_deg
        marks[member.name] = Mark(x, z, facing)
    return marks


def _spot(
    relation: Relation,
    positions: dict[str, FloatArray],
    facings: dict[str, float],
    preset: SetPreset,
) -> tuple[FloatArray, float] | None:
    """Where ``relation`` puts its doer given everyone's ``positions`` and ``facings``."""
    anchor = relation.anchor
    held = (positions[anchor], facings[anchor]) if anchor in positions else None
    others = np.array([p for name, p in positions.items() if name != relation.doer]).reshape(-1, 2)
    return place(
        relation, positions[relation.doer], held, preset.boxes, preset.walk_heading_deg, others
    )


def _opening(
    relations: Sequence[Relation], affects: Sequence[Affect], entrances: dict[str, int]
) -> list[Relation]:
    """The relations that say where someone stands when we first see them: stated no later
    than the beat that first names them (or brings them on), in a beat where they do not
    walk; the first such relation for each person."""
    first: dict[str, int] = {}
    for index, affect in enumerate(affects):
        for name in affect.characters:
            first.setdefault(name, index)
    opening: dict[str, Relation] = {}
    for relation in relations:
        doer = relation.doer
        introduced = relation.beat <= first.get(doer, 0) or relation.beat == entrances.get(doer)
        walks = doer in _movers(affects[relation.beat])[0] and entrances.get(doer) != relation.beat
        if introduced and not walks:
            opening.setdefault(doer, relation)
    return list(opening.values())


def _placed_marks(
    marks: dict[str, Mark], opening: Sequence[Relation], preset: SetPreset, fixed: set[str]
) -> dict[str, Mark]:
    """The marks with each opening relation honoured, in the order said (so "Tom stands
    behind her" finds Mara already at the window). Across from or far from someone whose mark
    nothing ``fixed`` (the scene file, earlier words), the two spread about their middle;
    across a piece ("across the table"), that one takes the piece's long side nearest them
    and the other the far one, across its narrow way as people sit at a table, each
    DIAGONAL_SHARE of its length off its middle."""
    placed = dict(marks)
    settled = set(fixed)
    for relation in opening:
        if relation.doer in fixed:  # the scene file's own marks stand
            continue
        positions = {name: np.array([mark.x, mark.z]) for name, mark in placed.items()}
        facings = {name: mark.facing_deg for name, mark in placed.items()}
        doer, anchor = relation.doer, relation.anchor
        loose = relation.kind in SPREAD and anchor in placed and anchor not in settled
        own = [box for box in preset.boxes if kind_of(box) == relation.piece]
        spread = loose and not own
        if loose and own and anchor is not None:
            # Across a piece: its two long sides, diagonally, so neither hides the other.
            low, high = footprints(own)
            middle = (low.min(axis=0) + high.max(axis=0)) / 2.0
            extent = high.max(axis=0) - low.min(axis=0)
            axis = int(np.argmin(extent))  # its narrow way
            side, along = np.zeros(2), np.zeros(2)
            side[axis] = 1.0 if positions[anchor][axis] > middle[axis] else -1.0
            along[1 - axis] = DIAGONAL_SHARE * extent[1 - axis]
            along *= 1.0 if positions[anchor][1 - axis] < middle[1 - axis] else -1.0
            there = at_piece(own, middle + FAR_SIDE_M * side)[0] - along
            point = at_piece(own, middle - FAR_SIDE_M * side)[0] + along
            back = floor_heading_deg(point - there)
            placed[anchor] = Mark(float(there[0]), float(there[1]), back)
            placed[doer] = Mark(float(point[0]), float(point[1]), floor_heading_deg(there - point))
            settled |= {anchor, doer}
            continue
        if spread and anchor is not None:
            # Placed on open ground from their middle, then each kept clear of the set.
            centre = (positions[doer] + positions[anchor]) / 2.0
            positions[anchor] = centre
            open_ground = replace(preset, boxes=())
            spot = _spot(relation, positions, facings, open_ground)
        else:
            spot = _spot(relation, positions, facings, preset)
        if spot is None:
            continue
        point, facing = spot
        if spread and anchor is not None:
            half = (point - centre) / 2.0
            others = np.array([p for n, p in positions.items() if n not in {doer, anchor}])
            others = others.reshape(-1, 2)
            there = free_spot(
                back_off(centre - half, centre, preset.boxes, others), preset.boxes, others
            )
            point = free_spot(
                back_off(centre + half, centre, preset.boxes, others), preset.boxes, others
            )
            back = floor_heading_deg(point - there)
            placed[anchor] = Mark(float(there[0]), float(there[1]), back)
            facing = floor_heading_deg(there - point)
        placed[doer] = Mark(float(point[0]), float(point[1]), facing)
        settled.add(doer)
    return placed


def _movers(affect: Affect) -> tuple[tuple[str, ...], str]:
    """Who moves in a beat and how: the first named character, those who walk together (the
    others beside the first: ``_abreast``), or all of them in a chase."""
    actions = set(affect.actions)
    if not affect.characters or not actions & (RUN_ACTIONS | WALK_ACTIONS):
        return (), ""
    kind = next(action for action in affect.actions if action in RUN_ACTIONS | WALK_ACTIONS)
    movers = affect.characters[:1]
    if "chase" in actions:
        movers = affect.characters
    elif Staging.WALK_TOGETHER in affect.stagings:
        movers = affect.walkers or affect.characters[:2]
    return tuple(movers), kind


def _abreast_offsets(
    starts: Mapping[str, FloatArray], leader_start: FloatArray, heading_deg: float
) -> dict[str, float]:
    """Where each companion walks beside the leader, in metres to the leader's right
    (negative: left): ``ABREAST_M`` apart in a line, each on the side they stand on, the
    nearer one next to the leader, so nobody crosses another's path to fall in."""
    angle = np.deg2rad(heading_deg)
    right = np.array([np.cos(angle), -np.sin(angle)])
    across = {name: float(np.dot(start - leader_start, right)) for name, start in starts.items()}
    offsets: dict[str, float] = {}
    for side in (1.0, -1.0):
        beside = sorted((side * x, name) for name, x in across.items() if (x >= 0.0) == (side > 0))
        for rank, (_, name) in enumerate(beside, start=1):
            offsets[name] = side * rank * ABREAST_M
    return offsets


def _abreast(
    start: FloatArray,
    leader_start: FloatArray,
    path: FloatArray,
    heading: FloatArray,
    offset_m: float,
    fps: int,
    opening: bool,
) -> FloatArray:
    """A companion's walk ``(n, 2)`` beside the leader's ``path`` (its ``heading`` per frame):
    ``offset_m`` to the right of the walk (``_abreast_offsets``), from the first frame in the
    scene's ``opening`` beat (they are found walking together), else falling in over
    ``FALL_IN_S`` from where they stand."""
    angle = np.deg2rad(heading)
    right = np.column_stack([np.cos(angle), -np.sin(angle)])
    share = np.clip(np.arange(len(path)) / (FALL_IN_S * fps), 0.0, 1.0)
    if opening:
        share[:] = 1.0
    share = (share * share * (3.0 - 2.0 * share))[:, None]  # smoothstep: no jolt either end
    return np.asarray(path + (1.0 - share) * (start - leader_start) + share * offset_m * right)


def _easing_share(frames: int, fps: int) -> float:
    """The share of a move's frames spent speeding up (and as many slowing down)."""
    return min(0.45, ACCELERATION_SECONDS * fps / max(frames, 1))


def _profile(frames: int, fps: int) -> FloatArray:
    """Progress 0..1 over a move: constant speed in the middle, eased at both ends."""
    t = np.linspace(0.0, 1.0, frames)
    ramp = _easing_share(frames, fps)
    # Trapezoidal velocity integrated in closed form.
    peak = 1.0 / (1.0 - ramp)
    accel = np.where(t < ramp, 0.5 * peak * t**2 / ramp, 0.0)
    cruise = np.where((t >= ramp) & (t <= 1 - ramp), peak * (t - ramp / 2.0), 0.0)
    decel = np.where(t > 1 - ramp, 1.0 - 0.5 * peak * (1.0 - t) ** 2 / ramp, 0.0)
    return np.asarray(accel + cruise + decel, dtype=np.float64)


def _turn(facing: FloatArray) -> FloatArray:
    """Turn the body over the few frames *before* a new heading, so a character turns and
    then walks, already facing the way they go on the walk's first frame."""
    unwrapped = np.rad2deg(np.unwrap(np.deg2rad(facing)))
    padded = np.concatenate([unwrapped, np.full(TURN_FRAMES - 1, unwrapped[-1])])
    windows = np.lib.stride_tricks.sliding_window_view(padded, TURN_FRAMES)
    return np.asarray(np.mod(windows.mean(axis=1), 360.0), dtype=np.float64)


def _entrances(affects: Sequence[Affect]) -> dict[str, int]:
    """The beat in which each character who walks in enters (they are off their mark before)."""
    entrances: dict[str, int] = {}
    for index, affect in enumerate(affects):
        movers, kind = _movers(affect)
        if kind in ENTER_ACTIONS and movers and movers[0] not in entrances:
            entrances[movers[0]] = index
    return entrances


def _clamped(start: FloatArray, direction: FloatArray, distance: float, room: float) -> FloatArray:
    """The end of a walk, kept within ``room`` metres of the set's centre."""
    end = start + distance * direction
    radius = float(np.linalg.norm(end))
    return end if radius <= room else end * (room / radius)


def _stop_before_set(start: FloatArray, target: FloatArray, preset: SetPreset) -> FloatArray:
    """Where a walk from ``start`` toward ``target`` must stop so the body (a disc of
    BODY_CLEARANCE_M) never enters a set box; a walk that starts inside one is left alone."""
    return np.asarray(_stops(start[None], target[None], preset)[0], dtype=np.float64)


def _stops(starts: FloatArray, targets: FloatArray, preset: SetPreset) -> FloatArray:
    """``_stop_before_set`` of many walks at once: from ``starts`` (n, 2) toward ``targets``
    (n, 2), each sampled and tested alike."""
    boxes = standing(preset.boxes)
    if not boxes:
        return targets
    low, high = footprints(boxes)
    low, high = low - BODY_CLEARANCE_M, high + BODY_CLEARANCE_M
    paths = _walk_paths(starts, targets)
    # Each sample against each box, x and z tested apart, (n, samples, boxes): an all() over a
    # last axis of two made the routing of a walk round the furniture (~320 legs) 0.0068 s of
    # a cold plan's CPU, 0.0013 this way (issue 19).
    x, z = paths[:, :, 0, None], paths[:, :, 1, None]
    inside = np.any((x > low[:, 0]) & (x < high[:, 0]) & (z > low[:, 1]) & (z < high[:, 1]), axis=2)
    return _last_clear(paths, inside, targets)


def _stop_before_people(start: FloatArray, target: FloatArray, others: FloatArray) -> FloatArray:
    """Where a walk from ``start`` toward ``target`` must stop so two bodies never overlap: the
    last point of the walk at least two body radii from every one of ``others`` (m, 2) standing
    by; a walk that starts that close to someone is left alone."""
    if not len(others):
        return target
    paths = _walk_paths(start[None], target[None])
    gaps = np.hypot(*(paths[0, :, None, :] - others[None, :, :]).transpose(2, 0, 1))
    crowded = (gaps < 2.0 * BODY_RADIUS_M).any(axis=1)
    return np.asarray(_last_clear(paths, crowded[None], target[None])[0], dtype=np.float64)


def _walk_paths(starts: FloatArray, targets: FloatArray) -> FloatArray:
    """Walks from ``starts`` (n, 2) to ``targets`` (n, 2), each at WALK_SAMPLES evenly spaced
    points: (n, samples, 2)."""
    steps = np.linspace(0.0, 1.0, WALK_SAMPLES)[None, :, None]
    return starts[:, None, :] + steps * (targets - starts)[:, None, :]


def _last_clear(paths: FloatArray, blocked: NDArray[np.bool_], targets: FloatArray) -> FloatArray:
    """Where each walk of ``paths`` (n, samples, 2) stops: at its last point before the first
    ``blocked`` (n, samples) one, or at its target when none is; a walk blocked from its start
    is left alone."""
    stopped = blocked.any(axis=1) & ~blocked[:, 0]
    before = np.maximum(np.argmax(blocked, axis=1) - 1, 0)
    stops = paths[np.arange(len(paths)), before]
    return np.where(stopped[:, None], stops, targets)


def _walk_target(
    name: str, kind: str, index: int, current: dict[str, FloatArray], marks: dict[str, Mark],
    entrances: dict[str, int], distance: float, preset: SetPreset, screen: int = 0,
) -> FloatArray:  # fmt: skip
    """Where a walk of ``distance`` the words give no place for ends: an entrance on its mark,
    an approach short of the nearest person, a retreat away from the others, a walk the words
    send screen right (``screen`` 1) or left (-1) that way as far as the walking room goes,
    otherwise along the set's walking line, turning back before its walking room runs out."""
    others = [current[other] for other in current if other != name]
    if entrances.get(name) == index:
        return np.array([marks[name].x, marks[name].z])
    if kind in TOWARD_OTHERS and others:
        nearest = min(others, key=lambda point: float(np.linalg.norm(point - current[name])))
        offset = nearest - current[name]
        gap = float(np.linalg.norm(offset))
        reach = max(0.0, min(distance, gap - APPROACH_STOP_M))
        return current[name] + (offset / gap * reach if gap > 0 else 0.0)
    if screen:
        return _stated_way(current[name], screen, distance, preset.walk_room_m)
    direction = floor_direction(preset.walk_heading_deg)
    if others:
        away = current[name] - np.mean(others, axis=0)
        wants_away = kind in AWAY_FROM_OTHERS
        if (float(np.dot(away, direction)) < 0) == wants_away:
            direction = -direction
    if np.linalg.norm(current[name] + distance * direction) > preset.walk_room_m:
        direction = -direction
    return _clamped(current[name], direction, distance, preset.walk_room_m)


def _stated_way(start: FloatArray, screen: int, distance: float, room: float) -> FloatArray:
    """The end of a walk screen right (``screen`` 1) or left (-1): along +x or -x, seen from
    the set's open side where the camera stands, stopping where the walking room ends."""
    way = np.array([float(screen), 0.0])
    along = float(np.dot(start, way))
    # The farthest t with |start + t way| <= room: the positive root of the circle's equation.
    reach = -along + np.sqrt(max(0.0, along**2 - float(np.dot(start, start)) + room**2))
    return np.asarray(start + way * max(0.0, min(distance, reach)), dtype=np.float64)


def _corners(points: FloatArray, preset: SetPreset) -> list[FloatArray]:
    """The corners (grown by a body and a little) of the standing boxes near ``points``."""
    low, high = footprints(standing(preset.boxes))
    margin = STAND_OFF_M + 0.05
    near = np.zeros(len(low), dtype=bool)
    for point in points:
        near |= np.all((point > low - 2 * margin) & (point < high + 2 * margin), axis=1)
    return [
        np.array([x, z])
        for index in np.flatnonzero(near)
        for x in (low[index][0] - margin, high[index][0] + margin)
        for z in (low[index][1] - margin, high[index][1] + margin)
    ]


def _around(start: FloatArray, target: FloatArray, preset: SetPreset) -> FloatArray:
    """``(k, 2)`` waypoints from ``start`` toward ``target``: straight, or round one or two
    corners of the boxes in the way (the shortest clear way), or as far as the straight way
    goes."""
    straight = _stop_before_set(start, target, preset)
    if np.allclose(straight, target):
        return np.array([start, target])
    corners = _corners(np.array([straight, target]), preset)
    # Every leg between the points (start, the corners, the target) is tested at once.
    points = np.array([start, *corners, target]).reshape(-1, 2)
    end = len(points) - 1
    froms, tos = (index.ravel() for index in np.indices((end + 1, end + 1)))
    ends = points[tos]
    clear_leg = np.isclose(_stops(points[froms], ends, preset), ends).all(axis=1)
    clear_leg = clear_leg.reshape(end + 1, end + 1)
    ways = [[first] for first in range(1, end)] + [
        [first, second] for first in range(1, end) for second in range(1, end) if first != second
    ]
    clear = [
        points[[0, *way, end]]
        for way in ways
        if all(clear_leg[a, b] for a, b in pairwise([0, *way, end]))
    ]
    if not clear:
        return np.array([start, straight])
    return min(clear, key=_length)


def _with_people(preset: SetPreset, current: dict[str, FloatArray], name: str) -> SetPreset:
    """The set with everyone but ``name`` standing in it as a box a body wide, so a walk goes
    round people as it goes round furniture."""
    people = tuple(
        SetBox("person", (float(point[0]), BODY_HEIGHT_M / 2.0, float(point[1])),
               (BODY_WIDTH_M, BODY_HEIGHT_M, BODY_WIDTH_M))
        for other, point in current.items()
        if other != name
    )  # fmt: skip
    return replace(preset, boxes=preset.boxes + people)


def _route(start: FloatArray, target: FloatArray, preset: SetPreset) -> FloatArray:
    """``(k, 2)`` waypoints of a walk: round what stands in it (see ``_around``), or, from
    the far side of a wall with a door, in through the door nearest ``start``: to a spot
    before it, one past it, then on."""
    doors = [box for box in preset.boxes if kind_of(box) == "door"]
    if not doors:
        return _around(start, target, preset)
    low, high = footprints(doors)
    centre, half = (low + high) / 2.0, (high - low) / 2.0
    index = int(np.argmin(np.linalg.norm(centre - start, axis=1)))
    thin = int(np.argmin(half[index]))
    side = np.sign(start[thin] - centre[index][thin])
    if side == np.sign(target[thin] - centre[index][thin]):
        return _around(start, target, preset)
    step = np.zeros(2)
    step[thin] = (half[index][thin] + STAND_OFF_M) * side
    inside = centre[index] - step
    return np.vstack([[start, centre[index] + step], _around(inside, target, preset)])


def _length(way: FloatArray) -> float:
    return float(np.linalg.norm(np.diff(way, axis=0), axis=1).sum())


def _along(route: FloatArray, progress: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Points ``(n, 2)`` at ``progress`` (n,) 0..1 of the way along ``route`` (k, 2) by
    distance walked, and the heading (n,) of the leg each is on."""
    legs = np.diff(route, axis=0)
    lengths = np.linalg.norm(legs, axis=1)
    total = float(lengths.sum())
    if total < 1e-9:
        return np.tile(route[0], (len(progress), 1)), np.zeros(len(progress))
    walked = np.concatenate([[0.0], np.cumsum(lengths)])
    distance = progress * total
    path = np.column_stack([np.interp(distance, walked, route[:, axis]) for axis in (0, 1)])
    leg = np.clip(np.searchsorted(walked, distance, side="right") - 1, 0, len(legs) - 1)
    heading = np.degrees(np.arctan2(legs[leg, 0], legs[leg, 1]))
    return path, np.asarray(heading, dtype=np.float64)


def block(
    cast: Sequence[Character],
    affects: Sequence[Affect],
    beat_frames: Sequence[int],
    preset: SetPreset,
    fps: int,
    relations: Sequence[Relation] = (),
    screen: Sequence[int] = (),
) -> Blocking:
    """Every character's per-frame track over the whole scene; ``relations`` (read from the
    beats by ``space``) say where people stand: on their first marks when stated as we meet
    them, else walked to in the beat that states them; ``screen`` (per beat, from
    ``space.screen_direction``) which way across the screen a walk goes where the words say."""
    total = int(sum(beat_frames))
    entrances = _entrances(affects)
    opening = _opening(relations, affects, entrances)
    fixed = {member.name for member in cast if member.position is not None}
    marks = _placed_marks(starting_marks(cast, preset), opening, preset, fixed)
    later = [relation for relation in relations if relation not in opening]
    positions = {name: np.zeros((total, 2)) for name in marks}
    facings = {name: np.zeros(total) for name in marks}
    current = {name: np.array([mark.x, mark.z]) for name, mark in marks.items()}
    facing_now = {name: mark.facing_deg for name, mark in marks.items()}
    for name in entrances:
        # Waiting off stage, where the walk in will start, facing their mark.
        current[name] = np.array(preset.entrance, dtype=np.float64)
        target = np.array([marks[name].x, marks[name].z])
        facing_now[name] = floor_heading_deg(target - current[name])
    start = 0
    for index, (affect, frames) in enumerate(zip(affects, beat_frames, strict=True)):
        end = start + frames
        movers, kind = _movers(affect)
        movers = tuple(name for name in movers if name in current)
        companions = movers[1:] if "chase" not in affect.actions else ()
        led: tuple[FloatArray, FloatArray, FloatArray] | None = None  # the leader's walk
        beside: dict[str, float] = {}  # each companion's place beside the leader
        for name in current:
            positions[name][start:end] = current[name]
            facings[name][start:end] = facing_now[name]
        stated: dict[str, Relation] = {}
        for relation in later:
            # Beside the one they walk with ("walk side by side") is the walk together itself.
            abreast = (
                relation.doer in companions
                and relation.kind == "beside"
                and relation.anchor in movers
            )
            if relation.beat == index and relation.doer in current and not abreast:
                stated.setdefault(relation.doer, relation)
        # Those placed relative to someone who moves in this beat go after them.
        order = sorted(stated.values(), key=lambda relation: relation.anchor in stated)
        stated = {relation.doer: relation for relation in order}
        for name in (*movers, *(name for name in stated if name not in movers)):
            speed = RUN_SPEED if kind in RUN_ACTIONS else WALK_SPEED
            spot = _spot(stated[name], current, facing_now, preset) if name in stated else None
            if spot is not None:
                target = spot[0]
            elif name in beside and led is not None:
                opens = index == 0 and name not in entrances
                path = _abreast(current[name], *led, beside[name], fps, opens)
                positions[name][start : start + len(path)] = path
                positions[name][start + len(path) : end] = path[-1]
                facings[name][start : start + len(path)] = led[2]
                facing_now[name] = float(led[2][-1])
                facings[name][start + len(path) : end] = facing_now[name]
                current[name] = path[-1]
                continue
            elif name in movers:
                distance = speed * frames / fps * 0.85
                way = screen[index] if screen else 0
                # Walking together, none walks toward or away from the others (a companion
                # walks alone only when the leader does not move).
                around = {k: v for k, v in current.items() if k == name or k not in companions}
                target = _walk_target(
                    name, kind, index, around, marks, entrances, distance, preset, way
                )
            else:
                continue
            if spot is not None or entrances.get(name) == index:
                # Somewhere in particular: round what is in the way, in through a door.
                route = _route(current[name], target, _with_people(preset, current, name))
            else:  # a walk with no place to go stops before the set
                route = np.array([current[name], _stop_before_set(current[name], target, preset)])
            length = float(np.linalg.norm(np.diff(route, axis=0), axis=1).sum())
            walk, share = frames, 1.0
            if spot is not None:
                # A stated place is walked to from the beat's start and then held, at a walk,
                # or a run when it is far; too far for a run, they get as near as one takes them.
                reach = RUN_SPEED * frames / fps * 0.85
                share = min(1.0, reach / length) if length > 1e-6 else 1.0
                walk = min(frames, max(1, round(length * share / WALK_SPEED * fps / 0.85)))
            path, heading = _along(route, _profile(walk, fps) * share)
            positions[name][start : start + walk] = path
            positions[name][start + walk : end] = path[-1]
            if companions and name == movers[0] and length > 1e-6:
                led = (current[name], path, heading)
                starts = {other: current[other] for other in companions}
                beside = _abreast_offsets(starts, current[name], float(heading[0]))
            if length > 1e-6:
                facing_now[name] = float(heading[-1])
                facings[name][start : start + walk] = heading
                facings[name][start + walk : end] = facing_now[name]
            if spot is not None:
                facing_now[name] = spot[1]
                facings[name][start + walk - 1 if length > 1e-6 else start : end] = spot[1]
            current[name] = path[-1]
        _face_partners(current, facing_now, [name for name in movers if name not in stated])
        start = end
    tracks: dict[str, CharacterTrack] = {}
    for member in cast:
        flat = positions[member.name]
        position = np.column_stack([flat[:, 0], np.zeros(total), flat[:, 1]])
        tracks[member.name] = CharacterTrack(
            member.name, member.height_m, position, _turn(facings[member.name])
        )
    return Blocking(tracks, total)


@dataclass(frozen=True)
class Contact:
    """A touch the beats ask for: ``doer`` reaches ``other`` (within ``reach_m``) on frame
    ``touch``, may start walking there on ``start`` and faces them until ``until``."""

    doer: str
    other: str
    start: int
    touch: int
    until: int
    reach_m: float


def close_in(
    blocking: Blocking, contacts: Sequence[Contact], preset: SetPreset, fps: int
) -> Blocking:
    """Bring people within reach before they touch: the doer walks (turning first) to within
    reach of the other by the touch, stays there facing them to the end of the beat, and
    carries on from there. Contacts already within reach change nothing."""
    positions = {name: np.array(track.position) for name, track in blocking.tracks.items()}
    facings = {name: np.array(track.facing_deg) for name, track in blocking.tracks.items()}
    moved: set[str] = set()
    for contact in contacts:
        doer, touch = contact.doer, contact.touch
        here = positions[doer][touch, [0, 2]]
        there = positions[contact.other][touch, [0, 2]]
        gap = float(np.linalg.norm(there - here))
        if gap <= contact.reach_m or touch <= contact.start:
            continue
        target = _stop_before_set(here, here + (there - here) * (1 - contact.reach_m / gap), preset)
        by = [name for name in positions if name not in (doer, contact.other)]
        standing_by = [positions[name][touch, [0, 2]] for name in by]
        target = _stop_before_people(here, target, np.array(standing_by).reshape(-1, 2))
        offset = target - here
        travelled = float(np.linalg.norm(offset))
        if travelled < 1e-6:
            continue
        # Nobody outruns RUN_SPEED to make a touch on time: too far, and they get as near as a
        # run takes them (``_profile``'s top speed is its mean over 1 - its easing share).
        available = touch - contact.start
        farthest = RUN_SPEED * (1.0 - _easing_share(available, fps)) * (available - 1) / fps
        if travelled > farthest:
            offset, travelled = offset * (farthest / travelled), farthest
        walk = min(available, max(1, round(travelled / WALK_SPEED * fps / 0.85)))
        track = positions[doer]
        goal = np.array(track[touch])
        goal[[0, 2]] += offset
        # They walk straight from where they were to the spot within reach, arrive at rest and
        # stay there for the touch: the rest of the beat's walk is given up, and later frames
        # carry on from where they stopped.
        share = _profile(walk, fps)[:, None]
        window = slice(touch - walk, touch)
        track[window] = (1.0 - share) * track[touch - walk] + share * goal
        track[contact.until :] += goal - track[contact.until - 1]
        track[touch : contact.until] = goal
        facings[doer][max(touch - walk - TURN_FRAMES, 0) : touch] = floor_heading_deg(offset)
        facings[doer][touch : contact.until] = floor_heading_deg(there - target)
        moved.add(doer)
    tracks = {
        name: replace(
            track,
            position=positions[name],
            facing_deg=_turn(facings[name]) if name in moved else track.facing_deg,
        )
        for name, track in blocking.tracks.items()
    }
    return Blocking(tracks, blocking.frames)


def _face_partners(
    current: dict[str, FloatArray], facing: dict[str, float], movers: Sequence[str]
) -> None:
    """After a move, the people who arrived turn to the nearest other person."""
    for name in movers:
        others = [current[other] for other in current if other != name]
        if not others:
            continue
        nearest = min(others, key=lambda point: float(np.linalg.norm(point - current[name])))
        offset = nearest - current[name]
        if float(np.linalg.norm(offset)) > 1e-6:
            facing[name] = floor_heading_deg(offset)
