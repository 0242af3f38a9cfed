"""The camera's own reading of a candidate track, used to pick among candidates.

Each check has a margin the camera aims for and the hard limit docs/design.md section 3 (or the
critic) measures. A candidate scores ``weight`` for every check it passes only within the hard
limit and ``10 * weight`` for every hard failure; the search keeps the lowest score, so an
impossible request still yields the closest feasible track.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

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
from beatcam.camera.moves import Pose, headroom_extents, wrapped_steps
from beatcam.model.geometry import (
    Bodies,
    FloatArray,
    View,
    bodies_over,
    finite_or,
    heading_deg,
)
from beatcam.model.vocab import (
    ANGLE_PITCH_DEG,
    EVERY_FACE_CLEAR,
    MOVEMENT_TRAITS,
    SIZE_LOWER_M,
    SIZE_UPPER_M,
)

FRAME_LIMIT = 0.9
FRAME_MARGIN = 0.85
CLEARANCE_MARGIN_M = 0.05
SIZE_MARGIN = 0.03
ANGLE_MARGIN_DEG = 1.5
HARD_PENALTY = 10.0
# The view test judges walls for this many candidates first (those nearest the asked set-up,
# where the search mostly ends), then for the rest that can still beat them (``_grade_view``).
WALLS_FIRST = 3
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
    """How a candidate fares: its score (0 is perfect) and the checks it missed. Not ``whole``
    where ``assess`` spared it part of the view test: the score is then a floor the search
    cannot pick it with, not the candidate's own."""

    score: float
    missed: tuple[str, ...]
    whole: bool = True


def _depth(rig: Rig, pose: Pose, point: FloatArray) -> FloatArray:
    return np.asarray(np.einsum("ij,ij->i", point - pose.position, forward_axes(pose.matrices)))


@dataclass(frozen=True)
class Batch:
    """Candidates of one shot judged together. They share the shot's framing and frames, so
    their poses are stacked frame after frame (rows ``k * n`` to ``k * n + n - 1`` are
    candidate k's) and each per-frame check runs once over all of them: every check works frame
    by frame, so a row's numbers are the ones it has judged alone, and the reductions over a
    candidate's frames (min, max, a mean of booleans) are exact in any grouping."""

    rigs: tuple[Rig, ...]
    poses: tuple[Pose, ...]
    stacked: Pose

    @staticmethod
    def of(rigs: tuple[Rig, ...], poses: tuple[Pose, ...]) -> Batch:
        stacked = Pose(
            np.concatenate([pose.position for pose in poses]),
            np.concatenate([pose.matrices for pose in poses]),
            np.concatenate([pose.focal_mm for pose in poses]),
        )
        return Batch(rigs, poses, stacked)

    @property
    def rig(self) -> Rig:
        """The first candidate: what all share (framing, shot, sensor) is read from it."""
        return self.rigs[0]

    def every(self, per_frame: FloatArray) -> FloatArray:
        """One shot's ``(n, ...)`` per-frame array repeated for each candidate's rows."""
        return np.tile(per_frame, (len(self.rigs),) + (1,) * (per_frame.ndim - 1))

    def by_candidate(self, per_row: NDArray[Any]) -> NDArray[Any]:
        """Stacked rows ``(k * n,)`` as ``(k, n)``: one row of frames per candidate."""
        return per_row.reshape(len(self.rigs), self.rig.frames)

    def only(self, chosen: list[int]) -> Batch:
        """The batch of the ``chosen`` candidates (indices, in order)."""
        return Batch.of(tuple(self.rigs[k] for k in chosen), tuple(self.poses[k] for k in chosen))

    def frame(self, index: int) -> Pose:
        """Each candidate's camera on one frame of the shot (``index`` counts from its start,
        or from its end when negative), ``(k, ...)``."""
        rows = self.by_candidate(np.arange(len(self.stacked.focal_mm)))[:, index]
        return Pose(
            self.stacked.position[rows], self.stacked.matrices[rows], self.stacked.focal_mm[rows]
        )


def _grade(value: FloatArray, margin: float, hard: float) -> FloatArray:
    """0 where ``value >= margin``, 1 where only ``>= hard``, ``HARD_PENALTY`` below (and NaN)."""
    return np.where(value >= margin, 0.0, np.where(value >= hard, 1.0, HARD_PENALTY))


def _least(first: FloatArray, second: FloatArray) -> FloatArray:
    """Python's ``min(first, second)`` per element: ``second`` only where it is smaller."""
    return np.where(second < first, second, first)


