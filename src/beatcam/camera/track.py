"""``track_for``: the per-frame camera track that realises one ShotSpec.

The search is small and deterministic. Phase one ignores the set and other characters and finds
a lens (and, only when the ground forbids the asked angle, a flatter pitch) under which the move,
the sizes, the angle and the framing all read back with margin. Phase two adds the set and the
other characters: it tries azimuths around the asked one (+-10, +-20, ... +-90 degrees), then
moves closer on a wider lens (the framing holds, since distance scales with focal length).
The best-scoring candidate wins; ties go to the one nearest the request.
"""

from __future__ import annotations

import math
import struct
import zlib
from collections.abc import Hashable, Iterator
from dataclasses import fields, replace

import numpy as np

from beatcam.camera.checks import (
    ANGLE_MARGIN_DEG,
    CLEARANCE_MARGIN_M,
    Verdict,
    assess,
)
from beatcam.camera.collision import BODY_CLEARANCE_M, Obstacles
from beatcam.camera.framing import (
    ACTING_AREA,
    Framing,
    Rig,
    band_target,
    clamp_focal,
    frame_shot,
    make_rig,
)
from beatcam.camera.moves import MOVES, Pose, poses_for
from beatcam.errors import StageError
from beatcam.model import Blocking, CameraTrack, Reason, SetDesign, ShotSpec
from beatcam.model.geometry import BODY_RADIUS_M, FloatArray, lengths, matrix_to_quat
from beatcam.model.vocab import (
    ANGLE_PITCH_DEG,
    ANGLE_TARGET_DEG,
    ANGLES,
    FRAMINGS,
    SIZES,
)

# Lens scales tried in phase one, nearest the asked lens first.
LENS_SCALES = (
    *(1.0, 0.9, 1.12, 0.8, 1.25, 0.72, 1.4, 0.64, 1.6, 0.57, 0.5, 2.0, 0.4, 2.5, 0.32, 3.2),
    *(0.25, 4.0, 0.2, 5.0, 0.16, 6.4, 0.125, 8.0, 10.0, 12.5, 16.0),
)
# Phase two: closer on a wider lens first, then farther on a longer one.
COLLISION_SCALES = (1.0, 0.8, 0.64, 0.5, 0.4, 0.32, 0.25, 1.25, 1.6)
AZIMUTH_OFFSETS_DEG = (0.0, *(sign * step for step in range(10, 100, 10) for sign in (1, -1)))
PITCH_STEP_DEG = 6.0
EYE_LEVEL_DOWN_DEG = (6.0, 10.0)
REACH_SPARE_M = 0.03

Judged = dict[Hashable, dict[bytes, tuple[Verdict, Pose]]]
"""Candidates of one shot the collision search judged, with their verdicts (in full, or a floor
where it spared them part of the view test) and poses: by the shot's
words and framing but for where it stands (``_shot_marks``), then by the candidate's own numbers
(``_rig_marks``). A repair tries versions of one shot that differ in where the camera stands
(``pipeline.repair``), whose searches round their azimuths meet the same candidates again."""


