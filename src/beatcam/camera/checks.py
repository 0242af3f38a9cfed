"""The camera's own reading of a candidate track, used to pick among candidates.

Each check has a margin the camera aims for and the hard limit docs/design.md section 3 (or the
critic) measures. A candidate scores ``weight`` for every check it passes only within the hard
limit and ``10 * weight`` for every hard failure; the search keeps the lowest score, so an
impossible request still yields the closest feasible track.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from beatcam.camera.aiming import forward_axes, image_points
from beatcam.camera.collision import (
    BODY_CLEARANCE_M,
    BOX_CLEARANCE_M,
    GROUND_CLEARANCE_M,
    Obstacles,
    body_clearance,
    box_clearance,
)
from beatcam.camera.framing import Rig
from beatcam.camera.moves import Pose, headroom_extent, wrapped_steps
from beatcam.model.geometry import FloatArray, bodies_over, heading_deg, view_faults
from beatcam.model.vocab import ANGLE_PITCH_DEG, MOVEMENT_TRAITS, SIZE_LOWER_M, SIZE_UPPER_M

FRAME_LIMIT = 0.9
FRAME_MARGIN = 0.85
CLEARANCE_MARGIN_M = 0.05
SIZE_MARGIN = 0.03
ANGLE_MARGIN_DEG = 1.5
HARD_PENALTY = 10.0
WEIGHTS = {
    "front": 50.0,
    "frame": 20.0,
    "headroom": 8.0,
    "ground": 20.0,
    "subject_body": 25.0,
    "collision": 25.0,
    "view": 20.0,
    "movement": 10.0,
    "size": 4.0,
    "angle": 4.0,
}


@dataclass(frozen=True)
class Verdict:
    """How a candidate fares: its score (0 is perfect) and the checks it missed."""

    score: float
    missed: tuple[str, ...]


def _grade(value: float, margin: float, hard: float) -> float:
    """0 when ``value >= margin``, 1 when only ``>= hard``, ``HARD_PENALTY`` below."""
    if value >= margin:
        return 0.0
    return 1.0 if value >= hard else HARD_PENALTY


def _depth(rig: Rig, pose: Pose, point: FloatArray) -> FloatArray:
    return np.asarray(np.einsum("ij,ij->i", point - pose.position, forward_axes(pose.matrices)))


def _frame_grades(rig: Rig, pose: Pose) -> tuple[float, float]:
    """(front, frame) grades of the points that must stay visible."""
    if rig.framing.subject is None:
        return 0.0, 0.0
    only_last = MOVEMENT_TRAITS[rig.spec.movement].lands
    front, frame = 0.0, 0.0
    for point in rig.framing.in_frame:
        xy, depth = image_points(point, pose.position, pose.matrices, pose.focal_mm, rig.sensor_mm)
        front = max(front, _grade(float(depth.min()), 0.1, 1e-3))
        reach = np.nan_to_num(np.abs(xy).max(axis=1), nan=np.inf)
        worst = float(reach[-1] if only_last else reach.max())
        frame = max(frame, _grade(-worst, -FRAME_MARGIN, -FRAME_LIMIT))
    return front, frame


def _size_grade(rig: Rig, pose: Pose) -> float:
    if rig.framing.subject is None:
        return 0.0
    depth = _depth(rig, pose, rig.framing.subject)
    grade = 0.0
    for index, size in ((0, rig.spec.size), (-1, rig.spec.end_size)):
        if rig.spec.movement == "static" and index == -1:
            continue
        height = depth[index] * rig.sensor_mm[1] / pose.focal_mm[index]
        low, high = SIZE_LOWER_M[size], SIZE_UPPER_M[size]
        inside = min(height / max(low, 1e-9) - 1.0, 1.0 - height / high)
        grade = max(grade, _grade(inside, SIZE_MARGIN, 0.0))
    return grade


def _pitch(pose: Pose) -> FloatArray:
    return np.degrees(np.arcsin(np.clip(-forward_axes(pose.matrices)[:, 1], -1.0, 1.0)))


def _yaw(pose: Pose) -> FloatArray:
    forward = forward_axes(pose.matrices)
    return heading_deg(-forward)


def _angle_grade(rig: Rig, pose: Pose) -> float:
    low, high = ANGLE_PITCH_DEG[rig.spec.angle]
    pitch = float(_pitch(pose)[rig.frames // 2])
    return _grade(min(pitch - low, high - pitch), ANGLE_MARGIN_DEG, 0.0)


def _ratio(values: FloatArray) -> float:
    return float(values[-1] / values[0]) if values[0] > 0 else 0.0


def _movement_grade(rig: Rig, pose: Pose) -> float:
    """The move's own threshold (the ones a construction might miss after clamping)."""
    check = MOVEMENT_CHECKS.get(rig.spec.movement)
    return check(rig, pose) if check else 0.0


