"""Acting: poses and looks read from the beats, written to plan.json, and the skeleton's
geometry (bone lengths kept, feet on the floor) under any blend of poses."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beatcam.model import skeleton
from beatcam.model.vocab import POSES
from conftest import plan_and_export

SCENE = """# Acting
Cast: Mara, Tom
Set: office
Mara sits on the edge of her desk and reads the letter.
Tom kneels in front of her and holds out a ring.
Mara does not sit down again; she stands and embraces Tom.
Tom stares at Mara, then collapses.
"""


def _runs(words: list[Any]) -> list[tuple[Any, int]]:
    return [(word, len(list(group))) for word, group in itertools.groupby(words)]


@pytest.fixture(scope="module")
def acted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return plan_and_export(tmp_path_factory.mktemp("acting"), "acting.txt", SCENE)


def _beat_poses(document: dict[str, Any], name: str, beat: int) -> set[str]:
    start = document["beats"][beat]["start_frame"]
    frames = document["beats"][beat]["frames"]
    return set(document["blocking"][name]["pose"][start : start + frames])


def test_every_frame_has_a_pose_and_a_look(acted: dict[str, Any]) -> None:
    frames = sum(beat["frames"] for beat in acted["beats"])
    for name, track in acted["blocking"].items():
        assert len(track["pose"]) == len(track["look_at"]) == frames
        assert set(track["pose"]) <= set(POSES)
        assert set(track["look_at"]) <= {None, *acted["blocking"]} - {name}


def test_sitting_kneeling_embracing_and_collapsing_are_read(acted: dict[str, Any]) -> None:
    assert "sit" in _beat_poses(acted, "Mara", 0)
    assert "kneel" in _beat_poses(acted, "Tom", 1)
    assert "embrace" in _beat_poses(acted, "Mara", 2)
    tom = _runs(acted["blocking"]["Tom"]["pose"])
    assert [pose for pose, _ in tom][-2:] == ["fall", "lie"]  # a collapse ends on the floor
    # "does not sit down again" is denied; she stands before she embraces.
    mara = [pose for pose, _ in _runs(acted["blocking"]["Mara"]["pose"])]
    assert mara.index("embrace") > mara.index("sit") + 1


def test_people_look_at_whom_they_act_on(acted: dict[str, Any]) -> None:
    start = acted["beats"][3]["start_frame"]
    assert acted["blocking"]["Tom"]["look_at"][start + 5] == "Mara"
    first = acted["beats"][0]
    assert set(acted["blocking"]["Mara"]["look_at"][: first["frames"]]) == {None}  # "her desk"


def test_a_seated_subject_is_framed_at_seated_eye_height(acted: dict[str, Any]) -> None:
    from beatcam.export import plan_json

    text = json.dumps(acted)
    plan = plan_json.loads(text)
    mara = plan.blocking["Mara"]
    sitting = acted["blocking"]["Mara"]["pose"].index("sit") + 30
    eye = mara.eyes(sitting, 1)[0, 1]
    assert eye == pytest.approx(0.675 * mara.height_m, abs=0.02)  # seated, not 0.92 h


ANGLE_STRATEGY = st.lists(
    st.floats(-150.0, 150.0, allow_nan=False), min_size=len(skeleton.ANGLES),
    max_size=len(skeleton.ANGLES),
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(angles=ANGLE_STRATEGY)
def test_any_joint_angles_keep_every_bone_its_length(angles: list[float]) -> None:
    posed = skeleton.forward(np.array([angles]))
    lengths = np.linalg.norm(posed.tails() - posed.origins, axis=2)[0]
    assert lengths == pytest.approx([bone.length for bone in skeleton.BONES])
    rotations = posed.rotations[0]
    assert np.allclose(rotations @ np.transpose(rotations, (0, 2, 1)), np.eye(3), atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    first=st.sampled_from(POSES),
    second=st.sampled_from(POSES),
    switch=st.integers(0, 40),
    fps=st.sampled_from([12, 24, 30]),
)
def test_blends_of_any_two_poses_never_go_below_the_floor(
    first: str, second: str, switch: int, fps: int
) -> None:
    words = [first] * switch + [second] * (40 - switch)
    posed = skeleton.forward(skeleton.base_angles(words, fps))
    radii = np.array([bone.radius for bone in skeleton.BONES])
    lowest = np.minimum(posed.origins[..., 1], posed.tails()[..., 1]) - radii
    assert lowest.min(axis=1) == pytest.approx(0.0, abs=1e-9)  # touching, never under


@pytest.mark.parametrize("pose", ["stand", "walk", "sit"])
def test_feet_are_on_the_floor_standing_walking_and_sitting(pose: str) -> None:
    words = [pose] * 48
    ground = np.column_stack([np.zeros(48), np.zeros(48), np.linspace(0.0, 2.0, 48)])
    posed = skeleton.pose_figure(words, ground, np.zeros(48), 1.75, 24)
    soles = posed.tails()[:, [skeleton.BONE_INDEX["l_shin"], skeleton.BONE_INDEX["r_shin"]], 1]
    assert soles.min() >= skeleton.ANKLE_RATIO - 1e-9  # a swinging foot lifts, never sinks
    assert soles.min(axis=1) == pytest.approx(skeleton.ANKLE_RATIO, abs=0.03)


def test_an_embrace_brings_them_within_reach_first(acted: dict[str, Any]) -> None:
    mara = np.array(acted["blocking"]["Mara"]["position"])
    tom = np.array(acted["blocking"]["Tom"]["position"])
    gap = np.linalg.norm(mara - tom, axis=1)
    embrace = [f for f, pose in enumerate(acted["blocking"]["Mara"]["pose"]) if pose == "embrace"]
    assert gap[acted["beats"][2]["start_frame"]] > 1.0  # apart when the beat begins
    assert gap[embrace[-1]] <= 0.45 + 1e-3  # chest to chest while it lasts
    walked = acted["blocking"]["Mara"]["pose"][acted["beats"][2]["start_frame"] : embrace[0]]
    assert "walk" in walked  # she crossed to him, she did not slide


MUTUAL = """# Reunion
Cast: Ines, Farrukh
Set: street
Ines waits on the platform with her suitcase.
Ines drops the suitcase and they hold each other while the crowd streams past.
"""


def test_holding_each_other_brings_the_two_of_them_together(tmp_path: Path) -> None:
    """Nobody is named after "each other": in a cast of two it is the two of them, so
    both are posed in the embrace and they end it chest to chest."""
    acted = plan_and_export(tmp_path, "reunion.txt", MUTUAL)
    ines = np.array(acted["blocking"]["Ines"]["position"])
    farrukh = np.array(acted["blocking"]["Farrukh"]["position"])
    start = acted["beats"][1]["start_frame"]
    assert np.linalg.norm(ines[start] - farrukh[start]) > 1.0
    assert np.linalg.norm(ines[-1] - farrukh[-1]) <= 0.45 + 1e-3
    for name in ("Ines", "Farrukh"):
        assert "embrace" in acted["blocking"][name]["pose"][start:]


FAR_CONTACT = """title: Too far to touch
cast:
  - {name: Jonah, position: [0.0, -6.0], facing_deg: 0}
  - {name: Kite, position: [0.0, 6.0], facing_deg: 180}
