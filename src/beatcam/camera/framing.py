"""Framing: where the camera stands and what it holds where, before any move.

A ``Framing`` is the shot's composition independent of lens choice: the aim point held at image
position ``(u, v)`` (a subject's eye, a pair's midpoint, a character's hands), the subject whose
frame height is measured, the camera's heading around the aim and the frame-height targets for the
first and last frames. A ``Rig`` is one candidate realisation of it: a lens, a heading, a pitch.
Swapping the lens keeps the framing because the camera distance scales with the focal length.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from beatcam.camera.aiming import aim_at, forward_axes, rotation_matrices
from beatcam.model import Blocking, CharacterTrack, SetDesign, ShotSpec
from beatcam.model.geometry import (
    BODY_RADIUS_M,
    FloatArray,
    hands_point,
    heading_deg,
    moving_average,
    wrap_deg,
)
from beatcam.model.set_kit import face_of
from beatcam.model.vocab import (
    ALL_IN_FRAME,
    FOCAL_MAX_MM,
    FOCAL_MIN_MM,
    HEAD_IN_FRAME_SIZES,
    LONGEST_OTS_LENS_MM,
    OVER_SHOULDER_BACK_M,
    OVER_SHOULDER_LENS_SLACK,
    SIZE_LOWER_M,
    SIZE_TARGET_M,
    SIZE_UPPER_M,
    TRUCKS,
    TWO_SHOT_FILL,
    TWO_SHOT_HEIGHT_FILL,
    TWO_SHOT_TURN_DEG,
)

THIRD = 1.0 / 3.0
# Eye height in the image (v, [-1, 1], up) per size: headroom above, the body below.
HEADROOM_V = {
    "ECU": 0.0,
    "CU": 0.12,
    "MCU": 0.3,
    "MS": 0.35,
    "MLS": 0.4,
    "FS": 0.55,
    "WS": 0.2,
    "EWS": 0.2,
}
CENTRED_SIZES = ("ECU", "CU")
# A worm's-eye view from outside the body clearance only reaches its pitch with the subject
# low in frame, looming over the lens (the camera pitches past the line of sight).
WORM_V = -0.45
# No subject: the sets are built around an acting area at the origin, looked at from 1 m up.
ACTING_AREA = np.array([0.0, 1.0, 0.0])
# Over the shoulder (Thompson & Bowen, Grammar of the Shot: the near shoulder and the back of the
# head fill the frame's edge, the far face sits on the opposite third): the near head's centre is
# held this far across the frame, from the camera vocab.OVER_SHOULDER_BACK_M behind it, a little
# above its eyes.
OVER_SHOULDER_NEAR_U = 0.75
OVER_SHOULDER_UP_M = 0.1
# Beyond this angle off the line between the two, the near head would no longer be "over the
# shoulder" but beside the lens: at close separations the near head comes further into frame.
OVER_SHOULDER_MAX_DEG = 40.0
# The near body's centre keeps this far from the line of sight to the far face: a body's radius
# (geometry.BODY_RADIUS_M) and five centimetres of air.
OVER_SHOULDER_CLEARANCE_M = BODY_RADIUS_M + 0.05
# Far apart on a long lens, that clearance from 1.3 m behind would put the near head out of the
# narrow frame; the camera then steps back behind it (a longer lens holds the far face's size)
# until the head is back at its place, at most as far behind it as the two stand apart: further,
# the near person shrinks toward the far one's size, a two-shot from behind rather than a
# shoulder in the foreground.
OVER_SHOULDER_MAX_BACK_PER_M = 1.0
# Subjects of a two-shot or group are fitted within this fraction of the half-frame.
FIT_HALF_WIDTH = 0.65
FIT_HALF_HEIGHT = TWO_SHOT_HEIGHT_FILL
LEVEL_EYES_M = 0.1  # eyes closer in height than this frame as one standing pair
# Size bands are shrunk by these factors when aiming inside them (never at an edge).
BAND_LOW_MARGIN = 1.08
BAND_HIGH_MARGIN = 0.93
SMALLEST_FRAME_M = 0.06
WIDEST_FRAME_M = 40.0
# follow: camera behind or beside the walk; lead: ahead of it (degrees from the walk heading).
FOLLOW_MIN_REL_DEG = 110.0
LEAD_MAX_REL_DEG = 30.0
MIN_TRAVEL_M = 0.3
# A truck on a walker is the tracking shot beside them: the camera keeps pace from the side, at
# most 30 degrees off square on to the walk, so the walk crosses the frame and the camera's own
# sideways travel is most of the walker's (Katz, the tracking shot moves parallel to its
# subject). Within the band the director's azimuth stands, so a repair can still step round.
BESIDE_REL_DEG = (60.0, 120.0)
# An operator eases onto someone who sits down or stands up rather than snapping with them: the
# aim follows the posture's moving average over this long, about twice the 0.5 s a pose takes
# to blend (model/skeleton.py), so the camera's rise or fall starts before and ends after it.
OPERATOR_EASE_S = 1.0

# Sizes and fitted heights whose target is kept (``band_target``): a scene asks for a few
# hundred (a group's fitted height varies with where its people stand).
BAND_TARGETS_KEPT = 4096

# The sensor (width, height mm) and the frame height (m) a geometric framing picks its lens by.
LensGoal = tuple[tuple[float, float], float]


@dataclass(frozen=True)
class Framing:
    """A shot's composition over its frames (arrays ``(n, 3)`` metres, world)."""

    aim: FloatArray
    subject: FloatArray | None
    in_frame: tuple[FloatArray, ...]
    heading_deg: float
    facing_deg: float
    v: float
    fh_min: float
    centred: bool
    side: int
    pitch_deg: float | None = None
    distance_m: float | None = None
    u: float | None = None
    exempt: tuple[str, ...] = ()
    v_end: float | None = None
    head_top: FloatArray | None = None
    # (centre, half width) degrees: the headings the camera may take, where the move's word
    # ties it to the walk (a truck beside a walker); None leaves any heading to the search.
    heading_band: tuple[float, float] | None = None

    def allows_heading(self, offset_deg: float) -> bool:
        """Whether turning ``offset_deg`` round the subject keeps the camera in its band."""
        if self.heading_band is None:
            return True
        centre, half_width = self.heading_band
        return abs(wrap_deg(self.heading_deg + offset_deg - centre)) <= half_width + 1e-9


