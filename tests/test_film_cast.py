"""A screenplay's people keep their height and costume from scene to scene, whatever order
each scene meets them in."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from beatcam.export import plan_json
from beatcam.model.geometry import look_at
from beatcam.model.plan import ShotPlan
from beatcam.render.projection import picture_rect, view_projections
from beatcam.render.scene import SceneRenderer, cast_colours, matte_colour
from conftest import BEATCAM, run_ok

SCRIPT = """Title: Two Rooms

INT. KITCHEN - DAY

MARA sorts the post. TOM comes in.

MARA
You're late.

INT. HALLWAY - NIGHT

TOM waits by the door. MARA joins him.

TOM
Ready?
"""
SIZE = (160, 160)
# Chromaticity moves a little as the warm key and the cool fill fall differently on a body
# that faces another way; costumes of the palette differ by more.
COSTUME_TOLERANCE = 0.04


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> list[ShotPlan]:
    folder = tmp_path_factory.mktemp("film")
    script = folder / "two.fountain"
    script.write_text(SCRIPT, encoding="utf-8")
    run_ok([*BEATCAM, "plan", str(script), "-o", str(folder), "-q"])
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    folders = [folder / scene["folder"] for scene in index["scenes"]]
    return [plan_json.read(Path(scene) / "plan.json") for scene in folders]


def _costume(plan: ShotPlan, name: str) -> np.ndarray:
    """The chromaticity (r, g, b summing to 1) of ``name``'s lit torso, seen from in front on
    the scene's last frame: the matte pass says which pixels are the body, and the share of
    each channel does not change with how the key light falls."""
    track = plan.blocking[name]
    frame = plan.frames - 1
    heading = np.deg2rad(track.facing_deg[frame])
    chest = track.position[frame] + np.array([0.0, 0.68 * track.height_m, 0.0])
    eye = chest + 1.2 * np.array([np.sin(heading), 0.0, np.cos(heading)])
    rect = picture_rect(SIZE, "4:3")
    matrix = view_projections(
        eye[None], look_at(eye[None], chest[None]), np.array([50.0]), 27.0, rect.aspect
    )[0]
    viewport = (rect.x, rect.y, rect.width, rect.height)
    index = [member for member, _ in plan.cast].index(name)
    with SceneRenderer(plan, SIZE) as renderer:
        matte = renderer.render(frame, matrix, eye, viewport, matte=True).copy()
        lit = renderer.render(frame, matrix, eye, viewport).astype(np.float64)
    body = np.all(matte == np.array(matte_colour(index, head=False), dtype=np.uint8), axis=2)
    assert body.sum() > 100
    colour = lit[body].mean(axis=0)
    return np.asarray(colour / colour.sum())


def test_each_person_keeps_height_and_costume_across_scenes(plans: list[ShotPlan]) -> None:
    first, second = plans
    assert [name for name, _ in first.cast] != [name for name, _ in second.cast]  # reordered
    assert dict(first.cast) == dict(second.cast)
    seen = {(plan.title, name): _costume(plan, name) for plan in plans for name in ("Mara", "Tom")}
    for name, other in (("Mara", "Tom"), ("Tom", "Mara")):
        same = np.abs(seen[first.title, name] - seen[second.title, name]).max()
        apart = np.abs(seen[first.title, name] - seen[first.title, other]).max()
        assert same < COSTUME_TOLERANCE < apart  # the same costume under another light


def test_a_scenes_cast_wears_distinct_colours() -> None:
    names = ["Ana", "Ben", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal"]
    assert len(set(cast_colours(names))) == len(names)
    assert cast_colours(names[::-1]) == cast_colours(names)[::-1]  # by name, not by order
