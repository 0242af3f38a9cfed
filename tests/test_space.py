"""Space from the words and sets built from the scene, from the outside: scenes that say
where people stand are planned with the CLI, and plan.json says they stand there, on sets that
have what the words name."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from beatcam.direct.space import read_relations, screen_direction
from beatcam.direct.spots import ACROSS_STREET_M, BODY_CLEARANCE_M, CLOSE_M, HEADROOM_M
from beatcam.model.scene import CastNames, Character, Pronouns
from beatcam.model.set_kit import WALL_THICKNESS_M
from beatcam.model.sets import ROOM_FRONT_Z, ROOM_HALF_WIDTH_M
from conftest import BEATCAM, plan_and_export, run_ok

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "beatcam" / "examples"
LABELLED = Path(__file__).resolve().parent / "data" / "space_beats.yaml"
# The walker's score on the labelled spatial beats when it was chosen over a parser (0.91);
# a change that reads them worse fails here.
MIN_F1 = 0.88
TOLERANCE_M = 0.05

SCENES = {
    "street": "# Across\nCast: Tom, Jonah\nSet: street\n"
    "Across the street, Tom watches Jonah.\nJonah lights a cigarette and waits.\n",
    "window": """title: Window
cast: [Mara, Tom]
set: kitchen
beats:
  - Mara stands at the window, looking out.
  - Tom enters and stands behind her.
  - Tom stands over Mara as she sits at the table.