@dataclass(frozen=True)
class Rig:
    """One candidate camera set-up for a shot: lens, heading and pitch around a framing."""

    framing: Framing
    spec: ShotSpec
    sensor_mm: tuple[float, float]
    fps: int
    noise_key: tuple[int, int]
    heading_deg: float
    pitch_deg: float
    focal_mm: float
    u: float
    v: float
    v_end: float

    @property
    def frames(self) -> int:
        return self.spec.frames

    @property
    def aim(self) -> FloatArray:
        return self.framing.aim

    @property
    def measured(self) -> FloatArray:
        """The point whose depth sets the frame height: the subject's eye, else the aim."""
        return self.framing.aim if self.framing.subject is None else self.framing.subject

    @property
    def roll(self) -> FloatArray:
        return np.full(self.frames, float(self.spec.dutch_deg))

    def depth_for(self, frame_height_m: float) -> float:
        """Subject depth (m) that gives ``frame_height_m`` at this rig's focal length."""
        return frame_height_m * self.focal_mm / self.sensor_mm[1]

    def targets(self) -> tuple[float, float]:
        """Frame-height targets (m) for the first and last frames."""
        return band_target(self.spec.size, self.framing.fh_min), band_target(
            self.spec.end_size, self.framing.fh_min
        )


def shrunk_band(size: str, fh_min: float = 0.0) -> tuple[float, float]:
    """The part of a size band the camera aims into (metres of frame height)."""
    low = max(SIZE_LOWER_M[size], SMALLEST_FRAME_M / BAND_LOW_MARGIN) * BAND_LOW_MARGIN
    high = min(SIZE_UPPER_M[size], WIDEST_FRAME_M / BAND_HIGH_MARGIN) * BAND_HIGH_MARGIN
    return min(max(low, fh_min), high), high


