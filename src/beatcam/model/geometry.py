"""Coordinate conventions, stated once, and the few pure functions that every stage reads them by.

World: right-handed, +Y up, metres, ground at y = 0. A camera looks down its local -Z with
local +Y up (OpenGL, glTF and USD). Rotations are unit quaternions ``[w, x, y, z]``,
world-from-camera. Yaw is the heading of the view direction, counter-clockwise seen from
above, 0 when looking down world -Z, so a camera that pans left *increases* its yaw.
Pitch is positive when the camera looks down. Roll is positive when the camera turns
counter-clockwise about its view axis as seen from behind it (its right side rises).

All functions take and return plain numpy arrays; ``(n, 3)`` means n rows of x, y, z.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, TypeVar

import numpy as np
from numpy.typing import NDArray

from beatcam.model.vocab import HANDS_FORWARD_M, HANDS_HEIGHT_RATIO

FloatArray = NDArray[np.float64]
# Bodies that can stand in a line of sight: ``(frames, m, 3)`` the foot of each one's upright
# axis and ``(frames, m)`` the tops of their heads (``bodies_over``).
Bodies = tuple[FloatArray, FloatArray]
AngleT = TypeVar("AngleT", float, FloatArray)

# Half a body's width, for what it blocks and how close a camera may come: a 1.75 m adult's
# shoulders are 0.259 of their height across (Drillis & Contini 1966), 0.45 m, plus the arms.
BODY_RADIUS_M = 0.25
WALL_NEARER = 0.8  # a box this much nearer than the subject stands in front of them
# More of the frame's middle than this walled off by a set piece (two of the grid's five
# columns) fills the picture.
WALLED_LIMIT = 0.25

# What ``np.nan_to_num`` makes of an infinity (``finite_or``).
LARGEST_FLOAT: Final = float(np.finfo(np.float64).max)

WORLD_UP: FloatArray = np.array([0.0, 1.0, 0.0])


def lengths(vectors: FloatArray) -> FloatArray:
    """``np.linalg.norm(vectors, axis=-1)`` of points or quaternions (rows of 2 to 4), the same
    bits: numpy adds fewer than eight squares in order, as this does column by column, but
    its reduction over so short an axis is ~4x slower (1,500 points: 20 -> 4 us; the
    camera's clearances ask it ~60,000 times in a 500-beat plan, issue 19)."""
    squares = vectors * vectors
    total = squares[..., 0]
    for column in range(1, squares.shape[-1]):
        total = total + squares[..., column]
    return np.asarray(np.sqrt(total))


def cross(a: FloatArray, b: FloatArray) -> FloatArray:
    """``np.cross`` of 3-vectors (``(..., 3)``, broadcast against each other): the products and
    differences it makes, in its order (a1 b2 - a2 b1, a2 b0 - a0 b2, a0 b1 - a1 b0), without
    its checks and moves, ~20 us a call (the critic's angles ask it twice a shot, issue 19)."""
    return np.stack(
        [
            a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1],
            a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],
            a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0],
        ],
        axis=-1,
    )


def normalize(vectors: FloatArray) -> FloatArray:
    """Unit vectors along the last axis; zero vectors stay zero."""
    norms = lengths(vectors)[..., None]
    return np.asarray(vectors / np.where(norms == 0.0, 1.0, norms), dtype=np.float64)


def quat_to_matrix(quats: FloatArray) -> FloatArray:
    """``(n, 4)`` [w, x, y, z] -> ``(n, 3, 3)`` rotation matrices (columns = camera axes)."""
    q = normalize(np.atleast_2d(np.asarray(quats, dtype=np.float64)))
    w, x, y, z = q[:, 0], q[:, 1], q[:, 2], q[:, 3]
    matrices = np.empty((len(q), 3, 3))
    matrices[:, 0, 0] = 1 - 2 * (y * y + z * z)
    matrices[:, 0, 1] = 2 * (x * y - w * z)
    matrices[:, 0, 2] = 2 * (x * z + w * y)
    matrices[:, 1, 0] = 2 * (x * y + w * z)
    matrices[:, 1, 1] = 1 - 2 * (x * x + z * z)
    matrices[:, 1, 2] = 2 * (y * z - w * x)
    matrices[:, 2, 0] = 2 * (x * z - w * y)
    matrices[:, 2, 1] = 2 * (y * z + w * x)
    matrices[:, 2, 2] = 1 - 2 * (x * x + y * y)
    return matrices


