"""The poses reach every 3D export: a seated and a kneeling character read back with pxr,
pygltflib and bpy stand (or sit) where the skeleton puts them, not where a standing figure
would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pygltflib
import pytest

from beatcam.model.skeleton import HIP_RATIO, KNEE_RATIO
from conftest import plan_and_export, read_back_in_blender

SCENE = "Cast: Mara, Tom\nSet: office\nMara sits down.\nTom kneels in front of her.\n"
TOLERANCE_M = 0.01


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("posed")
    return folder, plan_and_export(folder, "posed.txt", SCENE, "usd,gltf,blender")


def _last(plan: dict[str, Any], name: str, pose: str) -> int:
    poses = plan["blocking"][name]["pose"]
    frame = len(poses) - 1
    assert poses[frame] == pose
    return frame


def _heights(plan: dict[str, Any]) -> dict[str, float]:
    return {member["name"]: member["height_m"] for member in plan["cast"]}


def test_usd_bones_sit_and_kneel(exported: tuple[Path, dict[str, Any]]) -> None:
    from pxr import Usd, UsdGeom

    folder, plan = exported
    stage = Usd.Stage.Open(str(folder / "scene.usda"))
    heights = _heights(plan)
    frame = _last(plan, "Mara", "sit")
    pelvis = UsdGeom.Xformable(stage.GetPrimAtPath("/Scene/Characters/Mara/pelvis"))
    hips = pelvis.ComputeLocalToWorldTransform(Usd.TimeCode(frame)).ExtractTranslation()
    assert hips[1] == pytest.approx(KNEE_RATIO * heights["Mara"], abs=TOLERANCE_M)
    thigh = UsdGeom.Xformable(stage.GetPrimAtPath("/Scene/Characters/Mara/l_thigh"))
    axes = np.array(thigh.ComputeLocalToWorldTransform(Usd.TimeCode(frame)).ExtractRotationMatrix())
    assert abs(axes[1][1]) < 0.05  # the thigh's own axis lies level: seated
    standing = pelvis.ComputeLocalToWorldTransform(Usd.TimeCode(0)).ExtractTranslation()
    assert standing[1] > hips[1] + 0.3
    kneel = _last(plan, "Tom", "kneel")
    shin = UsdGeom.Xformable(stage.GetPrimAtPath("/Scene/Characters/Tom/l_shin"))
    knee = shin.ComputeLocalToWorldTransform(Usd.TimeCode(kneel)).ExtractTranslation()
    radius = UsdGeom.Capsule(stage.GetPrimAtPath("/Scene/Characters/Tom/l_thigh/Shape"))
    assert knee[1] == pytest.approx(radius.GetRadiusAttr().Get(), abs=TOLERANCE_M)  # on the floor


def test_gltf_bones_sit(exported: tuple[Path, dict[str, Any]]) -> None:
    folder, plan = exported
    document = pygltflib.GLTF2.load(str(folder / "scene.glb"))
    blob = document.binary_blob()
    index = next(i for i, node in enumerate(document.nodes) if node.name == "Mara pelvis")
    (channel,) = [
        c
        for c in document.animations[0].channels
        if c.target.node == index and c.target.path == "translation"
    ]
    sampler = document.animations[0].samplers[channel.sampler]

    def read(accessor_index: int, width: int) -> np.ndarray:
        accessor = document.accessors[accessor_index]
        view = document.bufferViews[accessor.bufferView]
        data = np.frombuffer(blob, np.float32, accessor.count * width, view.byteOffset)
        return data.reshape(accessor.count, width)

    times, values = read(sampler.input, 1)[:, 0], read(sampler.output, 3)
    frame = _last(plan, "Mara", "sit")
    hips = np.interp(frame / plan["fps"], times, values[:, 1])
    assert hips == pytest.approx(KNEE_RATIO * _heights(plan)["Mara"], abs=TOLERANCE_M)
    assert values[0, 1] > hips + 0.3  # she stood before she sat


BLEND_CHECK = r"""
import json, sys
import bpy
bpy.ops.wm.open_mainfile(filepath=sys.argv[1])
scene = bpy.context.scene
report = {}
for frame in json.loads(sys.argv[2]):
    scene.frame_set(frame)
    report[str(frame)] = list(scene.objects["Mara pelvis"].matrix_world.translation)
print("REPORT" + json.dumps(report))
"""


def test_blender_bones_sit(exported: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    folder, plan = exported
    frame = _last(plan, "Mara", "sit")
    report = read_back_in_blender(folder, tmp_path, BLEND_CHECK, json.dumps([0, frame]))
    height = _heights(plan)["Mara"]
    x, _, z = plan["blocking"]["Mara"]["position"][frame]
    hips = np.array(report[str(frame)])  # Blender is Z up: (x, -z, y)
    assert hips[2] == pytest.approx(KNEE_RATIO * height, abs=TOLERANCE_M)
    back = float(np.hypot(hips[0] - x, hips[1] + z))  # sat down onto a chair behind the mark
    assert back == pytest.approx((HIP_RATIO - KNEE_RATIO) * height, abs=TOLERANCE_M)
    assert report["0"][2] > hips[2] + 0.3
