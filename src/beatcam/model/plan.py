"""The shot plan: what the director decided, the camera computed and the critic checked.

Per-frame data are numpy arrays made read-only on construction, so a plan, once built, is
immutable all the way down. Frames are integers at the plan's fps; frame 0 starts the scene.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from beatcam.model.geometry import FloatArray
from beatcam.model.scene import Affect
from beatcam.model.skeleton import Posed, eye_offsets, pose_figure, to_world
from beatcam.model.vocab import DEFAULT_FPS, EYE_HEIGHT_RATIO, POSES, Pose

if TYPE_CHECKING:  # model.setups reads plans: imported when a plan's setups are asked for
    from beatcam.model.setups import Setup


def _frozen(array: FloatArray, columns: int | None, name: str) -> FloatArray:
    result = np.array(array, dtype=np.float64)
    expected = 2 if columns else 1
    if result.ndim != expected or (columns and result.shape[1] != columns):
        shape = f"(n, {columns})" if columns else "(n,)"
        raise ValueError(f"{name} must have shape {shape}, got {result.shape}")
    result.setflags(write=False)
    return result


@dataclass(frozen=True)
class SetBox:
    """An axis-aligned grey box of the set: centre and full size in metres, world frame."""

    name: str
    center: tuple[float, float, float]
    size: tuple[float, float, float]


@dataclass(frozen=True)
class Prop:
    """An object the beats name (``model/props.py`` gives its grey-box shape): who first holds
    it (None: it is only ever placed), and per scene frame its ``position`` (n, 3) metres
    world (the middle of the hand holding it, or its base where it rests), ``facing_deg``
    (n,) its front's heading, as a character's, and ``holder`` (n,) who holds it (or None)."""

    name: str
    held_by: str | None
    position: FloatArray
    facing_deg: FloatArray
    holder: tuple[str | None, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "position", _frozen(self.position, 3, "position"))
        object.__setattr__(self, "facing_deg", _frozen(self.facing_deg, None, "facing_deg"))
        if not self.holder:
            object.__setattr__(self, "holder", (None,) * len(self.position))
        if not len(self.position) == len(self.facing_deg) == len(self.holder):
            raise ValueError(f"prop {self.name}: position, facing_deg and holder lengths differ")


@dataclass(frozen=True)
class SetDesign:
    """The set the scene plays on: a preset name, its boxes (may be empty: open ground) and
    the props the beats name."""

    preset: str
    boxes: tuple[SetBox, ...] = ()
    props: tuple[Prop, ...] = ()

    def held(self, name: str, frame: int) -> Prop | None:
        """The prop in ``name``'s hand on ``frame``, if any."""
        return next((prop for prop in self.props if prop.holder[frame] == name), None)


@dataclass(frozen=True)
class CharacterTrack:
    """Where a character stands on every scene frame: ``position`` (n, 3) metres on the
    ground, ``facing_deg`` (n,) counter-clockwise from +Z seen from above; ``pose`` (n,) a
    vocab.Pose word and ``look_at`` (n,) whom they look at (a name, or None) per frame, at
    ``fps`` (poses blend over a time, not a frame count). Left empty, everyone stands and
    looks nowhere in particular."""

    name: str
    height_m: float
    position: FloatArray
    facing_deg: FloatArray
    pose: tuple[str, ...] = ()
    look_at: tuple[str | None, ...] = ()
    fps: int = DEFAULT_FPS
    _eye_offsets: FloatArray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "position", _frozen(self.position, 3, "position"))
        object.__setattr__(self, "facing_deg", _frozen(self.facing_deg, None, "facing_deg"))
        frames = len(self.position)
        if len(self.facing_deg) != frames:
            raise ValueError(f"{self.name}: position and facing_deg lengths differ")
        if not self.pose:
            object.__setattr__(self, "pose", (Pose.STAND.value,) * frames)
        if not self.look_at:
            object.__setattr__(self, "look_at", (None,) * frames)
        if len(self.pose) != frames or len(self.look_at) != frames:
            raise ValueError(f"{self.name}: pose and look_at need one entry per frame")
        unknown = sorted(set(self.pose) - set(POSES))
        if unknown:
            raise ValueError(f"{self.name}: unknown poses {unknown}; known: {list(POSES)}")
        offsets = to_world(
            eye_offsets(self.pose, self.fps)[:, None, :],
            np.zeros_like(self.position),
            self.facing_deg,
            self.height_m,
        )[:, 0]
        offsets.setflags(write=False)
        object.__setattr__(self, "_eye_offsets", offsets)

    @property
    def eye_height_m(self) -> float:
        """The standing eye height (docs/design.md 3); a pose moves the eye from it (``eyes``)."""
        return EYE_HEIGHT_RATIO * self.height_m

    def eyes(self, start: int, frames: int) -> FloatArray:
        """Eye points (frames, 3) over a frame range, as posed: the subject point of
        docs/design.md section 3, lower when sitting or kneeling."""
        points = np.array(self.position[start : start + frames])
        points[:, 1] += self.eye_height_m
        return np.asarray(points + self._eye_offsets[start : start + frames], dtype=np.float64)

    def head_tops(self, start: int, frames: int) -> FloatArray:
        """The top of the head (frames, 3), as posed: above the eyes by what a standing head
        has above them."""
        tops = self.eyes(start, frames)
        tops[:, 1] += self.height_m - self.eye_height_m
        return tops


