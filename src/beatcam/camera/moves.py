"""The 23 camera movements of docs/design.md section 3, each built around a ``Rig``.

Every builder returns a ``Pose``: positions ``(n, 3)`` metres world, world-from-camera matrices
``(n, 3, 3)`` and focal lengths ``(n,)`` mm. Moves aim well past the measured thresholds so a
plan reads its own words back with margin; every move eases in and out (``easing``), except the
whip's fast middle and the handheld jitter.

Moves fall in three families:

* orbit moves keep the aim at a fixed image point and place the camera around it (push, pull,
  dolly zoom, arc, follow, lead, handheld, static): the frame height is exact by construction;
* rig moves travel a fixed path in the world and turn to keep the aim framed (truck, pedestal,
  crane, zoom); where the focal length is free it holds the frame height to the size targets;
* turns stand still and rotate onto the subject (pan, tilt, whip pan).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from beatcam.camera.aiming import (
    aim_at,
    forward_axes,
    image_points,
    orbit,
    rotation_matrices,
    yaw_toward,
)
from beatcam.camera.easing import eased, log_lerp, whip, whip_width
from beatcam.camera.framing import THIRD, Rig, spread
from beatcam.camera.handheld import shake
from beatcam.model.geometry import FloatArray, finite_or, held_frames, wrap_deg
from beatcam.model.vocab import FOCAL_MAX_MM, FOCAL_MIN_MM

PUSH_RATIO = 0.65
ZOOM_RATIO = 1.5
DOLLY_ZOOM_IN_RATIO = 0.6
DOLLY_ZOOM_OUT_RATIO = 1.5
MIN_DOLLY_NO_SUBJECT_M = 0.8
TRUCK_M = 1.2
ARC_DEG = 35.0
CRANE_M = 1.3
CRANE_LOWEST_M = 0.3
CRANE_SHORTEST_M = 1.05  # docs/design.md 3: a crane rises or falls at least 1.0 m
PEDESTAL_RISES_M = (0.6, 0.5, 0.42, 0.35, 0.3, 0.26)
PEDESTAL_PITCH_DEG = 3.5
PEDESTAL_V = 0.2
PEDESTAL_LOWEST_M = 0.2
PAN_DEG = (25.0, 22.0, 19.0, 16.5, 14.0, 12.5, 11.5)
TILT_DEG = (17.0, 15.0, 13.0, 11.5, 10.0, 9.0)
TILT_UP_END_V = 0.05
TILT_DOWN_END_V = 0.4
WHIP_DEG = 50.0
WHIP_MIN_RATE_DEG_S = 520.0
# An eye that rises or falls more than this in a shot has changed posture (sat, knelt, fallen),
# not shifted its weight or walked (a walk bobs the eye by a few centimetres).
POSTURE_CHANGE_M = 0.15
# How far into the frame (of [-1, 1]) a subject may sit while a move sweeps it across.
SWEEP_LIMIT = 0.85
UP = np.array([0.0, 1.0, 0.0])


@dataclass(frozen=True)
class Pose:
    """A camera over a shot: positions (n, 3), matrices (n, 3, 3), focal lengths (n,)."""

    position: FloatArray
    matrices: FloatArray
    focal_mm: FloatArray


def _full(rig: Rig, value: float) -> FloatArray:
    return np.full(rig.frames, float(value))


def _uv(rig: Rig, u: float | None = None, v: float | None = None) -> tuple[FloatArray, FloatArray]:
    """Image position of the aim per frame; by default the headroom eases from the first
    size's to the last's (a pull-out to a wide shot lowers the eye in frame)."""
    heights = rig.v + (rig.v_end - rig.v) * eased(rig.frames) if v is None else _full(rig, v)
    return _full(rig, rig.u if u is None else u), heights


def _orbit_pose(
    rig: Rig,
    depth: FloatArray,
    focal: FloatArray,
    heading: FloatArray | None = None,
    aim: FloatArray | None = None,
    measured: FloatArray | None = None,
    v: float | None = None,
) -> Pose:
    """Orbit-family pose: the aim held at (u, v) (``v`` fixed, or the rig's headroom path),
    the measured point at ``depth``."""
    position, matrices = orbit(
        rig.aim if aim is None else aim,
        _full(rig, rig.heading_deg) if heading is None else heading,
        _full(rig, rig.pitch_deg),
        rig.roll,
        focal,
        _uv(rig, v=v),
        depth,
        rig.sensor_mm,
        rig.measured if measured is None else measured,
    )
    return Pose(position, matrices, focal)


def _base_position(rig: Rig, frame: int, frame_height: float) -> FloatArray:
    """Where the rig's camera stands to frame ``frame`` at ``frame_height`` (one (3,) point)."""
    return np.asarray(_base_positions((rig,), frame, (frame_height,))[0])


def _base_positions(rigs: Sequence[Rig], frame: int, frame_heights: Sequence[float]) -> FloatArray:
    """``_base_position`` of each of ``rigs`` (candidates of one shot) at its frame height,
    ``(k, 3)``, placed by one ``orbit``: it works row by row, so each row is its rig's alone."""
    rig, rows = rigs[0], np.full(len(rigs), frame)
    position, _ = orbit(
        rig.aim[rows],
        np.array([each.heading_deg for each in rigs], dtype=np.float64),
        np.array([each.pitch_deg for each in rigs], dtype=np.float64),
        np.concatenate([each.roll[:1] for each in rigs]),
        np.array([each.focal_mm for each in rigs], dtype=np.float64),
        (
            np.array([each.u for each in rigs], dtype=np.float64),
            np.concatenate([_uv(each)[1][frame : frame + 1] for each in rigs]),
        ),
        np.array(
            [each.depth_for(height) for each, height in zip(rigs, frame_heights, strict=True)],
            dtype=np.float64,
        ),
        rig.sensor_mm,
        rig.measured[rows],
    )
    return position


def hold_size(
    rig: Rig, position: FloatArray, matrices: FloatArray, frame_height: FloatArray
) -> FloatArray:
    """Focal lengths ``(n,)`` that give ``frame_height`` at the measured point's depth."""
    depth = np.einsum("ij,ij->i", rig.measured - position, forward_axes(matrices))
    focal = np.maximum(depth, 1e-3) * rig.sensor_mm[1] / frame_height
    return np.asarray(np.clip(focal, FOCAL_MIN_MM, FOCAL_MAX_MM))


def _tracked(
    rig: Rig,
    position: FloatArray,
    frame_height: FloatArray | None,
    focal: FloatArray | None = None,
) -> Pose:
    """Turn to hold the aim at (u, v) from each position; with ``frame_height``, zoom to hold
    the size too (twice round, since the aim's image angle depends on the focal length)."""
    lens = _full(rig, rig.focal_mm) if focal is None else focal
    for _ in range(2 if frame_height is not None else 1):
        yaw, pitch = aim_at(position, rig.aim, rig.roll, lens, _uv(rig), rig.sensor_mm)
        matrices = rotation_matrices(yaw, pitch, rig.roll)
        if frame_height is not None:
            lens = hold_size(rig, position, matrices, frame_height)
    yaw, pitch = aim_at(position, rig.aim, rig.roll, lens, _uv(rig), rig.sensor_mm)
    return Pose(position, rotation_matrices(yaw, pitch, rig.roll), lens)


def _size_path(rig: Rig, profile: FloatArray) -> FloatArray:
    first, last = rig.targets()
    return log_lerp(first, last, profile)


def sweep_extent(rig: Rig, pose: Pose) -> float:
    """How far out the framed points reach in the image over the shot (max |x|, |y|)."""
    [reach] = _sweep_extents(rig, pose, 1)
    return reach


def _sweep_extents(rig: Rig, stacked: Pose, count: int) -> list[float]:
    """``sweep_extent`` of each of ``count`` candidates of ``rig``'s shot, their poses
    ``stacked`` frame after frame (``_split``): the largest of the same numbers."""
    reach = [0.0] * count
    for point in rig.framing.in_frame or (rig.aim,):
        xy, _ = image_points(
            np.tile(point, (count, 1)),
            stacked.position,
            stacked.matrices,
            stacked.focal_mm,
            rig.sensor_mm,
        )
        worst = finite_or(np.abs(xy), nan=np.inf).reshape(count, -1).max(axis=1)
        reach = [max(each, float(value)) for each, value in zip(reach, worst, strict=True)]
    return reach


def _split(stacked: Pose, count: int) -> list[Pose]:
    """``count`` candidates' poses stacked frame after frame, one ``Pose`` each."""
    frames = len(stacked.focal_mm) // count
    return [
        Pose(stacked.position[part], stacked.matrices[part], stacked.focal_mm[part])
        for part in (slice(k * frames, (k + 1) * frames) for k in range(count))
    ]


def headroom_extent(rig: Rig, pose: Pose) -> float:
    """How high the subject's head top sits in the first frame (image v, up), as the critic
    measures headroom; -inf where the size need not hold the whole head."""
    first = Pose(pose.position[:1], pose.matrices[:1], pose.focal_mm[:1])
    return float(headroom_extents(rig, first)[0])


def headroom_extents(rig: Rig, cameras: Pose) -> FloatArray:
    """``headroom_extent`` seen from each of ``cameras`` (the first frames of candidates)."""
    top = rig.framing.head_top
    if top is None:
        return np.full(len(cameras.focal_mm), -np.inf)
    xy, _ = image_points(
        np.broadcast_to(top, cameras.position.shape),
        cameras.position,
        cameras.matrices,
        cameras.focal_mm,
        rig.sensor_mm,
    )
    return finite_or(xy[:, 1], nan=np.inf)


def static(rig: Rig) -> Pose:
    """Locked off on the first frame's framing; a walking subject walks through it. Someone
    who sits, kneels or falls in the shot is framed for the whole change: the held aim is
    halfway between the highest and lowest eye, in the middle of the frame."""
    [pose] = statics((rig,))
    return pose


def statics(rigs: Sequence[Rig]) -> list[Pose]:
    """``static`` for each of ``rigs``, candidates of one shot (one framing, one length),
    placed by one ``orbit``: it works frame by frame, so each pose has the numbers its rig
    gets alone, for one call's overhead instead of one per candidate. A locked-off camera's
    inputs hold still, so only the frames where they change are solved (``held_frames``):
    the held aim and the measured point are the first frame's on every frame, and what a rig
    sets (heading, pitch, roll, lens, u, distance) is its own on each of its frames."""
    rig, frames = rigs[0], rigs[0].frames
    hold = np.array(rig.aim[:1])
    points = rig.framing.in_frame or (rig.aim,)
    v = None
    if max(float(np.ptp(point[:, 1])) for point in points) > POSTURE_CHANGE_M:
        heights = np.concatenate([point[:, 1] for point in points])
        hold[:, 1] = (heights.min() + heights.max()) / 2.0
        v = 0.0

    # What each rig sets once for all its frames: heading, pitch, roll, lens and distance.
    fixed = np.array(
        [
            [each.heading_deg, each.pitch_deg, each.spec.dutch_deg, each.focal_mm,
             each.depth_for(each.targets()[0])]
            for each in rigs
        ],
        dtype=np.float64,
    )  # fmt: skip
    heading, pitch, roll, focal, depth = (np.repeat(column, frames) for column in fixed.T)
    # Each rig's image position (``_uv``), all rigs at once: the same float operations.
    across = np.repeat(np.array([float(each.u) for each in rigs]), frames)
    if v is None:
        first, last = (np.array([getattr(each, end) for each in rigs]) for end in ("v", "v_end"))
        up = (first[:, None] + (last - first)[:, None] * eased(frames)[None]).ravel()
    else:
        up = np.full(len(rigs) * frames, float(v))
    # A rig's own numbers change only where it gives way to a rig that sets others: those
    # are compared rig by rig, the image position (which may move) frame by frame.
    marked = np.zeros(len(rigs) * frames, dtype=bool)
    marked[held_frames(fixed)[0] * frames] = True
    kept, run = held_frames(across, up, marked=marked)
    per_frame = (heading, pitch, roll, focal, across, up, depth)
    heading, pitch, roll, lens, across, up, depth = (values[kept] for values in per_frame)
    position, matrices = orbit(
        np.repeat(hold, len(kept), axis=0),
        heading,
        pitch,
        roll,
        lens,
        (across, up),
        depth,
        rig.sensor_mm,
        np.repeat(rig.measured[:1], len(kept), axis=0),
    )
    return _split(Pose(position[run], matrices[run], focal), len(rigs))


def poses_for(rigs: Sequence[Rig]) -> list[Pose]:
    """Each candidate's pose (``rigs`` of one shot): locked off, panned or tilted, all at once
    (``statics``, ``turns``); any other move, one by one."""
    movement = rigs[0].spec.movement
    if movement == "static":
        return statics(rigs)
    if movement in TURNS:
        return turns(rigs, *TURNS[movement])
    return [MOVES[movement](rig) for rig in rigs]


def _dolly(rig: Rig, ratio: float) -> Pose:
    """Push in (ratio < 1) or pull out along the line of sight on a constant focal length."""
    first, last = spread(rig.spec.size, rig.spec.end_size, ratio, rig.framing.fh_min)
    start, end = rig.depth_for(first), rig.depth_for(last)
    if rig.framing.subject is None and abs(end - start) < MIN_DOLLY_NO_SUBJECT_M:
        step = MIN_DOLLY_NO_SUBJECT_M if ratio > 1.0 else -MIN_DOLLY_NO_SUBJECT_M
        end = max(start + step, 0.3)
    depth = log_lerp(start, end, eased(rig.frames))
    return _orbit_pose(rig, depth, _full(rig, rig.focal_mm))


def _zoom(rig: Rig, ratio: float) -> Pose:
    """Stand still and change the focal length by ``ratio`` (frame heights within the bands)."""
    first, last = spread(rig.spec.size, rig.spec.end_size, 1.0 / ratio, rig.framing.fh_min)
    position = np.tile(_base_position(rig, 0, first), (rig.frames, 1))
    focal = log_lerp(rig.focal_mm, rig.focal_mm * first / last, eased(rig.frames))
    return _tracked(rig, position, None, focal)


def _dolly_zoom(rig: Rig, ratio: float) -> Pose:
    """Move by ``ratio`` of the distance while the focal length follows, so the size holds."""
    depth = rig.depth_for(rig.targets()[0]) * (1.0 + (ratio - 1.0) * eased(rig.frames))
    focal = rig.focal_mm * depth / depth[0]
    return _orbit_pose(rig, depth, focal)


def _level_right(rig: Rig) -> FloatArray:
    heading = np.deg2rad(rig.heading_deg)
    return np.array([np.cos(heading), 0.0, -np.sin(heading)])


def _truck(rig: Rig, sign: float) -> Pose:
    """Crab sideways on a straight track, turning to keep the subject framed; beside a walker
    (the framing stood the camera in its band beside the walk, which way the director named)
    the track runs with them, so the camera's sideways travel is theirs."""
    if rig.framing.heading_band is not None:
        return travel(rig)
    start = _base_position(rig, 0, rig.targets()[0])
    profile = eased(rig.frames)
    position = start + np.outer(profile * sign * TRUCK_M, _level_right(rig))
    return _tracked(rig, position, _size_path(rig, profile))


def _rise(rig: Rig, height: float, sign: float) -> FloatArray:
    """Positions rising (sign +1) or falling by ``height``, centred on the middle frame."""
    middle = rig.frames // 2
    first, last = rig.targets()
    centre = _base_position(rig, middle, float(np.sqrt(first * last)))
    return centre + np.outer((eased(rig.frames) - 0.5) * sign * height, UP)


def _crane(rig: Rig, sign: float) -> Pose:
    """Rise or fall a crane's height, tilting to hold the subject; kept above the ground.

    A low camera shortens the travel (down to the shortest rise that still reads as a crane)
    before the whole path is lifted, so the middle frame keeps the angle it was placed for.
    """
    middle = float(_rise(rig, 0.0, sign)[rig.frames // 2, 1])
    height = min(CRANE_M, max(CRANE_SHORTEST_M, 2.0 * (middle - CRANE_LOWEST_M)))
    position = _rise(rig, height, sign)
    position[:, 1] += max(0.0, CRANE_LOWEST_M - float(position[:, 1].min()))
    return _tracked(rig, position, _size_path(rig, eased(rig.frames)))


def _pedestal(rig: Rig, sign: float) -> Pose:
    """Rise or fall on the column with the pitch nearly constant (the aim point travels too).

    Takes the largest rise that keeps the subject (and at the start the top of their head) in
    frame; the pitch eases by a few degrees
    toward the subject, well under the 5 degrees that would make it a tilt.
    """
    profile = eased(rig.frames)
    frame_height = _size_path(rig, profile)
    depth = rig.depth_for(float(np.sqrt(frame_height[0] * frame_height[-1])))
    uv = _uv(rig, v=min(rig.v, PEDESTAL_V))
    pose = Pose(np.zeros((rig.frames, 3)), np.zeros((rig.frames, 3, 3)), frame_height)
    for rise in PEDESTAL_RISES_M:
        turn = min(PEDESTAL_PITCH_DEG, float(np.degrees(np.arctan2(rise, depth))))
        pitch = rig.pitch_deg + (profile - 0.5) * sign * turn
        position = _rise(rig, rise, sign)
        focal = _full(rig, rig.focal_mm)
        for _ in range(2):
            yaw = yaw_toward(position, rig.aim, pitch, rig.roll, focal, uv, rig.sensor_mm)
            matrices = rotation_matrices(yaw, pitch, rig.roll)
            focal = hold_size(rig, position, matrices, frame_height)
        yaw = yaw_toward(position, rig.aim, pitch, rig.roll, focal, uv, rig.sensor_mm)
        pose = Pose(position, rotation_matrices(yaw, pitch, rig.roll), focal)
        inside = max(sweep_extent(rig, pose), headroom_extent(rig, pose)) <= SWEEP_LIMIT
        if inside and position[:, 1].min() >= PEDESTAL_LOWEST_M:
            break
    return pose


def _arc(rig: Rig, sign: float) -> Pose:
    """Circle the subject at constant distance; +1 moves toward the camera's own right."""
    profile = eased(rig.frames)
    heading = rig.heading_deg + sign * ARC_DEG * profile
    depth = rig.depth_for(1.0) * _size_path(rig, profile)
    return _orbit_pose(rig, depth, _full(rig, rig.focal_mm), heading=heading)


def travel(rig: Rig) -> Pose:
    """Follow or lead: the camera travels with the subject at a constant offset (the framing
    already put it behind/beside or ahead of the walk)."""
    depth = rig.depth_for(1.0) * _size_path(rig, eased(rig.frames))
    return _orbit_pose(rig, depth, _full(rig, rig.focal_mm))


def handheld(rig: Rig) -> Pose:
    """An operator holding the framing: the orbit pose plus seeded jitter."""
    base = travel(rig)
    offsets, angles = shake(rig.frames, rig.fps, rig.noise_key)
    yaw = np.degrees(
        np.arctan2(-forward_axes(base.matrices)[:, 0], -forward_axes(base.matrices)[:, 2])
    )
    pitch = np.degrees(np.arcsin(np.clip(-forward_axes(base.matrices)[:, 1], -1.0, 1.0)))
    matrices = rotation_matrices(yaw + angles[:, 0], pitch + angles[:, 1], rig.roll + angles[:, 2])
    return Pose(base.position + offsets, matrices, base.focal_mm)


def turns(rigs: Sequence[Rig], axis: int, sign: float, sizes: tuple[float, ...]) -> list[Pose]:
    """Pan (axis 0, yaw) or tilt (axis 1, pitch) from a little off the subject onto it, for each
    of ``rigs`` (candidates of one shot), worked out together: every step works row by row or
    rig by rig, so each pose has the numbers its rig gets alone.

    The sweep is the largest of ``sizes`` (degrees) that keeps the subject in frame; the end
    framing puts the subject on the side the sweep carries it toward. A constant lens gives a
    slightly different depth off-axis, so the distance is then scaled to centre both sizes.
    """
    rig = rigs[0]
    ends = [_turn_end(each, axis, sign) for each in rigs]
    first, last = rig.targets()
    profile = eased(rig.frames)
    poses: list[Pose] = []
    offsets: list[FloatArray] = []
    pending = list(range(len(rigs)))
    for sweep in sizes:
        offset = -sign * sweep * (1.0 - profile)
        tried = _turned(
            [rigs[k] for k in pending],
            [ends[k] for k in pending],
            [last] * len(pending),
            axis,
            [offset] * len(pending),
        )
        if not poses:
            poses, offsets = _split(tried, len(rigs)), [offset] * len(rigs)
        else:
            for k, pose in zip(pending, _split(tried, len(pending)), strict=True):
                poses[k], offsets[k] = pose, offset
        reach = _sweep_extents(rig, tried, len(pending))
        pending = [k for k, extent in zip(pending, reach, strict=True) if extent > SWEEP_LIMIT]
        if not pending:
            break
    rescaled, heights = [], []
    for k, pose in enumerate(poses):
        depth = np.einsum("ij,ij->i", rig.measured - pose.position, forward_axes(pose.matrices))
        if depth[0] > 0.0 and depth[-1] > 0.0:
            measured = depth * rig.sensor_mm[1] / pose.focal_mm
            scale = float(np.sqrt(first * last / (measured[0] * measured[-1])))
            rescaled.append(k)
            heights.append(last * scale)
    if rescaled:
        redone = _turned(
            [rigs[k] for k in rescaled],
            [ends[k] for k in rescaled],
            heights,
            axis,
            [offsets[k] for k in rescaled],
        )
        for k, pose in zip(rescaled, _split(redone, len(rescaled)), strict=True):
            poses[k] = pose
    return poses


def _turn_end(rig: Rig, axis: int, sign: float) -> tuple[float, float]:
    """Where a pan (axis 0) or tilt (axis 1) ends with the aim in the image, (u, v): on the
    side the sweep carries it toward."""
    if axis == 0:
        return sign * max(abs(rig.u), THIRD), rig.v
    return rig.u, min(rig.v, TILT_UP_END_V) if sign < 0 else max(rig.v, TILT_DOWN_END_V)


def _turned(
    rigs: Sequence[Rig],
    ends: Sequence[tuple[float, float]],
    frame_heights: Sequence[float],
    axis: int,
    offsets: Sequence[FloatArray],
) -> Pose:
    """Each rig stands where its last frame is framed at its frame height with the aim at its
    end ``(u, v)``, and adds its ``offsets`` (degrees, ``(n,)``) to the yaw (axis 0) or pitch
    (axis 1) that track the aim; the rigs' poses stacked frame after frame (``_split``)."""
    rig, frames = rigs[0], rigs[0].frames
    ended = [
        replace(
            each,
            pitch_deg=each.pitch_deg - (offset[frames // 2] if axis == 1 else 0.0),
            u=u,
            v=v,
            v_end=v,
        )
        for each, (u, v), offset in zip(rigs, ends, offsets, strict=True)
    ]
    position = np.repeat(_base_positions(ended, frames - 1, frame_heights), frames, axis=0)
    focal = np.concatenate([_full(each, each.focal_mm) for each in rigs])
    roll = np.concatenate([each.roll for each in rigs])
    across, up = zip(*(_uv(each) for each in ended), strict=True)
    yaw, pitch = aim_at(
        position,
        np.tile(rig.aim, (len(rigs), 1)),
        roll,
        focal,
        (np.concatenate(across), np.concatenate(up)),
        rig.sensor_mm,
    )
    angles = [yaw, pitch]
    angles[axis] = angles[axis] + np.concatenate(offsets)
    return Pose(position, rotation_matrices(angles[0], angles[1], roll), focal)


def wrapped_steps(angles_deg: FloatArray) -> FloatArray:
    """Frame-to-frame change of an angle (degrees), taking the short way round."""
    return wrap_deg(np.diff(angles_deg))


def whip_pan(rig: Rig) -> Pose:
    """Snap onto the subject from ``WHIP_DEG`` away in a fraction of a second.

    The whip starts on the side the subject sits in the frame, so it is at most ~40 degrees
    off-axis (always in front of the camera); the lens zooms with the whip so the first frame
    still measures the requested size.
    """
    first, last = rig.targets()
    position = np.tile(_base_position(rig, rig.frames - 1, last), (rig.frames, 1))
    side = float(np.sign(rig.u)) or float(rig.spec.side)
    width = whip_width(rig.fps)
    while True:
        step = whip(rig.frames, width)
        frame_height = log_lerp(first, last, step)
        lens = _full(rig, rig.focal_mm)
        offset = -side * WHIP_DEG * (1.0 - step)
        for _ in range(2):
            yaw, pitch = aim_at(position, rig.aim, rig.roll, lens, _uv(rig), rig.sensor_mm)
            matrices = rotation_matrices(yaw + offset, pitch, rig.roll)
            lens = hold_size(rig, position, matrices, frame_height)
        yaw, pitch = aim_at(position, rig.aim, rig.roll, lens, _uv(rig), rig.sensor_mm)
        pose = Pose(position, rotation_matrices(yaw + offset, pitch, rig.roll), lens)
        rate = float(np.abs(wrapped_steps(yaw + offset)).max(initial=0.0)) * rig.fps
        if rate >= WHIP_MIN_RATE_DEG_S or width == 1:
            return pose
        width -= 1


# The turns (``turns``): the axis (0 yaw, 1 pitch), the sweep's sign and its sizes.
TURNS: dict[str, tuple[int, float, tuple[float, ...]]] = {
    "pan_left": (0, 1.0, PAN_DEG),
    "pan_right": (0, -1.0, PAN_DEG),
    "tilt_up": (1, -1.0, TILT_DEG),
    "tilt_down": (1, 1.0, TILT_DEG),
}


def _one_turn(movement: str) -> Callable[[Rig], Pose]:
    """The turn ``movement`` of one rig."""
    return lambda rig: turns((rig,), *TURNS[movement])[0]


MOVES: dict[str, Callable[[Rig], Pose]] = {
    "static": static,
    "push_in": lambda rig: _dolly(rig, PUSH_RATIO),
    "pull_out": lambda rig: _dolly(rig, 1.0 / PUSH_RATIO),
    "zoom_in": lambda rig: _zoom(rig, ZOOM_RATIO),
    "zoom_out": lambda rig: _zoom(rig, 1.0 / ZOOM_RATIO),
    "dolly_zoom_in": lambda rig: _dolly_zoom(rig, DOLLY_ZOOM_IN_RATIO),
    "dolly_zoom_out": lambda rig: _dolly_zoom(rig, DOLLY_ZOOM_OUT_RATIO),
    "truck_left": lambda rig: _truck(rig, -1.0),
    "truck_right": lambda rig: _truck(rig, 1.0),
    **{movement: _one_turn(movement) for movement in TURNS},
    "pedestal_up": lambda rig: _pedestal(rig, 1.0),
    "pedestal_down": lambda rig: _pedestal(rig, -1.0),
    "crane_up": lambda rig: _crane(rig, 1.0),
    "crane_down": lambda rig: _crane(rig, -1.0),
    "arc_left": lambda rig: _arc(rig, -1.0),
    "arc_right": lambda rig: _arc(rig, 1.0),
    "follow": travel,
    "lead": travel,
    "handheld": handheld,
    "whip_pan": whip_pan,
}
