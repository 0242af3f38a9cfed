"""Camera orientation from yaw, pitch and roll, and the two inverse framing solvers.

Conventions are those of ``beatcam.model.geometry``: world-from-camera rotation
``R = Ry(yaw) · Rx(-pitch) · Rz(roll)`` (degrees; yaw counter-clockwise from looking down -Z,
pitch positive looking down, roll positive when the camera's right side rises). An image position
``(u, v)`` is in [-1, 1] across the frame, x right and y up, as ``geometry.project`` reports it.

* ``orbit`` places a camera around an aim point: given where the camera should sit (heading of
  the camera seen from the aim, pitch, depth) and where the aim should appear in the image.
* ``aim_at`` turns a camera standing at a given position so the aim appears at ``(u, v)``.

Both are exact, closed-form and vectorised over frames; every array is ``(n,)`` or ``(n, 3)``.
"""

from __future__ import annotations

import numpy as np

from beatcam.model.geometry import FloatArray, normalize


def rotation_matrices(
    yaw_deg: FloatArray, pitch_deg: FloatArray, roll_deg: FloatArray
) -> FloatArray:
    """``(n, 3, 3)`` world-from-camera matrices for per-frame yaw, pitch and roll in degrees.

    The product ``Ry(yaw) Rx(-pitch) Rz(roll)`` written out (a positive pitch turns -Z toward
    -Y, so the camera looks down).
    """
    yaw, pitch, roll = np.broadcast_arrays(
        *(np.deg2rad(np.asarray(a, dtype=np.float64)) for a in (yaw_deg, pitch_deg, roll_deg))
    )
    cy, sy, cp, sp, cr, sr = (
        np.cos(yaw),
        np.sin(yaw),
        np.cos(pitch),
        np.sin(pitch),
        np.cos(roll),
        np.sin(roll),
    )
    m = np.empty((yaw.size, 3, 3))
    m[:, 0, 0] = cy * cr - sy * sp * sr
    m[:, 0, 1] = -cy * sr - sy * sp * cr
    m[:, 0, 2] = sy * cp
    m[:, 1, 0] = cp * sr
    m[:, 1, 1] = cp * cr
    m[:, 1, 2] = sp
    m[:, 2, 0] = -sy * cr - cy * sp * sr
    m[:, 2, 1] = sy * sr - cy * sp * cr
    m[:, 2, 2] = cy * cp
    return m


def image_rays(
    u: FloatArray, v: FloatArray, focal_mm: FloatArray, sensor_mm: tuple[float, float]
) -> FloatArray:
    """Camera-frame rays ``(n, 3)`` through image points ``(u, v)``, scaled to depth 1 (z = -1)."""
    focal = np.asarray(focal_mm, dtype=np.float64)
    x = np.asarray(u) * sensor_mm[0] / 2.0 / focal
    y = np.asarray(v) * sensor_mm[1] / 2.0 / focal
    x, y = np.broadcast_arrays(x, y)
    return np.stack([x, y, -np.ones_like(x)], axis=1)


def forward_axes(matrices: FloatArray) -> FloatArray:
    """World view directions (camera -Z) ``(n, 3)`` of ``(n, 3, 3)`` matrices."""
    return np.asarray(-matrices[:, :, 2])