set: corridor
beats:
  - Jonah waits at the near end of the corridor.
  - {text: Kite grabs Jonah., seconds: 1.5}
"""


def test_nobody_outruns_a_runner_to_make_a_touch(tmp_path: Any) -> None:
    """A grab across the corridor in a short beat brings the doer as near as a run allows:
    never faster than a runner (3.6 m/s, blocking.RUN_SPEED), never a teleport."""
    document = plan_and_export(tmp_path, "far.yaml", FAR_CONTACT)
    for name, track in document["blocking"].items():
        position = np.array(track["position"])[:, [0, 2]]
        speed = np.linalg.norm(np.diff(position, axis=0), axis=1) * document["fps"]
        assert speed.max() <= 3.6 * 1.001, name


TABLE_FOUR = """# Table Four
Cast: Dolores, Ivar, Berit
Dolores takes the order at table four, repeats it back, and suggests the soup. Ivar and Berit agree.
"""


def test_a_reach_past_someone_stops_before_walking_into_them(tmp_path: Any) -> None:
    """The waitress takes the order from Ivar across Berit's place: she walks toward him and
    stops short of Berit, never nearer her than two body radii (model.geometry.BODY_RADIUS_M),
    where she used to stand 0.23 m from Berit's middle, inside her, hidden from every camera."""
    document = plan_and_export(tmp_path, "table.txt", TABLE_FOUR)
    blocking = document["blocking"].items()
    floor = {name: np.array(track["position"])[:, [0, 2]] for name, track in blocking}
    gap = np.linalg.norm(floor["Dolores"] - floor["Berit"], axis=1)
    assert gap.min() >= 2 * 0.25 - 1e-6
    to_ivar = np.linalg.norm(floor["Dolores"] - floor["Ivar"], axis=1)
    assert to_ivar[-1] < to_ivar[0] - 0.5  # she still goes to him
    assert json.loads((tmp_path / "critique.json").read_text(encoding="utf-8"))["passed"]