def track_for(
    spec: ShotSpec,
    blocking: Blocking,
    set_design: SetDesign,
    sensor_mm: tuple[float, float],
    fps: int,
    seed: int,
    judged: Judged | None = None,
) -> CameraTrack:
    """The camera track of one shot: exactly ``spec.frames`` samples from ``spec.start_frame``.

    Never raises for a request it cannot meet (the critic reports those); raises
    ``StageError`` only for unusable input: no frames, an unknown word or subject name, or a
    shot that runs past the blocking. ``judged`` keeps the candidates the collision search
    judged in full for the next search of a version of this shot, over the same blocking and
    set, which takes them from there.
    """
    _validate(spec, blocking)
    framing = frame_shot(spec, blocking, _set_aim(spec, set_design), sensor_mm, set_design)
    obstacles = Obstacles.for_shot(
        set_design, blocking, spec.start_frame, spec.frames, spec.movement
    )
    key = (seed, zlib.crc32(spec.id.encode("utf-8")))
    known = None
    if judged is not None:
        known = judged.setdefault(_shot_marks(spec, framing, sensor_mm, fps, key), {})

    def rig(scale: float, azimuth: float, pitch: float) -> Rig:
        return make_rig(framing, spec, sensor_mm, fps, key, scale, azimuth, pitch)

    def attempt(
        rigs: list[Rig], full: bool, beat: float = math.inf
    ) -> list[tuple[Verdict, Rig, Pose]]:
        """The candidates with their verdicts, in order (those that cannot score under
        ``beat`` with a score of ``beat`` or more: ``assess``). In the collision search a
        candidate judged before is taken as it was where that verdict still holds: in full
        (the candidate's own, whoever it is judged with), or spared part of the view test with
        a floor of ``beat`` or more (it still cannot be picked)."""
        store = known if full else None  # only the collision search judges the view
        marks: list[bytes] = []
        found: list[tuple[Verdict, Pose] | None] = [None] * len(rigs)
        if store is not None:
            marks = [_rig_marks(each) for each in rigs]
            found = [_holding(store.get(mark), beat) for mark in marks]
        fresh = [each for each, hit in zip(rigs, found, strict=True) if hit is None]
        if fresh:
            poses = tuple(poses_for(fresh))
            made = zip(assess(tuple(fresh), poses, obstacles, full, beat), poses, strict=True)
            found = [next(made) if hit is None else hit for hit in found]
        if store is not None:
            for mark, hit in zip(marks, found, strict=True):
                if hit is not None and _holds_more(hit[0], store.get(mark)):
                    store[mark] = hit
        return [
            (hit[0], each, hit[1]) for hit, each in zip(found, rigs, strict=True) if hit is not None
        ]

    def by_lens(pitch: float, centred: bool) -> Iterator[tuple[Verdict, Rig, Pose]]:
        """Phase one's candidates at ``pitch`` (with the eyes in the middle of the frame where
        ``centred``), judged lazily: the asked lens alone (it mostly passes), then every other
        lens together (checks.Batch)."""

        def made(scale: float) -> Rig:
            candidate = rig(scale, 0.0, pitch)
            return replace(candidate, v=0.0, v_end=0.0) if centred else candidate

        [first, *others] = _scales(spec.lens_mm, scales)
        yield from attempt([made(first)], False)
        if others:
            yield from attempt([made(scale) for scale in others], False)

    def phase_one(
        centred: bool, best: tuple[Verdict, Rig, Pose] | None
    ) -> tuple[Verdict, Rig, Pose]:
        """The best candidate over the pitches ``_pitches`` allows, flatter ones only where the
        ground forbids the steeper: the first lens that beats the best so far wins, as if each
        were judged alone in turn, until one scores 0."""
        for pitch in _pitches(spec, framing):
            for found in by_lens(pitch, centred):
                if best is None or found[0].score < best[0].score:
                    best = found
                if found[0].score == 0.0:
                    break
            assert best is not None
            if best[0].score == 0.0 or "ground" not in best[0].missed:
                break
        assert best is not None
        return best

    scales = (1.0, _clear_of_subject(spec, framing, sensor_mm) / spec.lens_mm, *LENS_SCALES)
    best = phase_one(False, None)
    if "angle" in best[0].missed and framing.pitch_deg is None:
        # The angle is the lens axis's pitch on the middle frame. Looking up or down at eyes
        # framed on the upper third, the line to them is steeper than the axis, so a low wide
        # shot's camera goes under the floor before its axis tilts far enough: tried once
        # more with the eyes in the middle of the frame, where the two lines are one.
        best = phase_one(True, best)
    chosen_scale = best[1].focal_mm / spec.lens_mm
    pitch = best[1].pitch_deg
    [verdict] = assess((best[1],), (best[2],), obstacles, True)
    final = (verdict, best[1], best[2])
    if known is not None:
        known[_rig_marks(best[1])] = (verdict, best[2])
    if {"collision", "view"} & set(final[0].missed) and framing.distance_m is None:
        azimuths = tuple(filter(framing.allows_heading, AZIMUTH_OFFSETS_DEG))
        lenses: set[float] = set()
        for factor in COLLISION_SCALES:
            rigs = [rig(chosen_scale * factor, azimuth, pitch) for azimuth in azimuths]
            if rigs[0].focal_mm in lenses:
                # Clamped onto a lens already tried: the same candidates, which lost already.
                continue
            lenses.add(rigs[0].focal_mm)
            # A lens's azimuths are judged together (checks.Batch); the first that beats the
            # best so far wins, as if each were judged alone in turn, until one scores 0. Those
            # whose other grades cannot beat it are spared the view test (checks.assess).
            for found in attempt(rigs, True, final[0].score):
                if found[0].score < final[0].score:
                    final = found
                if found[0].score == 0.0:
                    break
            if final[0].score == 0.0:
                break
    return _camera_track(final[1], final[2])


