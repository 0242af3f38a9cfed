"""What the 3D exports (USD, glTF, Blender, Unreal) share: shapes, names, samples and metadata.

Everything here is in beatcam's world frame (right-handed, +Y up, metres; cameras look down
local -Z; quaternions ``[w, x, y, z]``, world-from-local), so each format module converts
once, at its own edge. A character is a node standing on its ground point, turned to its
facing, holding the bones of ``model/skeleton.py``: each bone a node posed on every frame it
moves (character frame, metres) wearing a capsule from its joint along its length, and the
head a small "nose" box at eye height on its front, so facing and eyeline read in any viewer.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from beatcam.model import CameraTrack, Shot, ShotPlan, ShotSpec
from beatcam.model.geometry import FloatArray, make_continuous, matrix_to_quat
from beatcam.model.props import PROP_SHAPES
from beatcam.model.skeleton import BONES, EYE_ABOVE_NECK, HEAD, Bone

NOSE_SIZE_M = (0.08, 0.08, 0.16)  # the facing marker: width, height, depth
CLIP_NEAR_M = 0.05
CLIP_FAR_M = 1000.0
PREVIS_F_STOP = 2.8  # a plan names no stop; a fast cine stop makes the focus pulls visible
CUT_LEAD_FRAMES = 0.01  # the cut camera holds the outgoing shot until this long before a cut

SET_COLOR = (0.62, 0.62, 0.6)
PROP_COLOR = (0.93, 0.91, 0.85)  # paper white: props read apart from the grey set
CHARACTER_COLOR = (0.85, 0.55, 0.35)
NOSE_COLOR = (0.2, 0.2, 0.22)

_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")


def identifiers(names: Iterable[str]) -> list[str]:
    """Unique identifiers (letters, digits, underscores; no leading digit) for scene names, in
    order; USD prim names and Python-facing object names need them, viewers keep the original."""
    taken: set[str] = set()
    result = []
    for name in names:
        base = _NOT_IDENTIFIER.sub("_", name) or "_"
        if base[0].isdigit():
            base = f"_{base}"
        candidate, suffix = base, 1
        while candidate in taken:
            suffix += 1
            candidate = f"{base}_{suffix}"
        taken.add(candidate)
        result.append(candidate)
    return result


@dataclass(frozen=True)
class BoneTrack:
    """One bone of one character for a format: ``name``; its capsule's ``length_m`` and
    ``radius_m`` and which way it runs (``up``: along +Y from the joint, else along -Y);
    ``frames`` (k,) the scene frames it is sampled on (every frame where it moves, and the ends
    of every still stretch, so linear interpolation replays it exactly); ``translation`` (k, 3)
    metres and ``rotation`` (k, 4) [w, x, y, z] sign-continuous, character frame."""

    name: str
    length_m: float
    radius_m: float
    up: bool
    frames: FloatArray
    translation: FloatArray
    rotation: FloatArray

    @property
    def centre_m(self) -> tuple[float, float, float]:
        """The capsule's centre in the bone's frame: halfway along the bone."""
        return (0.0, (0.5 if self.up else -0.5) * self.length_m, 0.0)


def changing_samples(values: FloatArray) -> np.ndarray:
    """``(k,)`` indices of the rows of ``values`` (n, d) that linear interpolation needs: the
    first, the last, and every row that differs from a neighbour."""
    flat = np.asarray(values).reshape(len(values), -1)
    differs = np.any(np.diff(flat, axis=0) != 0.0, axis=1)
    keep = np.zeros(len(flat), dtype=bool)
    keep[[0, -1]] = True
    keep[1:] |= differs
    keep[:-1] |= differs
    return np.flatnonzero(keep)


def bone_tracks(plan: ShotPlan, name: str) -> list[BoneTrack]:
    """Every bone of ``name``, posed as the render poses it (``ShotPlan.figure``)."""
    height = plan.blocking[name].height_m
    posed = plan.figure(name)
    tracks = []
    for index, bone in enumerate(BONES):
        translation = posed.origins[:, index] * height
        rotation = matrix_to_quat(posed.rotations[:, index])
        keep = changing_samples(np.concatenate([translation, rotation], axis=1))
        tracks.append(
            BoneTrack(
                bone.name,
                bone.length * height,
                bone.radius * height,
                bone.up,
                keep.astype(np.float64),
                translation[keep],
                make_continuous(rotation[keep]),
            )
        )
    return tracks


@dataclass(frozen=True)
class PropTrack:
    """One prop for a format: its node ``name`` (unique), ``kind`` (its shape), ``boxes``
    (centre, size) in its frame, and its ``frames`` (k,), ``translation`` (k, 3) metres world
    and ``facing_deg`` (k,) sampled where it moves."""

    name: str
    kind: str
    boxes: tuple[tuple[tuple[float, float, float], tuple[float, float, float]], ...]
    frames: FloatArray
    translation: FloatArray
    facing_deg: FloatArray


def prop_tracks(plan: ShotPlan) -> list[PropTrack]:
    """Every prop of the plan, named uniquely ("chair", "chair_2", ...)."""
    names = identifiers(prop.name for prop in plan.set.props)
    tracks = []
    for prop, name in zip(plan.set.props, names, strict=True):
        facing = np.rad2deg(np.unwrap(np.deg2rad(prop.facing_deg)))  # turn the short way
        keep = changing_samples(np.column_stack([prop.position, facing]))
        tracks.append(
            PropTrack(
                name, prop.name, PROP_SHAPES[prop.name], keep.astype(np.float64),
                prop.position[keep], facing[keep],
            )
        )  # fmt: skip
    return tracks


def nose_center_m(height_m: float) -> tuple[float, float, float]:
    """Centre of the facing marker in the head bone's frame: at the eyes, on the face."""
    head: Bone = BONES[HEAD]
    return (0.0, EYE_ABOVE_NECK * height_m, head.radius * height_m)


