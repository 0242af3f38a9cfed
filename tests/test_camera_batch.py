"""The camera's search judges a lens's candidates together; each must get the bits it gets alone.

``checks.assess`` stacks candidates' poses, ``moves.statics`` places locked-off candidates in
one call and ``moves.turns`` sweeps a pan's or tilt's together: each must give exactly the
verdicts and poses of judging and placing each candidate by itself (a candidate the search
cannot pick need only lose), or the search would pick another winner and the plans would
change. What the search keeps per argument (``eased``, ``band_target``) must be what it would
work out again.
"""

from __future__ import annotations

import math

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from beatcam.camera import Judged, track_for
from beatcam.camera.aiming import aim_at, orbit, rotation_matrices
from beatcam.camera.checks import Batch, Verdict, _grade_view, assess
from beatcam.camera.collision import Obstacles
from beatcam.camera.easing import eased, shot_time, smootherstep
from beatcam.camera.framing import Rig, band_target, frame_shot, make_rig
from beatcam.camera.moves import (
    POSTURE_CHANGE_M,
    SWEEP_LIMIT,
    TILT_DOWN_END_V,
    TILT_UP_END_V,
    TURNS,
    Pose,
    poses_for,
    static,
    sweep_extent,
)
from beatcam.model import Blocking, CharacterTrack, ShotSpec
from beatcam.model.geometry import View, bodies_over, finite_or
from beatcam.model.sets import PRESETS
from beatcam.model.vocab import SIZES

SENSOR = (36.0, 20.25)
FPS = 24
FRAMES = 40
KITCHEN = PRESETS["kitchen"].design()


def _blocking() -> Blocking:
    """Mara walks across the kitchen past Tom, who stands still: bodies, boxes and a walk."""
    walk = np.stack(
        [np.linspace(-1.5, 1.5, FRAMES), np.zeros(FRAMES), np.full(FRAMES, -1.0)], axis=1
    )
    mara = CharacterTrack("Mara", 1.7, walk, np.full(FRAMES, 90.0))
    tom = CharacterTrack("Tom", 1.85, np.tile([0.3, 0.0, 0.2], (FRAMES, 1)), np.full(FRAMES, 180.0))
    return Blocking({"Mara": mara, "Tom": tom}, FRAMES)


BLOCKING = _blocking()
# A search's candidates: each a lens scale and an azimuth offset (degrees) round the asked one.
CANDIDATES = st.lists(
    st.tuples(st.sampled_from([0.4, 0.8, 1.0, 1.6]), st.floats(-90.0, 90.0)),
    min_size=1,
    max_size=6,
)
SPREAD_CANDIDATES = st.lists(
    st.tuples(st.sampled_from([0.4, 1.0, 1.6]), st.floats(-90.0, 90.0)), min_size=1, max_size=6
)


def _spec(movement: str, size: str, azimuth: float) -> ShotSpec:
    return ShotSpec(
        id="S01", beat=0, start_frame=0, frames=FRAMES, size=size, end_size=size,
        angle="eye_level", dutch_deg=0.0, movement=movement, framing="single",
        transition="cut", subjects=("Mara",), lens_mm=35.0, why="", azimuth_deg=azimuth,
    )  # fmt: skip


def _candidates(spec: ShotSpec, scales: list[float], azimuths: list[float]) -> tuple[Rig, ...]:
    framing = frame_shot(spec, BLOCKING, np.zeros(3), SENSOR, KITCHEN)
    return tuple(
        make_rig(framing, spec, SENSOR, FPS, (0, 1), scale, azimuth, 0.0)
        for scale, azimuth in zip(scales, azimuths, strict=True)
    )


def _same(first: Pose, second: Pose) -> bool:
    return all(
        np.array_equal(a, b) and a.dtype == b.dtype
        for a, b in (
            (first.position, second.position),
            (first.matrices, second.matrices),
            (first.focal_mm, second.focal_mm),
        )
    )


