"""The repair loop as a user meets it: scenes whose director's shot the critic rejects are planned
through the command line, and the shot that saved each beat is read back from plan.json and
measured here, through a pinhole of our own, against what its words and the 180° rule say."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from numpy.typing import NDArray

from beatcam.export import plan_json
from beatcam.model import CriticRule, Repair, ShotPlan, ShotSpec
from beatcam.model.geometry import FloatArray
from beatcam.model.vocab import SIZES, size_for_frame_height
from beatcam.pipeline import plan_scene
from beatcam.pipeline.repair import (
    Rejected,
    another_size,
    cover_another_way,
    cut_in_or_out,
    further_round,
    stand_elsewhere,
    wider_frame,
)
from beatcam.script import read_scenes

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCREENPLAYS = Path(__file__).resolve().parent / "data" / "screenplays"
BEATCAM = [sys.executable, "-m", "beatcam"]


def staged(title: str, cast: list[str], beat: str) -> str:
    """A scene file staging one beat as the bench stages a situation: an establishing opener,
    the beat, then a quiet closer."""
    return yaml.safe_dump(
        {
            "title": title,
            "cast": cast,
            "beats": [
                {"text": "It is an ordinary afternoon.", "seconds": 3},
                beat,
                "A little later, the place is quiet again.",
            ],
        },
        sort_keys=False,
    )


# A stranger who runs off with a listener's purse (blind9 situation 114's geometry, staged as the
# bench stages a situation: an establishing opener, then the beat): a plan whose shots the
# strategies' tests below rework.
BUS_STOP = staged(
    "The bus stop",
    ["Ravi", "Gwen"],
    "At the bus stop Ravi asks a stranger, Gwen, whether the 42 has been yet, then runs off"
    " down the road, and she realises he took her purse.",
)
# She recognises him across the ward: the cut allows no place round her that sees her face
# past him, nor does a two-shot or an over-the-shoulder keep both, so the realisation is covered
# on him, the other side of the exchange (blind21 situation 107's words; the bus stop needed
# this cover until a runner heading away from the camera's side was followed, not led).
WARD = staged(
    "The ward",
    ["Olamide", "Thurlow"],
    "Across the ward, nurse Olamide recognises the new patient in bed four, Dr. Thurlow, as"
    " the man she testified against.",
)
# He is asked the way at the bus stop: neither the over-the-shoulder nor a single of either
# sees past the other or keeps the line, so the beat is covered as a two-shot, widened from
# the medium until both fit (blind18 situation 72's words; the narrow kitchen's photograph, an
# epic scene, needed this cover until the readouts were refitted to 6,897 situations).
SUNDAY_BUS = staged(
    "The Sunday bus",
    ["Rahel", "Ambrosetti"],
    "At the bus stop, Rahel asks the old man beside her, Mr. Ambrosetti, whether the 42 still"
    " runs on Sundays. He isn't sure.",
)
# The critic's numbers, restated from docs/design.md and the critic's own docstrings: a face is
# seen within 100° of the camera on half the frames; a camera within 0.3 m of the line of action
# is on neither side of it.
FACE_SEEN_DEG = 100.0
FACE_SEEN_SHARE = 0.5
LINE_TOLERANCE_M = 0.3


@dataclass(frozen=True)
class Planned:
    """A scene planned by the CLI: plan.json as written and as read back, and critique.json."""

    document: dict[str, Any]
    plan: ShotPlan
    checks: list[dict[str, Any]]


def _plan(folder: Path, scene: Path, *options: str) -> Planned:
    """Plan ``scene`` with the CLI; the plan must pass its own critic."""
    result = subprocess.run(
        [*BEATCAM, "plan", str(scene), "-o", str(folder), "-q", "--json", *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["scenes"][0]["critic_failures"] == []
    checks = json.loads((folder / "critique.json").read_text())["checks"]
    assert all(check["passed"] for check in checks)
    return Planned(
        json.loads((folder / "plan.json").read_text()), plan_json.read(folder / "plan.json"), checks
    )


@pytest.fixture(scope="module")
def bus_stop(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    folder = tmp_path_factory.mktemp("bus-stop")
    (folder / "bus-stop.yaml").write_text(BUS_STOP)
    return _plan(folder / "out", folder / "bus-stop.yaml")


@pytest.fixture(scope="module")
def ward(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    folder = tmp_path_factory.mktemp("ward")
    (folder / "ward.yaml").write_text(WARD)
    return _plan(folder / "out", folder / "ward.yaml")


@pytest.fixture(scope="module")
def letter_epic(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    return _plan(
        tmp_path_factory.mktemp("letter-epic"), EXAMPLES / "the-letter.yaml", "--style", "epic"
    )


@pytest.fixture(scope="module")
def sunday_bus(tmp_path_factory: pytest.TempPathFactory) -> Planned:
    folder = tmp_path_factory.mktemp("sunday-bus")
    (folder / "sunday-bus.yaml").write_text(SUNDAY_BUS)
    return _plan(folder / "out", folder / "sunday-bus.yaml")


def _covering(planned: Planned, framing: str, subjects: list[str]) -> dict[str, Any]:
    """The plan's one shot covered another way, as plan.json has it, which must be a
    ``framing`` of ``subjects`` (the one the beat is about first)."""
    covered: list[dict[str, Any]] = [
        shot
        for shot in planned.document["shots"]
        if shot["reason"]["repair"] == Repair.COVER_ANOTHER_WAY
    ]
    assert len(covered) == 1, "the scene no longer needs covering: find one that does"
    assert (covered[0]["framing"], covered[0]["subjects"]) == (framing, subjects)
    return covered[0]


def _in_camera(plan: ShotPlan, shot_id: str, points: FloatArray) -> FloatArray:
    """``points`` (n, 3) world, one per frame of the shot, in its camera's frame: the camera
    looks down its local −Z with +Y up, its rotation world from camera as [w, x, y, z]."""
    camera = plan.shot(shot_id).camera
    w, x, y, z = camera.rotation.T
    world_from_camera = np.stack(
        [
            np.stack([1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)], -1),
            np.stack([2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)], -1),
            np.stack([2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)], -1),
        ],
        -2,
    )
    local: FloatArray = np.einsum("nji,nj->ni", world_from_camera, points - camera.position)
    return local


def _image(plan: ShotPlan, shot_id: str, points: FloatArray) -> FloatArray:
    """``points`` through the shot's camera as a pinhole: (n, 2) image coordinates, ±1 at the
    frame's edges, NaN behind the lens."""
    local = _in_camera(plan, shot_id, points)
    depth = -local[:, 2]
    focal = plan.shot(shot_id).camera.focal_mm[:, None]
    image = local[:, :2] * focal / np.maximum(depth, 1e-9)[:, None] / (np.array(plan.sensor_mm) / 2)
    image[depth <= 0.0] = np.nan
    return image