def facing_quats(facing_deg: FloatArray) -> FloatArray:
    """``(n,)`` headings (counter-clockwise about +Y from +Z) -> ``(n, 4)`` [w, x, y, z],
    sign-continuous so that interpolating between frames turns the short way."""
    half = np.deg2rad(np.asarray(facing_deg, dtype=np.float64)) / 2.0
    zeros = np.zeros_like(half)
    return make_continuous(np.stack([np.cos(half), zeros, np.sin(half), zeros], axis=1))


def shot_frames(shot: Shot) -> FloatArray:
    """The scene frames a shot's camera samples sit on, ``(frames,)``."""
    return np.arange(shot.start_frame, shot.start_frame + shot.frames, dtype=np.float64)


def vertical_fov_rad(focal_mm: FloatArray, sensor_height_mm: float) -> FloatArray:
    """Vertical field of view in radians for focal lengths in mm: ``2 atan(h / 2f)``."""
    return np.asarray(2.0 * np.arctan(sensor_height_mm / (2.0 * np.asarray(focal_mm))))


@dataclass(frozen=True)
class CutTrack:
    """The edited camera: every shot's samples over its own frames, plus one hold sample just
    before each cut so that interpolation jumps at the cut instead of sliding between shots."""

    times: FloatArray  # (m,) scene frames, increasing, some fractional
    position: FloatArray  # (m, 3)
    rotation: FloatArray  # (m, 4) [w, x, y, z], sign-continuous
    focal_mm: FloatArray  # (m,)
    focus_m: FloatArray  # (m,)


def cut_track(plan: ShotPlan) -> CutTrack:
    """Concatenate the shots in order, holding each shot's last sample until the cut."""
    times: list[FloatArray] = []
    picks: list[tuple[CameraTrack, np.ndarray]] = []  # (track, sample indices) per shot
    for index, shot in enumerate(plan.shots):
        shot_times, samples = shot_frames(shot), np.arange(shot.frames)
        if index + 1 < len(plan.shots):
            hold = plan.shots[index + 1].start_frame - CUT_LEAD_FRAMES
            if hold > shot_times[-1]:
                shot_times = np.append(shot_times, hold)
                samples = np.append(samples, shot.frames - 1)
        times.append(shot_times)
        picks.append((shot.camera, samples))
    return CutTrack(
        times=np.concatenate(times),
        position=np.concatenate([track.position[rows] for track, rows in picks]),
        rotation=make_continuous(np.concatenate([track.rotation[rows] for track, rows in picks])),
        focal_mm=np.concatenate([track.focal_mm[rows] for track, rows in picks]),
        focus_m=np.concatenate([track.focus_m[rows] for track, rows in picks]),
    )