def _holding(hit: tuple[Verdict, Pose] | None, beat: float) -> tuple[Verdict, Pose] | None:
    """A verdict kept in ``Judged`` that still holds against ``beat``: one in full, or a floor
    the candidate cannot be picked with (``assess``)."""
    if hit is None or not (hit[0].whole or hit[0].score >= beat):
        return None
    return hit


def _holds_more(verdict: Verdict, kept: tuple[Verdict, Pose] | None) -> bool:
    """Whether ``verdict`` says more of its candidate than the one ``Judged`` keeps: a verdict
    in full says all, a floor more than a lower floor."""
    if kept is None:
        return True
    return not kept[0].whole and (verdict.whole or verdict.score > kept[0].score)


def _shot_marks(
    spec: ShotSpec,
    framing: Framing,
    sensor_mm: tuple[float, float],
    fps: int,
    key: tuple[int, int],
) -> Hashable:
    """Everything a candidate's pose and verdict are made from that all of a shot's candidates
    share (the obstacles follow from its frames), but where it stands (``spec.azimuth_deg``,
    read only as ``framing.heading_deg``, which only sets the candidates' headings) and the
    words that explain it. Floats are told apart by their bits (``repr``, ``_bits``)."""
    words = replace(spec, azimuth_deg=0.0, why="", reason=Reason())
    composition = tuple(
        _bits(getattr(framing, field.name))
        for field in fields(framing)
        if field.name != "heading_deg"
    )
    return (repr(words), composition, repr(sensor_mm), fps, key)


def _bits(value: object) -> Hashable:
    """A framing's field as hashable bits: an array by its shape, type and bytes."""
    if isinstance(value, np.ndarray):
        return (value.shape, value.dtype.str, value.tobytes())
    if isinstance(value, tuple):
        return tuple(_bits(each) for each in value)
    return repr(value)


def _rig_marks(rig: Rig) -> bytes:
    """A candidate's own numbers, by their bits (the rest is its shot's, ``_shot_marks``)."""
    return struct.pack("6d", rig.heading_deg, rig.pitch_deg, rig.focal_mm, rig.u, rig.v, rig.v_end)


def _camera_track(rig: Rig, pose: Pose) -> CameraTrack:
    target = rig.framing.subject if rig.framing.subject is not None else rig.aim
    focus = lengths(target - pose.position)
    return CameraTrack(pose.position, matrix_to_quat(pose.matrices), pose.focal_mm, focus)


def _scales(lens_mm: float, scales: tuple[float, ...]) -> Iterator[float]:
    """Lens scales whose focal length is in range and not already tried (after clamping)."""
    seen: set[float] = set()
    for scale in scales:
        focal = round(clamp_focal(lens_mm * scale), 6)
        if focal not in seen:
            seen.add(focal)
            yield focal / lens_mm


