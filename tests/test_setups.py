"""Setups and shooting order as the crew receives them: plan.json's ``rig`` and ``setup``,
setups.csv and the setups page of shotlist.pdf, checked against setups recomputed here from
the camera tracks in plan.json (the tolerances are the crew's, restated on purpose)."""

from __future__ import annotations

import csv
import dataclasses
import itertools
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pypdf import PdfReader

from beatcam.model import CameraTrack, ShotPlan, setups

ROOT = Path(__file__).resolve().parents[1]
# The Offer: locked-off coverage, a push-in on a dolly and a pedestal move on a crane arm.
SCENE = ROOT / "src" / "beatcam" / "examples" / "standoff.md"
# Two of its beats (before Colm takes the chair) pinned to the same over-the-shoulder on Vera, so
# the cut comes back to one camera whatever the director makes of the rest.
REVERSE = {"size": "MCU", "framing": "over_shoulder", "movement": "static"}
REVERSE_BEATS = (3, 6)
SIZES = ("EWS", "WS", "FS", "MLS", "MS", "MCU", "CU", "ECU")
STANDS_STILL = {"static", "pan_left", "pan_right", "tilt_up", "tilt_down", "zoom_in", "zoom_out"}
TRAVELLING_RIGS = {"slider", "dolly", "steadicam", "gimbal", "crane"}
SAME_PLACE_M, SAME_HEIGHT_M, SAME_LENS = 0.15, 0.10, 0.05
SLIDER_M = 1.0


def _beatcam(*args: str | Path) -> None:
    subprocess.run([sys.executable, "-m", "beatcam", *map(str, args)], check=True)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("setups")
    lines = SCENE.read_text(encoding="utf-8").splitlines()
    beats: list[Any] = [line[2:] for line in lines if line.startswith("- ")]
    for index in REVERSE_BEATS:
        beats[index] = {"text": beats[index], "camera": REVERSE}
    scene = {"title": "The Offer", "cast": ["Vera", "Colm"], "set": "office", "beats": beats}
    (folder / "offer.json").write_text(json.dumps(scene), encoding="utf-8")
    _beatcam("plan", folder / "offer.json", "-o", folder)
    _beatcam("export", folder / "plan.json", "--to", "setups,shotlist_pdf", "-o", folder)
    return folder


@pytest.fixture(scope="module")
def shots(out: Path) -> list[dict[str, Any]]:
    shots: list[dict[str, Any]] = json.loads((out / "plan.json").read_text())["shots"]
    return shots


def _path_length(shot: dict[str, Any]) -> float:
    points = shot["camera"]["position"]
    return sum(math.dist(a, b) for a, b in itertools.pairwise(points))


def _heading(shot: dict[str, Any]) -> float:
    """The floor heading of the first frame's view axis (camera -Z), from the quaternion."""
    w, x, y, z = shot["camera"]["rotation"][0]
    forward = (-2 * (x * z + w * y), -2 * (y * z - w * x), -(1 - 2 * (x * x + y * y)))
    return math.degrees(math.atan2(forward[0], forward[2]))


def _together(a: dict[str, Any], b: dict[str, Any]) -> bool:
    (ax, ay, az), (bx, by, bz) = a["camera"]["position"][0], b["camera"]["position"][0]
    lens_a, lens_b = a["camera"]["focal_mm"][0], b["camera"]["focal_mm"][0]
    return (
        a["rig"] == b["rig"]
        and math.hypot(ax - bx, az - bz) <= SAME_PLACE_M
        and abs(ay - by) <= SAME_HEIGHT_M
        and abs(lens_a - lens_b) <= SAME_LENS * lens_a
    )


def test_each_rig_fits_its_move(shots: list[dict[str, Any]]) -> None:
    for shot in shots:
        travel = _path_length(shot)
        if shot["movement"] in STANDS_STILL and max(p[1] for p in shot["camera"]["position"]) < 2:
            assert shot["rig"] == "sticks", shot["id"]
        elif shot["movement"].startswith(("pedestal", "crane")):
            assert shot["rig"] == "crane", shot["id"]
        elif shot["movement"] == "handheld":
            assert shot["rig"] == "handheld", shot["id"]
        else:
            assert shot["rig"] in TRAVELLING_RIGS, shot["id"]
        if shot["rig"] == "slider":
            assert travel <= SLIDER_M, shot["id"]
    assert len({shot["rig"] for shot in shots}) >= 2


def test_setups_are_the_shots_that_share_place_lens_and_rig(shots: list[dict[str, Any]]) -> None:
    groups: dict[str, list[dict[str, Any]]] = {}
    for shot in shots:
        groups.setdefault(shot["setup"], []).append(shot)
    for members in groups.values():
        assert all(_together(members[0], other) for other in members[1:])
    firsts = [members[0] for members in groups.values()]
    for index, later in enumerate(firsts):
        assert not any(_together(earlier, later) for earlier in firsts[:index])
    # named in the order the cut first sees them
    assert list(groups) == sorted(groups, key=lambda name: (len(name), name))
    # not vacuous: the cut comes back to one camera (the pinned over-the-shoulders on Vera)
    reverses = [shot for shot in shots if shot["beat"] in REVERSE_BEATS]
    assert len({shot["setup"] for shot in reverses}) == 1 < len(reverses)