def _inside(image: FloatArray) -> NDArray[np.bool_]:
    inside: NDArray[np.bool_] = np.all(np.abs(image) <= 1.0, axis=1)  # NaN compares False
    return inside


def _side(point: FloatArray, start: FloatArray, end: FloatArray) -> float:
    """Signed distance (m) of a floor point from the line start→end, seen from above."""
    line, offset = end - start, point - start
    return float((line[0] * offset[1] - line[1] * offset[0]) / np.linalg.norm(line))


def test_a_reaction_whose_single_cannot_be_placed_is_covered_on_the_other_side(
    ward: Planned,
) -> None:
    plan = ward.plan
    # No place the cut allows sees Olamide's face as she recognises him, nor a two-shot or an
    # over-the-shoulder keeps both: the beat is a reaction, so his single covers it, from
    # where a plain single of him stands.
    shot = _covering(ward, "single", ["Thurlow"])
    assert shot["beat"] == 1
    assert "Covered on Thurlow" in shot["why"]
    start, frames = shot["start_frame"], shot["frames"]
    thurlow, olamide = plan.blocking["Thurlow"], plan.blocking["Olamide"]
    camera = plan.shot(shot["id"]).camera.position

    assert _inside(_image(plan, shot["id"], thurlow.eyes(start, frames))).all()
    # His face, turned as posed, toward the camera on at least half the frames.
    window = slice(start, start + frames)
    face = thurlow.facing_deg[window] + plan.blocking.figure("Thurlow").face_yaw()[window]
    offset = camera - thurlow.eyes(start, frames)
    toward = np.degrees(np.arctan2(offset[:, 0], offset[:, 2]))
    off = np.abs((toward - face + 180.0) % 360.0 - 180.0)
    assert np.mean(off <= FACE_SEEN_DEG) >= FACE_SEEN_SHARE
    # The cut into it keeps to the side of the line between the two that the opening drew.
    line = (olamide.position[start][[0, 2]], thurlow.position[start][[0, 2]])
    before = _side(plan.shots[0].camera.position[-1][[0, 2]], *line)
    after = _side(camera[0][[0, 2]], *line)
    assert before * after >= 0.0 or min(abs(before), abs(after)) < LINE_TOLERANCE_M


