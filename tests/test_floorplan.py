"""The floor plan a crew works from, drawn for The Letter (Tom enters through the door, Mara
walks the kitchen, a slider runs through the table): paths, entrances and marks, one camera
mark per setup, a line of action per beat, warnings, and labels that never cover a person."""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from beatcam.export import plan_json
from beatcam.model import ShotPlan
from beatcam.render.floorplan import FloorPlan, draw_floor_plan

ROOT = Path(__file__).resolve().parents[1]
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


def test_a_camera_through_a_set_piece_is_flagged_on_the_plan_and_in_the_shot_list(
    drawn: FloorPlan, out: Path
) -> None:
    with (out / "shotlist.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    warned = {shot for shot, row in rows.items() if row["warning"]}
    assert "S03" in warned  # the slider's push-in runs through the table
    assert "table" in rows["S03"]["warning"]
    texts = [label.text for label in drawn.labels]
    for shot in warned:
        assert any(text.startswith(f"⚠ {shot}:") for text in texts)