def matrix_to_quat(matrices: FloatArray) -> FloatArray:
    """``(n, 3, 3)`` rotation matrices -> ``(n, 4)`` unit quaternions, sign-continuous in n."""
    m = np.asarray(matrices, dtype=np.float64).reshape(-1, 3, 3)
    trace = m[:, 0, 0] + m[:, 1, 1] + m[:, 2, 2]
    # Shepperd: pick the largest of w, x, y, z to divide by, for stability.
    candidates = np.stack(
        [trace, m[:, 0, 0], m[:, 1, 1], m[:, 2, 2]],
        axis=1,
    )
    pick = np.argmax(candidates, axis=1)
    quats = np.empty((len(m), 4))
    for index in range(4):
        rows = pick == index
        if not np.any(rows):
            continue
        r = m[rows]
        if index == 0:
            s = np.sqrt(1.0 + trace[rows]) * 2.0
            quats[rows] = np.stack(
                [
                    0.25 * s,
                    (r[:, 2, 1] - r[:, 1, 2]) / s,
                    (r[:, 0, 2] - r[:, 2, 0]) / s,
                    (r[:, 1, 0] - r[:, 0, 1]) / s,
                ],
                axis=1,
            )
        else:
            i = index - 1
            j, k = (i + 1) % 3, (i + 2) % 3
            s = np.sqrt(1.0 + r[:, i, i] - r[:, j, j] - r[:, k, k]) * 2.0
            q = np.empty((int(rows.sum()), 4))
            q[:, 0] = (r[:, k, j] - r[:, j, k]) / s
            q[:, 1 + i] = 0.25 * s
            q[:, 1 + j] = (r[:, j, i] + r[:, i, j]) / s
            q[:, 1 + k] = (r[:, k, i] + r[:, i, k]) / s
            quats[rows] = q
    return make_continuous(normalize(quats))


def make_continuous(quats: FloatArray) -> FloatArray:
    """Flip signs so consecutive quaternions lie in the same hemisphere (smooth to interpolate)."""
    q = np.array(quats, dtype=np.float64)
    if len(q) and q[0, 0] < 0:
        q[0] = -q[0]
    dots = np.einsum("ij,ij->i", q[1:], q[:-1])
    flips = np.cumprod(np.where(dots < 0, -1.0, 1.0))
    q[1:] *= flips[:, None]
    return q


def look_at(
    eyes: FloatArray, targets: FloatArray, roll_deg: FloatArray | float = 0.0
) -> FloatArray:
    """Quaternions for cameras at ``eyes`` looking at ``targets`` (both ``(n, 3)``), level
    horizon turned by ``roll_deg`` (positive: the camera's right side rises)."""
    eyes = np.atleast_2d(np.asarray(eyes, dtype=np.float64))
    targets = np.broadcast_to(np.asarray(targets, dtype=np.float64), eyes.shape)
    forward = normalize(targets - eyes)
    right = cross(forward, WORLD_UP)
    degenerate = lengths(right) < 1e-9
    # Looking straight up or down: keep the horizon from world -Z so the basis stays defined.
    right[degenerate] = cross(forward[degenerate], np.array([0.0, 0.0, -1.0]))
    right = normalize(right)
    up = cross(right, forward)
    roll = np.deg2rad(np.broadcast_to(np.asarray(roll_deg, dtype=np.float64), (len(eyes),)))
    cos_r, sin_r = np.cos(roll)[:, None], np.sin(roll)[:, None]
    rolled_right = cos_r * right + sin_r * up
    rolled_up = cos_r * up - sin_r * right
    matrices = np.stack([rolled_right, rolled_up, -forward], axis=2)
    return matrix_to_quat(matrices)