@functools.lru_cache(maxsize=BAND_TARGETS_KEPT)
def band_target(size: str, fh_min: float = 0.0) -> float:
    """The frame height to aim for: the size's target, raised to fit every subject if needed
    (kept: every candidate of a shot's camera search asks for it)."""
    low, high = shrunk_band(size, fh_min)
    return float(np.clip(SIZE_TARGET_M[size], low, high))


def spread(first: str, last: str, ratio: float, fh_min: float = 0.0) -> tuple[float, float]:
    """First and last frame heights in their bands whose ratio last/first reaches ``ratio``.

    ``ratio < 1`` tightens (push in, zoom in), ``ratio > 1`` widens. When the bands cannot give
    the ratio, the two ends go to the band edges that come closest.
    """
    if ratio > 1.0:
        end, start = spread(last, first, 1.0 / ratio, fh_min)
        return start, end
    high_a = shrunk_band(first, fh_min)[1]
    low_b = shrunk_band(last, fh_min)[0]
    target_a, target_b = band_target(first, fh_min), band_target(last, fh_min)
    if target_b <= ratio * target_a:
        return target_a, target_b
    end = max(low_b, min(target_b, ratio * high_a))
    start = min(high_a, max(target_a, end / ratio))
    if end > ratio * start:
        return high_a, low_b
    return start, end


def clamp_focal(focal_mm: float) -> float:
    """``focal_mm`` within the lens limits: ``np.clip``'s number (NaN stays NaN), without its
    call's overhead, which every candidate of the camera's search paid."""
    return float(min(max(focal_mm, FOCAL_MIN_MM), FOCAL_MAX_MM))