def test_the_covering_shot_is_still_held_to_the_reactions_face(ward: Planned) -> None:
    shot = _covering(ward, "single", ["Thurlow"])
    # The beat realises, so the critic asks the covering shot for the face as it asked the shot
    # it replaced.
    assert ward.document["beats"][shot["beat"]]["affect"]["function"] == "realisation"
    faces = [c for c in ward.checks if c["target"] == shot["id"] and c["rule"] == "face seen"]
    assert faces and all(check["passed"] for check in faces)


def test_a_two_shot_cover_widens_until_both_people_stay_in_frame(
    sunday_bus: Planned,
) -> None:
    plan = sunday_bus.plan
    shot = _covering(sunday_bus, "two_shot", ["Ambrosetti", "Rahel"])
    assert shot["beat"] == 1
    assert "Covered as a two-shot with Rahel" in shot["why"]
    assert shot["reason"]["repaired_from"] == "eye-level MS over-the-shoulder locked-off"
    assert SIZES.index(shot["size"]) < SIZES.index("MS")  # widened until both fit
    start, frames = shot["start_frame"], shot["frames"]
    for name in shot["subjects"]:
        track = plan.blocking[name]
        for points in (track.eyes(start, frames), track.head_tops(start, frames)):
            assert _inside(_image(plan, shot["id"], points)).all(), name
    # The size it says, on its first and last frames: fh = d × sensor height / focal length at
    # Ambrosetti's eye, d his depth along the camera's view.
    depth = -_in_camera(plan, shot["id"], plan.blocking["Ambrosetti"].eyes(start, frames))[:, 2]
    frame_height = depth * plan.sensor_mm[1] / plan.shot(shot["id"]).camera.focal_mm
    assert size_for_frame_height(float(frame_height[0])) == shot["size"]
    assert size_for_frame_height(float(frame_height[-1])) == shot["end_size"]


def test_every_repaired_shot_names_the_strategy_that_saved_it(
    letter_epic: Planned,
) -> None:
    repairs = {shot["id"]: shot["reason"] for shot in letter_epic.document["shots"]}
    assert {reason["repair"] for reason in repairs.values()} <= {"", *Repair}
    for shot_id, reason in repairs.items():
        marked = reason["repaired_from"] or reason["moved_deg"] or reason["ends_in"]
        assert bool(marked) <= bool(reason["repair"]), shot_id
        if reason["repair"] in (Repair.PLAINER_SHOT, Repair.COVER_ANOTHER_WAY, Repair.WIDER_FRAME):
            assert reason["repaired_from"] and reason["failed"], shot_id
        if reason["repair"] == Repair.STEP_ROUND:
            assert reason["moved_deg"] > 0.0 and reason["failed"], shot_id
        if reason["repair"] == Repair.RELABEL_END_SIZE:
            assert reason["ends_in"], shot_id