def _frame_grades(batch: Batch) -> tuple[FloatArray, FloatArray]:
    """(front, frame) grades of the points that must stay visible."""
    rig, pose, candidates = batch.rig, batch.stacked, len(batch.rigs)
    front, frame = np.zeros(candidates), np.zeros(candidates)
    if rig.framing.subject is None:
        return front, frame
    only_last = MOVEMENT_TRAITS[rig.spec.movement].lands
    for point in rig.framing.in_frame:
        xy, depth = image_points(
            batch.every(point), pose.position, pose.matrices, pose.focal_mm, rig.sensor_mm
        )
        front = np.maximum(front, _grade(batch.by_candidate(depth).min(axis=1), 0.1, 1e-3))
        # The farther of x and y from the centre, taken column by column: numpy reduces a
        # 2-wide axis ~10x slower than one ``maximum`` (the same numbers, NaN kept).
        farther = np.maximum(np.abs(xy[:, 0]), np.abs(xy[:, 1]))
        reach = batch.by_candidate(finite_or(farther, nan=np.inf))
        worst = reach[:, -1] if only_last else reach.max(axis=1)
        frame = np.maximum(frame, _grade(-worst, -FRAME_MARGIN, -FRAME_LIMIT))
    return front, frame


def _size_grades(batch: Batch) -> FloatArray:
    rig, grade = batch.rig, np.zeros(len(batch.rigs))
    if rig.framing.subject is None:
        return grade
    depth = batch.by_candidate(_depth(rig, batch.stacked, batch.every(rig.framing.subject)))
    focal = batch.by_candidate(batch.stacked.focal_mm)
    for index, size in ((0, rig.spec.size), (-1, rig.spec.end_size)):
        if rig.spec.movement == "static" and index == -1:
            continue
        height = depth[:, index] * rig.sensor_mm[1] / focal[:, index]
        low, high = SIZE_LOWER_M[size], SIZE_UPPER_M[size]
        inside = _least(height / max(low, 1e-9) - 1.0, 1.0 - height / high)
        grade = np.maximum(grade, _grade(inside, SIZE_MARGIN, 0.0))
    return grade


def _pitch(pose: Pose) -> FloatArray:
    return np.degrees(np.arcsin(np.clip(-forward_axes(pose.matrices)[:, 1], -1.0, 1.0)))


def _yaw(pose: Pose) -> FloatArray:
    forward = forward_axes(pose.matrices)
    return heading_deg(-forward)


