"""What is read is shown: words written on a sign or a screen are covered by an insert of what
they are written on, and the names in them are no one on the set."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from beatcam.export import plan_json
from beatcam.model import ShotSpec
from beatcam.model.geometry import BODY_RADIUS_M, quat_to_matrix
from beatcam.model.scene import shown_words
from beatcam.render.previs import FrameMaker, scene_cameras
from beatcam.render.projection import to_pixels
from beatcam.render.writing import LETTERING_PX, lettering, sign_writing
from beatcam.script import read_scenes
from conftest import BEATCAM, plan_and_export, run_ok

SIGN_SCENE = """\
EXT. TRAILHEAD - DAY

TOM, a hiker in his fifties, stops at a fork in the trail and looks at a wooden sign. It reads:

"MARA'S CABIN 2 MI."

He laughs and takes the left fork.

EXT. CABIN - DAY

MARA
You came.
"""
PHONE_SCENE = """title: The phone
cast: [Tom]
beats:
  - 'Tom holds up his phone and frowns. The screen reads: "NO SIGNAL"'
  - Tom puts the phone away.
"""
STAGED_SCENE = """title: The fork
cast: [Tom, Mara]
set: kitchen
beats:
  - 'Tom and Mara stop by the door and look up at a sign. It reads:'
  - '"MARA WALKS TO THE COUNTER AND SITS DOWN. RUN!"'
  - Mara walks to the counter and back.
"""
PILLARBOX_SCENE = """title: The field
aspect: "4:3"
cast: [Tom]
beats:
  - 'Tom stops and looks up at a sign. It reads:'
  - '"BEWARE OF THE BULL AND OF THE FARMER"'
  - Tom walks on.
"""
INCH_SCENE = """\
INT. GARAGE - NIGHT

A 6" blade lies on the bench. TOM, grey-haired, picks it up.
"""
SIGN_FILL = (0.4, 1.0)  # the board's share of the frame's height in a close insert of it
AIM_DEG = 3.0  # the lens axis passes this close to what the insert shows
INK_LEVEL = 90  # a pixel darker than this in every channel is ink: the set's greys are lighter


def _sees(shot: dict[str, Any], point: np.ndarray, offset: int) -> tuple[float, float]:
    """The angle (degrees) between the lens axis and ``point`` on frame ``offset`` of the shot,
    and the point's depth along the axis (metres), from the camera track alone."""
    camera = np.array(shot["camera"]["position"][offset])
    axes = quat_to_matrix(np.array([shot["camera"]["rotation"][offset]]))[0]
    toward = point - camera
    depth = float(-axes[:, 2] @ toward)
    cosine = depth / float(np.linalg.norm(toward))
    return float(np.degrees(np.arccos(min(cosine, 1.0)))), depth


@pytest.mark.parametrize(
    ("text", "before", "words"),
    [
        ('"YES, SERIOUSLY"', "He notices a sign, which reads:", '"YES, SERIOUSLY"'),
        ("“DOG TRANSLATOR”", "an app has opened which reads:", "“DOG TRANSLATOR”"),
        ('The phone beeps. His screen reads: "YIP YAP!"', "", '"YIP YAP!"'),
        ('The banner flashes: "SOLD OUT".', "", '"SOLD OUT"'),
        ('"Get out."', "Tom says:", None),  # speech, not writing
        ('"Get out."', "Tom walks in.", None),  # nothing announced it
        ('"Get out!"', "She reads his face, then snaps:", None),  # the colon is the snap's
        ('Mara says: "I know."', "", None),
        ('They watch the show "Friends".', "", None),  # a noun
        ('Mara asks Tom to read "Ozymandias".', "", None),
        ("A clock reads 6:24 am.", "", None),  # no quotation
    ],
)
def test_shown_words_are_a_quotation_on_something(
    text: str, before: str, words: str | None
) -> None:
    found = shown_words(text, before)
    assert (text[found] if found else None) == words


@given(st.text(alphabet=st.characters(blacklist_characters='"“”'), min_size=1, max_size=40))
def test_any_words_quoted_after_reads_are_shown_whole(words: str) -> None:
    text = f'The sign reads: "{words}"'
    found = shown_words(text)
    assert found is not None and text[found] == f'"{words}"'


