"""Time profiles for camera moves: every move eases in and out so no velocity jumps inside a shot.

A profile maps the shot's frames to ``s`` in [0, 1], ``(n,)`` float64, 0 on the first frame and 1
on the last. Smootherstep has zero velocity and acceleration at both ends, so a move starts and
settles like a real dolly or crane; the whip profile is the one deliberate exception.
"""

from __future__ import annotations

import functools

import numpy as np

from beatcam.model.geometry import FloatArray

# A whip pan crosses its angle in about this long: fast enough to blur, >= 500 deg/s at 24 fps.
WHIP_SECONDS = 0.12
# The whip happens a little before the middle of the shot, so the settle on the subject reads.
WHIP_CENTRE = 0.45
# Shot lengths whose profile is kept (``eased``): a scene's shots are of a few hundred lengths.
EASED_KEPT = 1024


def shot_time(frames: int) -> FloatArray:
    """Normalised time ``(frames,)``: 0 on the first frame, 1 on the last (a 1-frame shot is 0)."""
    if frames < 2:
        return np.zeros(frames)
    return np.linspace(0.0, 1.0, frames)


def smootherstep(t: FloatArray) -> FloatArray:
    """Ken Perlin's 6t^5 - 15t^4 + 10t^3: zero velocity and acceleration at 0 and 1."""
    x = np.clip(t, 0.0, 1.0)
    return np.asarray(x * x * x * (x * (6.0 * x - 15.0) + 10.0))


@functools.lru_cache(maxsize=EASED_KEPT)
def eased(frames: int) -> FloatArray:
    """The standard move profile over a shot, ``(frames,)`` from 0 to 1 (a 1-frame shot is 1).
    Kept per length, read-only: every candidate of a shot's camera search asks for it."""
    profile = np.ones(frames) if frames < 2 else smootherstep(shot_time(frames))
    profile.setflags(write=False)
    return profile


def log_lerp(start: float, end: float, s: FloatArray) -> FloatArray:
    """Interpolate a positive quantity geometrically (sizes and focal lengths feel linear so)."""
    return np.asarray(start * (end / start) ** s)


def whip(frames: int, width_frames: int) -> FloatArray:
    """A fast 0 -> 1 step ``(frames,)`` over ``width_frames`` frames just before mid-shot."""
    if frames < 2:
        return np.ones(frames)
    width = int(np.clip(width_frames, 1, frames - 1))
    first = int(np.clip(round(WHIP_CENTRE * (frames - 1) - width / 2.0), 0, frames - 1 - width))
    return smootherstep((np.arange(frames) - first) / width)


def whip_width(fps: int) -> int:
    """How many frames the whip's fast part spans at ``fps``."""
    return max(1, round(WHIP_SECONDS * fps))