def frame_shot(
    spec: ShotSpec,
    blocking: Blocking,
    set_aim: FloatArray,
    sensor_mm: tuple[float, float],
    set_design: SetDesign | None = None,
) -> Framing:
    """The composition a shot asks for, from its framing word and its subjects' blocking (an
    insert frames the prop in its subject's hand, where the set has one)."""
    start, frames = spec.start_frame, spec.frames
    shown = face_of(set_design.boxes, spec.shows) if spec.shows and set_design else None
    if shown is not None:
        # An insert of a sign: its face is what the size is measured on and must stay in frame.
        aim = np.tile(shown.centre, (frames, 1))
        facing = shown.heading_deg
        heading = facing + spec.azimuth_deg
        return Framing(aim, aim, (aim,), heading, facing, 0.0, 0.0, True, spec.side)
    if not spec.subjects:
        aim = np.tile(set_aim, (frames, 1))
        return Framing(aim, None, (), spec.azimuth_deg, 0.0, 0.0, 0.0, True, spec.side)
    tracks = [blocking[name] for name in spec.subjects]
    eyes = [track.eyes(start, frames) for track in tracks]
    first = tracks[0]
    facing = float(first.facing_deg[start])
    heading = facing + spec.azimuth_deg
    centred = spec.size in CENTRED_SIZES
    looming = spec.angle == "worm"
    ease = max(1, round(OPERATOR_EASE_S * first.fps))
    aims = [_operated_eyes(track, start, frames, ease) for track in tracks]
    base = Framing(
        aims[0],
        aims[0],
        (eyes[0],),
        heading,
        facing,
        WORM_V if looming else HEADROOM_V[spec.size],
        0.0,
        centred,
        spec.side,
        v_end=WORM_V if looming else HEADROOM_V[spec.end_size],
        head_top=first.head_tops(start, 1)[0] if spec.size in HEAD_IN_FRAME_SIZES else None,
    )
    framing = spec.framing
    if framing in ALL_IN_FRAME and len(eyes) >= 2:
        if spec.movement in ("follow", "lead"):  # a pair walking together, ahead or behind
            base = replace(base, heading_deg=_walk_heading(base, spec.movement, facing))
        width = band_target(spec.size) * sensor_mm[0] / sensor_mm[1]
        count = len(tracks) if framing == "group" else 2
        fitted = _fit_many(
            base,
            eyes[:count],
            [track.head_tops(start, frames) for track in tracks[:count]],
            framing == "two_shot",
            width,
        )
        return replace(fitted, aim=np.mean(aims[:count], axis=0))
    if framing == "over_shoulder" and len(eyes) >= 2:
        lens = (sensor_mm, band_target(spec.size))
        # A writer's over-the-shoulder is made at any length; the director's keeps to a lens
        # a conversation takes, so its camera steps back only so far.
        longest_mm = LONGEST_OTS_LENS_MM * OVER_SHOULDER_LENS_SLACK
        if spec.reason.pinned:
            longest_mm = math.inf
        return _over_shoulder(base, eyes[1], lens, longest_mm)
    if framing == "pov" and len(eyes) >= 2:
        pov = replace(
            base, v=base.v / 2.0, v_end=None, u=0.0, exempt=(spec.subjects[1],), head_top=None
        )
        return _from_position(pov, eyes[1][0], (sensor_mm, band_target(spec.size)))
    if framing == "insert":
        window = slice(start, start + frames)
        held = set_design.held(spec.subjects[0], start) if set_design else None
        if held is not None:
            hands = np.array(held.position[window])
        else:
            hands = hands_point(first.position[window], first.facing_deg[window], first.height_m)
        return replace(
            base, aim=hands, in_frame=(hands,), v=0.0, v_end=0.0, centred=True, head_top=None
        )
    if spec.movement in ("follow", "lead"):
        return replace(base, heading_deg=_walk_heading(base, spec.movement, facing))
    if spec.movement in TRUCKS and _walks(base.aim):
        return _beside_walk(base)
    return base


def _operated_eyes(track: CharacterTrack, start: int, frames: int, window: int) -> FloatArray:
    """Where an operator holds someone's eyes: their walk followed exactly, but what their
    posture does to the eyes (sitting, kneeling, a fall, a walk's bob) eased over ``window``
    frames (``OPERATOR_EASE_S``); the eyes themselves where the posture never changes."""
    eyes = track.eyes(start, frames)
    standing = np.array(track.position[start : start + frames])
    standing[:, 1] += track.eye_height_m
    posture = eyes - standing
    if float(np.ptp(posture, axis=0).max()) == 0.0:
        return eyes
    return np.asarray(standing + moving_average(posture, window))


def _walks(aim: FloatArray) -> bool:
    """Whether a subject's aim point ``(n, 3)`` travels far enough over the floor to walk with."""
    return bool(np.hypot(*(aim[-1] - aim[0])[[0, 2]]) >= MIN_TRAVEL_M)


def _walk(aim: FloatArray) -> float:
    """The heading of a walk over the floor, from its aim points ``(n, 3)``."""
    travel = aim[-1] - aim[0]
    travel[1] = 0.0
    return float(heading_deg(travel))


def _beside_walk(base: Framing) -> Framing:
    """A truck on a walker: the camera beside the walk, on the side the director chose, within
    ``BESIDE_REL_DEG`` of square on to it; no search round the subject may leave that band."""
    walk = _walk(base.aim)
    rel = wrap_deg(base.heading_deg - walk)
    sign = float(np.sign(rel)) or float(base.side)
    low, high = BESIDE_REL_DEG
    return replace(
        base,
        heading_deg=walk + sign * float(np.clip(abs(rel), low, high)),
        heading_band=(walk + sign * (low + high) / 2.0, (high - low) / 2.0),
    )