def test_a_name_on_a_sign_is_no_one_on_the_set(tmp_path: Path) -> None:
    script = tmp_path / "trail.fountain"
    script.write_text(SIGN_SCENE, encoding="utf-8")
    trail, cabin = read_scenes(str(script))
    assert [member.name for member in trail.cast] == ["Tom"]  # "MARA'S CABIN" is a sign
    assert [member.name for member in cabin.cast] == ["Mara"]
    script.write_text(INCH_SCENE, encoding="utf-8")
    (garage,) = read_scenes(str(script))
    assert [member.name for member in garage.cast] == ["Tom"]  # an inch mark quotes nothing


def test_the_words_on_a_sign_move_no_one_and_no_one_walks_through_it(tmp_path: Path) -> None:
    plan = plan_and_export(tmp_path, "fork.yaml", STAGED_SCENE)
    read = plan["beats"][1]
    assert read["affect"]["stagings"] == ["read_text"] and not read["affect"]["actions"]
    frames = range(read["start_frame"], read["start_frame"] + read["frames"])
    for name in ("Tom", "Mara"):
        track = plan["blocking"][name]
        assert {track["pose"][frame] for frame in frames} <= {"stand"}
        here = np.array(track["position"])[[frames.start, frames.stop - 1]]
        assert np.linalg.norm(here[1] - here[0]) < 0.05  # "RUN!" is read, not done
    assert "sit" not in plan["blocking"]["Mara"]["pose"]
    sign = [box for box in plan["set"]["boxes"] if box["name"].startswith("sign")]
    assert sign
    for name, track in plan["blocking"].items():
        feet = np.array(track["position"])[:, [0, 2]]
        for box in sign:
            centre, half = np.array(box["center"])[[0, 2]], np.array(box["size"])[[0, 2]] / 2
            gap = np.linalg.norm(np.maximum(np.abs(feet - centre) - half, 0.0), axis=1)
            assert gap.min() >= BODY_RADIUS_M, name  # the walk goes round the sign


def test_what_an_insert_shows_goes_with_the_insert() -> None:
    spec = ShotSpec(
        "S01", 0, 0, 24, "CU", "CU", "eye_level", 0.0, "static", "insert", "cut", (), 50.0, "",
        shows="sign",
    )  # fmt: skip
    assert spec.shows == "sign"
    assert replace(spec, framing="single").shows is None  # a repair reframed it on people
    assert replace(spec, subjects=("Tom",)).shows is None


@pytest.fixture(scope="module")
def sign_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("sign")
    script = folder / "trail.fountain"
    script.write_text(SIGN_SCENE, encoding="utf-8")
    run_ok([*BEATCAM, "plan", str(script), "-o", str(folder), "-q"])
    (scene,) = [path for path in sorted(folder.iterdir()) if path.name.startswith("01-")]
    document: dict[str, Any] = json.loads((scene / "plan.json").read_text(encoding="utf-8"))
    return scene, document


def test_the_words_on_a_sign_are_an_insert_of_the_sign(
    sign_plan: tuple[Path, dict[str, Any]],
) -> None:
    scene, plan = sign_plan
    read = next(beat["index"] for beat in plan["beats"] if beat["text"].startswith('"MARA'))
    (insert,) = [shot for shot in plan["shots"] if shot["beat"] == read]
    assert (insert["framing"], insert["subjects"], insert["shows"]) == ("insert", [], "sign")
    assert insert["why"].startswith("Eye-level CU insert locked-off of the sign")
    board = next(box for box in plan["set"]["boxes"] if box["name"] == "sign_board")
    centre, height = np.array(board["center"]), board["size"][1]
    sensor_height = plan["sensor_mm"][1]
    for offset in (0, insert["frames"] - 1):
        off_axis, depth = _sees(insert, centre, offset)
        assert off_axis < AIM_DEG
        frame_height = depth * sensor_height / insert["camera"]["focal_mm"][offset]
        assert SIGN_FILL[0] < height / frame_height < SIGN_FILL[1]
    critique = json.loads((scene / "critique.json").read_text(encoding="utf-8"))
    assert critique["passed"]
    # The shots around it stay on Tom, who reads it.
    assert {tuple(shot["subjects"][:1]) for shot in plan["shots"] if shot["beat"] != read} == {
        ("Tom",)
    }