def orbit(
    aim: FloatArray,
    heading_deg: FloatArray,
    pitch_deg: FloatArray,
    roll_deg: FloatArray,
    focal_mm: FloatArray,
    uv: tuple[FloatArray, FloatArray],
    depth_m: FloatArray,
    sensor_mm: tuple[float, float],
    measured: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Positions ``(n, 3)`` and matrices ``(n, 3, 3)`` of a camera that sees ``aim`` at ``uv``.

    The camera sits in the direction ``heading_deg`` from the aim (counter-clockwise from +Z,
    seen from above), with camera pitch ``pitch_deg``. ``depth_m`` is the depth of ``measured``
    (default: the aim) along the view axis, so a subject's frame height is exact even when the
    aim is another point (a pair's midpoint, a character's hands).
    """
    rays = image_rays(uv[0], uv[1], focal_mm, sensor_mm)
    tilted = np.einsum(
        "nij,nj->ni", rotation_matrices(np.zeros(len(rays)), pitch_deg, roll_deg), rays
    )
    yaw = np.asarray(heading_deg) + 180.0 - np.degrees(np.arctan2(tilted[:, 0], tilted[:, 2]))
    matrices = rotation_matrices(yaw, pitch_deg, roll_deg)
    depth = np.broadcast_to(np.asarray(depth_m, dtype=np.float64), (len(rays),))
    if measured is not None:
        depth = depth - np.einsum("ij,ij->i", measured - aim, forward_axes(matrices))
    world_rays = np.einsum("nij,nj->ni", matrices, rays)
    return np.asarray(aim - depth[:, None] * world_rays), matrices


def aim_at(
    positions: FloatArray,
    aim: FloatArray,
    roll_deg: FloatArray,
    focal_mm: FloatArray,
    uv: tuple[FloatArray, FloatArray],
    sensor_mm: tuple[float, float],
) -> tuple[FloatArray, FloatArray]:
    """Yaw and pitch ``(n,)`` degrees that put ``aim`` at image point ``uv`` from ``positions``."""
    direction = normalize(aim - positions)  # a camera standing on its aim stays defined
    rolled = _rolled_rays(roll_deg, focal_mm, uv, sensor_mm)
    rolled = rolled / np.linalg.norm(rolled, axis=1, keepdims=True)
    a, b, c = rolled[:, 0], rolled[:, 1], rolled[:, 2]
    # The ray's height after pitching must match the aim's: b cos p + c sin p = dy.
    reach = np.hypot(b, c)
    pitch = np.arctan2(c, b) + np.arccos(np.clip(direction[:, 1] / reach, -1.0, 1.0))
    pitch = (pitch + np.pi) % (2.0 * np.pi) - np.pi
    yaw = _yaw_for(direction, a, b, c, pitch)
    return np.degrees(yaw), np.degrees(pitch)


def yaw_toward(
    positions: FloatArray,
    aim: FloatArray,
    pitch_deg: FloatArray,
    roll_deg: FloatArray,
    focal_mm: FloatArray,
    uv: tuple[FloatArray, FloatArray],
    sensor_mm: tuple[float, float],
) -> FloatArray:
    """Yaw ``(n,)`` degrees that puts ``aim`` at image column ``u`` when the pitch is imposed."""
    direction = aim - positions
    rolled = _rolled_rays(roll_deg, focal_mm, uv, sensor_mm)
    pitch = np.deg2rad(np.broadcast_to(np.asarray(pitch_deg, dtype=np.float64), (len(rolled),)))
    return np.degrees(_yaw_for(direction, rolled[:, 0], rolled[:, 1], rolled[:, 2], pitch))


def _rolled_rays(
    roll_deg: FloatArray,
    focal_mm: FloatArray,
    uv: tuple[FloatArray, FloatArray],
    sensor_mm: tuple[float, float],
) -> FloatArray:
    """Rays through ``uv`` turned by the camera's roll (before pitch and yaw), ``(n, 3)``."""
    rays = image_rays(uv[0], uv[1], focal_mm, sensor_mm)
    level = np.zeros(len(rays))
    return np.asarray(np.einsum("nij,nj->ni", rotation_matrices(level, level, roll_deg), rays))


def _yaw_for(
    direction: FloatArray, a: FloatArray, b: FloatArray, c: FloatArray, pitch: FloatArray
) -> FloatArray:
    """Yaw (radians) turning the pitched ray (a, b, c) onto the direction's heading."""
    ray_heading = np.arctan2(a, -b * np.sin(pitch) + c * np.cos(pitch))
    return np.asarray(np.arctan2(direction[:, 0], direction[:, 2]) - ray_heading)


def image_points(
    points: FloatArray,
    positions: FloatArray,
    matrices: FloatArray,
    focal_mm: FloatArray,
    sensor_mm: tuple[float, float],
) -> tuple[FloatArray, FloatArray]:
    """Image positions ``(n, 2)`` in [-1, 1] units and depths ``(n,)`` of one point per frame."""
    local = np.einsum("nji,nj->ni", matrices, points - positions)
    depth = -local[:, 2]
    safe = np.where(depth > 1e-6, depth, np.nan)
    focal = np.asarray(focal_mm, dtype=np.float64)
    x = local[:, 0] * focal / safe / (sensor_mm[0] / 2.0)
    y = local[:, 1] * focal / safe / (sensor_mm[1] / 2.0)
    return np.stack([x, y], axis=1), depth
