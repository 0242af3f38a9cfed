"""Where the camera stands around its subject: the 180° and 30° rules, and the lens.

The line of action runs between the first two of the cast on stage (``model.sets.line_of_action``:
nobody waiting off stage for an entrance). Coverage stays on one side of it, the side facing the
set's open front, unless a beat motivates crossing. Two
consecutive shots of the same subject at nearly the same size move the camera at least 30°
around them so the cut does not jump.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from beatcam.model import Blocking
from beatcam.model.geometry import FloatArray, side_of_line
from beatcam.model.sets import Line
from beatcam.model.vocab import FOCAL_MAX_MM, FOCAL_MIN_MM, SIZES

OPEN_FRONT = np.array([0.0, 50.0])  # (x, z): a point far off the set's open side
THIRTY_DEGREE_STEP = 35.0
SIDE_SWINGS = (0.0, -25.0, -45.0, -65.0)  # toward the side (90°) when the ideal spot is across
PROBE_M = 3.0
AZIMUTH_LADDER = (25.0, 60.0, 10.0, 45.0)
FRAMING_AZIMUTH = {
    "single": 25.0,
    "insert": 20.0,
    "over_shoulder": 14.0,
    "pov": 0.0,
    "two_shot": 80.0,
    "group": 60.0,
    "establishing": 70.0,
}
FOLLOW_AZIMUTH, LEAD_AZIMUTH = 155.0, 15.0
BASE_LENS = {"EWS": 24, "WS": 28, "FS": 32, "MLS": 35, "MS": 40, "MCU": 50, "CU": 65, "ECU": 85}
PRIMES = (14, 18, 21, 24, 28, 32, 35, 40, 50, 65, 75, 85, 100, 135)


@dataclass(frozen=True)
class Placement:
    azimuth_deg: float
    side: int


def _side_of(point: FloatArray, start: FloatArray, end: FloatArray) -> float:
    return float(np.sign(side_of_line(point, start, end)))


def open_side(line: Line) -> int:
    """+1 or -1: the side of the line of action facing the set's open front."""
    if line is None:
        return 1
    side = _side_of(OPEN_FRONT, *line)
    return int(side) if side else 1


def place(
    blocking: Blocking,
    subject: str | None,
    framing: str,
    movement: str,
    frame: int,
    side: int,
    previous: tuple[str | None, float, int] | None,
    size: str,
    line: Line,
) -> Placement:
    """Azimuth around ``subject`` (from their facing) that keeps the camera on ``side`` of the
    ``line`` of action on ``frame``.

    ``previous`` is (subject, azimuth, size index) of the shot before, for the 30° rule.
    """
    if subject is None:
        return Placement(0.0, side)
    if movement == "follow":
        magnitude = FOLLOW_AZIMUTH
    elif movement == "lead":
        magnitude = LEAD_AZIMUTH
    else:
        magnitude = FRAMING_AZIMUTH.get(framing, 25.0)
    track = blocking[subject]
    origin = track.position[frame][[0, 2]]
    facing = float(track.facing_deg[frame])

    def toward_front(azimuth: float) -> tuple[float, bool]:
        """How far toward the set's open front a camera at ``azimuth`` stands (a tie keeps the
        positive side, as before there was a front to prefer)."""
        heading = np.deg2rad(facing + azimuth)
        toward = float(np.dot([np.sin(heading), np.cos(heading)], OPEN_FRONT - origin))
        return round(toward, 6), azimuth >= 0

    def signed(candidate: float) -> float:
        """The azimuth nearest ``candidate`` (either sign, then ever more to the side) that
        puts the camera on the chosen side of the line; with no line (one person), the sign
        that puts it nearer the set's open front, where a walk the words send screen right
        is seen going right."""
        if line is None:
            return max((candidate, -candidate), key=toward_front)
        for swing in SIDE_SWINGS:
            for sign in (1.0, -1.0):
                magnitude = candidate + swing if candidate > 90.0 else candidate - swing
                azimuth = sign * float(np.clip(magnitude, 0.0, 180.0))
                heading = np.deg2rad(facing + azimuth)
                camera = origin + PROBE_M * np.array([np.sin(heading), np.cos(heading)])
                if _side_of(camera, *line) == side:
                    return azimuth
        return candidate

    azimuth = signed(magnitude)
    if previous is not None and previous[0] == subject and framing in {"single", "insert"}:
        close_in_size = abs(SIZES.index(size) - previous[2]) < 2
        if close_in_size and abs(azimuth - previous[1]) < THIRTY_DEGREE_STEP:
            for option in AZIMUTH_LADDER:
                azimuth = signed(option)
                if abs(azimuth - previous[1]) >= THIRTY_DEGREE_STEP:
                    break
            if line is None and abs(azimuth - previous[1]) < THIRTY_DEGREE_STEP:
                azimuth = -previous[1] if abs(previous[1]) >= 20 else previous[1] + 40.0
    return Placement(azimuth, side)


def lens_for(size: str, movement: str, framing: str, function: str, lens_scale: float) -> float:
    """A prime for the size, longer for isolation and intimacy, wider for chaos and scale."""
    lens = BASE_LENS[size] * lens_scale
    if function in {"isolation", "suspense", "intimacy", "grief"} and size not in {"EWS", "WS"}:
        lens *= 1.3
    if function in {"chase", "attack", "disorientation", "awe"} or movement == "handheld":
        lens *= 0.75
    if movement in {"zoom_in", "dolly_zoom_out"}:
        lens = min(lens, 50.0)
    if movement in {"zoom_out", "dolly_zoom_in"}:
        lens = max(lens, 65.0)
    if framing == "pov":
        lens = 40.0
    lens = float(np.clip(lens, FOCAL_MIN_MM, FOCAL_MAX_MM))
    return float(min(PRIMES, key=lambda prime: (abs(prime - lens), prime)))
