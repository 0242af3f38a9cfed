"""Rebuild a beatcam previs scene in Blender: the set, the posed characters, the props, one
camera per shot with its lens, focus and moves, and timeline markers bound to the cameras so
the cut plays.

Self-contained (Python standard library and ``bpy`` only); beatcam wrote the scene into DATA.
Run it in Blender (Scripting workspace > Open > Run Script: the scene is added to the open
file), or from a shell, where it starts from an empty file:

    blender --background --factory-startup --python build_scene.py -- --output scene.blend
    python build_scene.py --output scene.blend          # with the ``bpy`` module installed

``--fbx-dir DIR`` also writes one FBX per shot camera (for Unreal's Sequencer). With
``--output``, the scene's score (DATA["score"], relative to the .blend) goes on the sequencer
when it is there, stored as a path relative to the .blend.

Conventions. DATA is in beatcam's frame: right-handed, +Y up, metres, quaternions
[w, x, y, z] world-from-camera. Blender is right-handed with +Z up, so a point (x, y, z)
becomes (x, -z, y): a +90 degree turn about X, and every world orientation is that turn
times the beatcam orientation. Cameras in both look down their local -Z with +Y up, so no
further camera correction is needed. A character's local front is +Z in beatcam and -Y in
Blender (Blender's "front"); its heading turns about the up axis by the same angle in both.
Scene frame f is Blender frame f (the timeline starts at 0, like USD, glTF and Unreal).
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DATA: dict[str, Any] = {}  # beatcam embeds the scene here

Vector3 = tuple[float, float, float]
Quaternion = tuple[float, float, float, float]

HALF_TURN_ABOUT_X = math.sqrt(0.5)
Y_UP_TO_Z_UP: Quaternion = (HALF_TURN_ABOUT_X, HALF_TURN_ABOUT_X, 0.0, 0.0)  # +90 deg about X
WELD_DISTANCE_M = 1e-6
# The creation time written into every FBX header: fixed, so two runs write the same bytes.
FBX_TIME = datetime.datetime(2000, 1, 1)
UNIT_CUBE_VERTICES = [(x, y, z) for x in (-0.5, 0.5) for y in (-0.5, 0.5) for z in (-0.5, 0.5)]
UNIT_CUBE_FACES = [
    (0, 1, 3, 2),
    (4, 6, 7, 5),
    (0, 4, 5, 1),
    (2, 3, 7, 6),
    (0, 2, 6, 4),
    (1, 5, 7, 3),
]


def to_blender_location(point: Sequence[float]) -> Vector3:
    """A beatcam point (x, y, z), Y up, to Blender's Z-up world: (x, -z, y)."""
    return (point[0], -point[2], point[1])


def to_blender_size(size: Sequence[float]) -> Vector3:
    """Box extents along beatcam x, y, z to extents along Blender x, y, z."""
    return (size[0], size[2], size[1])


def quat_multiply(a: Sequence[float], b: Sequence[float]) -> Quaternion:
    """Hamilton product ``a * b`` of [w, x, y, z] quaternions (apply b, then a)."""
    aw, ax, ay, az = a
    bw, bx, by, bz = b
    return (
        aw * bw - ax * bx - ay * by - az * bz,
        aw * bx + ax * bw + ay * bz - az * by,
        aw * by - ax * bz + ay * bw + az * bx,
        aw * bz + ax * by - ay * bx + az * bw,
    )


def to_blender_rotation(quat: Sequence[float]) -> Quaternion:
    """A beatcam world-from-object quaternion [w, x, y, z] to Blender's world."""
    return quat_multiply(Y_UP_TO_Z_UP, quat)


def to_blender_turn(quat: Sequence[float]) -> Quaternion:
    """A rotation [w, x, y, z] between two beatcam frames (a bone in its character) as the same
    turn between the Blender frames those become: conjugated by the Y-up to Z-up turn."""
    w, x, y, z = Y_UP_TO_Z_UP
    return quat_multiply(quat_multiply(Y_UP_TO_Z_UP, quat), (w, -x, -y, -z))