def _clear_of_subject(spec: ShotSpec, framing: Framing, sensor_mm: tuple[float, float]) -> float:
    """The shortest focal length (mm) that frames the size from outside the subject's body
    clearance: tried early, since tight sizes on short lenses would put the camera in it."""
    pitch = np.deg2rad(min(abs(ANGLE_TARGET_DEG[spec.angle]), 60.0))
    reach = (BODY_RADIUS_M + BODY_CLEARANCE_M + CLEARANCE_MARGIN_M + REACH_SPARE_M) / np.cos(pitch)
    return max(spec.lens_mm, float(reach * sensor_mm[1] / band_target(spec.size, framing.fh_min)))


def _pitches(spec: ShotSpec, framing: Framing) -> Iterator[float]:
    """The asked pitch, then flatter ones (only used when the ground forbids the asked one): in
    steps of ``PITCH_STEP_DEG``, and the band's flattest before the pitches outside it."""
    if framing.pitch_deg is not None:
        yield framing.pitch_deg
        return
    target = ANGLE_TARGET_DEG[spec.angle]
    steps = int(abs(target) // PITCH_STEP_DEG)
    flatter = [target - math.copysign(PITCH_STEP_DEG * step, target) for step in range(steps + 1)]
    if spec.angle == "eye_level":
        yield from flatter
        # Someone lying or sitting on the floor: level with their eyes the lens would be under
        # the ground, so it looks a little down from just above it, still eye level (< 12°).
        yield from EYE_LEVEL_DOWN_DEG
    else:
        # The flattest pitch that still reads as the asked angle comes before any that does
        # not: a low group shot whose camera would be under the floor at -16° stands at
        # -13.5°, where it was tried at -10° (eye level, which the critic rejects, and the
        # repairs then gave up the shot's move with its angle).
        low, high = ANGLE_PITCH_DEG[spec.angle]
        edge = low if abs(low) < abs(high) else high
        inside = edge + math.copysign(ANGLE_MARGIN_DEG, target)
        yield from (pitch for pitch in flatter if abs(pitch) > abs(inside))
        yield inside
        yield from (pitch for pitch in flatter if abs(pitch) < abs(inside))


def _set_aim(spec: ShotSpec, set_design: SetDesign) -> FloatArray:
    """What a shot without subjects looks at: the acting area, or for an insert the top of
    whatever stands at the set's centre (the table), else the ground there."""
    if spec.framing != "insert":
        return ACTING_AREA
    tops = [
        box.center[1] + box.size[1] / 2.0
        for box in set_design.boxes
        if abs(box.center[0]) <= box.size[0] / 2.0 and abs(box.center[2]) <= box.size[2] / 2.0
    ]
    return np.array([0.0, max(tops, default=0.0), 0.0])


def _validate(spec: ShotSpec, blocking: Blocking) -> None:
    def fail(message: str) -> StageError:
        return StageError("camera", message, shot=spec.id)

    if spec.frames < 1:
        raise fail(f"the shot has {spec.frames} frames; a shot needs at least 1")
    if spec.start_frame < 0 or spec.start_frame + spec.frames > blocking.frames:
        raise fail(
            f"frames {spec.start_frame}..{spec.start_frame + spec.frames - 1} run past the "
            f"blocking's {blocking.frames} frames; block the characters over the whole scene"
        )
    if spec.movement not in MOVES:
        raise fail(f"unknown movement {spec.movement!r}; use one of {', '.join(MOVES)}")
    for field, value, known in (
        ("size", spec.size, SIZES),
        ("end_size", spec.end_size, SIZES),
        ("angle", spec.angle, ANGLES),
        ("framing", spec.framing, FRAMINGS),
    ):
        if value not in known:
            raise fail(f"unknown {field} {value!r}; use one of {', '.join(known)}")
    for name in spec.subjects:
        if name not in blocking.tracks:
            raise fail(f"subject {name!r} is not blocked; known: {', '.join(blocking.tracks)}")
    if not np.isfinite(spec.lens_mm) or spec.lens_mm <= 0.0:
        raise fail(f"lens {spec.lens_mm} mm is not a focal length; use 12-300 mm")