def _dolly_check(rig: Rig, pose: Pose, sign: float) -> float:
    change = sign * (_ratio(_depth(rig, pose, rig.measured)) - 1.0)
    return _grade(change, 0.2, 0.15)


def _zoom_check(rig: Rig, pose: Pose, sign: float) -> float:
    ratio = _ratio(pose.focal_mm)
    return _grade(ratio if sign > 0 else 1.0 / max(ratio, 1e-9), 1.25, 1.2)


def _dolly_zoom_check(rig: Rig, pose: Pose) -> float:
    depth = _depth(rig, pose, rig.measured)
    height = depth / pose.focal_mm
    steadiness = float(height.max() / height.min() - 1.0) if height.min() > 0 else 1.0
    change = abs(_ratio(depth) - 1.0)
    return max(_grade(change, 0.3, 0.2), _grade(-steadiness, -0.005, -0.01))


def _turn_check(rig: Rig, pose: Pose, axis: int, sign: float) -> float:
    angle = _yaw(pose) if axis == 0 else -_pitch(pose)
    change = float(np.sum(wrapped_steps(angle))) * sign
    return _grade(change, 11.0 if axis == 0 else 9.0, 10.0 if axis == 0 else 8.0)


def _pedestal_check(rig: Rig, pose: Pose, sign: float) -> float:
    rise = float(pose.position[-1, 1] - pose.position[0, 1]) * sign
    turn = abs(float(_pitch(pose)[-1] - _pitch(pose)[0]))
    return max(
        _grade(min(rise - 0.2, 1.0 - rise), 0.05, 0.0),
        _grade(-turn, -4.0, -5.0),
    )


def _crane_check(rig: Rig, pose: Pose, sign: float) -> float:
    return _grade(float(pose.position[-1, 1] - pose.position[0, 1]) * sign, 1.2, 1.0)


def _whip_check(rig: Rig, pose: Pose) -> float:
    return _grade(float(np.abs(wrapped_steps(_yaw(pose))).max(initial=0.0)) * rig.fps, 450.0, 360.0)


MOVEMENT_CHECKS: dict[str, Callable[[Rig, Pose], float]] = {
    "push_in": lambda rig, pose: _dolly_check(rig, pose, -1.0),
    "pull_out": lambda rig, pose: _dolly_check(rig, pose, 1.0),
    "zoom_in": lambda rig, pose: _zoom_check(rig, pose, 1.0),
    "zoom_out": lambda rig, pose: _zoom_check(rig, pose, -1.0),
    "dolly_zoom_in": _dolly_zoom_check,
    "dolly_zoom_out": _dolly_zoom_check,
    "pan_left": lambda rig, pose: _turn_check(rig, pose, 0, 1.0),
    "pan_right": lambda rig, pose: _turn_check(rig, pose, 0, -1.0),
    "tilt_up": lambda rig, pose: _turn_check(rig, pose, 1, 1.0),
    "tilt_down": lambda rig, pose: _turn_check(rig, pose, 1, -1.0),
    "pedestal_up": lambda rig, pose: _pedestal_check(rig, pose, 1.0),
    "pedestal_down": lambda rig, pose: _pedestal_check(rig, pose, -1.0),
    "crane_up": lambda rig, pose: _crane_check(rig, pose, 1.0),
    "crane_down": lambda rig, pose: _crane_check(rig, pose, -1.0),
    "whip_pan": _whip_check,
}


