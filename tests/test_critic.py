"""The critic measures hand-built tracks; expected verdicts come from arithmetic done here."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from beatcam.critic import critique, critique_cut, critique_shot
from beatcam.model import Blocking, CameraTrack, CharacterTrack, Shot, ShotPlan
from beatcam.model.critique import Check
from beatcam.pipeline import plan_scene
from beatcam.script import read_scenes


def _yaw_quats(yaw_deg: np.ndarray) -> np.ndarray:
    """Level camera turned by yaw about +Y: q = [cos(a/2), 0, sin(a/2), 0]."""
    half = np.deg2rad(yaw_deg) / 2.0
    return np.stack([np.cos(half), np.zeros_like(half), np.sin(half), np.zeros_like(half)], axis=1)


def _still_camera(
    frames: int, position: list[float], yaw_deg: float, lens_mm: float, focus_m: float
) -> CameraTrack:
    """A level camera standing at ``position`` for the whole shot, turned by ``yaw_deg``."""
    return CameraTrack(
        np.tile(position, (frames, 1)),
        _yaw_quats(np.full(frames, yaw_deg)),
        np.full(frames, lens_mm),
        np.full(frames, focus_m),
    )


def _verdicts(plan: ShotPlan, shot: Shot) -> dict[str, bool]:
    return {check.rule: check.passed for check in critique_shot(plan, shot)}


def _with_camera(plan: ShotPlan, index: int, camera: CameraTrack, **words: object) -> ShotPlan:
    shots = list(plan.shots)
    shots[index] = replace(shots[index], camera=camera, **words)  # type: ignore[arg-type]
    return replace(plan, shots=tuple(shots))


def test_static_medium_shot_measures_as_written(tiny_plan: ShotPlan) -> None:
    shot = tiny_plan.shots[0]
    # Mara's eye is 3 m in front of a 24 mm lens: fh = 3 * 20.25 / 24 = 2.53 m, a full shot.
    assert pytest.approx(2.53125) == 3.0 * 20.25 / 24.0
    verdicts: dict[str, Check] = {c.rule: c for c in critique_shot(tiny_plan, shot)}
    assert verdicts["size"].measured["measured"] == "FS"
    assert not verdicts["size"].passed  # the fixture calls it MS: the critic must disagree
    assert verdicts["movement"].passed
    assert verdicts["angle"].passed
    assert verdicts["subject in frame"].passed


def test_size_band_and_end_size_follow_the_arithmetic(tiny_plan: ShotPlan) -> None:
    shot = tiny_plan.shots[1]
    # Push from 2.5 m to 1.2 m on 50 mm: fh 1.0125 m (MS) to 0.486 m (MCU).
    fixed = _with_camera(tiny_plan, 1, shot.camera, size="MS", end_size="MCU")
    verdicts = _verdicts(fixed, fixed.shots[1])
    assert verdicts["size"] and verdicts["end size"] and verdicts["movement"]


def test_a_push_in_that_does_not_move_fails(tiny_plan: ShotPlan) -> None:
    still = tiny_plan.shots[0].camera
    frames = tiny_plan.shots[1].frames
    camera = CameraTrack(
        np.repeat(still.position[:1], frames, axis=0),
        np.repeat(still.rotation[:1], frames, axis=0),
        np.full(frames, 50.0),
        np.full(frames, 3.0),
    )
    plan = _with_camera(tiny_plan, 1, camera)
    assert not _verdicts(plan, plan.shots[1])["movement"]


@pytest.mark.parametrize(("turn", "left_passes"), [(15.0, True), (-15.0, False), (5.0, False)])
def test_pan_direction_and_threshold(tiny_plan: ShotPlan, turn: float, left_passes: bool) -> None:
    frames = tiny_plan.shots[0].frames
    position = np.tile([0.0, 1.5456, 4.0], (frames, 1))
    camera = CameraTrack(
        position,
        _yaw_quats(np.linspace(0.0, turn, frames)),
        np.full(frames, 24.0),
        np.full(frames, 3.0),
    )
    left = _with_camera(tiny_plan, 0, camera, movement="pan_left")
    right = _with_camera(tiny_plan, 0, camera, movement="pan_right")
    assert _verdicts(left, left.shots[0])["movement"] is left_passes
    assert _verdicts(right, right.shots[0])["movement"] is (turn <= -10.0)


def test_camera_inside_the_table_is_caught(tiny_plan: ShotPlan) -> None:
    frames = tiny_plan.shots[0].frames
    inside = np.tile([0.0, 0.5, 0.0], (frames, 1))  # the kitchen table is centred at the origin
    camera = CameraTrack(
        inside, _yaw_quats(np.zeros(frames)), np.full(frames, 24.0), np.full(frames, 1.0)
    )
    plan = _with_camera(tiny_plan, 0, camera)
    verdicts = _verdicts(plan, plan.shots[0])
    assert not verdicts["clear of the set"]
    assert not verdicts["subject in front"]  # Mara stands at z = 1, behind a camera looking -Z


def test_high_angle_is_measured_from_pitch(tiny_plan: ShotPlan) -> None:
    shot = tiny_plan.shots[0]
    frames = shot.frames
    eye = np.array([0.0, 0.92 * 1.68, 1.0])
    height = 3.0 * math.tan(math.radians(25.0))  # 25 degrees down from 3 m away
    position = np.tile(eye + [0.0, height, 3.0], (frames, 1))
    half = math.radians(-25.0) / 2.0  # pitch down = rotation about +X by a negative angle
    rotation = np.tile([math.cos(half), math.sin(half), 0.0, 0.0], (frames, 1))
    camera = CameraTrack(position, rotation, np.full(frames, 24.0), np.full(frames, 3.2))
    high = _with_camera(tiny_plan, 0, camera, angle="high")
    verdicts: dict[str, Check] = {c.rule: c for c in critique_shot(high, high.shots[0])}
    assert verdicts["angle"].passed
    assert verdicts["angle"].measured["pitch_deg"] == pytest.approx(25.0, abs=1e-3)


def test_cut_across_the_line_breaks_the_180_degree_rule(tiny_plan: ShotPlan) -> None:
    two = _two_people(tiny_plan)
    frames = two.shots[1].frames
    # Tom stands at x = 2; the line of action runs along x at z = 1. S01's camera is at z = 4.
    behind = _still_camera(frames, [0.0, 1.5, -2.0], 180.0, 50.0, 3.0)
    crossed = _with_camera(two, 1, behind)
    cut = critique_cut(crossed, crossed.shots[0], crossed.shots[1])
    rules: dict[str, bool] = {c.rule: c.passed for c in cut}
    assert rules["180-degree rule"] is False
    kept = critique_cut(two, two.shots[0], two.shots[1])
    same_side: dict[str, bool] = {c.rule: c.passed for c in kept}
    assert same_side["180-degree rule"] is True


def _two_people(plan: ShotPlan) -> ShotPlan:
    from beatcam.model import Blocking, CharacterTrack

    frames = plan.frames
    tom = CharacterTrack("Tom", 1.8, np.tile([2.0, 0.0, 1.0], (frames, 1)), np.full(frames, 270.0))
    tracks = {"Mara": plan.blocking["Mara"], "Tom": tom}
    return replace(plan, blocking=Blocking(tracks, frames), cast=(*plan.cast, ("Tom", 1.8)))


def test_critique_counts_every_shot_and_cut(tiny_plan: ShotPlan) -> None:
    verdict = critique(tiny_plan)
    targets = {check.target for check in verdict.checks}
    assert targets == {"S01", "S02", "S01>S02"} or targets == {"S01", "S02"}
    assert 0.0 < verdict.pass_rate < 1.0
    assert not verdict.passed


def test_a_wall_between_camera_and_subject_is_caught(tiny_plan: ShotPlan) -> None:
    frames = tiny_plan.shots[0].frames
    # The kitchen's back wall stands at z = -4; Mara is at z = 1. From z = -5 it hides her.
    behind_wall = _still_camera(frames, [0.0, 1.5456, -5.0], 180.0, 24.0, 6.0)
    hidden = _with_camera(tiny_plan, 0, behind_wall)
    assert not _verdicts(hidden, hidden.shots[0])["clear view"]
    assert _verdicts(tiny_plan, tiny_plan.shots[0])["clear view"]


def _with_stranger(plan: ShotPlan, x: float, z: float) -> ShotPlan:
    """The plan with Tom (1.8 m, not in any shot) standing at (x, z) throughout."""
    frames = plan.blocking.frames
    tom = CharacterTrack("Tom", 1.8, np.tile([x, 0.0, z], (frames, 1)), np.zeros(frames))
    tracks = {**plan.blocking.tracks, "Tom": tom}
    return replace(plan, blocking=Blocking(tracks, frames))


@pytest.mark.parametrize(
    ("x", "z", "clear"),
    [
        # S01's camera stands at z = 4 looking down -Z at Mara's eyes at z = 1, on a 24 mm lens.
        (0.0, 2.5, False),  # in the line of sight
        # Beside the line, 0.6 m from the lens: his 0.5 m wide body spans x/depth in [0, 0.83],
        # times 24 / 18 (focal over half the sensor): half the frame's width, over a third.
        (0.25, 3.4, False),
        (1.5, 3.4, True),  # well outside the frame
        (0.9, 1.0, True),  # beside Mara, 3 m from the lens: under a tenth of the width
    ],
)
def test_a_person_in_the_way_blocks_the_view(
    tiny_plan: ShotPlan, x: float, z: float, clear: bool
) -> None:
    plan = _with_stranger(tiny_plan, x, z)
    assert _verdicts(plan, plan.shots[0])["clear view"] is clear


def test_a_reaction_seen_from_behind_fails_the_face_check() -> None:
    """The main shot of a realisation must see the face: the planned one does; the same shot
    from 3 m straight behind her head (her face 180° from the lens) fails, and from 3 m in
    front (0°) passes."""
    from beatcam.model import Beat, Character, CriticRule, Scene
    from beatcam.pipeline.planning import plan_scene

    scene = Scene(
        "letter",
        (Character("Mara"),),
        (
            Beat(0, "Mara opens the letter."),
            Beat(1, "Mara suddenly realises the letter is forged."),
        ),
        set_preset="interior",
    )
    plan, verdict = plan_scene(scene)
    faces = [check for check in verdict.checks if check.rule == CriticRule.FACE_SEEN]
    assert faces and all(check.passed for check in faces)
    index = next(i for i, shot in enumerate(plan.shots) if shot.id == faces[0].target)
    shot = plan.shots[index]
    track = plan.blocking["Mara"]
    heading = float(track.facing_deg[shot.start_frame])
    ahead = np.array([math.sin(math.radians(heading)), 0.0, math.cos(math.radians(heading))])
    eyes = track.eyes(shot.start_frame, 1)[0]
    # Behind her, looking the way she faces; in front of her, looking back at her.
    for offset, yaw, off, seen in (
        (-3.0, heading + 180.0, 180.0, False),
        (3.0, heading, 0.0, True),
    ):
        camera = _still_camera(shot.frames, list(eyes + offset * ahead), yaw, 35.0, 3.0)
        moved = _with_camera(plan, index, camera)
        check = next(c for c in critique_shot(moved, moved.shots[index]) if c.rule == "face seen")
        assert check.passed is seen
        assert float(check.measured["median_off_deg"]) == pytest.approx(off, abs=15.0)


def test_a_pinned_whip_pan_is_judged_where_it_lands_and_kept() -> None:
    """A whip pan starts off its subject by design; its headroom is judged on the frame the
    whip lands on (as its subject-in-frame is), so the critic keeps it rather than simplifying
    every whip pan to a pan."""
    text = (
        b"title: Whip\ncast: [Rahim]\nset: kitchen\nbeats:\n"
        b"  - Rahim stirs the soup at the stove, humming.\n"
        b"  - text: A scream rings out from the next room, and Rahim spins toward the sound.\n"
        b"    camera: {size: MS, movement: whip_pan}\n"
    )
    plan, verdict = plan_scene(read_scenes("whip.yaml", text)[0])
    whip = next(shot for shot in plan.shots if shot.beat == 1)
    assert whip.movement == "whip_pan" and verdict.pass_rate == 1.0
    headroom = next(
        check for check in verdict.checks if check.target == whip.id and check.rule == "headroom"
    )
    # The head top on the landing frame through a pinhole camera, computed here from the track.
    head = plan.blocking[whip.subjects[0]].head_tops(whip.start_frame + whip.frames - 1, 1)[0]
    w, x, y, z = np.asarray(whip.camera.rotation[-1], dtype=float) / np.linalg.norm(
        whip.camera.rotation[-1]
    )
    to_world = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )
    local = to_world.T @ (head - np.asarray(whip.camera.position[-1]))
    top_y = local[1] * whip.camera.focal_mm[-1] / -local[2] / (plan.sensor_mm[1] / 2.0)
    assert headroom.measured["head_top_y"] == pytest.approx(top_y, abs=1e-4)  # kept to 4 places
