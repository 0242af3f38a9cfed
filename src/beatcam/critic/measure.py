"""Measurements of a camera track, exactly as docs/design.md section 3 defines each word.

Every function takes plain arrays of one shot: camera positions ``(n, 3)``, quaternions
``(n, 4)``, focal lengths ``(n,)`` and, when the shot names a subject, the subject's eye points
``(n, 3)``. They return numbers, never verdicts; ``checks`` compares them with the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from beatcam.model.geometry import (
    FloatArray,
    camera_axes,
    depth_of,
    frame_height_at,
    lengths,
    normalize,
    project,
    quat_to_matrix,
    yaw_pitch_roll_deg,
)

SMOOTHING_SECONDS = 0.5


@dataclass(frozen=True)
class Track:
    """One shot's camera samples and its subject's eye points (None without a subject)."""

    position: FloatArray
    rotation: FloatArray
    focal_mm: FloatArray
    eyes: FloatArray | None
    sensor_mm: tuple[float, float]
    fps: int

    @property
    def frames(self) -> int:
        return len(self.position)

    @cached_property
    def matrices(self) -> FloatArray:
        """``(n, 3, 3)`` the rotations as matrices, made once for every question asked."""
        return quat_to_matrix(self.rotation)

    def depth(self) -> FloatArray:
        assert self.eyes is not None
        return depth_of(self.eyes, self.position, self.matrices)

    def frame_height(self) -> FloatArray:
        return frame_height_at(self.depth(), self.focal_mm, self.sensor_mm[1])

    def angles(self) -> FloatArray:
        """(n, 3) yaw, pitch, roll in degrees, yaw unwrapped over the shot."""
        angles = yaw_pitch_roll_deg(self.matrices)
        angles[:, 0] = np.rad2deg(np.unwrap(np.deg2rad(angles[:, 0])))
        return angles

    def image_points(self, points: FloatArray) -> FloatArray:
        return project(points, self.position, self.matrices, self.focal_mm, self.sensor_mm)


def max_offset_m(position: FloatArray) -> float:
    """Farthest the camera gets from where it started."""
    return float(np.max(np.linalg.norm(position - position[0], axis=1)))


def max_turn_deg(rotation: FloatArray) -> float:
    """Largest rotation away from the first frame's orientation.

    Quaternions are renormalised first: a plan file stores them to 5 decimals, and arccos
    near 1 would read that rounding as a turn of a degree.
    """
    unit = normalize(rotation)
    dots = np.clip(np.abs(unit @ unit[0]), 0.0, 1.0)
    return float(np.degrees(2.0 * np.arccos(np.min(dots))))


def max_focal_change(focal_mm: FloatArray) -> float:
    """Largest relative change of focal length from the first frame."""
    return float(np.max(np.abs(focal_mm / focal_mm[0] - 1.0)))


def along_first_axes(track: Track) -> FloatArray:
    """Total camera displacement in the first frame's (right, up, forward) axes."""
    right, up, forward = camera_axes(track.rotation[:1])
    shift = track.position[-1] - track.position[0]
    return np.array([shift @ right[0], shift @ up[0], shift @ forward[0]])


def azimuth_change_deg(track: Track) -> float:
    """How far the camera turns around the subject, seen from above (signed, unwrapped)."""
    assert track.eyes is not None
    offset = track.position - track.eyes
    heading = np.unwrap(np.arctan2(offset[:, 0], offset[:, 2]))
    return float(np.degrees(heading[-1] - heading[0]))


def moving_average(values: FloatArray, window: int) -> FloatArray:
    """Centred moving average over ``window`` frames, valid part only (no edge padding)."""
    kernel = np.ones(window) / window
    return np.stack(
        [np.convolve(values[:, axis], kernel, mode="valid") for axis in range(values.shape[1])],
        axis=1,
    )


def jitter_rms(track: Track) -> tuple[float, float]:
    """(position mm, rotation degrees) RMS after removing a 0.5 s moving average."""
    window = max(3, round(SMOOTHING_SECONDS * track.fps) | 1)
    if track.frames <= window:
        return 0.0, 0.0
    half = window // 2
    trimmed = slice(half, track.frames - half)
    position = track.position[trimmed] - moving_average(track.position, window)
    angles = track.angles()
    rotation = angles[trimmed] - moving_average(angles, window)
    position_rms = float(np.sqrt(np.mean(np.sum(position**2, axis=1)))) * 1000.0
    rotation_rms = float(np.sqrt(np.mean(np.sum(rotation**2, axis=1))))
    return position_rms, rotation_rms


def peak_yaw_rate(track: Track) -> float:
    """Fastest turn of the heading, degrees per second."""
    yaw = track.angles()[:, 0]
    return float(np.max(np.abs(np.diff(yaw))) * track.fps) if track.frames > 1 else 0.0


def peak_speed_and_acceleration(track: Track, smooth: bool) -> tuple[float, float]:
    """Fastest camera speed (m/s) and acceleration (m/s²), optionally of the 0.5 s average."""
    position = track.position
    window = max(3, round(SMOOTHING_SECONDS * track.fps) | 1)
    if smooth and track.frames > window:
        position = moving_average(position, window)
    if len(position) < 3:
        return 0.0, 0.0
    velocity = np.diff(position, axis=0) * track.fps
    acceleration = np.diff(velocity, axis=0) * track.fps
    return (
        float(np.max(lengths(velocity))),
        float(np.max(lengths(acceleration))),
    )
