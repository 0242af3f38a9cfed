"""The 3D exports, read back with each format's own tools: USD (pxr and UsdValidation), glTF
(pygltflib and the Khronos glTF-Validator), Blender (bpy in its side venv) and Unreal (the
generated script parsed and its conversions checked against Unreal's rotator maths)."""

from __future__ import annotations

import ast
import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pygltflib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beatcam.errors import StageError
from beatcam.export import blender, export_plan, gltf, scene_geometry, unreal, unreal_script, usd
from beatcam.export import blender_script as bscript
from beatcam.model import ShotPlan
from beatcam.model.geometry import camera_axes, look_at, quat_to_matrix

REPO = Path(__file__).resolve().parents[1]
VALIDATOR = REPO / "tools" / "gltf-validate.mjs"
TOLERANCE = 1e-4
# Blender's world from beatcam's: (x, y, z) -> (x, -z, y)
Y_UP_TO_Z_UP = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, -1.0], [0.0, 1.0, 0.0]])
# Unreal's axes from beatcam's, before centimetres: (x, y, z) -> (x, z, y)
Y_UP_TO_UNREAL = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])

unit_quats = st.lists(st.floats(-1.0, 1.0, allow_nan=False), min_size=4, max_size=4).filter(
    lambda q: float(np.linalg.norm(q)) > 0.1
)


def load_script(path: Path) -> dict[str, Any]:
    """Execute a generated script as a module (not as __main__): its functions and DATA."""
    namespace: dict[str, Any] = {"__name__": "generated"}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)
    return namespace


# --- USD -------------------------------------------------------------------------------------


@pytest.fixture
def stage(tiny_plan: ShotPlan, tmp_path: Path) -> Any:
    from pxr import Usd

    (path,) = usd.write(tiny_plan, tmp_path)
    assert path == tmp_path / "scene.usda"
    return Usd.Stage.Open(str(path))


def _validation_errors(stage: Any) -> list[str]:
    from pxr import UsdValidation

    registry = UsdValidation.ValidationRegistry()
    context = UsdValidation.ValidationContext(registry.GetOrLoadAllValidators())
    return [error.GetMessage() for error in context.Validate(stage)]


def test_usd_passes_validation_and_states_units_axis_and_clock(
    stage: Any, tiny_plan: ShotPlan
) -> None:
    from pxr import Usd, UsdGeom

    assert _validation_errors(Usd.Stage.CreateInMemory()), "the validators must be able to fail"
    assert _validation_errors(stage) == []
    assert UsdGeom.GetStageMetersPerUnit(stage) == 1.0
    assert UsdGeom.GetStageUpAxis(stage) == UsdGeom.Tokens.y
    assert stage.GetDefaultPrim().GetPath() == "/Scene"
    assert stage.GetTimeCodesPerSecond() == tiny_plan.fps
    assert (stage.GetStartTimeCode(), stage.GetEndTimeCode()) == (0, tiny_plan.frames - 1)
    facts = stage.GetRootLayer().customLayerData["beatcam"]
    assert facts["input_sha256"] == tiny_plan.provenance.input_sha256
    assert facts["network"] == "none"
    assert facts["models"]["00"]["licence"] == "MIT"


def test_usd_shot_cameras_read_back_to_the_plan(stage: Any, tiny_plan: ShotPlan) -> None:
    from pxr import Gf, Usd, UsdGeom

    width, height = tiny_plan.sensor_mm
    for shot in tiny_plan.shots:
        camera = UsdGeom.Camera(stage.GetPrimAtPath(f"/Scene/Cameras/{shot.id}"))
        assert camera, shot.id
        assert camera.GetPrim().GetCustomDataByKey("beatcam")["movement"] == shot.movement
        expected_axes = quat_to_matrix(shot.camera.rotation)
        for offset in range(shot.frames):
            time = Usd.TimeCode(shot.start_frame + offset)
            world = camera.ComputeLocalToWorldTransform(time)
            position = np.array(world.ExtractTranslation())
            assert np.allclose(position, shot.camera.position[offset], atol=TOLERANCE)
            # USD matrices act on row vectors: row i is local axis i in world coordinates.
            axes = np.array([list(world.GetRow3(i)) for i in range(3)]).T
            assert np.allclose(axes, expected_axes[offset], atol=TOLERANCE)
            lens = camera.GetCamera(time)
            focal_mm = lens.focalLength / usd.MM_TO_LENS_UNITS
            assert focal_mm == pytest.approx(shot.camera.focal_mm[offset], abs=TOLERANCE)
            fov = lens.GetFieldOfView(Gf.Camera.FOVVertical)
            expected = 2 * math.degrees(math.atan(height / (2 * shot.camera.focal_mm[offset])))
            assert fov == pytest.approx(expected, abs=TOLERANCE)
            focus = camera.GetFocusDistanceAttr().Get(time)
            assert focus == pytest.approx(shot.camera.focus_m[offset], abs=TOLERANCE)
        assert lens.horizontalAperture / usd.MM_TO_LENS_UNITS == pytest.approx(width)


