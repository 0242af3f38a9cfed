"""The floor plan a crew works from, drawn for The Letter (Tom enters through the door, Mara
walks the kitchen): paths, entrances and marks, one camera
mark per setup, a line of action per beat, warnings, and labels that never cover a person."""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from beatcam.export import export_plan, plan_json
from beatcam.model import SetBox, ShotPlan
from beatcam.render.floorplan import FloorPlan, draw_floor_plan

ROOT = Path(__file__).resolve().parents[1]
HUNG_M = 0.5  # a piece whose underside is this high (a lintel) lets a camera pass under it
OVERHANG_M = 0.25  # a fluid head and camera overhang the legs or dolly under them this much
SCENE = ROOT / "src" / "beatcam" / "examples" / "the-letter.yaml"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("floorplan")
    for command in (
        ["plan", SCENE, "-o", folder],
        ["export", folder / "plan.json", "--to", "setups", "-o", folder],
    ):
        subprocess.run([sys.executable, "-m", "beatcam", *map(str, command)], check=True)
    return folder


@pytest.fixture(scope="module")
def plan(out: Path) -> ShotPlan:
    return plan_json.read(out / "plan.json")


@pytest.fixture(scope="module")
def drawn(plan: ShotPlan) -> FloorPlan:
    return draw_floor_plan(plan)


def test_no_label_covers_a_person(drawn: FloorPlan) -> None:
    assert drawn.discs and drawn.labels
    for label in drawn.labels:
        left, top, right, bottom = label.box
        for disc in drawn.discs:
            x, y = disc.centre
            nearest = (min(max(x, left), right), min(max(y, top), bottom))
            assert math.dist(nearest, (x, y)) >= disc.radius, (label.text, disc.name)


def test_people_are_drawn_where_the_discs_say(drawn: FloorPlan) -> None:
    pixels = np.asarray(drawn.image)
    for disc in drawn.discs:
        x, y = (round(v) for v in disc.centre)
        # a costume colour, not the paper
        assert tuple(pixels[y, x]) != (250, 250, 247), disc.name


def test_paths_entrances_marks_and_lines_of_action_are_labelled(
    drawn: FloorPlan, plan: ShotPlan
) -> None:
    texts = [label.text for label in drawn.labels]
    assert any(text.startswith("Tom enters (beat") for text in texts)
    mara = [text for text in texts if text.startswith("Mara ")]
    assert len(mara) >= 3  # she walks from mark to mark
    for name, _ in plan.cast:  # a disc on every mark: both of them move
        assert len([disc for disc in drawn.discs if disc.name == name]) >= 2
    lines = [text for text in texts if text.startswith("line of action")]
    assert len(lines) >= 2  # the line moves as the people do


def test_each_setup_is_one_lettered_camera_mark(drawn: FloorPlan, out: Path) -> None:
    with (out / "setups.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    texts = [label.text for label in drawn.labels]
    for row in rows:
        shots = row["shots"].replace(";", ", ")
        assert sum(text.startswith(f"{row['setup']}: {shots} ·") for text in texts) == 1


def _through_pieces(plan: dict[str, Any]) -> set[str]:
    """Shots whose camera, on some frame, is inside a set box, or on a rig but a crane reaches
    further over the footprint of a piece that stands on the floor than a head overhangs its
    legs (``OVERHANG_M``), from plan.json alone."""
    found = set()
    for shot in plan["shots"]:
        for box in plan["set"]["boxes"]:
            (cx, cy, cz), (sx, sy, sz) = box["center"], box["size"]
            standing = cy - sy / 2 <= HUNG_M and shot["rig"] != "crane"
            for x, y, z in shot["camera"]["position"]:
                over = abs(x - cx) < sx / 2 - OVERHANG_M and abs(z - cz) < sz / 2 - OVERHANG_M
                inside = abs(x - cx) < sx / 2 and abs(z - cz) < sz / 2 and abs(y - cy) < sy / 2
                if inside or (standing and over):
                    found.add(shot["id"])
    return found


def test_a_camera_through_a_set_piece_is_flagged_on_the_plan_and_in_the_shot_list(
    drawn: FloorPlan, out: Path
) -> None:
    with (out / "shotlist.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    warned = {shot for shot, row in rows.items() if row["warning"]}
    assert warned == _through_pieces(json.loads((out / "plan.json").read_text()))
    texts = [label.text for label in drawn.labels]
    for shot in warned:
        assert any(text.startswith(f"⚠ {shot}:") for text in texts)


def test_a_camera_standing_in_the_table_is_warned_of(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    first = tiny_plan.shots[0].camera.position[0]
    table = SetBox("table", (float(first[0]), 0.38, float(first[2])), (1.6, 0.76, 0.9))
    plan = dataclasses.replace(tiny_plan, set=dataclasses.replace(tiny_plan.set, boxes=(table,)))
    export_plan(plan, tmp_path, ("shotlist",))
    with (tmp_path / "shotlist.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    assert "stands where the table is" in rows["S01"]["warning"]
    assert any(label.text.startswith("⚠ S01:") for label in draw_floor_plan(plan).labels)