def test_covering_tries_the_plain_size_first_and_the_other_persons_single_only_for_a_reaction(
    bus_stop: Planned,
) -> None:
    plan = bus_stop.plan
    shot = next(shot for shot in plan.shots if shot.beat == 1)
    plainest = replace(shot, framing="single", subjects=("Gwen",), size="MS", azimuth_deg=-20.0)
    failed = frozenset({CriticRule.FACE_SEEN, CriticRule.LINE_OF_ACTION})

    def tried(
        spec: ShotSpec, planned: ShotPlan = plan
    ) -> list[tuple[str, tuple[str, ...], str, float]]:
        rejected = Rejected(planned, planned.shots.index(shot), shot, spec, failed)
        return [(v.framing, v.subjects, v.size, v.azimuth_deg) for v in cover_another_way(rejected)]

    pair, sides = ("Gwen", "Ravi"), (-20.0, 20.0)
    wider = ("MLS", "FS", "WS", "EWS")
    assert tried(plainest) == [
        *(("two_shot", pair, "MS", side) for side in sides),
        *(("over_shoulder", pair, "MS", side) for side in sides),
        *(("two_shot", pair, size, side) for size in wider for side in sides),
        # The beat is her realisation: his single, on her sides and then where a plain single
        # of him stands.
        *(("single", ("Ravi",), "MS", side) for side in (*sides, 25.0, -25.0)),
    ]
    # Read as plain dialogue, with no intent on the shot, the beat is no reaction.
    talk = replace(plan.beats[1], affect=replace(plan.beats[1].affect, function="dialogue"))
    chat = replace(plan, beats=(plan.beats[0], talk, *plan.beats[2:]))
    unmoved = replace(plainest, intent=None)
    assert [framing for framing, *_ in tried(unmoved, chat)].count("single") == 0
    assert tried(replace(plainest, framing="establishing")) == []  # covers only a single


# A power beat whose low-angle two-shot the critic rejects (the pair does not fit it): the
# plainer single keeps the angle that says who holds the power (blind10 situation 040's words).
SMITHY = staged(
    "The smithy",
    ["Brannoc", "Pip"],
    "The huge blacksmith Brannoc stands over the boy who stole from him, the hammer hanging"
    " from one fist.",
)


# The one who won stands over the one who lost: her low move, and every step round it, has the
# fallen opponent across the frame, so the move is made from further round her (situation
# power-04's words; before the camera tried that, the plainest low single stood elsewhere).
RING = staged(
    "The ring",
    ["Champion", "Opponent"],
    "The champion stands over her beaten opponent, gloves raised.",
)


@pytest.mark.parametrize(
    ("scene", "subject", "strategy"),
    [(SMITHY, "Brannoc", Repair.PLAINER_SHOT), (RING, "Champion", Repair.STEP_ROUND)],
)
def test_a_repaired_shot_keeps_the_low_angle_that_gives_the_power(
    tmp_path: Path, scene: str, subject: str, strategy: Repair
) -> None:
    """The plainer single keeps the angle; and where no nearby place saves the move, the move
    is made, still from below, from further round its subject."""
    (tmp_path / "scene.yaml").write_text(scene)
    planned = _plan(tmp_path / "out", tmp_path / "scene.yaml")
    shot = next(shot for shot in planned.document["shots"] if shot["beat"] == 1)
    reason = shot["reason"]
    assert reason["repair"] == strategy, f"find a power beat that needs {strategy}"
    assert (shot["angle"], shot["subjects"]) == ("low", [subject])
    if strategy == Repair.PLAINER_SHOT:
        assert reason["repaired_from"].startswith("low-angle") and shot["movement"] == "static"
    else:
        assert reason["moved_deg"] > 40.0 and shot["movement"] != "static"  # past step round's
    # Measured: from below the eyes, the camera looks up on every frame (a point a metre
    # straight above the lens is in front of it).
    plan, shot_id = planned.plan, shot["id"]
    camera = plan.shot(shot_id).camera
    eyes = plan.blocking.tracks[subject].eyes(shot["start_frame"], shot["frames"])
    assert np.all(camera.position[:, 1] < eyes[:, 1])
    above = _in_camera(plan, shot_id, camera.position + [0.0, 1.0, 0.0])
    assert np.all(above[:, 2] < 0.0)


