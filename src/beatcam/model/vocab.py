"""The fixed vocabulary of docs/design.md section 3 and the numbers that give each word its meaning.

Every stage that names or measures a shot imports these; no other module may restate a band,
a limit or a default height.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Final

SIZES: Final = ("EWS", "WS", "FS", "MLS", "MS", "MCU", "CU", "ECU")
ANGLES: Final = ("overhead", "high", "eye_level", "low", "worm")
MOVEMENTS: Final = (
    "static",
    "push_in",
    "pull_out",
    "zoom_in",
    "zoom_out",
    "dolly_zoom_in",
    "dolly_zoom_out",
    "truck_left",
    "truck_right",
    "pan_left",
    "pan_right",
    "tilt_up",
    "tilt_down",
    "pedestal_up",
    "pedestal_down",
    "crane_up",
    "crane_down",
    "arc_left",
    "arc_right",
    "follow",
    "lead",
    "handheld",
    "whip_pan",
)


@dataclass(frozen=True)
class MovementTraits:
    """What a movement word commits the camera to, beyond its measured meaning (docs/design.md 3):
    the one table every stage asks instead of keeping its own sets.

    ``size_change``: +1 tightens the frame by moving closer or zooming in, -1 widens it.
    ``holds_size``: the camera stays put (it may turn), so only the subject can change the size
    during the shot. ``needs_subject``: the move is
    measured on a subject (an arc, a follow, a dolly zoom). ``showy``: the move draws attention
    to the camera, so it repeats poorly. ``level_only``: the move cannot be made from an overhead
    or worm's-eye angle. ``sideways``: a pan, truck or arc, whose direction is geometry (where
    the subject walks or looks), not feeling. ``travels``: the camera travels with a moving
    subject. ``simpler``: the plainer cousin a repair falls back to; a dolly in or out falls
    back to a zoom and a pedestal to a tilt, the camera staying where its move would start, as
    an operator does where the dolly has no room. ``plain_rig``: the rig is as plain as a
    locked-off camera (the operator's hands), so a repair's still single keeps it.
    """

    size_change: int = 0
    holds_size: bool = False
    needs_subject: bool = False
    showy: bool = False
    level_only: bool = False
    sideways: bool = False
    travels: bool = False
    lands: bool = False
    simpler: str = "static"
    plain_rig: bool = False


_PAN = MovementTraits(holds_size=True, sideways=True)
_TRUCK = MovementTraits(sideways=True, level_only=True)
_ARC = MovementTraits(needs_subject=True, sideways=True, simpler="push_in")
_TILT = MovementTraits(holds_size=True, level_only=True)
_PEDESTAL = MovementTraits(level_only=True)
_CRANE = MovementTraits(showy=True, level_only=True)
MOVEMENT_TRAITS: Final[Mapping[str, MovementTraits]] = {
    "static": MovementTraits(holds_size=True),
    "push_in": MovementTraits(size_change=1, simpler="zoom_in"),
    "pull_out": MovementTraits(size_change=-1, simpler="zoom_out"),
    "zoom_in": MovementTraits(size_change=1),
    "zoom_out": MovementTraits(size_change=-1),
    "dolly_zoom_in": MovementTraits(
        needs_subject=True, showy=True, level_only=True, simpler="push_in"
    ),
    "dolly_zoom_out": MovementTraits(
        needs_subject=True, showy=True, level_only=True, simpler="pull_out"
    ),
    "truck_left": replace(_TRUCK, simpler="pan_left"),
    "truck_right": replace(_TRUCK, simpler="pan_right"),
    "pan_left": _PAN,
    "pan_right": _PAN,
    "tilt_up": _TILT,
    "tilt_down": _TILT,
    "pedestal_up": replace(_PEDESTAL, simpler="tilt_up"),
    "pedestal_down": replace(_PEDESTAL, simpler="tilt_down"),
    "crane_up": replace(_CRANE, simpler="pedestal_up"),
    "crane_down": replace(_CRANE, simpler="pedestal_down"),
    "arc_left": _ARC,
    "arc_right": _ARC,
    "follow": MovementTraits(needs_subject=True, level_only=True, travels=True, simpler="pan_left"),
    "lead": MovementTraits(needs_subject=True, level_only=True, travels=True, simpler="pan_right"),
    "handheld": MovementTraits(holds_size=True, plain_rig=True),
    "whip_pan": MovementTraits(
        holds_size=True, showy=True, level_only=True, lands=True, simpler="pan_right"
    ),
}


def moves_where(**traits: object) -> frozenset[str]:
    """The movement words whose traits have these values: ``moves_where(sideways=True)``."""
    return frozenset(
        move
        for move, has in MOVEMENT_TRAITS.items()
        if all(getattr(has, name) == value for name, value in traits.items())
    )


# The trucks: the sideways moves that are neither a turn on the spot (a pan) nor a circle round
# the subject (an arc). On a walker a truck is the tracking shot beside them.
TRUCKS: Final = moves_where(sideways=True, holds_size=False, needs_subject=False)


# What carries the camera (docs/design.md section 3); ``model/setups.py`` reads it off each
# shot's track.
RIGS: Final = ("sticks", "slider", "dolly", "crane", "handheld", "gimbal", "steadicam")
FRAMINGS: Final = (
    "single",
    "two_shot",
    "group",
    "over_shoulder",
    "pov",
    "insert",
    "establishing",
)
TRANSITIONS: Final = ("cut", "match_cut", "smash_cut", "dissolve", "fade_in", "fade_out")
# Each shot's own clip carries this much more picture at both ends (the camera's first and last
# pose held), the longest dissolve the timelines ask of it, so an editor's transitions find media.
HANDLE_SECONDS: Final = 0.5


def handle_frames(fps: int) -> int:
    """Frames of handle at each end of a shot's clip at ``fps``."""
    return round(HANDLE_SECONDS * fps)


# Frame height at the subject (metres) where each size ends: ECU < 0.20 <= CU < 0.45 ...
SIZE_UPPER_M: Final = {
    "ECU": 0.20,
    "CU": 0.45,
    "MCU": 0.70,
    "MS": 1.05,
    "MLS": 1.50,
    "FS": 2.60,
    "WS": 8.0,
    "EWS": float("inf"),
}
SIZE_LOWER_M: Final = {
    "ECU": 0.0,
    "CU": 0.20,
    "MCU": 0.45,
    "MS": 0.70,
    "MLS": 1.05,
    "FS": 1.50,
    "WS": 2.60,
    "EWS": 8.0,
}
# Sizes at which the whole head is in frame (the critic's headroom check): from a medium shot
# out; closer sizes may crop the top of the head (Thompson & Bowen, "Grammar of the Shot").
HEAD_IN_FRAME_SIZES: Final = SIZES[: SIZES.index("MS") + 1]
# A frame height that sits comfortably inside each band: the target when framing a size.
SIZE_TARGET_M: Final = {
    "ECU": 0.14,
    "CU": 0.32,
    "MCU": 0.57,
    "MS": 0.87,
    "MLS": 1.27,
    "FS": 2.0,
    "WS": 4.5,
    "EWS": 14.0,
}

# An over-the-shoulder camera stands this far behind the near head (Thompson & Bowen, Grammar of
# the Shot: the near shoulder and the back of the head fill the frame's edge).
OVER_SHOULDER_BACK_M: Final = 1.3
# The longest lens an over-the-shoulder is given: the long portrait lens. From behind the near
# head the far face holds its size on a focal length that grows with the distance between the
# two; far apart, only a telephoto from across the set keeps the shoulder in the foreground (The
# Landing's MCU across 3.9 m took 279 mm), so the pair is covered otherwise. Reckoned on the
# default 16:9 sensor; the camera may stand a tenth further back than the director reckons
# (OVER_SHOULDER_LENS_SLACK) before it leaves the shot to be covered another way.
LONGEST_OTS_LENS_MM: Final = 135.0
OVER_SHOULDER_LENS_SLACK: Final = 1.1

# Camera pitch (degrees, positive looks down) bands, measured on a shot's middle frame.
ANGLE_PITCH_DEG: Final = {
    "overhead": (60.0, 90.0),
    "high": (12.0, 60.0),
    "eye_level": (-12.0, 12.0),
    "low": (-60.0, -12.0),
    "worm": (-90.0, -60.0),
}
# The pitch each angle aims for when the camera is placed.
ANGLE_TARGET_DEG: Final = {
    "overhead": 72.0,
    "high": 24.0,
    "eye_level": 0.0,
    "low": -22.0,
    "worm": -68.0,
}

# A two-shot holds both people when their separation across the frame is at most this share of
# its width; a pair standing further apart is seen from up to TWO_SHOT_TURN_DEG off the profile
# view, so one stands nearer the camera and their separation across the frame shrinks
# (Arijon's three-quarter two-shot). The camera and the director both judge by these numbers.
TWO_SHOT_FILL: Final = 0.55
TWO_SHOT_TURN_DEG: Final = 60.0
# The framings that hold every one of their subjects, each one's eyes in the frame; and those of
# them whose every face must also be clear of the set and the others' bodies (a two-shot is
# framed across its pair, in profile, which keeps both faces apart; a group is not).
ALL_IN_FRAME: Final = frozenset({"two_shot", "group"})
EVERY_FACE_CLEAR: Final = frozenset({"group"})
# Each eye of a pair at different heights (one seated, one standing) stays within this share of
# the way from the frame's middle to its top or bottom edge, so their difference in eye height
# may be up to this share of the frame's height.
TWO_SHOT_HEIGHT_FILL: Final = 0.6

DUTCH_MIN_DEG: Final = 5.0
EYE_HEIGHT_RATIO: Final = 0.92
# Where a standing character holds a prop: this share of their height, this far in front.
HANDS_HEIGHT_RATIO: Final = 0.55
HANDS_FORWARD_M: Final = 0.2
DEFAULT_HEIGHT_M: Final = 1.75
FOCAL_MIN_MM: Final = 12.0
FOCAL_MAX_MM: Final = 300.0
DEFAULT_FPS: Final = 24
MAX_BEATS: Final = 2000
MAX_BEAT_CHARS: Final = 2000
MAX_INPUT_BYTES: Final = 5_000_000

# Sensor (width, height) in mm per aspect: 36 mm wide, the height from the aspect ratio.
ASPECTS: Final = {
    "16:9": (36.0, 20.25),
    "2.39": (36.0, round(36.0 / 2.39, 5)),
    "1.85": (36.0, round(36.0 / 1.85, 5)),
    "4:3": (36.0, 27.0),
}
DEFAULT_ASPECT: Final = "16:9"
RESOLUTION: Final = (1280, 720)
# The stages of `beatcam shoot`, in the order they run (--only picks; docs/design.md section 8).
STAGES: Final = ("plan", "score", "render", "export")

EMOTIONS: Final = (
    "joy",
    "trust",
    "fear",
    "surprise",
    "sadness",
    "disgust",
    "anger",
    "anticipation",
)
FUNCTIONS: Final = (
    "establishing",
    "arrival",
    "departure",
    "dialogue",
    "realisation",
    "reveal",
    "confrontation",
    "intimacy",
    "isolation",
    "threat",
    "attack",
    "chase",
    "triumph",
    "grief",
    "awe",
    "suspense",
    "disorientation",
    "transition",
    "action",
)


class Intent(StrEnum):
    """What a beat asks the camera to make the audience feel (docs/design.md section 3): the layer
    between affect and device. Each is defined for labellers in ``affect/data/intents.yaml``."""

    SHOCK = "shock"
    VERTIGO = "vertigo"
    DREAD = "dread"
    REALISATION = "realisation"
    VULNERABILITY = "vulnerability"
    DOMINANCE = "dominance"
    ISOLATION = "isolation"
    LIBERATION = "liberation"
    TRIUMPH = "triumph"
    WONDER = "wonder"
    INTIMACY = "intimacy"
    TENSION = "tension"
    CHAOS = "chaos"
    GRIEF = "grief"
    PURSUIT = "pursuit"
    STILLNESS = "stillness"


INTENTS: Final = tuple(Intent)


class Staging(StrEnum):
    """Something happening in front of the camera that a camera move can follow or answer
    (read in ``affect/data/stagings.yaml``; the moves that answer it are the director's
    ``direct/data/staging_devices.yaml``). Katz and Brown: a move is motivated by what the
    subject does or sees, and the feeling decides how it is done."""

    RISE = "rise"
    SINK = "sink"
    DESCEND = "descend"
    LOOK_UP = "look_up"
    LOOK_DOWN = "look_down"
    SCAN = "scan"
    PASS_ALONG = "pass_along"
    STRIDE = "stride"
    CIRCLE = "circle"
    WARP = "warp"
    STARTLE = "startle"
    EXPANSE = "expanse"
    LYING = "lying"
    LOOMING = "looming"
    ON_HIGH = "on_high"
    FAR_BELOW = "far_below"
    FLEE = "flee"
    FROM_AFAR = "from_afar"
    EXULT = "exult"
    REVEAL_AROUND = "reveal_around"
    LEFT_ALONE = "left_alone"
    WALK_TOGETHER = "walk_together"
    ACT_TOGETHER = "act_together"
    SETTLING_OVER = "settling_over"
    CONFIDE = "confide"
    EMBRACE = "embrace"
    REEL = "reel"
    FACE_DETAIL = "face_detail"
    HAND_DETAIL = "hand_detail"
    VAST_PLACE = "vast_place"
    PATTERN_BELOW = "pattern_below"
    ABASED = "abased"
    DISCOVERY = "discovery"
    TUMULT = "tumult"
    # Someone or something comes on at the back of a subject who is going somewhere: their
    # pursuers, the aides hurrying to keep up, the battalion at their back.
    FOLLOWED = "followed"
    # Everything staked at once, the last chips pushed into the pot: the table waits on one
    # decision.
    ALL_IN = "all_in"
    # Words written on something that the beat shows (``scene.shown_words``): a sign's, a
    # screen's, a page's. Read by its form, not from stagings.yaml.
    READ_TEXT = "read_text"


STAGINGS: Final = tuple(Staging)


class Pose(StrEnum):
    """What a character's body does on a frame (docs/design.md section 3, ``blocking[name].pose``):
    read from the beats' verbs by ``direct/poses.py``; ``model/skeleton.py`` gives each its
    joint angles."""

    STAND = "stand"
    WALK = "walk"
    RUN = "run"
    SIT = "sit"
    KNEEL = "kneel"
    CROUCH = "crouch"
    LIE = "lie"
    FALL = "fall"
    REACH = "reach"
    EMBRACE = "embrace"
    POINT = "point"
    ARMS_UP = "arms_up"
    HANDS_TO_FACE = "hands_to_face"
    TURN_AWAY = "turn_away"


POSES: Final = tuple(Pose)
# The label of a beat that asks for no expressive device: plain coverage serves it.
NO_INTENT: Final = "none"


def size_for_frame_height(frame_height_m: float) -> str:
    """The size word whose band holds a frame height at the subject (metres)."""
    for size in reversed(SIZES):
        if frame_height_m < SIZE_UPPER_M[size]:
            return size
    return "EWS"


def angle_for_pitch(pitch_deg: float) -> str:
    """The angle word for a camera pitch in degrees (positive looks down)."""
    if pitch_deg >= 60.0:
        return "overhead"
    if pitch_deg >= 12.0:
        return "high"
    if pitch_deg > -12.0:
        return "eye_level"
    if pitch_deg > -60.0:
        return "low"
    return "worm"
