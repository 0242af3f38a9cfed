"""From the plan's camera to pixels: the one place the render builds view and projection matrices.

Conventions are those of ``model/geometry.py`` (camera looks down its local -Z, +Y up,
quaternions ``[w, x, y, z]`` world-from-camera). The vertical field of view comes from the
sensor height and the focal length, ``fov_y = 2 atan(sensor_h / 2f)``; the picture keeps the
plan's aspect inside the output frame, with black bars where the two differ.

Matrices are row-major numpy ``(4, 4)`` acting on column vectors; pixel coordinates are
``x`` right and ``y`` down from the top-left corner of the whole output frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from beatcam.errors import StageError
from beatcam.model.geometry import FloatArray, quat_to_matrix

NEAR_M = 0.05
FAR_M = 2000.0


@dataclass(frozen=True)
class PictureRect:
    """Where the picture sits in the output frame, in pixels from the top-left corner."""

    x: int
    y: int
    width: int
    height: int

    @property
    def aspect(self) -> float:
        return self.width / self.height


def aspect_ratio(aspect: str) -> float:
    """``"16:9"`` -> 1.777..., ``"2.39"`` -> 2.39; anything else is a StageError."""
    try:
        if ":" in aspect:
            width, height = aspect.split(":", 1)
            ratio = float(width) / float(height)
        else:
            ratio = float(aspect)
    except (ValueError, ZeroDivisionError) as exc:
        raise StageError("render", f"aspect {aspect!r} is not W:H or a ratio like 2.39") from exc
    if not 0.2 < ratio < 5.0:
        raise StageError("render", f"aspect {aspect!r} is outside 0.2..5; use 16:9 or 2.39")
    return ratio


def picture_rect(resolution: tuple[int, int], aspect: str) -> PictureRect:
    """The picture at ``aspect`` centred in a frame of ``resolution``: letterbox bars above and
    below for wider aspects (2.39, 1.85), pillarbox bars at the sides for narrower (4:3)."""
    width, height = resolution
    ratio = aspect_ratio(aspect)
    if ratio >= width / height:
        picture_height = min(height, 2 * round(width / ratio / 2))
        return PictureRect(0, (height - picture_height) // 2, width, picture_height)
    picture_width = min(width, 2 * round(height * ratio / 2))
    return PictureRect((width - picture_width) // 2, 0, picture_width, height)


def fov_y_rad(sensor_h_mm: float, focal_mm: FloatArray) -> FloatArray:
    """Vertical field of view in radians for each focal length (mm)."""
    return np.asarray(2.0 * np.arctan(sensor_h_mm / (2.0 * np.asarray(focal_mm))))


def view_matrices(positions: FloatArray, rotations: FloatArray) -> FloatArray:
    """``(n, 4, 4)`` camera-from-world matrices for ``(n, 3)`` positions, ``(n, 4)`` rotations."""
    world_from_camera = quat_to_matrix(rotations)
    camera_from_world = np.transpose(world_from_camera, (0, 2, 1))
    views = np.zeros((len(world_from_camera), 4, 4))
    views[:, :3, :3] = camera_from_world
    views[:, :3, 3] = -np.einsum("nij,nj->ni", camera_from_world, np.asarray(positions))
    views[:, 3, 3] = 1.0
    return views


def projection_matrices(fov_y: FloatArray, aspect: float) -> FloatArray:
    """``(n, 4, 4)`` OpenGL perspective matrices (NDC y up) for vertical fields of view."""
    f = 1.0 / np.tan(np.asarray(fov_y, dtype=np.float64) / 2.0)
    projections = np.zeros((len(f), 4, 4))
    projections[:, 0, 0] = f / aspect
    projections[:, 1, 1] = f
    projections[:, 2, 2] = (FAR_M + NEAR_M) / (NEAR_M - FAR_M)
    projections[:, 2, 3] = 2.0 * FAR_M * NEAR_M / (NEAR_M - FAR_M)
    projections[:, 3, 2] = -1.0
    return projections


def view_projections(
    positions: FloatArray,
    rotations: FloatArray,
    focal_mm: FloatArray,
    sensor_h_mm: float,
    aspect: float,
) -> FloatArray:
    """``(n, 4, 4)`` clip-from-world matrices for a camera track."""
    projections = projection_matrices(fov_y_rad(sensor_h_mm, focal_mm), aspect)
    return np.asarray(projections @ view_matrices(positions, rotations))


def to_pixels(points: FloatArray, view_projection: FloatArray, rect: PictureRect) -> FloatArray:
    """``(n, 3)`` world points -> ``(n, 2)`` pixel positions in the output frame under one
    clip-from-world matrix; points behind the camera come out as NaN."""
    homogeneous = np.concatenate([np.asarray(points), np.ones((len(points), 1))], axis=1)
    clip = homogeneous @ view_projection.T
    w = np.where(clip[:, 3] > NEAR_M, clip[:, 3], np.nan)
    ndc_x, ndc_y = clip[:, 0] / w, clip[:, 1] / w
    x = rect.x + (ndc_x + 1.0) * 0.5 * rect.width
    y = rect.y + (1.0 - ndc_y) * 0.5 * rect.height
    return np.stack([x, y], axis=1)