def test_cutting_in_or_out_tries_every_size_two_steps_from_the_shot_before_nearest_first(
    bus_stop: Planned,
) -> None:
    plan = bus_stop.plan
    index = next(i for i, shot in enumerate(plan.shots) if i and shot.subjects)
    before = SIZES.index(plan.shots[index - 1].size)
    for movement, change in (("static", 0), ("push_in", 1)):
        for own in range(len(SIZES) - change):
            spec = replace(
                plan.shots[index],
                framing="single",
                angle="eye_level",
                movement=movement,
                size=SIZES[own],
                end_size=SIZES[own + change],
            )
            tried = [
                (SIZES.index(v.size), SIZES.index(v.end_size), v.movement)
                for v in cut_in_or_out(Rejected(plan, index, spec, spec, frozenset()))
            ]
            far = [k for k in range(len(SIZES) - change) if abs(k - before) >= 2]
            nearest_first = sorted(far, key=lambda k: (abs(k - own), -k))
            assert tried == [(k, k + change, movement) for k in nearest_first]


def test_a_move_that_would_jump_cut_is_framed_two_sizes_away_and_keeps_it(
    tmp_path: Path,
) -> None:
    """The Letter with Mara crossing to the window, in the epic style: the walk is led on her
    right after a lead on her at the same size; it keeps the move, framed at a size the critic
    measures two steps from the shot before's."""
    letter = (EXAMPLES / "the-letter.yaml").read_text(encoding="utf-8")
    window = "Mara holds the page to the window and sees it plainly now, the signature traced"
    crossing = "Mara crosses to the window, holding the letter up to the light, and realises"
    assert window in letter
    scene = tmp_path / "crossing.yaml"
    scene.write_text(
        letter.replace(window + ", the letter forged", crossing + " it is forged"),
        encoding="utf-8",
    )
    planned = _plan(tmp_path / "out", scene, "--style", "epic")
    shots = planned.document["shots"]
    cut = next(i for i, shot in enumerate(shots) if shot["reason"]["repair"] == "cut in or out")
    shot, before = shots[cut], shots[cut - 1]
    assert shot["movement"] == before["movement"] != "static"
    assert shot["subjects"][:1] == before["subjects"][:1]
    measured = {
        check["target"]: check["measured"]["measured"]
        for check in planned.checks
        if check["rule"] == "size"
    }
    assert measured[shot["id"]] == shot["size"] and measured[before["id"]] == before["size"]
    assert abs(SIZES.index(shot["size"]) - SIZES.index(before["size"])) >= 2
    assert "to keep the move" in shot["why"]


def test_standing_elsewhere_goes_round_with_the_angle_first_then_plain(
    bus_stop: Planned,
) -> None:
    plan = bus_stop.plan
    shot = next(shot for shot in plan.shots if shot.beat == 1)
    plainest = replace(shot, framing="single", subjects=("Gwen",), angle="eye_level")
    angled = replace(plainest, angle="high", azimuth_deg=20.0)
    index = plan.shots.index(shot)
    tried = list(stand_elsewhere(Rejected(plan, index, shot, plainest, frozenset(), angled)))
    steps = 360 // 30 - 1
    assert [version.angle for version in tried] == ["high"] * steps + ["eye_level"] * steps
    assert [round(version.azimuth_deg) for version in tried[:3]] == [50, -10, 80]
    alone = list(stand_elsewhere(Rejected(plan, index, shot, plainest, frozenset())))
    assert [version.angle for version in alone] == ["eye_level"] * steps