def test_a_fall_in_the_scene_s_last_moment_is_played_to_the_end(tmp_path: Any) -> None:
    """The fall's landing (lying) would come after the last frame: the scene ends mid-fall."""
    text = "title: Last breath\ncast: [Tom]\nbeats:\n  - Tom stares at the wall.\n"
    text += "  - {text: Tom collapses., seconds: 0.5}\n"
    document = plan_and_export(tmp_path, "last.yaml", text)
    poses = document["blocking"]["Tom"]["pose"]
    assert poses[-1] == "fall" and "lie" not in poses


OPENINGS = """title: Openings
cast: [Petra, Lena, Omar, Ivo]
beats:
  - Lena and Omar sit close on the sofa.
  - Petra rises from her chair and refuses to sign.
  - Ivo enters and sits down by the door.
  - Ivo lifts the trophy as confetti falls.
"""


def test_the_scene_finds_people_as_the_words_do(tmp_path: Any) -> None:
    """Sitting in the first beat that names them, they were already seated when the scene
    began; a rise nothing sat her down for was made from a chair; someone who walks in stands
    until he sits; confetti falling fells nobody."""
    document = plan_and_export(tmp_path, "openings.yaml", OPENINGS)
    poses = {name: _runs(track["pose"]) for name, track in document["blocking"].items()}
    assert poses["Lena"][0][0] == poses["Omar"][0][0] == "sit"
    petra = [pose for pose, _ in poses["Petra"]]
    assert petra[:2] == ["sit", "stand"]
    second = document["beats"][1]
    assert sum(n for _, n in poses["Petra"][:1]) > second["start_frame"]  # seated until she rises
    ivo = [pose for pose, _ in poses["Ivo"]]
    assert ivo[0] != "sit" and "sit" in ivo
    assert "fall" not in ivo and "lie" not in ivo


def test_a_pronoun_opening_a_beat_is_whom_the_action_before_named(tmp_path: Any) -> None:
    """ "She rises" after a beat about Mara is Mara rising (the beat itself names Tom first)."""
    text = "title: Pronouns\ncast: [Mara, Tom]\nbeats:\n  - Mara sits at the table.\n"
    text += "  - Tom kneels beside her.\n  - Mara suddenly realises the letter is forged.\n"
    text += "  - She rises, and Tom embraces her.\n"
    document = plan_and_export(tmp_path, "pronouns.yaml", text)
    mara = [pose for pose, _ in _runs(document["blocking"]["Mara"]["pose"])]
    tom = [pose for pose, _ in _runs(document["blocking"]["Tom"]["pose"])]
    assert mara == ["sit", "stand", "embrace"]
    assert tom[tom.index("kneel") + 1] != "stand"