@settings(max_examples=25, deadline=None)
@given(
    movement=st.sampled_from(["static", "push_in", "pan_left", "follow"]),
    size=st.sampled_from(["CU", "MS", "WS"]),
    azimuth=st.floats(-180.0, 180.0),
    offsets=CANDIDATES,
    full=st.booleans(),
)
def test_candidates_judged_together_get_the_verdicts_each_gets_alone(
    movement: str, size: str, azimuth: float, offsets: list[tuple[float, float]], full: bool
) -> None:
    spec = _spec(movement, size, azimuth)
    rigs = _candidates(spec, [scale for scale, _ in offsets], [turn for _, turn in offsets])
    obstacles = Obstacles.for_shot(KITCHEN, BLOCKING, 0, FRAMES, "static")
    poses = tuple(poses_for(rigs))
    together = assess(rigs, poses, obstacles, full)
    alone = [
        assess((rig,), (pose,), obstacles, full)[0] for rig, pose in zip(rigs, poses, strict=True)
    ]
    _as_the_search_picks(together, alone, math.inf)
    if not full:  # nothing to spare: the view is the collision search's
        assert together == alone
    if movement == "static":
        assert all(_same(pose, static(rig)) for rig, pose in zip(rigs, poses, strict=True))
        assert all(_same(pose, _locked_off(rig)) for rig, pose in zip(rigs, poses, strict=True))


@settings(max_examples=15, deadline=None)
@example(movement="follow", size="WS", azimuth=60.0, steps=[0, 1, -1, 2, -2, 3, -3])
@given(
    movement=st.sampled_from(["static", "pan_left", "follow"]),
    size=st.sampled_from(["MCU", "MS", "WS"]),
    azimuth=st.sampled_from([0.0, 30.0, -60.0, 150.0]) | st.floats(-180.0, 180.0),
    steps=st.lists(st.integers(-6, 6), min_size=2, max_size=5),
)
def test_versions_of_a_shot_searched_with_what_was_judged_get_the_tracks_each_gets_alone(
    movement: str, size: str, azimuth: float, steps: list[int]
) -> None:
    """A repair's versions of one shot, each moved round the subject, searched one after the
    other with the candidates judged so far (``track.Judged``) get the track each gets alone.
    (The example's searches, round Tom in the way, judge 138 candidates instead of 672.)"""
    judged: Judged = {}
    for step in steps:
        spec = _spec(movement, size, azimuth + 30.0 * step)
        shared = track_for(spec, BLOCKING, KITCHEN, SENSOR, FPS, 0, judged)
        alone = track_for(spec, BLOCKING, KITCHEN, SENSOR, FPS, 0)
        for field in ("position", "rotation", "focal_mm", "focus_m"):
            assert np.array_equal(getattr(shared, field), getattr(alone, field))


def _locked_off(rig: Rig) -> Pose:
    """``moves.static`` as written before candidates were placed together: every frame of
    one rig solved by its own ``orbit``."""
    frames = rig.frames
    hold = np.repeat(rig.aim[:1], frames, axis=0)
    heights = rig.v + (rig.v_end - rig.v) * eased(frames)
    points = rig.framing.in_frame or (rig.aim,)
    if max(float(np.ptp(point[:, 1])) for point in points) > POSTURE_CHANGE_M:
        eyes = np.concatenate([point[:, 1] for point in points])
        hold[:, 1] = (eyes.min() + eyes.max()) / 2.0
        heights = np.full(frames, 0.0)
    focal = np.full(frames, float(rig.focal_mm))
    position, matrices = orbit(
        hold,
        np.full(frames, float(rig.heading_deg)),
        np.full(frames, float(rig.pitch_deg)),
        rig.roll,
        focal,
        (np.full(frames, float(rig.u)), heights),
        np.full(frames, float(rig.depth_for(rig.targets()[0]))),
        SENSOR,
        np.repeat(rig.measured[:1], frames, axis=0),
    )
    return Pose(position, matrices, focal)


@given(
    values=st.lists(
        st.floats(allow_nan=True, allow_infinity=True) | st.sampled_from([-0.0, np.nan]),
        max_size=20,
    ),
    nan=st.sampled_from([np.inf, -np.inf, 0.0]),
)
def test_finite_or_is_nan_to_num(values: list[float], nan: float) -> None:
    array = np.array(values, dtype=np.float64)
    assert finite_or(array, nan=nan).tobytes() == np.nan_to_num(array, nan=nan).tobytes()


