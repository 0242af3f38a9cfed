"""``scene.glb``: the set, the posed characters, the props, one animated camera per shot and
the cut camera, as binary glTF 2.0.

glTF shares beatcam's frame (right-handed, +Y up, metres, cameras looking down local -Z), so
only the quaternion layout changes: glTF stores ``[x, y, z, w]``. One animation, "scene",
plays everything on the scene clock (seconds = frame / fps): each camera's translation and
rotation, each character's walk and turn and its bones' pose, each prop's moves, and each
camera's focal length as its vertical field of view through ``KHR_animation_pointer``
(declared used, not required, so a viewer without it still plays the moves). Provenance
lives in ``asset.extras``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from beatcam.export import provenance
from beatcam.export.scene_geometry import (
    CHARACTER_COLOR,
    CLIP_FAR_M,
    CLIP_NEAR_M,
    NOSE_COLOR,
    NOSE_SIZE_M,
    PROP_COLOR,
    SET_COLOR,
    bone_tracks,
    box_mesh,
    capsule_mesh,
    cut_track,
    facing_quats,
    nose_center_m,
    prop_tracks,
    shot_frames,
    shot_metadata,
    vertical_fov_rad,
)
from beatcam.files import write_atomic
from beatcam.model import ShotPlan
from beatcam.model.geometry import FloatArray

FILE_NAME = "scene.glb"
POINTER_EXTENSION = "KHR_animation_pointer"
CUT_CAMERA = "Cut"
_FLOAT, _UNSIGNED_SHORT, _UNSIGNED_INT = 5126, 5123, 5125
_ARRAY_BUFFER, _ELEMENT_ARRAY_BUFFER = 34962, 34963
_ALIGNMENT = 4
_UINT16_LIMIT = 65535


def write(plan: ShotPlan, out_dir: Path) -> list[Path]:
    """Write ``out_dir/scene.glb``; return its path."""
    return [write_atomic(out_dir / FILE_NAME, glb_bytes(plan))]


def to_gltf_quats(wxyz: FloatArray) -> FloatArray:
    """``(n, 4)`` [w, x, y, z] -> ``(n, 4)`` [x, y, z, w], renormalised (glTF wants unit)."""
    q = np.asarray(wxyz, dtype=np.float64)
    q = q / np.linalg.norm(q, axis=1, keepdims=True)
    return np.asarray(q[:, [1, 2, 3, 0]])


class _Builder:
    """Collects buffer views, accessors, nodes and animation parts of one glTF document."""

    def __init__(self) -> None:
        import pygltflib

        self.gltf = pygltflib
        self.blob = bytearray()
        self.views: list[Any] = []
        self.accessors: list[Any] = []
        self.nodes: list[Any] = []
        self.meshes: list[Any] = []
        self.cameras: list[Any] = []
        self.samplers: list[Any] = []
        self.channels: list[Any] = []

    def accessor(
        self, array: np.ndarray, kind: str, target: int | None = None, bounds: bool = False
    ) -> int:
        """Append ``array`` (float32, or unsigned indices) to the buffer; return its accessor."""
        is_index = target == _ELEMENT_ARRAY_BUFFER
        if is_index:
            small = int(array.max(initial=0)) < _UINT16_LIMIT
            component = _UNSIGNED_SHORT if small else _UNSIGNED_INT
            data = np.ascontiguousarray(array, dtype=np.uint16 if small else np.uint32)
        else:
            component, data = _FLOAT, np.ascontiguousarray(array, dtype=np.float32)
        offset = len(self.blob)
        self.blob.extend(data.tobytes())
        self.blob.extend(b"\0" * (-len(self.blob) % _ALIGNMENT))
        self.views.append(
            self.gltf.BufferView(buffer=0, byteOffset=offset, byteLength=data.nbytes, target=target)
        )
        rows = data.reshape(len(data), -1)
        accessor = self.gltf.Accessor(
            bufferView=len(self.views) - 1,
            componentType=component,
            count=len(data),
            type=kind,
        )
        if bounds:
            accessor.min = [float(v) for v in rows.min(axis=0)]
            accessor.max = [float(v) for v in rows.max(axis=0)]
        self.accessors.append(accessor)
        return len(self.accessors) - 1

    def node(self, **fields: Any) -> int:
        self.nodes.append(self.gltf.Node(**fields))
        return len(self.nodes) - 1

    def mesh(
        self, name: str, geometry: tuple[FloatArray, FloatArray, np.ndarray], material: int
    ) -> int:
        positions, normals, indices = geometry
        primitive = self.gltf.Primitive(
            attributes=self.gltf.Attributes(
                POSITION=self.accessor(positions, "VEC3", _ARRAY_BUFFER, bounds=True),
                NORMAL=self.accessor(normals, "VEC3", _ARRAY_BUFFER),
            ),
            indices=self.accessor(indices, "SCALAR", _ELEMENT_ARRAY_BUFFER),
            material=material,
        )
        self.meshes.append(self.gltf.Mesh(name=name, primitives=[primitive]))
        return len(self.meshes) - 1

    def animate(self, times: FloatArray, values: FloatArray, kind: str, target: Any) -> None:
        """One LINEAR sampler over ``times`` (seconds) and the channel that plays it."""
        sampler = self.gltf.AnimationSampler(
            input=self.accessor(times, "SCALAR", bounds=True),
            output=self.accessor(values, kind),
            interpolation="LINEAR",
        )
        self.samplers.append(sampler)
        self.channels.append(
            self.gltf.AnimationChannel(sampler=len(self.samplers) - 1, target=target)
        )

    def animate_node(
        self, node: int, times: FloatArray, translation: FloatArray, rotation: FloatArray
    ) -> None:
        target = self.gltf.AnimationChannelTarget
        self.animate(times, translation, "VEC3", target(node=node, path="translation"))
        self.animate(times, to_gltf_quats(rotation), "VEC4", target(node=node, path="rotation"))

    def moving_node(
        self, times: FloatArray, translation: FloatArray, rotation: FloatArray, **fields: Any
    ) -> int:
        """A node (``fields``: name, children, camera, ...) placed at its first sample, which
        is what a viewer shows before playing, and animated through all of them."""
        node = self.node(
            translation=translation[0].tolist(),
            rotation=to_gltf_quats(rotation[:1])[0].tolist(),
            **fields,
        )
        self.animate_node(node, times, translation, rotation)
        return node

    def animate_yfov(self, camera: int, times: FloatArray, yfov: FloatArray) -> None:
        pointer = {POINTER_EXTENSION: {"pointer": f"/cameras/{camera}/perspective/yfov"}}
        target = self.gltf.AnimationChannelTarget(path="pointer", extensions=pointer)
        self.animate(times, yfov, "SCALAR", target)


def _material(gltf: Any, name: str, rgb: tuple[float, float, float]) -> Any:
    return gltf.Material(
        name=name,
        pbrMetallicRoughness=gltf.PbrMetallicRoughness(
            baseColorFactor=[*rgb, 1.0], metallicFactor=0.0, roughnessFactor=0.9
        ),
    )


def glb_bytes(plan: ShotPlan) -> bytes:
    """The whole scene as a .glb: deterministic bytes for the same plan."""
    build = _Builder()
    gltf = build.gltf
    set_material, character_material, nose_material, prop_material = 0, 1, 2, 3
    cube = build.mesh("box", box_mesh(), set_material)
    nose_mesh = build.mesh("nose", box_mesh(), nose_material)
    prop_cube = build.mesh("prop", box_mesh(), prop_material)

    set_nodes = [
        build.node(name=box.name, mesh=cube, translation=list(box.center), scale=list(box.size))
        for box in plan.set.boxes
    ]
    scene_times = np.arange(plan.frames, dtype=np.float64) / plan.fps
    character_nodes = []
    for track in plan.blocking.tracks.values():
        bones = []
        for bone in bone_tracks(plan, track.name):
            shape = build.node(
                name=f"{track.name} {bone.name} shape",
                mesh=build.mesh(
                    f"{track.name} {bone.name}",
                    capsule_mesh(bone.length_m, bone.radius_m),
                    character_material,
                ),
                translation=list(bone.centre_m),
            )
            children = [shape]
            if bone.name == "head":
                nose = build.node(
                    name=f"{track.name} nose",
                    mesh=nose_mesh,
                    translation=list(nose_center_m(track.height_m)),
                    scale=list(NOSE_SIZE_M),
                )
                children.append(nose)
            bones.append(
                build.moving_node(
                    bone.frames / plan.fps, bone.translation, bone.rotation,
                    name=f"{track.name} {bone.name}", children=children,
                )
            )  # fmt: skip
        rotation = facing_quats(track.facing_deg)
        character_nodes.append(
            build.moving_node(
                scene_times, track.position, rotation, name=track.name, children=bones
            )
        )

    prop_nodes = []
    for prop in prop_tracks(plan):
        boxes = [
            build.node(name=f"{prop.name} box {index}", mesh=prop_cube, translation=list(centre),
                       scale=list(size))
            for index, (centre, size) in enumerate(prop.boxes)
        ]  # fmt: skip
        turns = facing_quats(prop.facing_deg)
        times = prop.frames / plan.fps
        node = build.moving_node(times, prop.translation, turns, name=prop.name, children=boxes)
        build.nodes[node].extras = {"beatcam": {"kind": prop.kind}}
        prop_nodes.append(node)

    aspect = plan.sensor_mm[0] / plan.sensor_mm[1]
    sensor_height = plan.sensor_mm[1]
    camera_nodes = []
    for shot in plan.shots:
        camera = shot.camera
        yfov = vertical_fov_rad(camera.focal_mm, sensor_height)
        times = shot_frames(shot) / plan.fps
        node = _camera(build, shot.id, times, camera.position, camera.rotation, yfov, aspect)
        build.nodes[node].extras = {"beatcam": shot_metadata(shot)}
        camera_nodes.append(node)
    cut = cut_track(plan)
    yfov = vertical_fov_rad(cut.focal_mm, sensor_height)
    times = cut.times / plan.fps
    camera_nodes.append(_camera(build, CUT_CAMERA, times, cut.position, cut.rotation, yfov, aspect))

    groups = [
        build.node(name="Set", children=set_nodes),
        build.node(name="Characters", children=character_nodes),
        build.node(name="Props", children=prop_nodes),
        build.node(name="Cameras", children=camera_nodes),
    ]
    document = gltf.GLTF2(
        asset=gltf.Asset(
            version="2.0",
            generator=f"beatcam {plan.provenance.beatcam_version}",
            extras={"beatcam": provenance.facts(plan), "fps": plan.fps},
        ),
        scene=0,
        scenes=[gltf.Scene(name=plan.title, nodes=groups)],
        nodes=build.nodes,
        meshes=build.meshes,
        materials=[
            _material(gltf, "set", SET_COLOR),
            _material(gltf, "character", CHARACTER_COLOR),
            _material(gltf, "nose", NOSE_COLOR),
            _material(gltf, "prop", PROP_COLOR),
        ],
        cameras=build.cameras,
        animations=[gltf.Animation(name="scene", samplers=build.samplers, channels=build.channels)],
        accessors=build.accessors,
        bufferViews=build.views,
        buffers=[gltf.Buffer(byteLength=len(build.blob))],
        extensionsUsed=[POINTER_EXTENSION],
    )
    document.set_binary_blob(bytes(build.blob))
    return b"".join(document.save_to_bytes())


def _camera(
    build: _Builder,
    name: str,
    times: FloatArray,
    position: FloatArray,
    rotation: FloatArray,
    yfov: FloatArray,
    aspect: float,
) -> int:
    """A perspective camera node, posed and framed at its first sample (what a viewer shows
    before playing), with its moves and focal length animated."""
    gltf = build.gltf
    build.cameras.append(
        gltf.Camera(
            name=name,
            type="perspective",
            perspective=gltf.Perspective(
                yfov=float(yfov[0]), aspectRatio=aspect, znear=CLIP_NEAR_M, zfar=CLIP_FAR_M
            ),
        )
    )
    camera = len(build.cameras) - 1
    node = build.moving_node(times, position, rotation, name=name, camera=camera)
    build.animate_yfov(camera, times, yfov)
    return node