def _walk_heading(base: Framing, movement: str, facing: float) -> float:
    """Camera heading for follow (behind or beside the walk) or lead (ahead, facing it)."""
    walk = _walk(base.aim) if _walks(base.aim) else facing
    rel = wrap_deg(base.heading_deg - walk)
    sign = float(np.sign(rel)) or float(base.side)
    if movement == "follow" and abs(rel) < FOLLOW_MIN_REL_DEG:
        rel = 180.0 if abs(rel) < 45.0 else sign * FOLLOW_MIN_REL_DEG
    if movement == "lead" and abs(rel) > LEAD_MAX_REL_DEG:
        rel = 0.0 if abs(rel) > 135.0 else sign * LEAD_MAX_REL_DEG
    return walk + rel


# The turns a group's heading is tried at: every GROUP_TURN_STEP_DEG out to TWO_SHOT_TURN_DEG
# either way, and the order they are preferred in, nearest first.
GROUP_TURN_STEP_DEG = 5.0
_GROUP_TURNS_DEG = np.arange(-TWO_SHOT_TURN_DEG, TWO_SHOT_TURN_DEG + 1e-9, GROUP_TURN_STEP_DEG)
_NEAREST_FIRST = np.array(
    sorted(range(len(_GROUP_TURNS_DEG)), key=lambda i: (abs(_GROUP_TURNS_DEG[i]), i))
)


def _staggered(
    heading: float, eyes: FloatArray, across_m: float
) -> tuple[float, tuple[float, float] | None]:
    """A group's heading and the band of headings its camera may search: from the turns of
    ``heading`` that see every face clear of the bodies before it (the group's eyes
    ``(people, frames, 3)`` at least a body's width apart across the frame on every frame),
    the nearest one where they spread at most ``across_m`` across it, else the one where they
    spread least, and the run of clear turns around it; ``heading`` and no band when no turn
    sees every face."""
    radians = np.deg2rad(heading + _GROUP_TURNS_DEG)
    rights = np.stack([np.cos(radians), np.zeros_like(radians), -np.sin(radians)], axis=1)
    across = eyes @ rights.T  # (people, frames, turns)
    spread = (across.max(axis=0) - across.min(axis=0)).max(axis=0)
    first, second = np.triu_indices(len(eyes), k=1)
    clear = np.abs(across[first] - across[second]).min(axis=(0, 1)) >= 2.0 * BODY_RADIUS_M
    if not clear.any():
        return heading, None
    fitting = [i for i in _NEAREST_FIRST if clear[i] and spread[i] <= across_m]
    best = fitting[0] if fitting else int(np.argmin(np.where(clear, spread, np.inf)))
    low = high = best
    while low > 0 and clear[low - 1]:
        low -= 1
    while high < len(clear) - 1 and clear[high + 1]:
        high += 1
    turns = _GROUP_TURNS_DEG
    band = (heading + (turns[low] + turns[high]) / 2.0, (turns[high] - turns[low]) / 2.0)
    return heading + float(turns[best]), band