def test_a_figure_is_posed_once_per_blocking_read_only_and_never_pickled(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The critic asks for a figure per shot; posing the whole scene each time grew with the
    square of the scene's length. The kept figure is the one a fresh posing gives."""
    import pickle

    from beatcam.model import plan as plan_module
    from beatcam.model import skeleton as skeleton_module
    from conftest import build_tiny_plan

    blocking = build_tiny_plan().blocking
    fresh = blocking._pose("Mara", None)
    calls: list[str] = []
    real = skeleton_module.pose_figure

    def counting(*args: Any) -> skeleton.Posed:
        calls.append("posed")
        return real(*args)

    monkeypatch.setattr(plan_module, "pose_figure", counting)
    first = blocking.figure("Mara")
    assert blocking.figure("Mara") is first and len(calls) == 1
    assert np.array_equal(first.origins, fresh.origins)
    assert np.array_equal(first.rotations, fresh.rotations)
    with pytest.raises(ValueError, match="read-only"):
        first.origins[0, 0, 0] = 1.0
    holding = np.ones(blocking.frames, dtype=bool)
    assert blocking.figure("Mara", holding) is not first and len(calls) == 2
    copied = pickle.loads(pickle.dumps(blocking))
    assert copied.__dict__["_figures"] == {}
    assert np.array_equal(copied.figure("Mara").origins, first.origins)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.lists(
            st.floats(-90.0, 90.0), min_size=len(skeleton.ANGLES), max_size=len(skeleton.ANGLES)
        ),
        min_size=1,
        max_size=4,
    ),
    st.lists(st.integers(0, 3), min_size=1, max_size=12),
)
def test_a_pose_held_over_many_frames_is_the_same_bytes_as_each_frame_posed_alone(
    distinct: list[list[float]], order: list[int]
) -> None:
    """``forward`` poses each distinct row once and shares it: every frame must still be the
    numbers its own row gives alone, whatever else is in the batch (-0.0 kept apart from 0.0)."""
    rows = np.array(
        [distinct[index % len(distinct)] for index in order]
        + [[-0.0] * len(skeleton.ANGLES), [0.0] * len(skeleton.ANGLES)]
    )
    together = skeleton.forward(rows)
    assert len(together.joints) == len({row.tobytes() for row in rows})  # each posed once
    for frame, row in enumerate(rows):
        alone = skeleton.forward(row[None])
        assert together.origins[frame].tobytes() == alone.origins[0].tobytes()
        assert together.rotations[frame].tobytes() == alone.rotations[0].tobytes()


LYING = """# Lying down
Cast: Hamid, Suki, Ines
Set: office
Hamid and Suki lie side by side on the carpet, counting the ceiling tiles.
Ines lay still on the floor by the door.
Suki gets up and swears she would never lie to Ines.
"""


def test_people_who_lie_down_together_or_lay_still_are_posed_lying(tmp_path: Path) -> None:
    """The plural and the past of lying down pose everyone they name (the scene finds Ines
    lying, as the first beat that names her does); lying to someone lays nobody down."""
    document = plan_and_export(tmp_path, "lying.txt", LYING)
    assert "lie" in _beat_poses(document, "Hamid", 0)
    assert "lie" in _beat_poses(document, "Suki", 0)
    assert "lie" in _beat_poses(document, "Ines", 1)
    suki = document["blocking"]["Suki"]["pose"]
    assert suki[-1] == "stand"


def test_everyone_a_list_names_before_a_posture_takes_it(tmp_path: Path) -> None:
    """ "Ilse, Tobi and their grandson Marek sit" seats all three, not only the two the "and"
    joins, nor only the grandson; a name after an object's comma ("hands the box to Marek, Tobi
    kneels") starts a subject of its own."""
    text = "title: Dominoes\ncast: [Ilse, Tobi, Marek]\nset: kitchen\nbeats:\n"
    text += "  - Ilse, Tobi and their grandson Marek sit at the table, playing dominoes.\n"
    text += "  - Marek stands.\n"
    text += "  - Ilse hands the box to Marek, Tobi kneels.\n"
    document = plan_and_export(tmp_path, "list.yaml", text)
    assert all(_beat_poses(document, name, 0) == {"sit"} for name in ("Ilse", "Tobi", "Marek"))
    assert "kneel" in _beat_poses(document, "Tobi", 2)
    assert "kneel" not in _beat_poses(document, "Marek", 2)


def test_whoever_is_busy_at_a_table_sits_to_it_unless_the_beat_poses_them(tmp_path: Path) -> None:
    """ "Sorts the post at the kitchen table" is done seated (and the scene finds her there,
    a chair under her); "stands at the table" stands; a walk to the desk stands until the
    next beat's work there seats him."""
    text = "title: Post\ncast: [Mara, Tom, Ines]\nset: kitchen\nbeats:\n"
    text += "  - Mara sorts the post at the kitchen table, humming to herself.\n"
    text += "  - Ines stands at the table, arms folded.\n"
    text += "  - Tom walks over to the desk.\n"
    text += "  - Tom writes a long letter at the desk.\n"
    document = plan_and_export(tmp_path, "post.yaml", text)
    assert document["blocking"]["Mara"]["pose"][0] == "sit"
    assert "chair" in {prop["name"] for prop in document["set"]["props"]}
    assert _beat_poses(document, "Ines", 1) == {"stand"}
    assert "sit" not in _beat_poses(document, "Tom", 2)
    assert "sit" in _beat_poses(document, "Tom", 3)