def test_usd_cut_camera_plays_each_shot_and_jumps_at_the_cut(
    stage: Any, tiny_plan: ShotPlan
) -> None:
    from pxr import Usd, UsdGeom

    cut = UsdGeom.Camera(stage.GetPrimAtPath("/Scene/Cameras/Cut"))
    for shot in tiny_plan.shots:
        for offset in (0, shot.frames // 2, shot.frames - 1):
            time = Usd.TimeCode(shot.start_frame + offset)
            position = np.array(cut.ComputeLocalToWorldTransform(time).ExtractTranslation())
            assert np.allclose(position, shot.camera.position[offset], atol=TOLERANCE)
            focal = cut.GetFocalLengthAttr().Get(time) / usd.MM_TO_LENS_UNITS
            assert focal == pytest.approx(shot.camera.focal_mm[offset], abs=TOLERANCE)
    first, second = tiny_plan.shots
    just_before_cut = Usd.TimeCode(second.start_frame - scene_geometry.CUT_LEAD_FRAMES * 2)
    position = np.array(cut.ComputeLocalToWorldTransform(just_before_cut).ExtractTranslation())
    assert np.allclose(position, first.camera.position[-1], atol=TOLERANCE)


def test_usd_characters_follow_the_blocking(stage: Any, tiny_plan: ShotPlan) -> None:
    from pxr import Usd, UsdGeom

    track = tiny_plan.blocking["Mara"]
    character = UsdGeom.Xformable(stage.GetPrimAtPath("/Scene/Characters/Mara"))
    for frame in (0, 50, tiny_plan.frames - 1):
        world = character.ComputeLocalToWorldTransform(Usd.TimeCode(frame))
        assert np.allclose(world.ExtractTranslation(), track.position[frame], atol=TOLERANCE)
    head = UsdGeom.Capsule(stage.GetPrimAtPath("/Scene/Characters/Mara/head/Shape"))
    centre = head.ComputeLocalToWorldTransform(Usd.TimeCode(0)).ExtractTranslation()
    top = centre[1] + head.GetHeightAttr().Get() / 2 + head.GetRadiusAttr().Get()
    assert top == pytest.approx(track.height_m)  # standing, the head's top is the height
    boxes = stage.GetPrimAtPath("/Scene/Set").GetChildren()
    assert len(boxes) == len(tiny_plan.set.boxes)


def test_usd_names_become_unique_identifiers() -> None:
    assert scene_geometry.identifiers(["Mara", "Mary Ann", "Mary_Ann", "7up", ""]) == [
        "Mara",
        "Mary_Ann",
        "Mary_Ann_2",
        "_7up",
        "_",
    ]


# --- glTF ------------------------------------------------------------------------------------


def _validate_gltf(path: Path) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "gltf-validator").is_dir():
        pytest.fail("the Khronos glTF-Validator is not installed: run `npm ci` in the repo root")
    result = subprocess.run(
        [node, str(VALIDATOR), str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    report: dict[str, Any] = json.loads(result.stdout)
    assert (result.returncode == 0) == (report["issues"]["numErrors"] == 0)
    return report


def _accessor(document: pygltflib.GLTF2, index: int) -> np.ndarray:
    accessor = document.accessors[index]
    view = document.bufferViews[accessor.bufferView]
    width = {"SCALAR": 1, "VEC3": 3, "VEC4": 4}[accessor.type]
    blob = document.binary_blob()
    start = view.byteOffset + (accessor.byteOffset or 0)
    data = np.frombuffer(blob, dtype=np.float32, count=accessor.count * width, offset=start)
    return data.reshape(accessor.count, width) if width > 1 else data


def _channels(document: pygltflib.GLTF2) -> dict[tuple[object, str], tuple[np.ndarray, np.ndarray]]:
    """(node index or pointer, path) -> (input times, output values) of the one animation."""
    (animation,) = document.animations
    result = {}
    for channel in animation.channels:
        sampler = animation.samplers[channel.sampler]
        target = channel.target
        key = target.node
        if target.path == "pointer":
            key = target.extensions[gltf.POINTER_EXTENSION]["pointer"]
        result[(key, target.path)] = (
            _accessor(document, sampler.input),
            _accessor(document, sampler.output),
        )
    return result


@pytest.fixture
def glb(tiny_plan: ShotPlan, tmp_path: Path) -> Path:
    (path,) = gltf.write(tiny_plan, tmp_path)
    assert path == tmp_path / "scene.glb"
    return path


def test_gltf_passes_the_khronos_validator(glb: Path, tmp_path: Path) -> None:
    report = _validate_gltf(glb)
    assert report["issues"]["numErrors"] == 0, report["issues"]["messages"][:5]
    assert report["issues"]["numWarnings"] == 0, report["issues"]["messages"][:5]
    assert report["info"]["animationCount"] == 1
    broken = tmp_path / "broken.glb"
    broken.write_bytes(glb.read_bytes()[:-64])
    assert _validate_gltf(broken)["issues"]["numErrors"] > 0, "the validator must be able to fail"


def test_gltf_cameras_read_back_to_the_plan(glb: Path, tiny_plan: ShotPlan) -> None:
    document = pygltflib.GLTF2.load(str(glb))
    assert document.extensionsUsed == [gltf.POINTER_EXTENSION]
    assert not document.extensionsRequired
    assert document.asset.extras["beatcam"]["input_sha256"] == tiny_plan.provenance.input_sha256
    channels = _channels(document)
    nodes = {node.name: index for index, node in enumerate(document.nodes)}
    width, height = tiny_plan.sensor_mm
    for shot in tiny_plan.shots:
        node = document.nodes[nodes[shot.id]]
        camera = document.cameras[node.camera]
        assert camera.perspective.aspectRatio == pytest.approx(width / height)
        first_fov = 2 * math.atan(height / (2 * shot.camera.focal_mm[0]))
        assert camera.perspective.yfov == pytest.approx(first_fov)
        times, translation = channels[(nodes[shot.id], "translation")]
        expected_times = (shot.start_frame + np.arange(shot.frames)) / tiny_plan.fps
        assert np.allclose(times, expected_times, atol=1e-6)
        assert np.allclose(translation, shot.camera.position, atol=TOLERANCE)
        _, rotation = channels[(nodes[shot.id], "rotation")]
        wxyz = rotation[:, [3, 0, 1, 2]].astype(np.float64)
        assert np.allclose(np.linalg.norm(wxyz, axis=1), 1.0, atol=1e-6)
        assert np.allclose(
            quat_to_matrix(wxyz), quat_to_matrix(shot.camera.rotation), atol=TOLERANCE
        )
        _, yfov = channels[(f"/cameras/{node.camera}/perspective/yfov", "pointer")]
        focal = height / (2 * np.tan(yfov.astype(np.float64) / 2))
        assert np.allclose(focal, shot.camera.focal_mm, atol=TOLERANCE)
    cut_node = nodes[gltf.CUT_CAMERA]
    times, translation = channels[(cut_node, "translation")]
    second = tiny_plan.shots[1]
    at_cut = int(np.argmin(np.abs(times - second.start_frame / tiny_plan.fps)))
    assert np.allclose(translation[at_cut], second.camera.position[0], atol=TOLERANCE)
    assert np.allclose(
        translation[at_cut - 1], tiny_plan.shots[0].camera.position[-1], atol=TOLERANCE
    )


def test_gltf_characters_walk_and_turn_with_the_blocking(glb: Path, tiny_plan: ShotPlan) -> None:
    document = pygltflib.GLTF2.load(str(glb))
    channels = _channels(document)
    index = next(i for i, node in enumerate(document.nodes) if node.name == "Mara")
    track = tiny_plan.blocking["Mara"]
    _, translation = channels[(index, "translation")]
    assert np.allclose(translation, track.position, atol=TOLERANCE)
    _, rotation = channels[(index, "rotation")]
    front = quat_to_matrix(rotation[:, [3, 0, 1, 2]].astype(np.float64))[:, :, 2]
    heading = np.deg2rad(track.facing_deg)
    assert np.allclose(
        front, np.stack([np.sin(heading), 0 * heading, np.cos(heading)], 1), atol=1e-5
    )


# --- Blender ---------------------------------------------------------------------------------


@given(unit_quats)
def test_blender_rotation_is_the_same_world_turn_as_the_locations(quat: list[float]) -> None:
    q = np.array(quat) / np.linalg.norm(quat)
    turned = np.array(bscript.to_blender_rotation(q))
    assert np.allclose(quat_to_matrix(turned)[0], Y_UP_TO_Z_UP @ quat_to_matrix(q)[0], atol=1e-9)
    point = q[1:]
    assert np.allclose(bscript.to_blender_location(point), Y_UP_TO_Z_UP @ point)


def test_blender_script_is_self_contained_and_embeds_the_plan(
    tiny_plan: ShotPlan, tmp_path: Path
) -> None:
    (script,) = blender.write(tiny_plan, tmp_path)
    assert script == tmp_path / "blender" / "build_scene.py"
    tree = ast.parse(script.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert imported <= {
        "__future__",
        "argparse",
        "datetime",
        "json",
        "math",
        "sys",
        "collections",
        "pathlib",
        "typing",
        "bpy",
        "bmesh",
        "io_scene_fbx",  # the FBX exporter that ships with Blender
    }
    namespace = load_script(script)
    data = namespace["DATA"]
    assert [shot["id"] for shot in data["shots"]] == [shot.id for shot in tiny_plan.shots]
    for shot, embedded in zip(tiny_plan.shots, data["shots"], strict=True):
        assert np.allclose(embedded["position"], shot.camera.position, atol=1e-6)
        assert np.allclose(embedded["focal_mm"], shot.camera.focal_mm, atol=1e-6)
    assert np.allclose(data["characters"][0]["position"], tiny_plan.blocking["Mara"].position)
    assert namespace["to_blender_location"]((1.0, 2.0, 3.0)) == (1.0, -3.0, 2.0)


BLEND_CHECK = r"""
import json, sys
import bpy
from bpy_extras import anim_utils


def curves(data):
    animation = data.animation_data
    bag = anim_utils.action_get_channelbag_for_slot(animation.action, animation.action_slot)
    return list(bag.fcurves)


bpy.ops.wm.open_mainfile(filepath=sys.argv[1])
scene = bpy.context.scene
cameras = {o.name: o for o in scene.objects if o.type == "CAMERA"}
report = {
    "fps": scene.render.fps,
    "range": [scene.frame_start, scene.frame_end],
    "markers": sorted([m.name, m.frame, m.camera.name] for m in scene.timeline_markers),
    "sensor": {n: [o.data.sensor_width, o.data.sensor_height, o.data.sensor_fit]
               for n, o in cameras.items()},
    "dof": {n: o.data.dof.use_dof for n, o in cameras.items()},
    "system": {n: o.data.bl_system_properties_get() is not None for n, o in cameras.items()},
    "lens_keys": {n: [len(c.keyframe_points) for c in curves(o.data) if c.data_path == "lens"]
                  for n, o in cameras.items()},
    "provenance": json.loads(scene["beatcam_provenance"]),
    "frames": {},
}
for frame in json.loads(sys.argv[2]):
    scene.frame_set(frame)
    sample = {
        name: {"location": list(o.matrix_world.translation),
               "axes": [list(row) for row in o.matrix_world.to_3x3()],
               "lens": o.data.lens, "focus": o.data.dof.focus_distance}
        for name, o in cameras.items()
    }
    sample["Mara"] = {"location": list(scene.objects["Mara"].matrix_world.translation)}
    report["frames"][str(frame)] = sample
bpy.ops.wm.read_factory_settings(use_empty=True)
bpy.ops.import_scene.fbx(filepath=sys.argv[3], anim_offset=0.0)  # FBX time = frame / fps
(camera,) = [o for o in bpy.data.objects if o.type == "CAMERA"]
bpy.context.scene.frame_set(int(sys.argv[4]))
report["fbx"] = {"name": camera.name, "location": list(camera.matrix_world.translation),
                 "lens": camera.data.lens}
print("REPORT" + json.dumps(report))
"""


@pytest.fixture(scope="module")
def blender_report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Build scene.blend and the FBX cameras with bpy, then read them back with bpy."""
    command = blender.blender_command()
    if command is None:
        pytest.skip(f"no Blender Python (side venv absent); install: {blender.INSTALL_HINT}")
    from conftest import build_tiny_plan

    plan = build_tiny_plan()
    out = tmp_path_factory.mktemp("blender")
    (script,) = blender.write(plan, out)
    blend = blender.build_blend(script, out / "blender" / "scene.blend")
    fbx = unreal.build_fbx(plan, out)
    assert [path.name for path in fbx] == ["S01.fbx", "S02.fbx"]
    assert sorted(path.name for path in (out / "unreal" / "cameras").iterdir()) == [
        "S01.fbx",
        "S02.fbx",
    ]
    assert sorted(path.name for path in blend.parent.iterdir()) == ["build_scene.py", "scene.blend"]
    check = out / "check.py"
    check.write_text(BLEND_CHECK)
    frames = [0, 30, 48, 100]
    arguments = [str(blend), json.dumps(frames), str(fbx[1]), "100"]
    result = subprocess.run(
        [*command, str(check), *arguments], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("REPORT"))
    report: dict[str, Any] = json.loads(line.removeprefix("REPORT"))
    return report


def test_blend_has_the_cut_on_markers_bound_to_cameras(
    blender_report: dict[str, Any], tiny_plan: ShotPlan
) -> None:
    report = blender_report
    assert report["fps"] == tiny_plan.fps
    assert report["range"] == [0, tiny_plan.frames - 1]
    assert report["markers"] == [[shot.id, shot.start_frame, shot.id] for shot in tiny_plan.shots]
    for shot in tiny_plan.shots:
        assert report["sensor"][shot.id] == [*tiny_plan.sensor_mm, "HORIZONTAL"]
        assert report["dof"][shot.id] is True
        assert report["system"][shot.id] is False  # no compatibility copy, whose ids vary
        assert report["lens_keys"][shot.id] == [shot.frames]
    assert report["provenance"]["input_sha256"] == tiny_plan.provenance.input_sha256


def test_blend_cameras_and_characters_stand_where_the_plan_says(
    blender_report: dict[str, Any], tiny_plan: ShotPlan
) -> None:
    for frame, sample in blender_report["frames"].items():
        frame_index = int(frame)
        for shot in tiny_plan.shots:
            offset = min(max(frame_index - shot.start_frame, 0), shot.frames - 1)
            got = sample[shot.id]
            expected = Y_UP_TO_Z_UP @ shot.camera.position[offset]
            assert np.allclose(got["location"], expected, atol=TOLERANCE), (frame, shot.id)
            axes = Y_UP_TO_Z_UP @ quat_to_matrix(shot.camera.rotation[offset : offset + 1])[0]
            assert np.allclose(got["axes"], axes, atol=TOLERANCE), (frame, shot.id)
            assert got["lens"] == pytest.approx(shot.camera.focal_mm[offset], abs=TOLERANCE)
            assert got["focus"] == pytest.approx(shot.camera.focus_m[offset], abs=TOLERANCE)
        mara = Y_UP_TO_Z_UP @ tiny_plan.blocking["Mara"].position[frame_index]
        assert np.allclose(sample["Mara"]["location"], mara, atol=TOLERANCE)


def test_fbx_camera_carries_its_shot(blender_report: dict[str, Any], tiny_plan: ShotPlan) -> None:
    shot = tiny_plan.shots[1]
    offset = 100 - shot.start_frame
    fbx = blender_report["fbx"]
    assert fbx["name"] == shot.id
    expected = Y_UP_TO_Z_UP @ shot.camera.position[offset]
    assert np.allclose(fbx["location"], expected, atol=1e-3)
    assert fbx["lens"] == pytest.approx(shot.camera.focal_mm[offset], abs=1e-3)


def test_building_a_blend_without_blender_says_how_to_install(
    tiny_plan: ShotPlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(blender, "blender_command", lambda: None)
    (script,) = blender.write(tiny_plan, tmp_path)
    with pytest.raises(StageError, match="pip install bpy"):
        blender.build_blend(script, tmp_path / "scene.blend")
    assert not (tmp_path / "scene.blend").exists()


# --- Unreal ----------------------------------------------------------------------------------


def _unreal_matrix(roll: float, pitch: float, yaw: float) -> np.ndarray:
    """Rows = Unreal's forward (X), right (Y) and up (Z) axes: FRotationMatrix's formula."""
    sr, cr = math.sin(math.radians(roll)), math.cos(math.radians(roll))
    sp, cp = math.sin(math.radians(pitch)), math.cos(math.radians(pitch))
    sy, cy = math.sin(math.radians(yaw)), math.cos(math.radians(yaw))
    return np.array(
        [
            [cp * cy, cp * sy, sp],
            [sr * sp * cy - cr * sy, sr * sp * sy + cr * cy, -sr * cp],
            [-(cr * sp * cy + sr * sy), cy * sr - cr * sp * sy, cr * cp],
        ]
    )


@settings(max_examples=300)
@given(unit_quats)
def test_unreal_rotator_rebuilds_the_camera_axes(quat: list[float]) -> None:
    q = np.array(quat) / np.linalg.norm(quat)
    right, up, forward = (axis[0] for axis in camera_axes(q[None, :]))
    if abs(forward[1]) > 0.999:  # straight up or down: yaw and roll share one degree of freedom
        return
    rows = _unreal_matrix(*unreal_script.to_unreal_rotator(q))
    assert np.allclose(rows[0], Y_UP_TO_UNREAL @ forward, atol=1e-7)
    assert np.allclose(rows[1], Y_UP_TO_UNREAL @ right, atol=1e-7)
    assert np.allclose(rows[2], Y_UP_TO_UNREAL @ up, atol=1e-7)


def test_unreal_conversion_reads_as_a_camera_operator_expects() -> None:
    eye = np.array([[0.0, 1.5, 4.0]])
    level = look_at(eye, np.array([[0.0, 1.5, 0.0]]))[0]
    down = look_at(eye, np.array([[0.0, 1.5 - 4.0 * math.tan(math.radians(30)), 0.0]]))[0]
    dutch = look_at(eye, np.array([[0.0, 1.5, 0.0]]), roll_deg=10.0)[0]
    assert unreal_script.to_unreal_location(eye[0]) == pytest.approx((0.0, 400.0, 150.0))
    assert unreal_script.to_unreal_rotator(level) == pytest.approx((0.0, 0.0, -90.0), abs=1e-9)
    assert unreal_script.to_unreal_rotator(down) == pytest.approx((0.0, -30.0, -90.0), abs=1e-9)
    assert unreal_script.to_unreal_rotator(dutch) == pytest.approx((-10.0, 0.0, -90.0), abs=1e-9)
    assert unreal_script.unwrap_degrees([170.0, -175.0, -160.0, 175.0]) == [
        170.0,
        185.0,
        200.0,
        175.0,
    ]


def test_unreal_folder_has_usd_script_and_steps(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    paths = unreal.write(tiny_plan, tmp_path)
    folder = tmp_path / "unreal"
    assert paths == [folder / "scene.usda", folder / "import_sequence.py", folder / "README.md"]
    assert paths[0].read_text() == usd.stage_text(tiny_plan)
    assert "Execute Python Script" in paths[2].read_text()
    ast.parse(paths[1].read_text(encoding="utf-8"))
    namespace = load_script(paths[1])
    data = namespace["DATA"]
    assert (data["fps"], data["frames"]) == (tiny_plan.fps, tiny_plan.frames)
    shot = tiny_plan.shots[1]
    keys = namespace["camera_keys"](data["shots"][1])
    assert np.allclose(keys["y"], shot.camera.position[:, 2] * 100, atol=1e-3)
    assert np.allclose(keys["z"], shot.camera.position[:, 1] * 100, atol=1e-3)
    assert np.allclose(keys["focal_mm"], shot.camera.focal_mm, atol=1e-6)
    assert np.allclose(keys["focus_cm"], shot.camera.focus_m * 100, atol=1e-3)
    rotator = namespace["to_unreal_rotator"](shot.camera.rotation[0])
    assert rotator == pytest.approx(unreal_script.to_unreal_rotator(shot.camera.rotation[0]))


# --- all four --------------------------------------------------------------------------------


def test_registry_writes_every_3d_format_identically_twice(
    tiny_plan: ShotPlan, tmp_path: Path
) -> None:
    formats = ["usd", "gltf", "blender", "unreal"]
    first = export_plan(tiny_plan, tmp_path / "a", formats)
    second = export_plan(tiny_plan, tmp_path / "b", formats)
    names = [path.relative_to(tmp_path / "a").as_posix() for path in first]
    assert names == [
        "scene.usda",
        "scene.glb",
        "blender/build_scene.py",
        "unreal/scene.usda",
        "unreal/import_sequence.py",
        "unreal/README.md",
    ]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    leftovers = [p.name for p in (tmp_path / "a").rglob(".*")]
    assert leftovers == []
    assert str(tmp_path) not in first[0].read_text()


def test_fbx_cameras_are_the_same_bytes_from_two_runs_in_two_folders(
    tiny_plan: ShotPlan, tmp_path: Path
) -> None:
    if blender.blender_command() is None:
        pytest.skip(f"no Blender Python (side venv absent); install: {blender.INSTALL_HINT}")
    folders = [tmp_path / "run-a-7f3", tmp_path / "run-b-longer-91c"]
    built = []
    from beatcam.score import write_score

    for folder in folders:
        write_score(tiny_plan, folder)  # the .blend's sequencer plays it
        (script,) = blender.write(tiny_plan, folder)
        built.append(blender.build(script, folder / "blender" / "scene.blend", folder / "cameras"))
    for a, b in zip(*built, strict=True):
        assert a.name == b.name
        if a.suffix == ".fbx":  # each run hashes names and stamps the time anew unless fixed
            assert a.read_bytes() == b.read_bytes(), a.name
        for folder in folders:  # no absolute path inside, Blender's /tmp/ default included
            for path in (folder.name.encode(), b"/tmp/"):  # nor a piece of one
                assert path not in a.read_bytes() and path not in b.read_bytes(), a.name


SEQUENCER_CHECK = """
import json, sys
import bpy
bpy.ops.wm.open_mainfile(filepath=sys.argv[1])
scene = bpy.context.scene
strips = [s for s in scene.sequence_editor.strips_all if s.type == "SOUND"]
print("REPORT" + json.dumps([
    {"name": s.name, "start": s.frame_final_start, "end": s.frame_final_end,
     "path": s.sound.filepath, "found": bpy.path.abspath(s.sound.filepath)}
    for s in strips
]))
"""


def test_blend_plays_the_score_on_its_sequencer(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    command = blender.blender_command()
    if command is None:
        pytest.skip(f"no Blender Python (side venv absent); install: {blender.INSTALL_HINT}")
    from beatcam.score import write_score

    write_score(tiny_plan, tmp_path)
    (script,) = blender.write(tiny_plan, tmp_path)
    blend = blender.build_blend(script, tmp_path / "blender" / "scene.blend")
    check = tmp_path / "check.py"
    check.write_text(SEQUENCER_CHECK)
    result = subprocess.run(
        [*command, str(check), str(blend)], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("REPORT"))
    (strip,) = json.loads(line.removeprefix("REPORT"))
    assert (strip["start"], strip["end"]) == (0, tiny_plan.frames)  # the whole scene, in sync
    assert strip["path"] == "//../score.wav"  # relative: the folder can move
    assert Path(strip["found"]).resolve() == (tmp_path / "score.wav").resolve()