def _fit_many(
    base: Framing,
    eyes: list[FloatArray],
    tops: list[FloatArray],
    perpendicular: bool,
    width_m: float = 0.0,
) -> Framing:
    """Aim at the subjects' centre and widen enough that every eye stays well inside the frame.

    A two-shot (``perpendicular``) looks across the line between the pair, turned off that
    profile view (toward the director's side) just enough, up to TWO_SHOT_TURN_DEG, for the pair
    to fit within TWO_SHOT_FILL of a frame ``width_m`` wide at the subject; a group turns from
    the search's heading, as little as it can, until its people stand staggered in depth within
    that share, or as near it as the turn allows (the director judges both alike)."""
    centre = np.mean(eyes, axis=0)
    heading, band = base.heading_deg, base.heading_band
    if not perpendicular and len(eyes) > 2 and width_m > 0.0:
        heading, band = _staggered(heading, np.array(eyes), TWO_SHOT_FILL * width_m)
    line = eyes[1][0] - eyes[0][0]
    line[1] = 0.0
    separation = float(np.linalg.norm(line))
    if perpendicular and separation > 1e-6:
        across = float(heading_deg(line)) + 90.0
        heading = min((across, across + 180.0), key=lambda h: abs(wrap_deg(h - base.heading_deg)))
        fits = min(1.0, TWO_SHOT_FILL * width_m / separation)
        turn = min(TWO_SHOT_TURN_DEG, float(np.degrees(np.arccos(fits))))
        toward = float(np.sign(wrap_deg(base.heading_deg - heading))) or 1.0
        heading += toward * turn
    right = np.array([np.cos(np.deg2rad(heading)), 0.0, -np.sin(np.deg2rad(heading))])
    offsets = np.array([eye - centre for eye in eyes])  # (people, frames, 3)
    lateral = float(np.abs(offsets @ right).max())
    vertical = float(np.abs(offsets[..., 1]).max())
    aspect = 16.0 / 9.0
    # Eyes at different heights (one seated, one standing): centre the pair in the frame
    # instead of raising their middle to the headroom line, which would crop the higher one,
    # and keep the higher head's top inside the frame as well as the eyes.
    level = vertical < LEVEL_EYES_M
    if not level:
        vertical = max(vertical, float(max((top[:, 1] - centre[:, 1]).max() for top in tops)))
    fh_min = max(2.0 * lateral / FIT_HALF_WIDTH / aspect, 2.0 * vertical / FIT_HALF_HEIGHT)
    return replace(
        base, aim=centre, in_frame=tuple(eyes), heading_deg=heading, heading_band=band,
        fh_min=fh_min, u=0.0, v=base.v if level else 0.0, v_end=base.v_end if level else 0.0,
    )  # fmt: skip


def _over_shoulder(
    base: Framing, shoulder_eye: FloatArray, lens: LensGoal, longest_mm: float
) -> Framing:
    """Behind the second subject, looking past their head at the first.

    The camera stands ``OVER_SHOULDER_BACK_M`` behind the near head on a line from the first
    subject turned off the line between the two by the angle θ that puts the first on a third
    and the near head ``OVER_SHOULDER_NEAR_U`` across the frame. From the camera the near head
    is ``atan(s·sin θ / b)`` off the line to the far face (``s`` the separation, ``b`` the
    distance behind), which must equal the two image angles ``atan(u·t)`` either side of the
    axis, ``t`` the lens's half-width tangent at the far face; θ is found by bisection. Where
    the near body's clearance from the line of sight forces a wider θ than that, the near head
    would land outside the frame, so ``b`` grows instead (by bisection, up to
    ``OVER_SHOULDER_MAX_BACK_PER_M`` × ``s``, and no further than the far face holds its size
    on ``longest_mm``) until the head is back at its place."""
    sensor_mm, frame_height = lens
    line = shoulder_eye[0] - base.aim[0]
    line[1] = 0.0
    distance = float(np.linalg.norm(line))
    toward = float(heading_deg(line)) if distance > 1e-6 else base.heading_deg
    separation = max(distance, 1e-6)
    rel = wrap_deg(base.heading_deg - toward)
    side = int(np.sign(rel)) if abs(rel) > 1.0 else base.side
    u_far = 0.2 if base.centred else THIRD
    half_width = frame_height * sensor_mm[0] / sensor_mm[1] / 2.0

    def miss(angle: float, back: float) -> float:
        """How far (radians) the near head sits beyond its place in the frame (< 0: inside)."""
        tangent = half_width / (separation * np.cos(angle) + back)
        seen = np.arctan(separation * np.sin(angle) / back)
        return float(seen - np.arctan(u_far * tangent) - np.arctan(OVER_SHOULDER_NEAR_U * tangent))

    def bisect(low: float, high: float, misses: Callable[[float], float]) -> float:
        """The high end of a bracket shrunk onto ``misses``'s zero (it rises from low to high);
        ``high`` itself where it misses there by less than nothing."""
        if misses(high) > 0.0:
            for _ in range(30):
                middle = (low + high) / 2.0
                low, high = (middle, high) if misses(middle) < 0.0 else (low, middle)
        return high

    back = OVER_SHOULDER_BACK_M
    angle = bisect(0.0, float(np.deg2rad(OVER_SHOULDER_MAX_DEG)), lambda a: miss(a, back))
    # The near head stays clear of the line of sight to the far face, however long the lens,
    # and where that turns the camera further, it steps back to keep the head in the picture.
    clear = float(np.arcsin(min(1.0, OVER_SHOULDER_CLEARANCE_M / separation)))
    if clear > angle:
        angle = clear
        farthest = max(back, OVER_SHOULDER_MAX_BACK_PER_M * separation)
        longest_m = longest_mm * frame_height / sensor_mm[1] - separation * np.cos(angle)
        farthest = max(back, min(farthest, longest_m))
        back = bisect(back, farthest, lambda b: -miss(angle, b))
    heading = np.deg2rad(toward) + side * angle
    outward = np.array([np.sin(heading), 0.0, np.cos(heading)])
    position = base.aim[0] + (separation * np.cos(angle) + back) * outward
    position[1] = shoulder_eye[0][1] + OVER_SHOULDER_UP_M
    return _from_position(replace(base, side=side, u=side * u_far, v_end=None), position, lens)