@given(frames=st.integers(0, 400))
def test_the_kept_ease_is_the_profile_and_cannot_be_changed(frames: int) -> None:
    eased(frames)  # kept by the first call
    profile = eased(frames)
    expected = np.ones(frames) if frames < 2 else smootherstep(shot_time(frames))
    assert profile.tobytes() == expected.tobytes()
    assert not profile.flags.writeable


@given(size=st.sampled_from(SIZES), fh_min=st.floats(0.0, 12.0))
def test_a_kept_band_target_is_the_one_worked_out(size: str, fh_min: float) -> None:
    band_target(size, fh_min)
    assert band_target(size, fh_min) == band_target.__wrapped__(size, fh_min)


@settings(max_examples=40, deadline=None)
@given(
    movement=st.sampled_from(["static", "pan_left", "follow"]),
    azimuth=st.sampled_from([-180.0, -30.0, 120.0]) | st.floats(-180.0, 180.0),
    offsets=SPREAD_CANDIDATES,
)
def test_the_searchs_view_test_is_either_fault(
    movement: str, azimuth: float, offsets: list[tuple[float, float]]
) -> None:
    """The search's view grade leaves out the walled test where the eyes are hidden: still the
    share of frames with either fault. Wide shots from behind her (the azimuths sampled first)
    have frames walled and not hidden, and Tom hides her from some of the others."""
    rigs = _candidates(
        _spec(movement, "WS", azimuth),
        [scale for scale, _ in offsets],
        [turn for _, turn in offsets],
    )
    poses = poses_for(rigs)
    position = np.concatenate([pose.position for pose in poses])
    matrices = np.concatenate([pose.matrices for pose in poses])
    focal = np.concatenate([pose.focal_mm for pose in poses])
    subject = rigs[0].framing.subject
    assert subject is not None
    eyes = np.tile(subject, (len(rigs), 1))
    depth = np.einsum("ij,ij->i", eyes - position, -matrices[:, :, 2])
    tom = BLOCKING["Tom"]
    feet, tops = bodies_over([(tom.position, tom.head_tops(0, FRAMES))], FRAMES)
    bodies = (np.tile(feet, (len(rigs), 1, 1)), np.tile(tops, (len(rigs), 1)))
    set_pieces = Obstacles.for_shot(KITCHEN, BLOCKING, 0, FRAMES, "static")
    boxes = (set_pieces.centers - set_pieces.halves, set_pieces.centers + set_pieces.halves)
    view = View(position, matrices, focal, SENSOR, eyes, depth, boxes, bodies)
    hidden, walled = view.faults()
    either = (hidden | walled).reshape(len(rigs), FRAMES).mean(axis=1)
    for rig, pose, share in zip(rigs, poses, either, strict=True):
        grades = {"front": np.zeros(1), "view": np.zeros(1)}
        _grade_view(grades, Batch.of((rig,), (pose,)), set_pieces, math.inf)
        assert grades["view"].tobytes() == share.tobytes()


@settings(max_examples=30, deadline=None)
@given(
    movement=st.sampled_from(sorted(TURNS)),
    size=st.sampled_from(["CU", "MS", "WS"]),
    azimuth=st.floats(-180.0, 180.0),
    offsets=CANDIDATES,
)
def test_turns_worked_out_together_are_each_rigs_own(
    movement: str, size: str, azimuth: float, offsets: list[tuple[float, float]]
) -> None:
    """A pan's or tilt's candidates are swept together (``moves.turns``): each pose must be the
    bits of its rig turned alone, as ``_turn`` did before."""
    rigs = _candidates(
        _spec(movement, size, azimuth),
        [scale for scale, _ in offsets],
        [turn for _, turn in offsets],
    )
    poses = poses_for(rigs)
    assert all(
        _same(pose, _turned_alone(rig, *TURNS[movement]))
        for rig, pose in zip(rigs, poses, strict=True)
    )