# An inspection down a line-up: the truck beside the walker has someone in front of the lens from
# where the director stood it, and from both places a step round tries (blind22 situation 60's
# words), so the camera makes the move from further round before the ladder gives it up.
LINE_UP = staged(
    "The line-up",
    ["Rafaela Cunha", "Bento Lago", "Otavio Reis"],
    "Inspector Rafaela Cunha walks slowly along the line-up in the police yard, stopping in front"
    " of each suspect, Bento Lago and then Otavio Reis.",
)


def test_a_blocked_move_is_made_from_further_round_before_it_is_given_up(tmp_path: Path) -> None:
    (tmp_path / "line-up.yaml").write_text(LINE_UP)
    planned = _plan(tmp_path / "out", tmp_path / "line-up.yaml")
    shot = next(shot for shot in planned.document["shots"] if shot["beat"] == 1)
    reason = shot["reason"]
    assert reason["repair"] == Repair.STEP_ROUND, "find a move no nearby place saves"
    assert reason["failed"] == ["clear view"] and reason["moved_deg"] > 40.0  # past step round's
    assert shot["movement"] in ("truck_left", "truck_right")
    assert shot["subjects"] == ["Rafaela Cunha"]
    assert (
        "Set further round Rafaela Cunha so as not to have someone in front of the lens"
        in shot["why"]
    )
    # Measured as docs/design.md defines a truck: 0.5 m or more along the camera's own X axis
    # (first frame), the way the word says, the walker's eyes in frame throughout.
    plan = planned.plan
    camera = plan.shot(shot["id"]).camera
    w, x, y, z = camera.rotation[0]
    right = np.array([1 - 2 * (y * y + z * z), 2 * (x * y + w * z), 2 * (x * z - w * y)])
    along = float((camera.position[-1] - camera.position[0]) @ right)
    assert (along if shot["movement"] == "truck_right" else -along) >= 0.5
    walker = plan.blocking["Rafaela Cunha"]
    eyes = walker.eyes(shot["start_frame"], shot["frames"])
    assert _inside(_image(plan, shot["id"], eyes)).all()


def test_further_round_keeps_the_move_at_each_place_round_the_subject_nearest_first(
    bus_stop: Planned,
) -> None:
    plan = bus_stop.plan
    shot = next(shot for shot in plan.shots if shot.beat == 1)
    moving = replace(shot, movement="push_in", end_size="MCU", size="MS", azimuth_deg=170.0)
    index = plan.shots.index(shot)
    faults = frozenset({CriticRule.CLEAR_VIEW})
    tried = list(further_round(Rejected(plan, index, moving, moving, faults)))
    assert len(tried) == 360 // 30 - 1
    assert [round(version.azimuth_deg) for version in tried[:4]] == [-160, 140, -130, 110]
    assert {version.movement for version in tried} == {"push_in"}
    assert {version.reason.failed for version in tried} == {(CriticRule.CLEAR_VIEW,)}
    assert [version.reason.moved_deg for version in tried[:4]] == [30.0, 30.0, 60.0, 60.0]
    assert max(version.reason.moved_deg for version in tried) == 180.0


# A look up the stairs at a figure on the landing: the tilt up the beat asks for cuts off the
# head at a medium shot, so the repair frames it wider and keeps the tilt, rather than giving
# the move up for a still frame (expressive situation tilt_up-03's words).
LANDING = staged(
    "The landing",
    ["Wren"],
    "A floorboard creaks, and Wren slowly raises her eyes to the figure standing on the landing.",
)


def test_a_moving_shot_too_tight_for_its_move_is_framed_wider_and_keeps_it(
    tmp_path: Path,
) -> None:
    (tmp_path / "landing.yaml").write_text(LANDING)
    planned = _plan(tmp_path / "out", tmp_path / "landing.yaml")
    shot = next(shot for shot in planned.document["shots"] if shot["beat"] == 1)
    reason = shot["reason"]
    assert reason["repair"] == Repair.WIDER_FRAME, "find a move whose frame is too tight"
    assert reason["repaired_from"].endswith("MS tilt up") and reason["failed"] == ["headroom"]
    assert shot["movement"] == "tilt_up" and shot["size"] in ("MLS", "FS")
    assert "Framed wider than" in shot["why"] and "to keep the move" in shot["why"]
    # Measured: the lens tilts up over the shot (its forward vector climbs) from where it stands.
    camera = planned.plan.shot(shot["id"]).camera
    w, x, y, z = camera.rotation.T
    climb = -(2 * (y * z - w * x))  # the world-up part of the camera's -Z (forward) axis
    assert climb[-1] - climb[0] > 0.05
    assert np.ptp(camera.position, axis=0).max() < 0.01  # a tilt: the camera stays put