def box_mesh() -> tuple[FloatArray, FloatArray, np.ndarray]:
    """A unit cube centred on the origin with flat faces: positions ``(24, 3)``, normals
    ``(24, 3)`` and counter-clockwise triangle indices ``(36,)``."""
    positions: list[FloatArray] = []
    normals: list[FloatArray] = []
    indices: list[int] = []
    for axis in range(3):
        for sign in (1.0, -1.0):
            normal = np.zeros(3)
            normal[axis] = sign
            u_axis, v_axis = (axis + 1) % 3, (axis + 2) % 3
            u, v = np.zeros(3), np.zeros(3)
            u[u_axis], v[v_axis] = 0.5, 0.5 * sign
            base = len(positions)
            for du, dv in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
                positions.append(normal * 0.5 + du * u + dv * v)
                normals.append(normal)
            indices.extend([base, base + 1, base + 2, base, base + 2, base + 3])
    return np.array(positions), np.array(normals), np.array(indices, dtype=np.uint32)


def capsule_mesh(
    length_m: float, radius_m: float, segments: int = 16, rings: int = 6
) -> tuple[FloatArray, FloatArray, np.ndarray]:
    """A capsule centred on the origin along Y: a straight part ``length_m`` long capped by
    hemispheres of ``radius_m``: positions, normals and counter-clockwise triangle indices, as
    in ``box_mesh``. ``rings`` per hemisphere."""
    radius, half = radius_m, length_m / 2.0
    centre_y = 0.0
    # Latitudes from the bottom pole to the top pole; each hemisphere's equator is doubled so
    # the cylinder between them is a band of its own.
    lower = np.linspace(-np.pi / 2, 0.0, rings + 1)
    upper = np.linspace(0.0, np.pi / 2, rings + 1)
    latitudes = np.concatenate([lower, upper])
    offsets = np.concatenate([np.full(rings + 1, -half), np.full(rings + 1, half)])
    longitudes = np.linspace(0.0, 2.0 * np.pi, segments + 1)
    lat, lon = np.meshgrid(latitudes, longitudes, indexing="ij")
    normals = np.stack([np.cos(lat) * np.sin(lon), np.sin(lat), np.cos(lat) * np.cos(lon)], axis=2)
    positions = normals * radius
    positions[:, :, 1] += offsets[:, None] + centre_y
    rows, columns = len(latitudes), segments + 1
    grid = np.arange(rows * columns).reshape(rows, columns)
    a, b = grid[:-1, :-1].ravel(), grid[:-1, 1:].ravel()
    c, d = grid[1:, :-1].ravel(), grid[1:, 1:].ravel()
    upper_right = np.stack([a, b, d], axis=1).reshape(rows - 1, segments, 3)
    lower_left = np.stack([a, d, c], axis=1).reshape(rows - 1, segments, 3)
    # Next to a pole one triangle of each quad has collapsed to a line: leave it out.
    triangles = np.concatenate(
        [
            lower_left[0].reshape(-1, 3),
            np.stack([upper_right[1:-1], lower_left[1:-1]], axis=2).reshape(-1, 3),
            upper_right[-1].reshape(-1, 3),
        ]
    )
    return (
        positions.reshape(-1, 3),
        normals.reshape(-1, 3),
        triangles.reshape(-1).astype(np.uint32),
    )


def shot_metadata(shot: Shot) -> dict[str, str | int | float]:
    """The director's words for a shot (every ShotSpec field) as flat scalars, for the formats'
    per-object metadata (a USD dictionary cannot hold an empty list or a None, so subjects are
    one comma-separated string, what an insert shows is empty where it shows its subjects, and
    the intent is its name, empty where the neutral grammar chose, beside its confidence)."""
    words = {
        field.name: getattr(shot, field.name)
        for field in dataclasses.fields(ShotSpec)
        if field.name != "reason"  # the why's data stays in plan.json; its words go here
    }
    words["subjects"] = ", ".join(shot.subjects)
    words["shows"] = shot.shows or ""
    words["intent"] = str(shot.intent.name) if shot.intent else ""
    words["intent_confidence"] = shot.intent.confidence if shot.intent else 0.0
    return words
