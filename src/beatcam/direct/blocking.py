"""Blocking: where every character stands and walks on every frame of the scene.

Characters start on marks laid out for the set (facing each other when two, a half circle
when more) unless the scene file places them. A beat whose actions move its first named
character (walk, run, enter, approach, ...) moves them during that beat; a chase moves every
character it names. Someone who enters waits off their mark until their entrance and walks
onto it. Walks ease in and out, the body turns before it walks, and nobody leaves the
set's walking room (a walk that would turns back).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from beatcam.model import Affect, Blocking, Character, CharacterTrack
from beatcam.model.geometry import FloatArray
from beatcam.model.sets import SetPreset

WALK_SPEED = 1.3
RUN_SPEED = 3.6
ACCELERATION_SECONDS = 0.5
TURN_FRAMES = 8
APPROACH_STOP_M = 0.9
TWO_SHOT_SPACING_M = 1.6
CIRCLE_RADIUS_M = 1.4

RUN_ACTIONS = frozenset({"run", "chase", "flee", "sprint", "bolt", "charge"})
WALK_ACTIONS = frozenset(
    {"walk", "enter", "arrive", "exit", "approach", "retreat", "cross", "pace", "leave"}
)
TOWARD_OTHERS = frozenset({"approach", "charge"})
AWAY_FROM_OTHERS = frozenset({"retreat", "flee", "exit", "leave"})
ENTER_ACTIONS = frozenset({"enter", "arrive"})
BODY_CLEARANCE_M = 0.3
WALK_SAMPLES = 64


@dataclass(frozen=True)
class Mark:
    x: float
    z: float
    facing_deg: float


def _heading_vector(heading_deg: float) -> FloatArray:
    radians = np.deg2rad(heading_deg)
    return np.array([np.sin(radians), np.cos(radians)])


def _heading_of(vector: FloatArray) -> float:
    return float(np.degrees(np.arctan2(vector[0], vector[1])))


def starting_marks(cast: Sequence[Character], preset: SetPreset) -> dict[str, Mark]:
    """Marks for the cast: explicit positions first, the set's layout for the rest."""
    count = len(cast)
    front_z = 0.9 if preset.name in {"kitchen", "interior", "office"} else 0.0
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
            offset = CIRCLE_RADIUS_M * _heading_vector(float(heading))
            layout.append(
                Mark(float(offset[0]), centre_z + float(offset[1]), float(heading) + 180.0)
            )
    marks: dict[str, Mark] = {}
    for member, default in zip(cast, layout, strict=True):
        x, z = member.position if member.position is not None else (default.x, default.z)
        facing = member.facing_deg if member.facing_deg is not None else default.facing_deg
        marks[member.name] = Mark(x, z, facing)
    return marks


def _movers(affect: Affect) -> tuple[tuple[str, ...], str]:
    """Who moves in a beat and how: the first named character, or all of them in a chase."""
    actions = set(affect.actions)
    if not affect.characters or not actions & (RUN_ACTIONS | WALK_ACTIONS):
        return (), ""
    kind = next(action for action in affect.actions if action in RUN_ACTIONS | WALK_ACTIONS)
    movers = affect.characters if "chase" in actions else affect.characters[:1]
    return tuple(movers), kind


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
    if not preset.boxes:
        return target
    low = np.array(
        [[box.center[0] - box.size[0] / 2, box.center[2] - box.size[2] / 2] for box in preset.boxes]
    )
    high = np.array(
        [[box.center[0] + box.size[0] / 2, box.center[2] + box.size[2] / 2] for box in preset.boxes]
    )
    steps = np.linspace(0.0, 1.0, WALK_SAMPLES)[:, None]
    path = start + steps * (target - start)
    inside = np.all(
        (path[:, None, :] > low[None] - BODY_CLEARANCE_M)
        & (path[:, None, :] < high[None] + BODY_CLEARANCE_M),
        axis=2,
    ).any(axis=1)
    if not inside.any() or inside[0]:
        return target
    first = int(np.argmax(inside))
    return np.asarray(path[max(first - 1, 0)], dtype=np.float64)


def block(
    cast: Sequence[Character],
    affects: Sequence[Affect],
    beat_frames: Sequence[int],
    preset: SetPreset,
    fps: int,
) -> Blocking:
    """Every character's per-frame track over the whole scene."""
    total = int(sum(beat_frames))
    marks = starting_marks(cast, preset)
    entrances = _entrances(affects)
    positions = {name: np.zeros((total, 2)) for name in marks}
    facings = {name: np.zeros(total) for name in marks}
    current = {name: np.array([mark.x, mark.z]) for name, mark in marks.items()}
    facing_now = {name: mark.facing_deg for name, mark in marks.items()}
    for name in entrances:
        # Waiting off stage, where the walk in will start, facing their mark.
        current[name] = np.array(preset.entrance, dtype=np.float64)
        facing_now[name] = _heading_of(np.array([marks[name].x, marks[name].z]) - current[name])
    start = 0
    for index, (affect, frames) in enumerate(zip(affects, beat_frames, strict=True)):
        end = start + frames
        movers, kind = _movers(affect)
        movers = tuple(name for name in movers if name in current)
        for name in current:
            positions[name][start:end] = current[name]
            facings[name][start:end] = facing_now[name]
        for name in movers:
            speed = RUN_SPEED if kind in RUN_ACTIONS else WALK_SPEED
            distance = speed * frames / fps * 0.85
            others = [current[other] for other in current if other != name]
            if entrances.get(name) == index:
                target = np.array([marks[name].x, marks[name].z])
            elif kind in TOWARD_OTHERS and others:
                nearest = min(
                    others, key=lambda point: float(np.linalg.norm(point - current[name]))
                )
                offset = nearest - current[name]
                gap = float(np.linalg.norm(offset))
                reach = max(0.0, min(distance, gap - APPROACH_STOP_M))
                target = current[name] + (offset / gap * reach if gap > 0 else 0.0)
            else:
                direction = _heading_vector(preset.walk_heading_deg)
                if others:
                    away = current[name] - np.mean(others, axis=0)
                    wants_away = kind in AWAY_FROM_OTHERS
                    if (float(np.dot(away, direction)) < 0) == wants_away:
                        direction = -direction
                if np.linalg.norm(current[name] + distance * direction) > preset.walk_room_m:
                    direction = -direction
                target = _clamped(current[name], direction, distance, preset.walk_room_m)
            target = _stop_before_set(current[name], target, preset)
            offset = target - current[name]
            travelled = float(np.linalg.norm(offset))
            path = current[name] + np.outer(_profile(frames, fps), offset)
            positions[name][start:end] = path
            if travelled > 1e-6:
                facing_now[name] = _heading_of(offset)
                facings[name][start:end] = facing_now[name]
            current[name] = path[-1]
        _face_partners(current, facing_now, movers)
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
        facings[doer][max(touch - walk - TURN_FRAMES, 0) : touch] = _heading_of(offset)
        facings[doer][touch : contact.until] = _heading_of(there - target)
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
            facing[name] = _heading_of(offset)