def test_wider_frame_keeps_the_move_one_then_two_sizes_wider(bus_stop: Planned) -> None:
    plan = bus_stop.plan
    shot = next(shot for shot in plan.shots if shot.beat == 1)
    push = replace(shot, movement="push_in", size="MS", end_size="MCU")
    failed = frozenset({CriticRule.SUBJECT_IN_FRAME})

    def tried(spec: ShotSpec) -> list[tuple[str, str, str]]:
        rejected = Rejected(plan, plan.shots.index(shot), spec, spec, failed)
        return [(v.movement, v.size, v.end_size) for v in wider_frame(rejected)]

    assert tried(push) == [("push_in", "MLS", "MS"), ("push_in", "FS", "MLS")]
    assert tried(replace(push, size="WS", end_size="FS")) == [("push_in", "EWS", "WS")]
    versions = list(wider_frame(Rejected(plan, plan.shots.index(shot), push, push, failed)))
    assert all(
        v.reason.repaired_from and v.reason.failed == ("subject in frame",) for v in versions
    )


def test_another_size_tries_the_nearest_sizes_first_each_from_where_it_stood_then_round(
    bus_stop: Planned,
) -> None:
    plan = bus_stop.plan
    shot = next(shot for shot in plan.shots if shot.beat == 1)
    plainest = replace(shot, framing="single", subjects=("Gwen",), size="WS", azimuth_deg=10.0)
    rejected = Rejected(plan, plan.shots.index(shot), shot, plainest, frozenset())
    tried = [(version.size, version.azimuth_deg) for version in another_size(rejected)]
    # Nearest first, the wider of two as near first; WS itself is not tried again.
    sizes = list(dict.fromkeys(size for size, _ in tried))
    assert sizes == ["EWS", "FS", "MLS", "MS", "MCU", "CU", "ECU"]
    for size in sizes:
        azimuths = [azimuth for tried_size, azimuth in tried if tried_size == size]
        # From where the plainest shot stood, then every 30 degrees round, nearest first.
        assert azimuths[:3] == [10.0, 40.0, -20.0]
        assert sorted(round(azimuth) % 360 for azimuth in azimuths) == list(range(10, 360, 30))
    assert all(version.end_size == version.size for version in another_size(rejected))


def test_a_walker_in_a_narrow_corridor_is_framed_at_a_size_the_walls_allow() -> None:
    """A one-beat corridor scene of a public screenplay (tests/data/screenplays/SOURCES.md): the
    ladder's last rung, a static wide shot for a walker, asks for an extreme wide shot the walls
    stop the camera backing away for; the beat is framed at the nearest size that passes."""
    path = SCREENPLAYS / "the-last-birthday-card.fountain"
    (scene,) = [
        scene
        for scene in read_scenes(str(path), path.read_bytes())
        if scene.title == "INT. 4TH FLOOR HALLWAY, SAME"
    ]
    assert scene.set_preset == "corridor" and len(scene.beats) == 1
    plan, verdict = plan_scene(scene)
    assert verdict.pass_rate == 1.0
    saved = [shot for shot in plan.shots if shot.reason.repair == Repair.ANOTHER_SIZE]
    assert saved and all(shot.size != "EWS" and shot.movement == "static" for shot in saved)
    for shot in saved:
        said = f"Framed {shot.size}, since an {shot.reason.repaired_from} and the plainer shots"
        assert said in shot.why
    plan_json.validate(plan_json.to_document(plan))