@dataclass(frozen=True)
class Blocking:
    """Every character's track over the whole scene, by name, in cast order.

    Posing a figure covers every frame of the scene, and the critic asks for one for each shot
    it checks (where the face looks): a long scene posed again per shot grew with the square of
    its length (a 100-beat scene spent a sixth of its plan there). So each figure is posed once
    per Blocking and kept with it, read-only; the tracks are frozen, so it cannot go stale. The
    kept figures are no field: not compared, not in cache keys, not pickled.
    """

    tracks: Mapping[str, CharacterTrack]
    frames: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "_figures", {})

    def __getstate__(self) -> dict[str, object]:
        return {name: value for name, value in self.__dict__.items() if name != "_figures"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state, _figures={})

    def __getitem__(self, name: str) -> CharacterTrack:
        return self.tracks[name]

    def figure(self, name: str, holding: NDArray[np.bool_] | None = None) -> Posed:
        """``name``'s posed skeleton on every frame (character frame, height units), the head
        turned toward the eyes of whom they look at and the holding arm bent where ``holding``
        (n,) is True (``ShotPlan.figure`` knows from the props). Posed once per ``holding``."""
        figures: dict[tuple[str, bytes | None], Posed] = self.__dict__["_figures"]
        held = None if holding is None else np.asarray(holding, dtype=bool).tobytes()
        known = figures.get((name, held))
        if known is None:
            known = figures[(name, held)] = self._pose(name, holding)
        return known

    def _pose(self, name: str, holding: NDArray[np.bool_] | None) -> Posed:
        track = self.tracks[name]
        targets = np.full((len(track.position), 3), np.nan)
        looks = np.array(track.look_at, dtype=object)
        for other, other_track in self.tracks.items():
            mask = looks == other
            if mask.any():
                targets[mask] = other_track.eyes(0, len(track.position))[mask]
        posed = pose_figure(
            track.pose,
            track.position,
            track.facing_deg,
            track.height_m,
            track.fps,
            targets,
            holding,
        )
        for numbers in (posed.joints, posed.turns, posed.posture):
            numbers.setflags(write=False)
        return posed


@dataclass(frozen=True)
class CameraTrack:
    """Per-frame camera: ``position`` (n, 3) metres world; ``rotation`` (n, 4) [w, x, y, z]
    world-from-camera; ``focal_mm`` (n,); ``focus_m`` (n,) focus distance in metres."""

    position: FloatArray
    rotation: FloatArray
    focal_mm: FloatArray
    focus_m: FloatArray

    def __post_init__(self) -> None:
        object.__setattr__(self, "position", _frozen(self.position, 3, "position"))
        object.__setattr__(self, "rotation", _frozen(self.rotation, 4, "rotation"))
        object.__setattr__(self, "focal_mm", _frozen(self.focal_mm, None, "focal_mm"))
        object.__setattr__(self, "focus_m", _frozen(self.focus_m, None, "focus_m"))
        lengths = {len(self.position), len(self.rotation), len(self.focal_mm), len(self.focus_m)}
        if len(lengths) != 1:
            raise ValueError(f"camera arrays differ in length: {sorted(lengths)}")

    @property
    def frames(self) -> int:
        return len(self.position)


@dataclass(frozen=True)
class ShotIntent:
    """The expressive intent that chose a shot's device (vocab.Intent) and the director's
    belief in it, in [0, 1]."""

    name: str
    confidence: float