def _clearance_grades(
    rig: Rig, pose: Pose, obstacles: Obstacles, full: bool
) -> tuple[float, float]:
    """(first subject's body, everything else) clearance grades."""
    subject_name = rig.spec.subjects[0] if rig.spec.subjects else None
    own, other = 0.0, 0.0
    for body in obstacles.bodies:
        if body.name in rig.framing.exempt or not (full or body.name == subject_name):
            continue
        gap = float(body_clearance(pose.position, body).min())
        grade = _grade(gap, BODY_CLEARANCE_M + CLEARANCE_MARGIN_M, BODY_CLEARANCE_M)
        if body.name == subject_name:
            own = max(own, grade)
        else:
            other = max(other, grade)
    if full:
        gap = float(box_clearance(pose.position, obstacles).min())
        other = max(other, _grade(gap, BOX_CLEARANCE_M + CLEARANCE_MARGIN_M, BOX_CLEARANCE_M))
    return own, other


def _view_grade(rig: Rig, pose: Pose, obstacles: Obstacles) -> float:
    """0 when the set and the other people leave the subject's eyes in view and no set piece
    walls off the frame; grows with the share of frames that fail (the critic's clear view)."""
    subject = rig.framing.subject
    if subject is None:
        return 0.0
    exempt = {rig.spec.subjects[0], *rig.framing.exempt}
    feet, tops = bodies_over(
        [(body.position, body.head_tops) for body in obstacles.bodies if body.name not in exempt],
        rig.frames,
    )
    boxes = (obstacles.centers - obstacles.halves, obstacles.centers + obstacles.halves)
    hidden, walled = view_faults(
        pose.position, pose.matrices, pose.focal_mm, rig.sensor_mm, subject,
        _depth(rig, pose, subject), boxes, (feet, tops),
    )  # fmt: skip
    return float(np.mean(hidden | walled))


def assess(
    rig: Rig, pose: Pose, obstacles: Obstacles, full: bool, beat: float = math.inf
) -> Verdict | None:
    """Score a candidate; ``full`` adds the set and other characters (the collision search).

    None when the candidate cannot score below ``beat`` (the best so far): the view check, the
    costliest, is then skipped, since it can only add to the score of the other checks (the
    same sum with a view grade of 0 is a lower bound, as adding a term >= 0 never lowers a
    float sum)."""
    grades = _grades(rig, pose, obstacles, full)
    if full:
        if _score(grades) >= beat:
            return None
        grades["view"] = _view_grade(rig, pose, obstacles)
    score = _score(grades)
    return Verdict(score, tuple(name for name, grade in grades.items() if grade > 0))


def _score(grades: dict[str, float]) -> float:
    return sum(WEIGHTS[name] * grade for name, grade in grades.items())


def _grades(rig: Rig, pose: Pose, obstacles: Obstacles, full: bool) -> dict[str, float]:
    """Every check's grade but the view's (0 here; ``assess`` fills it in when it matters)."""
    front, frame = _frame_grades(rig, pose)
    own, other = _clearance_grades(rig, pose, obstacles, full)
    return {
        "front": front,
        "frame": frame,
        "headroom": _grade(-headroom_extent(rig, pose), -FRAME_MARGIN, -FRAME_LIMIT),
        "ground": _grade(
            float(pose.position[:, 1].min()),
            GROUND_CLEARANCE_M + CLEARANCE_MARGIN_M,
            GROUND_CLEARANCE_M,
        ),
        "subject_body": own,
        "collision": other,
        "view": 0.0,
        "movement": _movement_grade(rig, pose),
        "size": _size_grade(rig, pose),
        "angle": _angle_grade(rig, pose),
    }