def main(argv: Sequence[str]) -> None:
    """Parse the command line (after ``--`` when run by Blender), build, and save."""
    args = list(argv[list(argv).index("--") + 1 :]) if "--" in argv else list(argv[1:])
    parser = argparse.ArgumentParser(description="Rebuild a beatcam scene in Blender.")
    parser.add_argument("--output", help="save the scene to this .blend file")
    parser.add_argument("--fbx-dir", help="write one FBX per shot camera into this folder")
    options, _ = parser.parse_known_args(args)
    import bpy  # type: ignore[import-not-found]

    if not (options.output or options.fbx_dir):
        build_scene(DATA)  # into the file open in Blender's editor
        return
    # Each file is made from a fresh build: the FBX export leaves the cameras' Cycles settings
    # behind in an order that differs from run to run, and a saved file's path goes into the
    # FBX header; so neither may come before the other in one build.
    if options.output:
        bpy.ops.wm.read_factory_settings(use_empty=True)
        scene = build_scene(DATA)
        output = Path(options.output).resolve()
        save(output)
        if add_score(scene, output.parent, DATA["score"]):  # saved: "//" means its folder
            save(output)
    if options.fbx_dir:
        bpy.ops.wm.read_factory_settings(use_empty=True)
        export_camera_fbx(build_scene(DATA), DATA, options.fbx_dir)


def build_scene(data: dict[str, Any]) -> Any:
    """Make (or fill the empty) scene named after the plan and return it."""
    import bpy

    scene = bpy.context.scene
    if bpy.data.objects or scene.name != "Scene":
        scene = bpy.data.scenes.new(data["title"])
        if bpy.context.window is not None:
            bpy.context.window.scene = scene
    scene.name = data["title"]
    scene.render.fps = data["fps"]
    scene.render.fps_base = 1.0
    scene.render.filepath = "//render/"  # beside the .blend: no absolute path (Blender: /tmp/)
    scene.render.resolution_x, scene.render.resolution_y = data["resolution"]
    scene.frame_start = 0
    scene.frame_end = max(data["frames"] - 1, 0)
    scene["beatcam_provenance"] = json.dumps(data["provenance"], sort_keys=True)
    edit = bpy.context.preferences.edit
    interpolation = edit.keyframe_new_interpolation_type
    edit.keyframe_new_interpolation_type = "LINEAR"  # samples are per frame: no easing between
    try:
        _build_set(scene, data)
        _build_characters(scene, data)
        _build_props(scene, data)
        cameras = [_build_camera(scene, data, shot) for shot in data["shots"]]
    finally:
        edit.keyframe_new_interpolation_type = interpolation
    for shot, camera in zip(data["shots"], cameras, strict=True):
        marker = scene.timeline_markers.new(shot["id"], frame=shot["start_frame"])
        marker.camera = camera
    if cameras:
        scene.camera = cameras[0]
    scene.frame_set(0)
    return scene


def _collection(scene: Any, name: str) -> Any:
    import bpy

    collection = bpy.data.collections.new(name)
    scene.collection.children.link(collection)
    return collection


def _material(name: str, rgb: Sequence[float]) -> Any:
    import bpy

    material = bpy.data.materials.new(name)
    material.diffuse_color = (*rgb, 1.0)
    return material


def _mesh(name: str, vertices: Sequence[Sequence[float]], faces: Any, material: Any) -> Any:
    import bpy

    mesh = bpy.data.meshes.new(name)
    mesh.from_pydata([to_blender_location(v) for v in vertices], [], faces)
    mesh.materials.append(material)
    mesh.update()
    # What is selected is the editor's state, not the scene's; and Blender 5.0's from_pydata
    # gives .select_edge the edges' own 8-byte type over a 1-byte bool array, so its saved
    # block would carry uninitialised bytes (a different .blend on every run).
    for name in [attribute.name for attribute in mesh.attributes]:
        if name.startswith(".select_"):
            mesh.attributes.remove(mesh.attributes[name])
    return mesh