@dataclass(frozen=True)
class Reason:
    """Why a shot is this shot, as data. ``direct.wording`` renders it to the ``why`` a crew
    reads; plan.json keeps it, numbers included, for tools. No stage parses the words.

    ``rules`` are the grammar and device rules that chose the shot with their score, strongest
    first; ``sequence`` the sequence rules that favoured the cut into it (bonuses negative);
    ``runner_up`` the best other shot (described) and ``margin`` how far behind it finished;
    ``expressive`` the best shot an intent would have chosen where the neutral grammar won, and
    ``expressive_margin`` its distance; ``pinned`` where the writer pinned the camera;
    ``evidence`` the words the beat was read from. A repair adds ``repaired_from`` (the shot the
    critic rejected, described) and ``failed`` (its rules), or ``moved_deg`` (how far the camera
    moved round the subject for a clean cut); ``ends_in`` is a size the subject's own move ended
    the shot in; ``repair`` names the strategy that saved the shot (a ``Repair`` value, empty
    when the director's shot passed as it was); ``heard`` names who says the beat's line off
    screen, the shot being on someone else.
    """

    rules: tuple[tuple[str, float], ...] = ()
    sequence: tuple[tuple[str, float], ...] = ()
    turning_point: bool = False
    runner_up: str = ""
    margin: float = 0.0
    expressive: str = ""
    expressive_margin: float = 0.0
    pinned: str = ""
    evidence: tuple[str, ...] = ()
    crosses_line: bool = False
    repaired_from: str = ""
    failed: tuple[str, ...] = ()
    moved_deg: float = 0.0
    ends_in: str = ""
    repair: str = ""
    heard: str = ""


@dataclass(frozen=True)
class ShotSpec:
    """A shot as the director words it, before the camera computes its track.

    ``azimuth_deg`` places the camera around the first subject, measured from the direction
    the subject faces (0: in front, facing them; +90: on the subject's left; 180: behind).
    ``side`` is +1 or -1: which side of the line of action the coverage is on. ``intent`` is
    the expressive intent that chose the device, None where the neutral grammar chose;
    ``reason`` is the why as data, ``why`` its words. ``shows`` names the set piece an insert
    without subjects frames (a sign whose words the beat shows; None: the set's centre).
    """

    id: str
    beat: int
    start_frame: int
    frames: int
    size: str
    end_size: str
    angle: str
    dutch_deg: float
    movement: str
    framing: str
    transition: str
    subjects: tuple[str, ...]
    lens_mm: float
    why: str
    azimuth_deg: float = 0.0
    side: int = 1
    intent: ShotIntent | None = None
    reason: Reason = field(default_factory=Reason)
    shows: str | None = None

    def __post_init__(self) -> None:
        # What an insert shows is the insert's: a version of it the repairs reframe on people
        # (``dataclasses.replace``) shows them.
        if self.shows is not None and (self.framing != "insert" or self.subjects):
            object.__setattr__(self, "shows", None)


@dataclass(frozen=True)
class Shot(ShotSpec):
    """A ShotSpec with the camera track that realises it (exactly ``frames`` samples)."""

    camera: CameraTrack = field(kw_only=True)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.camera.frames != self.frames:
            raise ValueError(
                f"{self.id}: camera has {self.camera.frames} frames, not {self.frames}"
            )


@dataclass(frozen=True)
class PlannedBeat:
    """A beat placed on the timeline with the affect read from it; ``speaker`` is who says it
    when the beat is a screenplay's line of dialogue (None for action)."""

    index: int
    text: str
    start_frame: int
    frames: int
    affect: Affect
    speaker: str | None = None


@dataclass(frozen=True)
class Provenance:
    """What made a plan: version, input hash and every model or lexicon used, with licence."""

    beatcam_version: str
    input_sha256: str
    models: tuple[Mapping[str, str], ...] = ()
    network: str = "none"


@dataclass(frozen=True)
class ShotPlan:
    """The whole plan of one scene: the content of plan.json."""

    title: str
    fps: int
    seed: int
    aspect: str
    sensor_mm: tuple[float, float]
    resolution: tuple[int, int]
    style: str
    cast: tuple[tuple[str, float], ...]
    set: SetDesign
    beats: tuple[PlannedBeat, ...]
    blocking: Blocking
    shots: tuple[Shot, ...]
    provenance: Provenance

    @property
    def frames(self) -> int:
        return self.blocking.frames

    @functools.cached_property
    def setups(self) -> tuple[Setup, ...]:
        """The plan's camera setups in shooting order (``model.setups.setups``), worked out
        once a plan: plan.json and the shot list both give each shot's (0.13 s of CPU at
        2,000 beats, issue 19)."""
        from beatcam.model.setups import setups

        return setups(self)

    def figure(self, name: str) -> Posed:
        """``name``'s posed skeleton (``Blocking.figure``), carrying what the props say they
        hold: the one posing the render and every export draw."""
        holding = np.zeros(self.frames, dtype=bool)
        for prop in self.set.props:
            holding |= np.array([holder == name for holder in prop.holder], dtype=bool)
        return self.blocking.figure(name, holding)

    def shot(self, shot_id: str) -> Shot:
        for shot in self.shots:
            if shot.id == shot_id:
                return shot
        raise KeyError(shot_id)


@dataclass(frozen=True)
class Direction:
    """The director's decisions before any camera maths: the set, where everyone stands on
    every frame, the beats on the timeline and the worded shots."""

    style: str
    set: SetDesign
    blocking: Blocking
    beats: tuple[PlannedBeat, ...]
    shots: tuple[ShotSpec, ...]