def _from_position(base: Framing, position: FloatArray, lens: LensGoal) -> Framing:
    """A framing whose camera position is fixed by geometry: heading, pitch and distance follow.

    The lens then comes from the size (``make_rig``), so the solve is repeated once with it.
    """
    sensor_mm, frame_height = lens
    positions, aim = position[None], base.aim[:1]
    uv = (np.full(1, base.u or 0.0), np.full(1, base.v))
    distance = float(np.linalg.norm(aim - positions))
    pitch = np.zeros(1)
    for _ in range(2):
        focal = np.full(1, clamp_focal(distance * sensor_mm[1] / frame_height))
        yaw, pitch = aim_at(positions, aim, np.zeros(1), focal, uv, sensor_mm)
        forward = forward_axes(rotation_matrices(yaw, pitch, np.zeros(1)))
        distance = max(float(np.einsum("ij,ij->i", aim - positions, forward)[0]), 0.05)
    return replace(
        base,
        heading_deg=float(heading_deg(position - base.aim[0])),
        pitch_deg=float(pitch[0]),
        distance_m=distance,
    )


def thirds_u(framing: Framing, heading_deg: float) -> float:
    """Horizontal image position: on a third, with look room toward where the subject faces."""
    if framing.u is not None:
        return framing.u
    if framing.centred:
        return 0.0
    facing_side = np.sin(np.deg2rad(heading_deg - framing.facing_deg))
    sign = float(np.sign(facing_side)) if abs(facing_side) > 0.1 else float(framing.side)
    return sign * THIRD


def make_rig(
    framing: Framing,
    spec: ShotSpec,
    sensor_mm: tuple[float, float],
    fps: int,
    noise_key: tuple[int, int],
    scale: float,
    azimuth_offset_deg: float,
    pitch_deg: float,
) -> Rig:
    """One candidate set-up: the lens scaled by ``scale`` (the distance scales with it)."""
    heading = framing.heading_deg + azimuth_offset_deg
    if framing.distance_m is not None:
        fh_first = band_target(spec.size, framing.fh_min)
        focal = clamp_focal(framing.distance_m * sensor_mm[1] / fh_first)
    else:
        focal = clamp_focal(spec.lens_mm * scale)
    return Rig(
        framing=framing,
        spec=spec,
        sensor_mm=sensor_mm,
        fps=fps,
        noise_key=noise_key,
        heading_deg=heading,
        pitch_deg=pitch_deg,
        focal_mm=focal,
        u=thirds_u(framing, heading),
        v=framing.v,
        v_end=framing.v if framing.v_end is None else framing.v_end,
    )
