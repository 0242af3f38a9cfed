"""The articulated grey-box figure: eleven bones whose joint angles come from the pose words.

One skeleton drives the render and every 3D export, so what a viewer sees is what the camera
framed. Units are fractions of the character's height in the character's own frame: feet on
y = 0 when standing, facing +Z, +X on the character's left (right-handed, +Y up). A bone's
frame has its origin at its joint; its rotation maps bone axes to character axes, and the bone
runs ``length`` along its own +Y (spine, head) or -Y (limbs, ``up`` False), and its body is
the capsule of ``radius`` round that segment (the head's reaches the top of the head; the
shin's, the sole). Angles are in
degrees; positive flexion brings a limb forward, positive ``*_out`` lifts it sideways.

Segment lengths are Drillis and Contini's proportions of stature (hip joint 0.530, knee 0.285,
ankle 0.039, shoulder 0.818, elbow 0.630, wrist 0.485; shoulder width 0.259), so a 1.75 m
figure is built like a 1.75 m person and its standing eye is at ``EYE_HEIGHT_RATIO``.

A pose blends into the next: each frame's word is a one-hot over POSES, averaged over the
``TRANSITION_SECONDS`` that follow it, so a character is fully in a pose on the first frame
that names it and moves into it just before. Every pose is grounded: the body is lifted so its
lowest surface touches the floor (feet standing, knees kneeling, back lying). Walking and
running swing the limbs (the gait): the walker bobs as a walker does, but the eye point the
camera frames (``eye_offsets``) is the pose's, without the bob.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from beatcam.model.geometry import FloatArray, heading_deg, held_frames, wrap_deg
from beatcam.model.vocab import EYE_HEIGHT_RATIO, POSES, Pose

HIP_RATIO: Final = 0.530
KNEE_RATIO: Final = 0.285
ANKLE_RATIO: Final = 0.039  # also the foot's radius: the sole is on the floor
SHOULDER_RATIO: Final = 0.818
ELBOW_RATIO: Final = 0.630
WRIST_RATIO: Final = 0.485
SHOULDER_HALF: Final = 0.259 / 2.0
HIP_HALF: Final = 0.055  # hip joints, well inside the 0.191 hip width the pelvis covers
HAND_REACH: Final = 0.05  # from the wrist to the middle of the palm, where a prop is held
EYE_ABOVE_NECK: Final = EYE_HEIGHT_RATIO - SHOULDER_RATIO
TRANSITION_SECONDS: Final = 0.5  # a sit, a kneel or a turn takes about half a second
HEAD_TURN_MAX_DEG: Final = 70.0  # beyond this the neck stops; the eyes and the body do the rest
STRIDE_RATIO: Final = 0.8  # a stride (two steps) is about 0.8 of stature at walking pace

ANGLES: Final = (
    "body_yaw",
    "body_pitch",
    "spine_pitch",
    "head_yaw",
    "head_pitch",
    "l_shoulder",
    "l_shoulder_out",
    "l_elbow",
    "r_shoulder",
    "r_shoulder_out",
    "r_elbow",
    "l_hip",
    "l_hip_out",
    "l_knee",
    "r_hip",
    "r_hip_out",
    "r_knee",
    "l_ankle",
    "r_ankle",
    "hips_forward",  # not an angle: how far the hips move forward, in height units
)
_A = {name: index for index, name in enumerate(ANGLES)}


@dataclass(frozen=True)
class Bone:
    """One bone: its parent (-1 for the root), its joint in the parent's frame, its length and
    radius, which way it runs, and the joint rotations (axis, angle name, sign) in order, after
    a fixed ``rest_pitch`` (degrees about x: a foot is turned to point forward)."""

    name: str
    parent: int
    anchor: tuple[float, float, float]
    length: float
    radius: float
    up: bool
    turns: tuple[tuple[str, str, float], ...]
    rest_pitch: float = 0.0


_SPINE = SHOULDER_RATIO - HIP_RATIO
_THIGH = HIP_RATIO - KNEE_RATIO
_SHIN = KNEE_RATIO - ANKLE_RATIO
_UPPER_ARM = SHOULDER_RATIO - ELBOW_RATIO
_FOREARM = ELBOW_RATIO - WRIST_RATIO
_HEAD_RADIUS = 0.062
_FOOT = 0.11  # ankle to the ball of the foot, of a 0.152 foot length
_FOOT_RADIUS = 0.025  # under the shin's, so a standing figure stands on its heels' line
BONES: Final = (
    Bone("pelvis", -1, (0.0, 0.0, 0.0), 0.10, 0.095, True,
         (("y", "body_yaw", 1.0), ("x", "body_pitch", 1.0))),
    Bone("spine", 0, (0.0, 0.0, 0.0), _SPINE, 0.1, True, (("x", "spine_pitch", 1.0),)),
    Bone("head", 1, (0.0, _SPINE, 0.0), 1.0 - SHOULDER_RATIO - _HEAD_RADIUS, _HEAD_RADIUS, True,
         (("y", "head_yaw", 1.0), ("x", "head_pitch", 1.0))),
    Bone("l_upper_arm", 1, (SHOULDER_HALF, _SPINE - 0.03, 0.0), _UPPER_ARM, 0.028, False,
         (("x", "l_shoulder", -1.0), ("z", "l_shoulder_out", 1.0))),
    Bone("l_forearm", 3, (0.0, -_UPPER_ARM, 0.0), _FOREARM, 0.025, False,
         (("x", "l_elbow", -1.0),)),
    Bone("r_upper_arm", 1, (-SHOULDER_HALF, _SPINE - 0.03, 0.0), _UPPER_ARM, 0.028, False,
         (("x", "r_shoulder", -1.0), ("z", "r_shoulder_out", -1.0))),
    Bone("r_forearm", 5, (0.0, -_UPPER_ARM, 0.0), _FOREARM, 0.025, False,
         (("x", "r_elbow", -1.0),)),
    Bone("l_thigh", 0, (HIP_HALF, 0.0, 0.0), _THIGH, 0.05, False,
         (("x", "l_hip", -1.0), ("z", "l_hip_out", 1.0))),
    Bone("l_shin", 7, (0.0, -_THIGH, 0.0), _SHIN, ANKLE_RATIO, False, (("x", "l_knee", 1.0),)),
    Bone("r_thigh", 0, (-HIP_HALF, 0.0, 0.0), _THIGH, 0.05, False,
         (("x", "r_hip", -1.0), ("z", "r_hip_out", -1.0))),
    Bone("r_shin", 9, (0.0, -_THIGH, 0.0), _SHIN, ANKLE_RATIO, False, (("x", "r_knee", 1.0),)),
    Bone("l_foot", 8, (0.0, -_SHIN, 0.0), _FOOT, _FOOT_RADIUS, False, (("x", "l_ankle", 1.0),),
         rest_pitch=-90.0),
    Bone("r_foot", 10, (0.0, -_SHIN, 0.0), _FOOT, _FOOT_RADIUS, False, (("x", "r_ankle", 1.0),),
         rest_pitch=-90.0),
)  # fmt: skip
BONE_INDEX: Final = {bone.name: index for index, bone in enumerate(BONES)}
HEAD, HOLDING_HAND = BONE_INDEX["head"], BONE_INDEX["r_forearm"]

# Each pose's joint angles (degrees; left out: 0, the standing figure with arms at its sides).
# Sitting is hips and knees at right angles, so the thighs rest level on a seat of knee height,
# the hips gone back a thigh's length so the knees stay over the feet (one sits down onto a
# chair behind one's mark); kneeling puts the knees and shins on the floor, toes pointed;
# lying is on the back, feet toward +Z.
POSE_ANGLES: Final[Mapping[Pose, Mapping[str, float]]] = {
    Pose.STAND: {},
    Pose.WALK: {},
    Pose.RUN: {},
    Pose.SIT: {"l_hip": 90, "r_hip": 90, "l_knee": 90, "r_knee": 90, "l_elbow": 40,
               "r_elbow": 40, "l_shoulder": 10, "r_shoulder": 10, "hips_forward": -_THIGH},
    Pose.KNEEL: {"l_knee": 90, "r_knee": 90, "l_ankle": 90, "r_ankle": 90, "spine_pitch": 5,
                 "head_pitch": 10},
    Pose.CROUCH: {"l_hip": 110, "r_hip": 110, "l_knee": 130, "r_knee": 130, "spine_pitch": 30,
                  "l_shoulder": 40, "r_shoulder": 40, "l_elbow": 30, "r_elbow": 30},
    Pose.LIE: {"body_pitch": -90, "l_shoulder_out": 15, "r_shoulder_out": 15, "l_hip_out": 6,
               "r_hip_out": 6},
    Pose.FALL: {"body_pitch": -40, "l_hip": 50, "r_hip": 30, "l_knee": 70, "r_knee": 50,
                "l_shoulder": 70, "r_shoulder": 70, "l_shoulder_out": 40,
                "r_shoulder_out": 40},
    Pose.REACH: {"spine_pitch": 12, "r_shoulder": 80, "r_elbow": 10},
    Pose.EMBRACE: {"spine_pitch": 8, "l_shoulder": 80, "r_shoulder": 80, "l_shoulder_out": -25,
                   "r_shoulder_out": -25, "l_elbow": 60, "r_elbow": 60},
    Pose.POINT: {"r_shoulder": 90, "r_shoulder_out": 10},
    Pose.ARMS_UP: {"l_shoulder": 165, "r_shoulder": 165, "l_shoulder_out": 15,
                   "r_shoulder_out": 15},
    Pose.HANDS_TO_FACE: {"spine_pitch": 10, "head_pitch": 20, "l_shoulder": 45,
                         "r_shoulder": 45, "l_shoulder_out": -20, "r_shoulder_out": -20,
                         "l_elbow": 135, "r_elbow": 135},
    Pose.TURN_AWAY: {"body_yaw": 160, "head_pitch": 12},
}  # fmt: skip
_TABLE: Final = np.array([[POSE_ANGLES[pose].get(name, 0.0) for name in ANGLES] for pose in POSES])
POSE_INDEX: Final = {pose.value: index for index, pose in enumerate(POSES)}
# The gait: (hip, knee, shoulder) swing in degrees at walking and at running pace, and the
# runner's lean and bent elbows.
GAIT_SWING: Final = {Pose.WALK: (22.0, 30.0, 14.0), Pose.RUN: (40.0, 70.0, 35.0)}
RUN_LEAN_DEG, RUN_ELBOW_DEG = 10.0, 80.0
# Holding a prop bends the holding (right) arm to bring it up in front, as one carries a page or
# a phone, in every pose that leaves the arm free.
HOLD_ANGLES: Final = {"r_elbow": 75.0, "r_shoulder": 15.0}
_HOLD: Final = np.array([HOLD_ANGLES.get(name, 0.0) for name in ANGLES])
ARM_FREE: Final = (
    Pose.STAND,
    Pose.WALK,
    Pose.RUN,
    Pose.SIT,
    Pose.KNEEL,
    Pose.CROUCH,
    Pose.TURN_AWAY,
)


def transition_frames(fps: int) -> int:
    return max(1, round(TRANSITION_SECONDS * fps))


def pose_weights(poses: Sequence[str], fps: int) -> FloatArray:
    """``(n, len(POSES))`` blend weights per frame: each pose's share of the coming
    transition window, so a pose is whole on its first frame and eased into before."""
    one_hot = np.zeros((len(poses), len(POSES)))
    indices = np.fromiter(map(POSE_INDEX.__getitem__, poses), dtype=np.intp, count=len(poses))
    one_hot[np.arange(len(poses)), indices] = 1.0
    return _eased(one_hot, fps)


def _rotation(axis: str, degrees: FloatArray) -> FloatArray:
    """``(n, 3, 3)`` rotations by ``degrees`` (n,) about a character axis, right-handed."""
    theta = np.deg2rad(degrees)
    c, s = np.cos(theta), np.sin(theta)
    one, zero = np.ones_like(theta), np.zeros_like(theta)
    rows = {
        "x": ((one, zero, zero), (zero, c, -s), (zero, s, c)),
        "y": ((c, zero, s), (zero, one, zero), (-s, zero, c)),
        "z": ((c, -s, zero), (s, c, zero), (zero, zero, one)),
    }[axis]
    return np.stack([np.stack(row, axis=-1) for row in rows], axis=-2)


@dataclass(frozen=True)
class Posed:
    """Bone frames on every frame, character frame, height units, kept once per distinct
    posture: ``joints`` (d, B, 3) joint points and ``turns`` (d, B, 3, 3) bone-to-character
    rotations of each, and ``posture`` (n,) the one each frame holds. A long scene's figure
    holds few postures for many frames (a 2,000-beat scene: 248k frames, 19 to 69k postures),
    so what the plan asks of it (eyes, hands, the face's turn) is worked out per posture and
    given to the frames; ``origins`` (n, B, 3) and ``rotations`` (n, B, 3, 3) per frame are
    laid out only when asked (the render and the exports)."""

    joints: FloatArray
    turns: FloatArray
    posture: NDArray[np.intp]

    @functools.cached_property
    def origins(self) -> FloatArray:
        """``(n, B, 3)`` every joint point on every frame (read-only)."""
        return _read_only(self.joints[self.posture])

    @functools.cached_property
    def rotations(self) -> FloatArray:
        """``(n, B, 3, 3)`` every bone-to-character rotation on every frame (read-only)."""
        return _read_only(self.turns[self.posture])

    def tails(self) -> FloatArray:
        """``(n, B, 3)`` the far end of every bone."""
        direction = np.array([1.0 if bone.up else -1.0 for bone in BONES])
        lengths = np.array([bone.length for bone in BONES]) * direction
        tails = self.joints + self.turns[:, :, :, 1] * lengths[None, :, None]
        return np.asarray(tails[self.posture])

    def joint(self, bone: int) -> FloatArray:
        """``(n, 3)`` one bone's joint point on every frame."""
        return np.asarray(self.joints[:, bone][self.posture])

    def eyes(self) -> FloatArray:
        """``(n, 3)`` the eye point: on the head's axis, so turning the head does not move it."""
        eyes = self.joints[:, HEAD] + self.turns[:, HEAD, :, 1] * EYE_ABOVE_NECK
        return np.asarray(eyes[self.posture], dtype=np.float64)

    def face_yaw(self, frames: slice = slice(None)) -> FloatArray:
        """``(n,)`` degrees the face turns from the character's facing (its +Z), counter-clockwise
        seen from above as headings are: the body's turn and the head's together; over
        ``frames`` only where given (a shot asks for its own, not the whole scene's)."""
        front = self.turns[self.posture[frames]][:, HEAD, :, 2]
        return heading_deg(front)

    def hands(self) -> FloatArray:
        """``(n, 3)`` the middle of the holding (right) hand, where a held prop sits."""
        rotation = self.turns[:, HOLDING_HAND, :, 1]
        hands = self.joints[:, HOLDING_HAND] - rotation * (BONES[HOLDING_HAND].length + HAND_REACH)
        return np.asarray(hands[self.posture])


def _read_only(values: FloatArray) -> FloatArray:
    values.setflags(write=False)
    return values


def _chain(angles: FloatArray) -> Posed:
    """The bones of ``angles`` (n, len(ANGLES)) degrees, hips' centre over the ground point
    (or ``hips_forward`` before it)."""
    count = len(angles)
    origins = np.zeros((count, len(BONES), 3))
    origins[:, 0, 2] = angles[:, _A["hips_forward"]]
    rotations = np.zeros((count, len(BONES), 3, 3))
    for index, bone in enumerate(BONES):
        if bone.parent < 0:
            rotation = np.repeat(np.eye(3)[None], count, axis=0)
        else:
            rotation = rotations[:, bone.parent]
            origins[:, index] = origins[:, bone.parent] + rotation @ np.array(bone.anchor)
        if bone.rest_pitch:
            rotation = rotation @ _rotation("x", np.full(count, bone.rest_pitch))
        for axis, name, sign in bone.turns:
            rotation = rotation @ _rotation(axis, sign * angles[:, _A[name]])
        rotations[:, index] = rotation
    return Posed(origins, rotations, np.arange(count))


def forward(angles: FloatArray) -> Posed:
    """Forward kinematics of ``angles`` (n, len(ANGLES)) degrees, the root (the hips' centre)
    lifted so the lowest surface touches y = 0. Each distinct row is posed once: a scene's
    figures hold most poses for many frames (24,196 frames of a 200-beat scene have 19 to
    6,890 distinct rows), and every row's bones are worked out on their own, so the frames
    sharing a row share its exact numbers."""
    rows = np.ascontiguousarray(angles, dtype=np.float64)
    as_bytes = rows.view(np.dtype((np.void, rows.itemsize * rows.shape[1]))).ravel()
    # A held pose repeats a row frame after frame: only each run's first row is sorted (the
    # same rows and first frames: the four figures of a 2,000-beat plan 0.48 -> 0.32 s).
    starts, run = held_frames(rows)
    _, first, inverse = np.unique(as_bytes[starts], return_index=True, return_inverse=True)
    first = starts[first]
    inverse = inverse.reshape(-1)[run]
    posed = _chain(rows[first])
    radii = np.array([bone.radius for bone in BONES])
    lowest = np.minimum(posed.joints[:, :, 1], posed.tails()[:, :, 1]) - radii
    lift = -lowest.min(axis=1)
    joints = posed.joints + np.array([0.0, 1.0, 0.0]) * lift[:, None, None]
    return Posed(joints, posed.turns, inverse.reshape(-1))


def base_angles(poses: Sequence[str], fps: int) -> FloatArray:
    """``(n, len(ANGLES))`` the blended joint angles of the pose words, without gait or gaze."""
    return _blended(pose_weights(poses, fps))


def _blended(weights: FloatArray) -> FloatArray:
    """``(n, len(ANGLES))`` the joint angles of pose blend ``weights`` (``pose_weights``)."""
    return np.asarray(weights @ _TABLE, dtype=np.float64)


STANDING_EYE: Final = forward(np.zeros((1, len(ANGLES)))).eyes()[0]


def eye_offsets(poses: Sequence[str], fps: int) -> FloatArray:
    """``(n, 3)`` how far the pose moves the eye from the standing eye, height units,
    character frame: exactly zero where the blend is all standing."""
    if set(poses) <= {Pose.STAND, Pose.WALK, Pose.RUN}:  # each distinct pose asked once
        return np.zeros((len(poses), 3))
    return np.asarray(forward(base_angles(poses, fps)).eyes() - STANDING_EYE, dtype=np.float64)


def gait(weights: FloatArray, ground: FloatArray, height_m: float) -> FloatArray:
    """``(n, len(ANGLES))`` the swing of walking and running added to the base angles: a
    phase from the distance travelled on ``ground`` (n, 3) metres, an amplitude from the
    walk and run ``weights`` (``pose_weights``)."""
    steps = np.linalg.norm(np.diff(ground[:, [0, 2]], axis=0), axis=1)
    phase = 2.0 * np.pi * np.concatenate([[0.0], np.cumsum(steps)]) / (STRIDE_RATIO * height_m)
    swing = np.sin(phase)
    added = np.zeros((len(weights), len(ANGLES)))
    for pose, (hip, knee, shoulder) in GAIT_SWING.items():
        weight = weights[:, POSE_INDEX[pose]]
        added[:, _A["l_hip"]] += weight * hip * swing
        added[:, _A["r_hip"]] -= weight * hip * swing
        added[:, _A["l_knee"]] += weight * knee * np.maximum(-swing, 0.0)
        added[:, _A["r_knee"]] += weight * knee * np.maximum(swing, 0.0)
        added[:, _A["l_shoulder"]] -= weight * shoulder * swing
        added[:, _A["r_shoulder"]] += weight * shoulder * swing
    run = weights[:, POSE_INDEX[Pose.RUN]]
    added[:, _A["spine_pitch"]] += run * RUN_LEAN_DEG
    added[:, _A["l_elbow"]] += run * RUN_ELBOW_DEG
    added[:, _A["r_elbow"]] += run * RUN_ELBOW_DEG
    return added


def head_yaw(
    position: FloatArray, facing_deg: FloatArray, targets: FloatArray, fps: int
) -> FloatArray:
    """``(n,)`` degrees the head turns from the body to look at ``targets`` (n, 3), NaN rows
    where the character looks nowhere in particular; limited by HEAD_TURN_MAX_DEG and eased
    like a pose."""
    offset = targets - position
    turn = wrap_deg(heading_deg(offset) - facing_deg)
    turn = np.clip(np.nan_to_num(turn, nan=0.0), -HEAD_TURN_MAX_DEG, HEAD_TURN_MAX_DEG)
    return _eased(turn, fps)


def _eased(values: FloatArray, fps: int) -> FloatArray:
    """``values`` (n, ...) averaged over the transition window that follows each frame: a
    change is whole on its frame and eased into before, as a pose is."""
    window = transition_frames(fps)
    padded = np.concatenate([values, np.repeat(values[-1:], window - 1, axis=0)])
    cumulative = np.concatenate([np.zeros((1, *values.shape[1:])), np.cumsum(padded, axis=0)])
    return np.asarray((cumulative[window:] - cumulative[:-window]) / window, dtype=np.float64)


def pose_figure(
    poses: Sequence[str],
    ground: FloatArray,
    facing_deg: FloatArray,
    height_m: float,
    fps: int,
    look_targets: FloatArray | None = None,
    holding: NDArray[np.bool_] | None = None,
) -> Posed:
    """The posed skeleton on every frame (character frame, height units): the pose blend, the
    gait over ``ground`` (n, 3), the head turned toward ``look_targets`` (n, 3; NaN: none) and
    the holding arm bent where ``holding`` (n,) is True."""
    weights = pose_weights(poses, fps)  # blended once for the pose, the gait and the arm
    base = _blended(weights)
    angles = base + gait(weights, ground, height_m)
    if holding is not None and holding.any():
        free = weights[:, [POSE_INDEX[pose] for pose in ARM_FREE]].sum(axis=1)
        eased = _eased(holding.astype(np.float64), fps)
        angles += (free * eased)[:, None] * _HOLD
    if look_targets is not None:
        # A turned-away body looks away: the gaze turns the head only when it faces the target.
        yaw = head_yaw(ground, facing_deg + base[:, _A["body_yaw"]], look_targets, fps)
        angles[:, _A["head_yaw"]] += yaw
    return forward(angles)


def to_world(
    points: FloatArray, ground: FloatArray, facing_deg: FloatArray, height_m: float
) -> FloatArray:
    """Character-frame points ``(n, ..., 3)`` height units -> world metres, standing on
    ``ground`` (n, 3) and turned by ``facing_deg`` (n,)."""
    turn = _rotation("y", np.asarray(facing_deg, dtype=np.float64))
    shape = points.shape
    flat = points.reshape(len(points), -1, 3) * height_m
    world = np.einsum("nij,nkj->nki", turn, flat) + ground[:, None, :]
    return np.asarray(world.reshape(shape), dtype=np.float64)


def world_rotations(rotations: FloatArray, facing_deg: FloatArray) -> FloatArray:
    """``(n, B, 3, 3)`` bone-to-world rotations from bone-to-character ones."""
    turn = _rotation("y", np.asarray(facing_deg, dtype=np.float64))
    return np.asarray(turn[:, None] @ rotations, dtype=np.float64)