def _turned_alone(rig: Rig, axis: int, sign: float, sizes: tuple[float, ...]) -> Pose:
    """``moves._turn`` as written before the candidates were swept together: one rig, each
    sweep tried in turn, the last frame placed by its own one-row ``orbit``."""
    u, v = rig.u, rig.v
    if axis == 0:
        u = sign * max(abs(rig.u), 1.0 / 3.0)
    else:
        v = min(rig.v, TILT_UP_END_V) if sign < 0 else max(rig.v, TILT_DOWN_END_V)
    first, last = rig.targets()
    profile = eased(rig.frames)

    def turned(frame_height: float, offset: np.ndarray) -> Pose:
        pitch_end = rig.pitch_deg - (offset[rig.frames // 2] if axis == 1 else 0.0)
        heights = v + (v - v) * profile
        last_frame = slice(rig.frames - 1, rig.frames)
        base, _ = orbit(
            rig.aim[last_frame], np.full(1, rig.heading_deg), np.full(1, pitch_end),
            rig.roll[:1], np.full(1, rig.focal_mm), (np.full(1, u), heights[last_frame]),
            np.full(1, rig.depth_for(frame_height)), SENSOR, rig.measured[last_frame],
        )  # fmt: skip
        position = np.tile(base[0], (rig.frames, 1))
        focal = np.full(rig.frames, float(rig.focal_mm))
        uv = (np.full(rig.frames, float(u)), heights)
        yaw, pitch = aim_at(position, rig.aim, rig.roll, focal, uv, SENSOR)
        angles = [yaw, pitch]
        angles[axis] = angles[axis] + offset
        return Pose(position, rotation_matrices(angles[0], angles[1], rig.roll), focal)

    pose = None
    for sweep in sizes:
        offset = -sign * sweep * (1.0 - profile)
        pose = turned(last, offset)
        if sweep_extent(rig, pose) <= SWEEP_LIMIT:
            break
    assert pose is not None
    depth = np.einsum("ij,ij->i", rig.measured - pose.position, -pose.matrices[:, :, 2])
    if depth[0] > 0.0 and depth[-1] > 0.0:
        measured = depth * SENSOR[1] / pose.focal_mm
        scale = float(np.sqrt(first * last / (measured[0] * measured[-1])))
        pose = turned(last * scale, offset)
    return pose


@settings(max_examples=25, deadline=None)
@given(
    movement=st.sampled_from(["static", "pan_left", "follow"]),
    azimuth=st.floats(-180.0, 180.0),
    offsets=SPREAD_CANDIDATES,
    beat=st.sampled_from([0.5, 4.0, 25.0]) | st.floats(0.0, 300.0),
)
def test_a_candidate_that_cannot_beat_the_best_is_spared_the_view_and_still_cannot(
    movement: str, azimuth: float, offsets: list[tuple[float, float]], beat: float
) -> None:
    """``assess`` spares the view test (or its walls) a candidate whose other grades (or hidden
    frames) already come to the score to beat, or to an earlier candidate's: every candidate
    that would score under both gets its full verdict, and every other one a score it cannot
    be picked with, so the search picks the same."""
    rigs = _candidates(
        _spec(movement, "WS", azimuth),
        [scale for scale, _ in offsets],
        [turn for _, turn in offsets],
    )
    obstacles = Obstacles.for_shot(KITCHEN, BLOCKING, 0, FRAMES, "static")
    poses = tuple(poses_for(rigs))
    alone = [
        assess((rig,), (pose,), obstacles, True)[0] for rig, pose in zip(rigs, poses, strict=True)
    ]
    _as_the_search_picks(assess(rigs, poses, obstacles, True, beat), alone, beat)


def _as_the_search_picks(together: list[Verdict], alone: list[Verdict], beat: float) -> None:
    """Candidates judged together get the verdicts each gets alone, except one the search could
    not pick (it scores no less than ``beat`` or a candidate before it): it gets a score at
    least that, and the search still does not pick it."""
    best = beat
    for whole, verdict in zip(alone, together, strict=True):
        assert verdict == whole if whole.score < best else verdict.score >= best
        best = min(best, whole.score)
