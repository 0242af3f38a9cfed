"""Props named in the beats: held in a hand, put down on the table, framed by an insert, and
present in every 3D export, read back with each format's own library."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pygltflib
import pytest

from beatcam.affect import read_affect
from beatcam.direct import direct
from beatcam.export import schemas
from beatcam.model.geometry import quat_to_matrix
from beatcam.model.props import PROP_KINDS
from beatcam.model.vocab import POSES
from beatcam.script import read_scenes
from conftest import plan_and_export, read_back_in_blender

SCENE = """title: Props
cast: [Mara, Tom]
set: kitchen
beats:
  - Mara picks up the letter and reads it.
  - text: Mara holds the letter.
    camera: {framing: insert}
  - Tom drops his keys on the table.
"""
TOLERANCE_M = 1e-3
INSERT_AIM_DEG = 3.0  # the insert's lens axis passes this close to the prop


@pytest.fixture(scope="module")
def shot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("props")
    return folder, plan_and_export(folder, "props.yaml", SCENE, "usd,gltf,blender")


def _prop(plan: dict[str, Any], name: str) -> dict[str, Any]:
    (prop,) = [prop for prop in plan["set"]["props"] if prop["name"] == name]
    found: dict[str, Any] = prop
    return found


def test_the_letter_is_held_and_the_keys_rest_on_the_table(
    shot: tuple[Path, dict[str, Any]],
) -> None:
    _, plan = shot
    letter = _prop(plan, "letter")
    assert letter["held_by"] == "Mara"
    frames = sum(beat["frames"] for beat in plan["beats"])
    assert len(letter["position"]) == len(letter["holder"]) == frames
    held = [f for f, holder in enumerate(letter["holder"]) if holder == "Mara"]
    assert held and held[-1] == frames - 1  # taken in the first beat, still in hand at the end
    mara = np.array(plan["blocking"]["Mara"]["position"])[held]
    position = np.array(letter["position"])[held]
    assert np.all(np.linalg.norm((position - mara)[:, [0, 2]], axis=1) < 0.8)  # in reach
    assert np.all((position[:, 1] > 0.6) & (position[:, 1] < 1.7))  # hand height, not floor
    keys = np.array(_prop(plan, "key")["position"])
    (table,) = [box for box in plan["set"]["boxes"] if box["name"] == "table"]
    top = table["center"][1] + table["size"][1] / 2
    assert keys[-1][1] == pytest.approx(top)
    assert np.all(np.abs(keys[-1][[0, 2]] - np.array(table["center"])[[0, 2]])
                  <= np.array(table["size"])[[0, 2]] / 2 + 1e-9)  # fmt: skip


def test_the_insert_frames_the_prop_in_the_hand(shot: tuple[Path, dict[str, Any]]) -> None:
    _, plan = shot
    (insert,) = [s for s in plan["shots"] if s["framing"] == "insert" and s["beat"] == 1]
    letter = np.array(_prop(plan, "letter")["position"])
    for offset in (0, insert["frames"] // 2, insert["frames"] - 1):
        camera = np.array(insert["camera"]["position"][offset])
        axes = quat_to_matrix(np.array([insert["camera"]["rotation"][offset]]))[0]
        toward = letter[insert["start_frame"] + offset] - camera
        cosine = float(-axes[:, 2] @ toward / np.linalg.norm(toward))
        assert np.degrees(np.arccos(min(cosine, 1.0))) < INSERT_AIM_DEG


def test_the_schema_names_the_vocabulary() -> None:
    blocking = schemas.load("plan")["properties"]["blocking"]["additionalProperties"]
    assert blocking["properties"]["pose"]["items"]["enum"] == list(POSES)
    props = schemas.load("plan")["properties"]["set"]["properties"]["props"]
    assert props["items"]["properties"]["name"]["enum"] == list(PROP_KINDS)


def test_usd_and_gltf_carry_the_props(shot: tuple[Path, dict[str, Any]]) -> None:
    from pxr import Usd, UsdGeom

    folder, plan = shot
    letter = np.array(_prop(plan, "letter")["position"])
    frame = len(letter) - 1
    stage = Usd.Stage.Open(str(folder / "scene.usda"))
    prim = UsdGeom.Xformable(stage.GetPrimAtPath("/Scene/Props/letter"))
    at = prim.ComputeLocalToWorldTransform(Usd.TimeCode(frame)).ExtractTranslation()
    assert np.allclose(at, letter[frame], atol=TOLERANCE_M)
    assert stage.GetPrimAtPath("/Scene/Props/key/box_0").IsValid()
    document = pygltflib.GLTF2.load(str(folder / "scene.glb"))
    names = {node.name for node in document.nodes}
    assert {"Props", "letter", "key", "letter box 0"} <= names


BLEND_CHECK = r"""
import json, sys
import bpy
bpy.ops.wm.open_mainfile(filepath=sys.argv[1])
scene = bpy.context.scene
scene.frame_set(int(sys.argv[2]))
print("REPORT" + json.dumps(list(scene.objects["letter"].matrix_world.translation)))
"""


def test_blender_carries_the_props(shot: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    folder, plan = shot
    letter = _prop(plan, "letter")["position"]
    frame = len(letter) - 1
    x, y, z = letter[frame]
    at = read_back_in_blender(folder, tmp_path, BLEND_CHECK, str(frame))
    assert np.allclose(at, [x, -z, y], atol=TOLERANCE_M)


def test_sitting_again_where_a_chair_stands_sits_on_that_chair() -> None:
    """Tom sits, goes to the window, sits where he sat, and sits again by the window: three
    sittings in two places, so two chairs, one under each sitting (a chair per sitting, each
    carried on every frame, made plan.json grow with the square of a long scene)."""
    sittings = [
        "Tom sits down slowly and does not look at her.",
        "Tom stands up and walks to the window.",
    ]
    text = "Cast: Mara, Tom\nSet: kitchen\n" + "\n".join([*sittings, *sittings, sittings[0]])
    direction = direct(read_affect(read_scenes("sits.txt", text.encode())[0]), "classical")
    chairs = [prop.position[0] for prop in direction.set.props if prop.name == "chair"]
    tom = direction.blocking["Tom"]
    sitting = np.array([pose == "sit" for pose in tom.pose])
    starts = np.flatnonzero(sitting[1:] & ~sitting[:-1]) + 1
    assert len(starts) == 3
    assert len(chairs) == 2 and not np.array_equal(chairs[0], chairs[1])
    for start in starts:  # each sitting has a chair within reach of its mark
        reach = [float(np.linalg.norm((chair - tom.position[start])[[0, 2]])) for chair in chairs]
        assert min(reach) < 1.0