def _weld(mesh: Any) -> None:
    """Merge coincident vertices (the capsule's seam and poles) so smooth shading is seamless."""
    import bmesh  # type: ignore[import-not-found]

    editable = bmesh.new()
    editable.from_mesh(mesh)
    bmesh.ops.remove_doubles(editable, verts=editable.verts, dist=WELD_DISTANCE_M)
    editable.to_mesh(mesh)
    editable.free()


def _build_set(scene: Any, data: dict[str, Any]) -> None:
    import bpy

    collection = _collection(scene, "Set")
    cube = _mesh(
        "box", UNIT_CUBE_VERTICES, UNIT_CUBE_FACES, _material("set", data["colors"]["set"])
    )
    for box in data["boxes"]:
        obj = bpy.data.objects.new(box["name"], cube)
        obj.location = to_blender_location(box["center"])
        obj.scale = to_blender_size(box["size"])
        collection.objects.link(obj)


def _build_characters(scene: Any, data: dict[str, Any]) -> None:
    """Each character an empty that walks and turns, parent of its bones: each a capsule
    posed on the frames it moves (the head wears the nose)."""
    import bpy

    collection = _collection(scene, "Characters")
    body_material = _material("character", data["colors"]["character"])
    nose_material = _material("nose", data["colors"]["nose"])
    nose_mesh = _mesh("nose", UNIT_CUBE_VERTICES, UNIT_CUBE_FACES, nose_material)
    for character in data["characters"]:
        root = bpy.data.objects.new(character["name"], None)
        collection.objects.link(root)
        for frame, (position, facing) in enumerate(
            zip(character["position"], character["facing_deg"], strict=True)
        ):
            root.location = to_blender_location(position)
            root.rotation_euler = (0.0, 0.0, math.radians(facing))
            root.keyframe_insert("location", frame=frame)
            root.keyframe_insert("rotation_euler", index=2, frame=frame)
        for bone in character["bones"]:
            capsule = bone["mesh"]
            triangles = capsule["triangles"]
            faces = [triangles[i : i + 3] for i in range(0, len(triangles), 3)]
            name = f"{character['name']} {bone['name']}"
            mesh = _mesh(name, capsule["vertices"], faces, body_material)
            _weld(mesh)
            mesh.shade_smooth()
            obj = bpy.data.objects.new(name, mesh)
            obj.parent = root
            obj.rotation_mode = "QUATERNION"
            collection.objects.link(obj)
            samples = zip(bone["frames"], bone["translation"], bone["rotation"], strict=True)
            for frame, translation, rotation in samples:
                obj.location = to_blender_location(translation)
                obj.rotation_quaternion = to_blender_turn(rotation)
                obj.keyframe_insert("location", frame=frame)
                obj.keyframe_insert("rotation_quaternion", frame=frame)
            if bone["name"] == "head":
                nose = bpy.data.objects.new(f"{character['name']} nose", nose_mesh)
                nose.parent = obj
                nose.location = to_blender_location(character["nose_center"])
                nose.scale = to_blender_size(character["nose_size"])
                collection.objects.link(nose)


def _build_props(scene: Any, data: dict[str, Any]) -> None:
    """Each prop an empty moved and turned on the frames it moves, parent of its boxes."""
    import bpy

    collection = _collection(scene, "Props")
    material = _material("prop", data["colors"]["prop"])
    cube = _mesh("prop box", UNIT_CUBE_VERTICES, UNIT_CUBE_FACES, material)
    for prop in data["props"]:
        root = bpy.data.objects.new(prop["name"], None)
        collection.objects.link(root)
        for index, box in enumerate(prop["boxes"]):
            obj = bpy.data.objects.new(f"{prop['name']} box {index}", cube)
            obj.parent = root
            obj.location = to_blender_location(box["center"])
            obj.scale = to_blender_size(box["size"])
            collection.objects.link(obj)
        samples = zip(prop["frames"], prop["position"], prop["facing_deg"], strict=True)
        for frame, position, facing in samples:
            root.location = to_blender_location(position)
            root.rotation_euler = (0.0, 0.0, math.radians(facing))
            root.keyframe_insert("location", frame=frame)
            root.keyframe_insert("rotation_euler", index=2, frame=frame)