def _angle_grades(batch: Batch) -> FloatArray:
    low, high = ANGLE_PITCH_DEG[batch.rig.spec.angle]
    pitch = _pitch(batch.frame(batch.rig.frames // 2))
    return _grade(_least(pitch - low, high - pitch), ANGLE_MARGIN_DEG, 0.0)


def _ratio(values: FloatArray) -> float:
    return float(values[-1] / values[0]) if values[0] > 0 else 0.0


def _movement_grades(batch: Batch) -> FloatArray:
    """The move's own threshold (the ones a construction might miss after clamping)."""
    check = MOVEMENT_CHECKS.get(batch.rig.spec.movement)
    if check is None:
        return np.zeros(len(batch.rigs))
    return np.array([check(rig, pose) for rig, pose in zip(batch.rigs, batch.poses, strict=True)])


def _grade_one(value: float, margin: float, hard: float) -> float:
    """``_grade`` of one value."""
    return float(_grade(np.asarray(value), margin, hard))


def _dolly_check(rig: Rig, pose: Pose, sign: float) -> float:
    change = sign * (_ratio(_depth(rig, pose, rig.measured)) - 1.0)
    return _grade_one(change, 0.2, 0.15)


def _zoom_check(rig: Rig, pose: Pose, sign: float) -> float:
    ratio = _ratio(pose.focal_mm)
    return _grade_one(ratio if sign > 0 else 1.0 / max(ratio, 1e-9), 1.25, 1.2)


def _dolly_zoom_check(rig: Rig, pose: Pose) -> float:
    depth = _depth(rig, pose, rig.measured)
    height = depth / pose.focal_mm
    steadiness = float(height.max() / height.min() - 1.0) if height.min() > 0 else 1.0
    change = abs(_ratio(depth) - 1.0)
    return max(_grade_one(change, 0.3, 0.2), _grade_one(-steadiness, -0.005, -0.01))


def _turn_check(rig: Rig, pose: Pose, axis: int, sign: float) -> float:
    angle = _yaw(pose) if axis == 0 else -_pitch(pose)
    change = float(np.sum(wrapped_steps(angle))) * sign
    return _grade_one(change, 11.0 if axis == 0 else 9.0, 10.0 if axis == 0 else 8.0)


def _pedestal_check(rig: Rig, pose: Pose, sign: float) -> float:
    rise = float(pose.position[-1, 1] - pose.position[0, 1]) * sign
    turn = abs(float(_pitch(pose)[-1] - _pitch(pose)[0]))
    return max(
        _grade_one(min(rise - 0.2, 1.0 - rise), 0.05, 0.0),
        _grade_one(-turn, -4.0, -5.0),
    )


def _crane_check(rig: Rig, pose: Pose, sign: float) -> float:
    return _grade_one(float(pose.position[-1, 1] - pose.position[0, 1]) * sign, 1.2, 1.0)


def _whip_check(rig: Rig, pose: Pose) -> float:
    return _grade_one(
        float(np.abs(wrapped_steps(_yaw(pose))).max(initial=0.0)) * rig.fps, 450.0, 360.0
    )


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
    batch: Batch, obstacles: Obstacles, full: bool
) -> tuple[FloatArray, FloatArray]:
    """(first subject's body, everything else) clearance grades."""
    rig, points = batch.rig, batch.stacked.position
    subject_name = rig.spec.subjects[0] if rig.spec.subjects else None
    own, other = np.zeros(len(batch.rigs)), np.zeros(len(batch.rigs))
    for body in obstacles.bodies:
        if body.name in rig.framing.exempt or not (full or body.name == subject_name):
            continue
        every = replace(body, position=batch.every(body.position))
        gap = batch.by_candidate(body_clearance(points, every)).min(axis=1)
        grade = _grade(gap, BODY_CLEARANCE_M + CLEARANCE_MARGIN_M, BODY_CLEARANCE_M)
        if body.name == subject_name:
            own = np.maximum(own, grade)
        else:
            other = np.maximum(other, grade)
    if full:
        gap = batch.by_candidate(box_clearance(points, obstacles)).min(axis=1)
        other = np.maximum(
            other, _grade(gap, BOX_CLEARANCE_M + CLEARANCE_MARGIN_M, BOX_CLEARANCE_M)
        )
    return own, other


def _view(batch: Batch, obstacles: Obstacles) -> View | None:
    """What the clear-view test sees from each of the batch's cameras: the set and the other
    people between them and the subject's eyes, and each other subject's where every face must
    be clear (``EVERY_FACE_CLEAR``; None without a subject: nothing to hide)."""
    rig, pose = batch.rig, batch.stacked
    subject = rig.framing.subject
    if subject is None:
        return None
    boxes = (obstacles.centers - obstacles.halves, obstacles.centers + obstacles.halves)
    eyes = batch.every(subject)
    held = zip(rig.spec.subjects[1:], rig.framing.in_frame[1:], strict=False)
    companions = tuple(
        (batch.every(eyes_of), _bodies_before(batch, obstacles, {name, *rig.framing.exempt}))
        for name, eyes_of in (held if rig.spec.framing in EVERY_FACE_CLEAR else ())
    )
    return View(
        pose.position, pose.matrices, pose.focal_mm, rig.sensor_mm, eyes,
        _depth(rig, pose, eyes), boxes,
        _bodies_before(batch, obstacles, {*rig.spec.subjects[:1], *rig.framing.exempt}),
        companions,
    )  # fmt: skip


def _bodies_before(batch: Batch, obstacles: Obstacles, exempt: set[str]) -> Bodies:
    """The bodies but the ``exempt`` ones, over each of the batch's candidates' frames."""
    feet, tops = bodies_over(
        [(body.position, body.head_tops) for body in obstacles.bodies if body.name not in exempt],
        batch.rig.frames,
    )
    return batch.every(feet), batch.every(tops)


def _grade_view(
    grades: dict[str, FloatArray], batch: Batch, obstacles: Obstacles, beat: float
) -> NDArray[np.bool_]:
    """Fill in ``grades["view"]``: the share of each candidate's frames on which something
    hides the subject's eyes or a set piece walls off the picture (the critic's clear view),
    0 when nothing does. Only the candidates that could score under ``beat`` are tested
    (``assess``), the cheapest test first: the other people, then the set on the frames nobody
    hides, then the walls on the frames nothing hides. Each test is made only for the
    candidates that still could with the frames found blocked so far counted (the others'
    grade is that share, which their whole share can only exceed), the walls in the
    candidates' order, the first ``WALLS_FIRST`` before the rest: a later one must also score
    under every earlier one's score, or the search would not pick it.

    Returns which candidates were put to every test (the others' grades are floors)."""
    whole = np.zeros(len(batch.rigs), dtype=bool)
    chance = np.flatnonzero(_scores(grades) < beat)
    if not len(chance):
        return whole
    tested = batch if len(chance) == len(batch.rigs) else batch.only(chance.tolist())
    view = _view(tested, obstacles)
    if view is None:
        return ~whole
    frames = batch.rig.frames
    blocked = view.behind_bodies()
    grades["view"][chance] = tested.by_candidate(blocked).mean(axis=1)
    sighted = np.flatnonzero(_scores(grades)[chance] < beat)
    rows = _rows_of(sighted, frames)
    rows = rows[~blocked[rows]]
    blocked[rows] = view.behind_set(rows)
    grades["view"][chance[sighted]] = tested.by_candidate(blocked)[sighted].mean(axis=1)
    bar, order = beat, np.arange(len(chance))
    for part in (order[:WALLS_FIRST], order[WALLS_FIRST:]):
        part = part[_scores(grades)[chance[part]] < bar]
        if not len(part):
            continue
        rows = _rows_of(part, frames)
        rows = rows[~blocked[rows]]
        blocked[rows] = view.walled(rows)
        grades["view"][chance[part]] = tested.by_candidate(blocked)[part].mean(axis=1)
        whole[chance[part]] = True
        bar = min(bar, float(_scores(grades)[chance[part]].min()))
    return whole


def _rows_of(candidates: NDArray[np.intp], frames: int) -> NDArray[np.intp]:
    """The stacked rows (``Batch``) of ``candidates`` (indices), each ``frames`` long."""
    return np.asarray((candidates[:, None] * frames + np.arange(frames)).ravel())


def assess(
    rigs: tuple[Rig, ...],
    poses: tuple[Pose, ...],
    obstacles: Obstacles,
    full: bool,
    beat: float = math.inf,
) -> list[Verdict]:
    """Score candidates of one shot (``rigs``, each built into its pose), in their order;
    ``full`` adds the set and other characters (the collision search).

    Only a candidate that could score under ``beat`` (the best the search has so far) and
    under every candidate before it is put to the whole view test, the costliest: one whose
    grades without it, or with only part of its blocked frames, already sum to that or more
    cannot, since every grade is at least 0 and a float sum never falls as a term grows. Its
    verdict is those grades, a score the search cannot pick it with either way (not
    ``whole``)."""
    batch = Batch.of(rigs, poses)
    front, frame = _frame_grades(batch)
    own, other = _clearance_grades(batch, obstacles, full)
    headroom = headroom_extents(batch.rig, batch.frame(0))
    grades = {
        "front": front,
        "frame": frame,
        "headroom": _grade(-headroom, -FRAME_MARGIN, -FRAME_LIMIT),
        "ground": _grade(
            batch.by_candidate(batch.stacked.position[:, 1]).min(axis=1),
            GROUND_CLEARANCE_M + CLEARANCE_MARGIN_M,
            GROUND_CLEARANCE_M,
        ),
        "subject_body": own,
        "collision": other,
        "view": np.zeros(len(rigs)),
        "movement": _movement_grades(batch),
        "size": _size_grades(batch),
        "angle": _angle_grades(batch),
    }
    whole = _grade_view(grades, batch, obstacles, beat) if full else np.ones(len(rigs), bool)
    names = list(grades)
    missed = np.stack([values > 0 for values in grades.values()], axis=1).tolist()
    return [
        Verdict(score, tuple(name for name, hit in zip(names, row, strict=True) if hit), judged)
        for score, row, judged in zip(_scores(grades).tolist(), missed, whole.tolist(), strict=True)
    ]


def _scores(grades: dict[str, FloatArray]) -> FloatArray:
    """Each candidate's score: its grades weighted and added in ``grades``' order, one term at
    a time as Python's ``sum`` would (a float sum depends on its order)."""
    score = np.zeros(len(grades["front"]))
    for name, values in grades.items():
        score = score + WEIGHTS[name] * values
    return score