""",
    "bus": "# Waiting\nCast: Iris, Pell\nSet: street\n"
    "Iris waits at the bus stop.\nPell keeps his distance from Iris.\n",
    "roof": "# Roof\nCast: Hamid, Suki\n"
    "Hamid and Suki lie side by side on the warm roof, counting satellites.\n"
    "Suki whispers that she is leaving in the morning.\n",
    "beach": "# Beach\nCast: Mara, Tom\nMara and Tom walk side by side along the empty beach.\n",
    "fence": "# Fence\nCast: Ahmad, Leila\n"
    "Ahmad and Leila walk out along the fence line into the street, not speaking.\n",
    "bedsit": "# Bedsit\nCast: Frances\nFrances traces the trickle of water across the "
    "floorboards to the landlord, lying behind the sofa.\n",
}


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("space")
    plans = {}
    for name, text in SCENES.items():
        scene = folder / name
        scene.mkdir()
        suffix = ".yaml" if text.startswith("title:") else ".txt"
        plans[name] = plan_and_export(scene, f"{name}{suffix}", text)
    lighthouse = folder / "lighthouse"
    run_ok([*BEATCAM, "plan", str(EXAMPLES / "lighthouse.txt"), "-o", str(lighthouse), "-q"])
    plans["lighthouse"] = json.loads((lighthouse / "plan.json").read_text(encoding="utf-8"))
    return plans


def _ground(plan: dict[str, Any], name: str) -> np.ndarray:
    return np.array(plan["blocking"][name]["position"])[:, [0, 2]]


def _facing(plan: dict[str, Any], name: str, frame: int) -> np.ndarray:
    heading = np.deg2rad(plan["blocking"][name]["facing_deg"][frame])
    return np.array([np.sin(heading), np.cos(heading)])


def _beat_end(plan: dict[str, Any], index: int) -> int:
    beat = plan["beats"][index]
    return int(beat["start_frame"] + beat["frames"] - 1)


def _boxes(plan: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [box for box in plan["set"]["boxes"] if box["name"].split("_")[0] == kind]


def _inside(point: np.ndarray, boxes: list[dict[str, Any]], margin: float) -> bool:
    for box in boxes:
        bottom = box["center"][1] - box["size"][1] / 2
        centre, half = np.array(box["center"])[[0, 2]], np.array(box["size"])[[0, 2]] / 2
        if bottom < HEADROOM_M and np.all(np.abs(point - centre) < half + margin):
            return True
    return False


def test_across_the_street_starts_them_on_opposite_pavements(
    plans: dict[str, dict[str, Any]],
) -> None:
    plan = plans["street"]
    gap = np.linalg.norm(_ground(plan, "Tom") - _ground(plan, "Jonah"), axis=1)
    assert gap[0] >= 2 * 3.65  # two traffic lanes apart
    assert gap[0] == pytest.approx(ACROSS_STREET_M, abs=TOLERANCE_M)
    # They face each other across it.
    toward = _ground(plan, "Jonah")[0] - _ground(plan, "Tom")[0]
    assert float(_facing(plan, "Tom", 0) @ toward) / gap[0] > 0.95


def test_at_the_window_puts_her_at_the_window_facing_it(plans: dict[str, dict[str, Any]]) -> None:
    plan = plans["window"]
    windows = _boxes(plan, "window")
    assert windows, "an interior has a window"
    opening = np.mean([np.array(box["center"])[[0, 2]] for box in windows], axis=0)
    mara = _ground(plan, "Mara")[_beat_end(plan, 0)]
    assert np.linalg.norm(mara - opening) < 0.5
    toward = (opening - mara) / np.linalg.norm(opening - mara)
    assert float(_facing(plan, "Mara", 0) @ toward) > 0.9


def test_behind_her_is_behind_her_and_over_her_is_within_reach_of_her_seat(
    plans: dict[str, dict[str, Any]],
) -> None:
    plan = plans["window"]
    frame = _beat_end(plan, 1)  # Tom has come in through the door and stands behind her
    tom, mara = _ground(plan, "Tom")[frame], _ground(plan, "Mara")[frame]
    assert np.linalg.norm(tom - mara) == pytest.approx(CLOSE_M, abs=TOLERANCE_M)
    facing = _facing(plan, "Mara", frame - 10)
    assert float(facing @ (tom - mara)) / CLOSE_M < -0.95
    last = _beat_end(plan, 2)
    assert plan["blocking"]["Mara"]["pose"][last] == "sit"
    tom, mara = _ground(plan, "Tom")[last], _ground(plan, "Mara")[last]
    assert np.linalg.norm(tom - mara) == pytest.approx(CLOSE_M, abs=TOLERANCE_M)
    # She sits at the table, not in it.
    (table,) = _boxes(plan, "table")
    assert not _inside(mara, [table], BODY_CLEARANCE_M - 0.01)
    assert _inside(mara, [table], BODY_CLEARANCE_M + 0.2)


def test_the_walk_in_comes_through_the_door(plans: dict[str, dict[str, Any]]) -> None:
    plan = plans["window"]
    walls = _boxes(plan, "wall")
    tom = _ground(plan, "Tom")[plan["beats"][1]["start_frame"] :]
    path = tom[np.linalg.norm(tom - tom[0], axis=1) > 0.5]  # once he has left the entrance
    assert not any(_inside(point, walls, BODY_CLEARANCE_M - 0.01) for point in path)


def test_an_interior_is_walled_on_three_sides_and_open_to_the_camera(
    plans: dict[str, dict[str, Any]],
) -> None:
    walls = _boxes(plans["window"], "wall") + _boxes(plans["window"], "window")
    walls += _boxes(plans["window"], "door")
    low = np.array([np.subtract(b["center"], np.divide(b["size"], 2)) for b in walls])
    high = np.array([np.add(b["center"], np.divide(b["size"], 2)) for b in walls])
    back = min(low[:, 2]) + WALL_THICKNESS_M / 2  # the back wall's line
    for side_x in (-ROOM_HALF_WIDTH_M, ROOM_HALF_WIDTH_M):
        on_side = np.abs((low[:, 0] + high[:, 0]) / 2 - side_x) < 0.1
        # The side walls run from the back wall to the open front, openings and all.
        spans = sorted(zip(low[on_side, 2], high[on_side, 2], strict=True))
        assert spans[0][0] == pytest.approx(back) and spans[-1][1] == pytest.approx(ROOM_FRONT_Z)
        assert all(b[0] <= a[1] + 1e-9 for a, b in pairwise(spans))
    at_back = np.abs((low[:, 2] + high[:, 2]) / 2 - back) < 1e-6
    assert min(low[at_back, 0]) <= -ROOM_HALF_WIDTH_M and max(high[at_back, 0]) >= ROOM_HALF_WIDTH_M
    assert max(high[:, 2]) <= ROOM_FRONT_Z + 1e-9  # nothing stands on the camera's side


def test_a_lighthouse_scene_has_a_lighthouse_and_a_gatepost_to_set_the_cap_on(
    plans: dict[str, dict[str, Any]],
) -> None:
    plan = plans["lighthouse"]
    tower = _boxes(plan, "lighthouse")
    assert max(box["center"][1] + box["size"][1] / 2 for box in tower) > 10.0
    (post,) = _boxes(plan, "gatepost")
    ines = _ground(plan, "Ines")[-1]
    assert np.linalg.norm(ines - np.array(post["center"])[[0, 2]]) < 0.3 + BODY_CLEARANCE_M + 0.2


def test_a_screenplay_heading_builds_what_it_names(tmp_path: Path) -> None:
    script = tmp_path / "stop.fountain"
    script.write_text(
        "EXT. BUS STOP - NIGHT\n\nRain. IRIS waits under the shelter, alone.\n",
        encoding="utf-8",
    )
    run_ok([*BEATCAM, "plan", str(script), "-o", str(tmp_path / "out"), "-q"])
    (plan_file,) = (tmp_path / "out").glob("*/plan.json")
    plan = json.loads(plan_file.read_text(encoding="utf-8"))
    assert _boxes(plan, "bus")


def test_nobody_starts_inside_a_piece(plans: dict[str, dict[str, Any]]) -> None:
    for name, plan in plans.items():
        for person in plan["blocking"]:
            start = _ground(plan, person)[0]
            assert not _inside(start, plan["set"]["boxes"], BODY_CLEARANCE_M - 0.01), name


def test_far_from_someone_is_past_social_distance(plans: dict[str, dict[str, Any]]) -> None:
    plan = plans["bus"]
    (stop,) = [b for b in _boxes(plan, "bus") if b["name"] == "bus_shelter_back"]
    iris = _ground(plan, "Iris")[0]
    assert np.linalg.norm(iris - np.array(stop["center"])[[0, 2]]) < 2.0
    last = _beat_end(plan, 1)
    assert np.linalg.norm(_ground(plan, "Pell")[last] - _ground(plan, "Iris")[last]) > 3.6


def test_the_walker_reads_the_labelled_spatial_beats() -> None:
    entries = yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["beats"]
    hits = said = meant = 0
    for entry in entries:
        named = [name for name in entry["cast"] if name.lower() in entry["text"].lower()]
        named.sort(key=lambda name: entry["text"].lower().index(name.lower()))
        read = read_relations(entry["text"], _names(entry["cast"]), named, 0, Pronouns())
        got = {(r.doer, r.kind, r.anchor, r.piece) for r in read}
        gold = {tuple(relation) for relation in entry["relations"]}
        hits, said, meant = hits + len(got & gold), said + len(got), meant + len(gold)
    precision, recall = hits / said, hits / meant
    assert 2 * precision * recall / (precision + recall) >= MIN_F1


@pytest.mark.parametrize(
    ("text", "way"),
    [
        ("Jules skates to the right along the frozen canal.", 1),
        ("General Okonjo strides left to right past his honour guard.", 1),
        ("Heading east along the towpath, Ilka pedals hard.", 1),
        ("Mara walks leftward down the row of lockers.", -1),
        ("Tom hurries west through the market.", -1),
        ("Mara walks along the row of lockers.", 0),
        ("Tom does not turn to the left.", 0),
        # A bare side after a verb of going or looking, or after someone's.
        ("The porter wheels the trolley and walks left along the quay.", -1),
        ("Her eyes move right along the shelf of jars.", 1),
        ("Ines turns her head left toward the creak.", -1),
        ("A bell rings somewhere to Ines's right.", 1),
        ("Tom turns to his left and finds the door open.", -1),
        # "Right" before where it leads is straight there; "left" the verb is no side.
        ("Mara walks right up to the counter.", 0),
        ("Tom left the room an hour ago.", 0),
        ("She's right, and Tom knows it.", 0),
        ("What's left of the money is in the tin.", 0),
        ("The long walk left her shaking.", 0),
        ("Tom stands on the captain's left.", -1),
        # Where a walk or a look leaves from sends it the other way.
        ("A cyclist comes from the right.", -1),
        ("Ines sweeps the lamp from the crates on her left toward the far wall.", 1),
        ("Ines turns from the window to her left.", -1),
        ("Ines turns from the harbour eastward along the cliffs.", 1),  # a way, not a place
        # A side of the place a walk heads for, or of part of it, sends it that way.
        ("Elif sprints along the harbour wall toward the lighthouse on the right.", 1),
        ("Amadou turns toward the right end of the platform.", 1),
        ("Bernadette walks along the portraits toward its left end.", -1),
        ("The convoy rolls from the village on the left toward the blockade on the right.", 1),
        ("From the right end of the bar, Ana slides toward him.", -1),
        # A body's side, or the right thing, is no side of the screen.
        ("She clutches her right side and sinks down.", 0),
        ("He finally says the right thing.", 0),
    ],
)
def test_the_way_a_walk_or_a_look_crosses_the_screen_is_read_where_the_words_say_it(
    text: str, way: int
) -> None:
    assert screen_direction(text) == way


def test_two_who_lie_side_by_side_lie_abreast_facing_the_same_way(
    plans: dict[str, dict[str, Any]],
) -> None:
    """Side by side, with nobody after it, is the pair beside each other: within reach,
    shoulder to shoulder (each beside the other across their facing), heads the same way."""
    roof = plans["roof"]
    frame = _beat_end(roof, 0)
    hamid, suki = _ground(roof, "Hamid")[frame], _ground(roof, "Suki")[frame]
    assert np.linalg.norm(suki - hamid) == pytest.approx(CLOSE_M, abs=TOLERANCE_M)
    facing = _facing(roof, "Hamid", frame)
    assert _facing(roof, "Suki", frame) == pytest.approx(facing, abs=0.01)
    assert abs(float(np.dot(suki - hamid, facing))) < TOLERANCE_M
    assert set(roof["blocking"]["Suki"]["pose"][:frame]) == {"lie"}


def test_two_who_walk_side_by_side_set_off_abreast(plans: dict[str, dict[str, Any]]) -> None:
    """A walk side by side is the walk together: the pair are found abreast as it starts."""
    beach = plans["beach"]
    mara, tom = _ground(beach, "Mara"), _ground(beach, "Tom")
    for frame in (0, _beat_end(beach, 0)):
        assert np.linalg.norm(tom[frame] - mara[frame]) < CLOSE_M


def test_a_place_the_set_lacks_named_for_one_of_a_pair_keeps_them_abreast(
    plans: dict[str, dict[str, Any]],
) -> None:
    """ "Into the street" where the set has no street: the companion it is read for still
    walks beside the leader (a plan with no place to go for them once failed to be made)."""
    fence = plans["fence"]
    ahmad, leila = _ground(fence, "Ahmad"), _ground(fence, "Leila")
    end = _beat_end(fence, 0)
    assert np.linalg.norm(ahmad[end] - ahmad[0]) > 1.0
    assert np.linalg.norm(leila[end] - leila[0]) > 1.0
    assert np.linalg.norm(leila[end] - ahmad[end]) < CLOSE_M


def test_a_clause_about_someone_unnamed_places_nobody_of_the_cast(
    plans: dict[str, dict[str, Any]],
) -> None:
    """ "To the landlord, lying behind the sofa": the landlord lies there, not Frances (who lay
    behind the sofa, hidden from every camera, and the plan failed its critic); "the post,
    humming to herself" still goes on with Mara."""
    bedsit = plans["bedsit"]
    assert "lie" not in set(bedsit["blocking"]["Frances"]["pose"])
    text = "Frances traces the water to the landlord, lying behind the sofa."
    assert read_relations(text, _names(["Frances"]), ["Frances"], 0, Pronouns()) == []
    text = "Mara sorts the post, sitting at the table."
    (relation,) = read_relations(text, _names(["Mara"]), ["Mara"], 0, Pronouns())
    assert (relation.doer, relation.piece) == ("Mara", "table")


def _names(cast: list[str]) -> CastNames:
    return CastNames.of([Character(name) for name in cast])