def test_words_on_a_screen_in_hand_are_an_insert_of_the_hand(tmp_path: Path) -> None:
    plan = plan_and_export(tmp_path, "phone.yaml", PHONE_SCENE)
    first = [shot for shot in plan["shots"] if shot["beat"] == 0]
    (insert,) = [shot for shot in first if shot["framing"] == "insert"]
    assert insert["subjects"] == ["Tom"] and "shows" not in insert
    assert not any(box["name"].startswith("sign") for box in plan["set"]["boxes"])
    (phone,) = [prop for prop in plan["set"]["props"] if prop["name"] == "phone"]
    held = np.array(phone["position"])[insert["start_frame"]]
    assert phone["holder"][insert["start_frame"]] == "Tom"
    assert _sees(insert, held, 0)[0] < AIM_DEG


def test_the_insert_of_a_sign_letters_its_words_on_the_board(
    sign_plan: tuple[Path, dict[str, Any]],
) -> None:
    scene, _ = sign_plan
    plan = plan_json.read(scene / "plan.json")
    ((index, words),) = sign_writing(plan).items()
    assert words.text == "MARA'S CABIN 2 MI." and plan.shots[index].shows == "sign"
    insert = plan.shots[index]
    maker = FrameMaker(plan, (640, 360))
    cameras = scene_cameras(plan)
    middle = insert.start_frame + insert.frames // 2
    matrices = maker.matrices(cameras.position, cameras.rotation, cameras.focal_mm)
    quad = to_pixels(words.corners, matrices[middle], maker.rect)
    inside = _inside(quad, (640, 360))
    eye = cameras.position[middle]
    lettered = maker.draw(middle, matrices[middle], eye, index).copy()
    # Another shot's camera (a handle, a dissolve) at the same frame letters nothing.
    plain = maker.draw(middle, matrices[middle], eye, index - 1).copy()
    maker.release()
    ink = (lettered.max(axis=2) < INK_LEVEL) & inside
    assert ink.sum() > 0.02 * inside.sum()  # the words, dark on the board
    assert not ((plain.max(axis=2) < INK_LEVEL) & inside).any()  # the grey box alone
    assert (lettered[~inside] == plain[~inside]).all()  # and nothing beside the board


def test_the_lettering_stays_inside_a_pillarboxed_picture(tmp_path: Path) -> None:
    plan = plan_json.read(_planned(tmp_path, PILLARBOX_SCENE))
    ((index, _),) = sign_writing(plan).items()
    insert = plan.shots[index]
    maker = FrameMaker(plan, (640, 360))
    cameras = scene_cameras(plan)
    middle = insert.start_frame + insert.frames // 2
    matrices = maker.matrices(cameras.position, cameras.rotation, cameras.focal_mm)
    eye, rect = cameras.position[middle], maker.rect
    lettered = maker.draw(middle, matrices[middle], eye, index).copy()
    plain = maker.draw(middle, matrices[middle], eye, index - 1).copy()
    maker.release()
    assert rect.width < 640  # a 4:3 picture between bars
    picture = np.zeros(lettered.shape[:2], dtype=bool)
    picture[rect.y : rect.y + rect.height, rect.x : rect.x + rect.width] = True
    assert (lettered != plain).any()  # the words are on the board
    assert (lettered[~picture] == plain[~picture]).all()  # and not on the bars


def _planned(folder: Path, text: str) -> Path:
    plan_and_export(folder, "scene.yaml", text)
    return folder / "plan.json"


def test_a_long_text_is_cut_to_what_the_board_holds_legibly() -> None:
    card = np.asarray(lettering(" ".join(["ABCDEFGHIJ"] * 175)))  # 1,924 characters
    assert card.shape[:2] == (LETTERING_PX[1], LETTERING_PX[0])
    rows = np.flatnonzero((card.max(axis=2) < INK_LEVEL).any(axis=1))
    assert rows.size and rows.min() > 0 and rows.max() < card.shape[0] - 1  # all on the card


def _inside(quad: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The pixels of a ``size`` frame inside a convex ``quad`` (4, 2), as a mask."""
    ys, xs = np.mgrid[0 : size[1], 0 : size[0]] + 0.5
    mask = np.ones((size[1], size[0]), dtype=bool)
    for (x0, y0), (x1, y1) in zip(quad, np.roll(quad, -1, axis=0), strict=True):
        mask &= (x1 - x0) * (ys - y0) - (y1 - y0) * (xs - x0) >= 0
    return mask