def _build_camera(scene: Any, data: dict[str, Any], shot: dict[str, Any]) -> Any:
    import bpy

    collection = scene.collection.children.get("Cameras") or _collection(scene, "Cameras")
    camera = bpy.data.cameras.new(shot["id"])
    camera.sensor_fit = "HORIZONTAL"
    camera.sensor_width, camera.sensor_height = data["sensor_mm"]
    camera.clip_start, camera.clip_end = data["clip_m"]
    camera.dof.use_dof = True
    camera.dof.aperture_fstop = data["f_stop"]
    obj = bpy.data.objects.new(shot["id"], camera)
    obj.rotation_mode = "QUATERNION"
    obj["beatcam"] = json.dumps(shot["meta"], sort_keys=True)
    collection.objects.link(obj)
    samples = zip(
        shot["position"], shot["rotation"], shot["focal_mm"], shot["focus_m"], strict=True
    )
    for offset, (position, rotation, focal, focus) in enumerate(samples):
        frame = shot["start_frame"] + offset
        obj.location = to_blender_location(position)
        obj.rotation_quaternion = to_blender_rotation(rotation)
        camera.lens = focal
        camera.dof.focus_distance = focus
        obj.keyframe_insert("location", frame=frame)
        obj.keyframe_insert("rotation_quaternion", frame=frame)
        camera.keyframe_insert("lens", frame=frame)
        camera.keyframe_insert("dof.focus_distance", frame=frame)
    return obj


def save(output: Path) -> None:
    """Save the open file as ``output``, leaving no ``.blend1`` backup of an older one."""
    import bpy

    output.unlink(missing_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=str(output), compress=False)


def add_score(scene: Any, blend_folder: Path, relative: str) -> bool:
    """Put the score on the sequencer as a sound strip from the scene's first frame, if the
    file is at ``relative`` to the saved .blend's folder; return whether it was. It is loaded
    by that relative path ("//" + it), so no absolute path ever enters the file."""
    if not (blend_folder / relative).is_file():
        return False
    editor = scene.sequence_editor_create()
    strips = editor.strips if hasattr(editor, "strips") else editor.sequences  # 4.4 renamed
    strips.new_sound("score", "//" + relative, 1, scene.frame_start)
    return True


def export_camera_fbx(scene: Any, data: dict[str, Any], folder: str) -> None:
    """One FBX per shot camera, baked over that shot's frames only. The exporter stamps its
    header with the time of writing; it gets FBX_TIME instead, so a file depends only on
    the scene."""
    import bpy
    from io_scene_fbx import export_fbx_bin  # type: ignore[import-not-found]

    stamp_header = export_fbx_bin.fbx_header_elements
    export_fbx_bin.fbx_header_elements = lambda root, scene_data, time=None: stamp_header(
        root, scene_data, FBX_TIME
    )

    target = Path(folder).resolve()
    target.mkdir(parents=True, exist_ok=True)
    frame_range = scene.frame_start, scene.frame_end
    cameras = {marker.name: marker.camera for marker in scene.timeline_markers}
    try:
        for shot in data["shots"]:
            camera = cameras[shot["id"]]
            for obj in scene.objects:
                obj.select_set(obj is camera)
            bpy.context.view_layer.objects.active = camera
            scene.frame_start = shot["start_frame"]
            scene.frame_end = shot["start_frame"] + shot["frames"] - 1
            bpy.ops.export_scene.fbx(
                filepath=str(target / f"{shot['id']}.fbx"),
                use_selection=True,
                object_types={"CAMERA"},
                bake_anim=True,
                bake_anim_use_all_actions=False,
                bake_anim_use_nla_strips=False,
                bake_anim_simplify_factor=0.0,
                add_leaf_bones=False,
            )
    finally:
        scene.frame_start, scene.frame_end = frame_range
        export_fbx_bin.fbx_header_elements = stamp_header


if __name__ == "__main__":
    main(sys.argv)