def test_setups_csv_lists_them_in_a_shooting_order_that_lights_each_way_once(
    out: Path, shots: list[dict[str, Any]]
) -> None:
    with (out / "setups.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(row["shooting_order"]) for row in rows] == list(range(1, len(rows) + 1))
    by_id = {shot["id"]: shot for shot in shots}
    groups: dict[str, list[str]] = {}
    for shot in shots:
        groups.setdefault(shot["setup"], []).append(shot["id"])
    assert {row["setup"]: row["shots"].split(";") for row in rows} == groups
    for row in rows:
        first = by_id[row["shots"].split(";")[0]]
        x, height, z = first["camera"]["position"][0]
        assert float(row["x_m"]) == pytest.approx(x, abs=0.005)
        assert float(row["z_m"]) == pytest.approx(z, abs=0.005)
        assert float(row["camera_height_m"]) == pytest.approx(height, abs=0.005)
        assert row["rig"] == first["rig"]
    # the master (the widest shot's setup) first, then the camera turns one way round the set
    widest = min(shots, key=lambda shot: SIZES.index(shot["size"]))
    assert rows[0]["setup"] == widest["setup"]
    master = _heading(by_id[rows[0]["shots"].split(";")[0]])
    quarters = [
        int(((_heading(by_id[row["shots"].split(";")[0]]) - master + 45) % 360) // 90)
        for row in rows
    ]
    assert quarters == sorted(quarters)


def test_shot_list_gives_every_shot_its_rig_height_tilt_and_setup(
    out: Path, shots: list[dict[str, Any]]
) -> None:
    with (out / "shotlist.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    for shot in shots:
        row = rows[shot["id"]]
        assert (row["rig"], row["setup"]) == (shot["rig"], shot["setup"])
        # Both files round to five decimals, numpy's way and Python's: a half may go either way.
        assert float(row["camera_height_m"]) == pytest.approx(
            shot["camera"]["position"][0][1], abs=1.1e-5
        )
        w, x, y, z = shot["camera"]["rotation"][0]
        down = math.degrees(math.asin(2 * (y * z - w * x)))  # pitch of -Z, positive looks down
        assert float(row["tilt_deg"]) == pytest.approx(down, abs=1e-3)
    pages = [page.extract_text() for page in PdfReader(out / "shotlist.pdf").pages]
    setups_page = pages[-1]
    assert "Setups in shooting order" in setups_page
    assert "Why this rig" in setups_page
    for shot in shots:
        assert shot["rig"] in " ".join(pages)


def test_a_cameras_circle_is_fitted_only_for_a_move_that_bends(
    tiny_plan: ShotPlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rig rule reads a path's distance from one circle only after the still and straight
    rules have passed it by: the fit is most of a path's cost, and it is asked for each shot's
    rig several times a plan."""
    fitted: list[int] = []
    fit = setups._off_circle

    def counted(points: np.ndarray) -> float:
        fitted.append(len(points))
        return fit(points)

    monkeypatch.setattr(setups, "_off_circle", counted)
    still, push = tiny_plan.shots
    assert [setups.rig_for(still), setups.rig_for(push)] == ["sticks", "dolly"]
    assert fitted == []
    turn = np.linspace(0.0, np.pi / 2, push.frames)
    arc = np.column_stack([2.0 * np.sin(turn), np.full(push.frames, 1.5), 2.0 * np.cos(turn)])
    camera = CameraTrack(arc, push.camera.rotation, push.camera.focal_mm, push.camera.focus_m)
    round_move = dataclasses.replace(push, movement="arc_left", camera=camera)
    assert setups.rig_rule(round_move).reason.endswith("dolly on round track.")
    assert fitted == [push.frames]


def test_a_plans_setups_are_worked_out_once(tiny_plan: ShotPlan) -> None:
    """plan.json and the shot list both give each shot's setup: the plan keeps its setups."""
    assert tiny_plan.setups == setups.setups(tiny_plan)
    assert tiny_plan.setups is tiny_plan.setups
    assert dataclasses.replace(tiny_plan).setups is not tiny_plan.setups  # a new plan, its own


# A set piece whose underside is this high is hung (a lintel): a rig on the floor passes under.
HUNG_M = 0.5
# A head and camera overhang their legs or dolly by a quarter metre; the critic keeps 5 cm more.
OVERHANG_M = 0.25 - 0.05


@pytest.mark.parametrize("style", ["classical", "thriller"])
def test_no_rig_on_the_floor_stands_or_runs_where_a_set_piece_stands(
    tmp_path: Path, style: str
) -> None:
    """The Offer played across Vera's desk (the thriller's slider had run over it): no camera
    but a crane's reaches further over a piece standing on the floor than a head overhangs its
    legs, on any frame, whatever the lens height."""
    _beatcam("plan", SCENE, "--style", style, "-o", tmp_path)
    plan = json.loads((tmp_path / "plan.json").read_text())
    standing = [
        box for box in plan["set"]["boxes"] if box["center"][1] - box["size"][1] / 2 <= HUNG_M
    ]
    assert any(box["name"] == "desk" for box in standing)
    for shot in plan["shots"]:
        if shot["rig"] == "crane":
            continue
        floor = np.array(shot["camera"]["position"])[:, [0, 2]]
        for box in standing:
            (cx, _, cz), (sx, _, sz) = box["center"], box["size"]
            inside = (np.abs(floor[:, 0] - cx) < sx / 2 - OVERHANG_M) & (
                np.abs(floor[:, 1] - cz) < sz / 2 - OVERHANG_M
            )
            assert not inside.any(), (shot["id"], shot["rig"], box["name"])