def camera_axes(rotations: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """World-space right (+X), up (+Y) and forward (-Z) unit vectors, each ``(n, 3)``, of
    ``(n, 4)`` quaternions, or of the ``(n, 3, 3)`` matrices ``quat_to_matrix`` made of them
    (kept by a caller that asks many questions of one track, as the critic does)."""
    m = rotations if np.ndim(rotations) == 3 else quat_to_matrix(rotations)
    return m[:, :, 0], m[:, :, 1], -m[:, :, 2]


def yaw_pitch_roll_deg(rotations: FloatArray) -> FloatArray:
    """``(n, 3)`` yaw, pitch, roll in degrees under the conventions above, of quaternions or
    their matrices (``camera_axes``)."""
    right, _, forward = camera_axes(rotations)
    yaw = heading_deg(-forward)
    pitch = np.degrees(np.arcsin(np.clip(-forward[:, 1], -1.0, 1.0)))
    level_right = normalize(cross(forward, WORLD_UP))
    level_up = cross(level_right, forward)
    roll = np.degrees(
        np.arctan2(
            np.einsum("ij,ij->i", right, level_up), np.einsum("ij,ij->i", right, level_right)
        )
    )
    return np.stack([yaw, pitch, roll], axis=1)


def depth_of(points: FloatArray, eyes: FloatArray, rotations: FloatArray) -> FloatArray:
    """Depth of each point along its camera's forward axis, ``(n,)`` metres; the cameras turned
    by quaternions or their matrices (``camera_axes``)."""
    _, _, forward = camera_axes(rotations)
    return np.asarray(np.einsum("ij,ij->i", np.asarray(points) - np.asarray(eyes), forward))


def frame_height_at(depth_m: FloatArray, focal_mm: FloatArray, sensor_h_mm: float) -> FloatArray:
    """Height of the frame (metres) at a given depth: ``fh = d * sensor_h / f``."""
    return np.asarray(depth_m * sensor_h_mm / np.asarray(focal_mm))


def project(
    points: FloatArray,
    eyes: FloatArray,
    rotations: FloatArray,
    focal_mm: FloatArray,
    sensor_mm: tuple[float, float],
) -> FloatArray:
    """Image position of one point per frame, ``(n, 2)`` in [-1, 1] across the frame
    (x to the right, y up); points behind the camera come out as NaN. The cameras are turned
    by quaternions or their matrices (``camera_axes``)."""
    right, up, forward = camera_axes(rotations)
    rel = np.asarray(points) - np.asarray(eyes)
    depth = np.einsum("ij,ij->i", rel, forward)
    focal = np.asarray(focal_mm, dtype=np.float64)
    safe = np.where(depth > 1e-6, depth, np.nan)
    x = np.einsum("ij,ij->i", rel, right) * focal / safe / (sensor_mm[0] / 2.0)
    y = np.einsum("ij,ij->i", rel, up) * focal / safe / (sensor_mm[1] / 2.0)
    return np.stack([x, y], axis=1)


def heading_deg(vectors: FloatArray) -> FloatArray:
    """Headings ``(...)`` in degrees of world vectors ``(..., 3)`` seen from above: counter-
    clockwise from +Z, the convention of every character's ``facing_deg``; y is ignored."""
    return np.asarray(np.degrees(np.arctan2(vectors[..., 0], vectors[..., 2])), dtype=np.float64)


def side_of_line(point: FloatArray, start: FloatArray, end: FloatArray) -> float:
    """Signed distance (m) of a floor point ``(x, z)`` from the line ``start`` -> ``end``
    (floor points too), seen from above: negative on the line's left (the way a heading turns
    counter-clockwise), positive on its right; the 180° rule asks only whether two agree."""
    line, offset = end - start, point - start
    return float((line[0] * offset[1] - line[1] * offset[0]) / np.linalg.norm(line))


def floor_heading_deg(vector: FloatArray) -> float:
    """The heading (degrees counter-clockwise from +Z, seen from above) of a floor-plan vector
    ``(x, z)``: the convention of every character's ``facing_deg``."""
    return float(np.degrees(np.arctan2(vector[0], vector[1])))


def floor_direction(heading_deg: float) -> FloatArray:
    """The unit floor-plan vector ``(x, z)`` a heading points along (``floor_heading_deg``'s
    inverse)."""
    radians = np.deg2rad(heading_deg)
    return np.array([np.sin(radians), np.cos(radians)])


def wrap_deg(angle: AngleT) -> AngleT:
    """An angle or array of angles (degrees) wrapped into [-180, 180)."""
    return (angle + 180.0) % 360.0 - 180.0


def moving_average(values: FloatArray, window: int) -> FloatArray:
    """Centred moving average over ``window`` frames of each column of ``(n, k)`` values, the
    ends held (padded with the first and last rows), so the result keeps all ``n`` rows."""
    kernel = np.ones(window) / window
    padded = np.pad(values, ((window // 2, window - 1 - window // 2), (0, 0)), mode="edge")
    return np.stack(
        [np.convolve(padded[:, k], kernel, mode="valid") for k in range(values.shape[1])], axis=1
    )


def hands_point(position: FloatArray, facing_deg: FloatArray, height_m: float) -> FloatArray:
    """``(n, 3)`` where a character standing at ``position`` (n, 3), facing ``facing_deg`` (n,)
    counter-clockwise from +Z, holds a prop: the point an insert shot looks at."""
    facings = np.deg2rad(np.asarray(facing_deg, dtype=np.float64))
    hands = np.array(position, dtype=np.float64)
    hands[:, 1] += HANDS_HEIGHT_RATIO * height_m
    hands[:, 0] += HANDS_FORWARD_M * np.sin(facings)
    hands[:, 2] += HANDS_FORWARD_M * np.cos(facings)
    return hands


def bodies_over(tracks: list[tuple[FloatArray, FloatArray]], frames: int) -> Bodies:
    """``(frames, m, 3)`` the foot of each of ``m`` bodies' upright axis and ``(frames, m)`` the
    tops of their heads, from each body's ``(feet, head tops)`` over the same frames: what
    ``sight_blocked_by_bodies`` takes. The axis runs under the head, which is what stands in a
    line of sight at eye height (a seated body's head is not above its blocking mark)."""
    if not tracks:
        return np.zeros((frames, 0, 3)), np.zeros((frames, 0))
    feet = np.stack([np.asarray(f) for f, _ in tracks], axis=1)
    heads = np.stack([np.asarray(t) for _, t in tracks], axis=1)
    feet[..., [0, 2]] = heads[..., [0, 2]]
    return feet, heads[..., 1]


def sight_blocked_by_bodies(
    eyes: FloatArray, targets: FloatArray, feet: FloatArray, tops: FloatArray
) -> NDArray[np.bool_]:
    """``(n,)`` True where a body stands in the segment from each eye to its target.

    A body is an upright cylinder of ``BODY_RADIUS_M`` from where it stands (``feet``,
    ``(n, m, 3)`` for ``m`` bodies) to the top of its head (``tops`` ``(n, m)``, heights as
    posed: lower when seated). The part of the segment within the radius on the floor plan
    (a quadratic in the segment's parameter) blocks when its heights meet the cylinder's; an
    eye inside a body does not count (a clearance fault, not a view one).
    """
    if not feet.shape[1]:
        return np.zeros(len(eyes), dtype=bool)
    start = np.asarray(eyes)[:, None, :]
    ray = (np.asarray(targets) - np.asarray(eyes))[:, None, :]
    flat = (start - feet)[..., [0, 2]]
    along = np.broadcast_to(ray[..., [0, 2]], flat.shape)
    a = np.einsum("nmk,nmk->nm", along, along)
    b = 2.0 * np.einsum("nmk,nmk->nm", flat, along)
    c = np.einsum("nmk,nmk->nm", flat, flat) - BODY_RADIUS_M**2
    root = np.sqrt(np.maximum(b * b - 4.0 * a * c, 0.0))
    safe = np.where(a > 1e-12, 2.0 * a, np.inf)
    enter = np.clip((-b - root) / safe, 0.0, 1.0)
    leave = np.clip((-b + root) / safe, 0.0, 1.0)
    crosses = (b * b - 4.0 * a * c > 0.0) & (leave > enter) & (c > 0.0)
    low = start[..., 1] + np.minimum(enter, leave) * ray[..., 1]
    high = start[..., 1] + np.maximum(enter, leave) * ray[..., 1]
    meets = (np.maximum(low, high) >= feet[..., 1]) & (np.minimum(low, high) <= tops)
    return np.asarray((crosses & meets).any(axis=1))


# The middle of the frame a set piece must not wall off: a grid of image points (x, y in
# [-1, 1]) over its middle third in height and middle 60 % in width (a corridor's or a room's
# side walls at the frame's edges are the set, not something in the way).
WALL_GRID: Final = np.array(
    [(x, y) for y in (-1 / 3, 0.0, 1 / 3) for x in np.linspace(-0.6, 0.6, 5)]
)


def walled_share(
    positions: FloatArray,
    matrices: FloatArray,
    focal_mm: FloatArray,
    sensor_mm: tuple[float, float],
    subject_depth: FloatArray,
    box_min: FloatArray,
    box_max: FloatArray,
) -> FloatArray:
    """``(n,)`` the share of the middle of the frame (``WALL_GRID``) that a set box covers in
    front of the subject: the camera standing behind a wall's end or a fridge, which leaves the
    subject's eyes in view but fills the picture. A ray through each grid point, from a camera at
    ``positions`` (n, 3) turned by ``matrices`` (n, 3, 3) world-from-camera, is walled where a
    box ((m, 3) corners) crosses it nearer than 0.8 of ``subject_depth`` (n,) along the view.

    Where the rays meet the boxes depends on the camera alone, so it is found once per run of
    frames the camera holds still (``held_frames``: a static camera, most shots and most of the
    camera's candidates, is one run), and only the nearest crossing of each ray is compared
    with each frame's subject depth: a ray is walled when any box crosses it nearer than the
    limit, that is when the nearest one does. The same booleans as comparing every box on
    every frame, at a hundredth of the work on a held camera.

    A box is crossed only where all three of its slabs are, so its crossing is at least each
    slab's entry, and a box all of whose slab entries along one axis lie at or beyond a held
    camera's largest limit, or behind it, walls none of its rays (``_apart_from_rays``): only
    the other pairs of camera and box are tested, which on a moving camera is most of the
    work."""
    if not len(box_min) or not len(positions):
        return np.zeros(len(positions))
    kept, run = held_frames(positions, matrices, focal_mm)
    focal = focal_mm[kept]
    local = np.stack(
        [
            WALL_GRID[:, 0][None] * (sensor_mm[0] / 2.0) / focal[:, None],
            WALL_GRID[:, 1][None] * (sensor_mm[1] / 2.0) / focal[:, None],
            -np.ones((len(kept), len(WALL_GRID))),
        ],
        axis=-1,
    )  # (h, k, 3): the ray's step per metre of depth, so its parameter is the depth
    rays = np.einsum("nij,nkj->nki", matrices[kept], local)
    start = positions[kept]
    limit = WALL_NEARER * subject_depth
    held_limit = np.maximum.reduceat(limit, np.flatnonzero(np.diff(run, prepend=-1)))
    camera, box = np.nonzero(~_apart_from_rays(rays, start, box_min, box_max, held_limit))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        near = (box_min[box][:, None] - start[camera][:, None]) / rays[camera]
        far = (box_max[box][:, None] - start[camera][:, None]) / rays[camera]
    lower, upper = _slab_bounds(near, far)
    crossing = np.where((lower <= upper) & (upper > 0.0), np.maximum(lower, 0.0), np.inf)
    # ``np.nonzero`` lists the pairs camera by camera: each camera's nearest crossings are
    # one ``reduceat`` of its run of pairs (the minima ``np.minimum.at`` takes one by one).
    nearest = np.full(rays.shape[:2], np.inf)
    if len(camera):
        first = np.flatnonzero(np.diff(camera, prepend=-1))
        nearest[camera[first]] = np.minimum.reduceat(crossing, first, axis=0)
    walled = nearest[run] < limit[:, None]
    return np.asarray(walled.mean(axis=1), dtype=np.float64)


def _apart_from_rays(
    rays: FloatArray, start: FloatArray, box_min: FloatArray, box_max: FloatArray, limit: FloatArray
) -> NDArray[np.bool_]:
    """``(h, m)`` True where no ray of a camera (``rays`` (h, k, 3) from ``start`` (h, 3)) can
    cross a box nearer than ``limit`` (h,): along some axis every ray heads away from the box
    (its slab is behind the camera: both crossings at or before 0), or every ray heads toward it
    and the nearest of their entries into its slab, the same float quotient the slab test makes
    (division is monotone in its divisor), is at or beyond a finite limit."""
    to_low = box_min[None] - start[:, None]  # (h, m, 3), as the slab test subtracts
    to_high = box_max[None] - start[:, None]
    steepest, shallowest = rays.max(axis=1)[:, None], rays.min(axis=1)[:, None]  # (h, 1, 3)
    # Every ray's step >= +0.0 (or <= -0.0) along the axis: a NaN step is neither.
    forward = np.all((rays >= 0.0) & ~np.signbit(rays), axis=1)[:, None]
    backward = np.all((rays <= 0.0) & np.signbit(rays), axis=1)[:, None]
    reach = np.where(np.isfinite(limit), limit, np.nan)[:, None, None]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        beyond = ((shallowest > 0.0) & (to_low > 0.0) & (to_low / steepest >= reach)) | (
            (steepest < 0.0) & (to_high < 0.0) & (to_high / shallowest >= reach)
        )
    behind = (forward & (to_high < 0.0)) | (backward & (to_low > 0.0))
    apart = beyond | behind  # (h, m, 3): its axes ORed in turn, faster than ``any`` over three
    return np.asarray(apart[..., 0] | apart[..., 1] | apart[..., 2])


# ``held_frames`` compares rows of up to this many numbers column by column (numpy's any over a
# row of 3 or 9 is ~2x slower than these ORs) and wider rows at once (over a figure's 20 joint
# angles, 240,000 frames: 0.013 s column by column, 0.005 s at once).
COLUMNWISE_UP_TO = 9


def held_frames(
    *per_frame: NDArray[np.float64], marked: NDArray[np.bool_] | None = None
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The frames where any of the ``per_frame`` arrays (each ``(n, ...)``) differs from the
    frame before (the first frame always), and for each of the n frames the index among those
    of the one it repeats: ``values[kept][run]`` is ``values``. Frames are compared by their
    bits, so a result worked out on a kept frame is exactly the repeat's (0.0 and -0.0 divide
    differently; a NaN is a change). ``marked`` (n,) frames are changes already known: where
    other numbers, compared elsewhere, change (one candidate's set-up giving way to the
    next's)."""
    frames = len(per_frame[0])
    changed = np.zeros(frames, dtype=bool) if marked is None else marked.copy()
    changed[:1] = True
    for array in per_frame:
        bits = np.ascontiguousarray(array, dtype=np.float64).reshape(frames, -1).view(np.int64)
        if bits.shape[1] > COLUMNWISE_UP_TO:
            changed[1:] |= np.any(bits[1:] != bits[:-1], axis=1)
            continue
        for column in bits.T:
            changed[1:] |= column[1:] != column[:-1]
    return np.flatnonzero(changed), np.cumsum(changed) - 1


@dataclass(frozen=True)
class View:
    """What the clear-view test sees, per frame of a shot: the camera at ``positions`` (n, 3)
    turned by ``matrices`` through ``focal_mm`` on a ``sensor_mm`` back, the subject's ``eyes``
    at ``subject_depth``, the set ``boxes`` (the (m, 3) low and high corners) and the other
    ``bodies`` (as ``bodies_over`` gives them), and the ``companions`` a group shot holds as
    well, each one's eyes and the bodies that could hide them. The camera's search and
    the critic share it."""

    positions: FloatArray
    matrices: FloatArray
    focal_mm: FloatArray
    sensor_mm: tuple[float, float]
    eyes: FloatArray
    subject_depth: FloatArray
    boxes: tuple[FloatArray, FloatArray]
    bodies: Bodies
    companions: tuple[tuple[FloatArray, Bodies], ...] = ()

    def faults(self) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
        """Per frame: whether a set box or a body hides the subject's eyes, and whether a set
        piece walls off the frame's middle (``walled``)."""
        every = np.arange(len(self.positions))
        return np.logical_or(self.behind_set(every), self.behind_bodies()), self.walled(every)

    def behind_bodies(self) -> NDArray[np.bool_]:
        """``(n,)`` where another body stands between the camera and the eyes (anyone's)."""
        blocked = sight_blocked_by_bodies(self.positions, self.eyes, *self.bodies)
        for eyes, bodies in self.companions:
            blocked |= sight_blocked_by_bodies(self.positions, eyes, *bodies)
        return blocked

    def behind_set(self, frames: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Whether a set box stands between the camera and the eyes (anyone's) on each of
        ``frames`` (indices), each judged as it is alone."""
        blocked = sight_blocked(self.positions[frames], self.eyes[frames], *self.boxes)
        for eyes, _ in self.companions:
            blocked |= sight_blocked(self.positions[frames], eyes[frames], *self.boxes)
        return blocked

    def walled(self, frames: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Whether a set piece walls off the middle of the picture (more than ``WALLED_LIMIT``
        of ``walled_share``) on each of ``frames`` (indices), each judged as it is alone: the
        costliest test, which the camera's search makes only on the frames it must."""
        covered = walled_share(
            self.positions[frames], self.matrices[frames], self.focal_mm[frames], self.sensor_mm,
            self.subject_depth[frames], *self.boxes,
        )  # fmt: skip
        return covered > WALLED_LIMIT


def sight_blocked(
    eyes: FloatArray, targets: FloatArray, box_min: FloatArray, box_max: FloatArray
) -> NDArray[np.bool_]:
    """``(n,)`` True where an axis-aligned box cuts the segment from each eye to its target.

    ``eyes``/``targets`` are ``(n, 3)``; ``box_min``/``box_max`` the ``(m, 3)`` corners of the
    set's (finite) boxes. A slab test of every segment against every box it could meet; a box
    the eye is inside of does not count (that is a clearance fault, not a view one).

    A box apart from a segment's bounding box along some axis cannot cut it, and the slab test
    agrees in floating point: both ends lie beyond the box's face on that axis, so the ray's
    crossings of that slab are both at or before its start, or both at or past its end (the
    differences keep their order when rounded). Only the pairs whose bounding boxes meet are
    tested, which in a set of a dozen pieces is one or two per segment."""
    eyes, targets = np.asarray(eyes), np.asarray(targets)
    low, high = np.minimum(eyes, targets), np.maximum(eyes, targets)
    lows, highs = np.asarray(box_min), np.asarray(box_max)
    meet = np.ones((len(eyes), len(lows)), dtype=bool)
    for axis in range(3):
        meet &= highs[None, :, axis] >= low[:, None, axis]
        meet &= lows[None, :, axis] <= high[:, None, axis]
    # A NaN end is apart from nothing: such a segment is tested against every box. A NaN in
    # either end is one in both ``low`` and ``high`` (minimum and maximum keep it), and its
    # three axes are ORed in turn, which numpy does faster than ``any`` over a row of three.
    nan = np.isnan(low)
    meet |= (nan[:, 0] | nan[:, 1] | nan[:, 2])[:, None]
    segment, box = np.nonzero(meet)
    start = eyes[segment]
    ray = targets[segment] - start
    # A segment parallel to a slab divides by zero, and one nearly so overflows: the slab test
    # reads the infinities those give right, and NaN ends stay unblocked.
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        near = (lows[box] - start) / ray
        far = (highs[box] - start) / ray
    enter, leave = _slab_bounds(near, far)
    cut = (enter <= leave) & (enter > 0.0) & (enter < 1.0)
    blocked = np.zeros(len(eyes), dtype=bool)
    blocked[segment[cut]] = True
    return blocked


def _slab_bounds(near: FloatArray, far: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Where a ray enters and leaves a box, from its ``near`` and ``far`` slab crossings (the
    last axis holds x, y, z): the largest of the three entries and the smallest of the three
    exits. An axis whose crossing is 0/0 (NaN: the ray runs along that slab's face) does not
    bound the ray, and infinities become the largest finite numbers (``finite_or``).

    The three columns are combined pairwise (``np.fmax`` skips NaN) and ``finite_or`` applied
    to the result, which gives the same numbers as applying it first and reducing over the
    last axis (it is monotone), a third of the work, and no reduction over a 3-wide axis, which
    numpy does slowly."""
    entry, exit_ = np.minimum(near, far), np.maximum(near, far)
    lower = np.fmax(np.fmax(entry[..., 0], entry[..., 1]), entry[..., 2])
    upper = np.fmin(np.fmin(exit_[..., 0], exit_[..., 1]), exit_[..., 2])
    return finite_or(lower, nan=-np.inf), finite_or(upper, nan=np.inf)


def finite_or(values: FloatArray, nan: float) -> FloatArray:
    """``np.nan_to_num(values, nan=nan)``: NaN becomes ``nan`` and the infinities the largest
    finite floats; the same numbers from three ufuncs, without the wrapper's dozen calls that
    cost more than the work on the camera search's short arrays."""
    bounded = np.minimum(np.maximum(values, -LARGEST_FLOAT), LARGEST_FLOAT)
    return np.asarray(np.where(np.isnan(values), nan, bounded), dtype=np.float64)
