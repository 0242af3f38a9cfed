"""Build a Level Sequence from a beatcam plan in Unreal Engine 5: one Cine Camera Actor per
shot (spawned by the sequence) with its moves, focal length and focus keyed on every frame,
and a camera cut track that switches to each shot's camera at its first frame.

Self-contained (Python standard library and Unreal's ``unreal`` module); beatcam wrote the
scene into DATA. In the Unreal Editor, with the "Python Editor Script Plugin" enabled:
Tools > Execute Python Script... and pick this file (or ``py "path/import_sequence.py"`` in
the Output Log's Cmd box). The sequence is saved under SEQUENCE_FOLDER. When the "USD
Importer" plugin is enabled, ``scene.usda`` beside this script is opened in a USD Stage Actor
so the set and the characters appear too.

Conventions. DATA is in beatcam's frame: right-handed, +Y up, metres; quaternions
[w, x, y, z] world-from-camera, the camera looking down its local -Z with +Y up. Unreal is
left-handed, +Z up, centimetres; a camera looks down its local +X with +Y to its right and
+Z up. Points map as Unreal (X, Y, Z) = 100 * (x, z, y): swapping Y and Z turns Y-up into
Z-up and flips handedness in one step, and it is the mapping Unreal's own USD importer uses
for Y-up stages, so these cameras line up with the USD set. A camera's rotator comes from
its mapped axes: forward (beatcam -Z) becomes Unreal +X, up (beatcam +Y) Unreal +Z, and
right (beatcam +X) Unreal +Y; yaw and pitch follow from the forward axis, roll from the up
axis, as Unreal's ``FMatrix::Rotator`` does (positive pitch looks up; a beatcam dutch roll
whose right side rises is a negative Unreal roll). Scene frame f is sequence frame f.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DATA: dict[str, Any] = {}  # beatcam embeds the scene here

Vector3 = tuple[float, float, float]

CM_PER_M = 100.0
SEQUENCE_FOLDER = "/Game/Beatcam"
USD_FILE = "scene.usda"
FULL_TURN_DEG = 360.0


def to_unreal_vector(vector: Sequence[float]) -> Vector3:
    """A beatcam direction (x, y, z), Y up, right-handed, as an Unreal direction (x, z, y)."""
    return (vector[0], vector[2], vector[1])


def to_unreal_location(point: Sequence[float]) -> Vector3:
    """A beatcam point in metres as an Unreal location in centimetres: 100 * (x, z, y)."""
    x, y, z = to_unreal_vector(point)
    return (x * CM_PER_M, y * CM_PER_M, z * CM_PER_M)


def camera_axes(quat: Sequence[float]) -> tuple[Vector3, Vector3, Vector3]:
    """Right (+X), up (+Y) and forward (-Z) of a beatcam camera, in beatcam's world."""
    w, x, y, z = quat
    norm = math.sqrt(w * w + x * x + y * y + z * z)
    w, x, y, z = w / norm, x / norm, y / norm, z / norm
    right = (1 - 2 * (y * y + z * z), 2 * (x * y + w * z), 2 * (x * z - w * y))
    up = (2 * (x * y - w * z), 1 - 2 * (x * x + z * z), 2 * (y * z + w * x))
    back = (2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y))
    return right, up, (-back[0], -back[1], -back[2])


def to_unreal_rotator(quat: Sequence[float]) -> Vector3:
    """A beatcam camera orientation [w, x, y, z] as an Unreal rotator (roll, pitch, yaw) in
    degrees, for a camera that looks down Unreal's +X."""
    right, up, forward = (to_unreal_vector(axis) for axis in camera_axes(quat))
    pitch = math.atan2(forward[2], math.hypot(forward[0], forward[1]))
    yaw = math.atan2(forward[1], forward[0])
    level_right = (-math.sin(yaw), math.cos(yaw), 0.0)  # the rotator's +Y before any roll
    roll = math.atan2(_dot(up, level_right), _dot(right, level_right))
    return (math.degrees(roll), math.degrees(pitch), math.degrees(yaw))


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def unwrap_degrees(angles: Sequence[float]) -> list[float]:
    """Angles shifted by whole turns so that each differs from the last by under 180 degrees:
    keys interpolate the short way instead of spinning at the +-180 seam."""
    result: list[float] = []
    for angle in angles:
        if result:
            turns = round((result[-1] - angle) / FULL_TURN_DEG)
            angle += turns * FULL_TURN_DEG
        result.append(angle)
    return result


def camera_keys(shot: dict[str, Any]) -> dict[str, list[float]]:
    """Per-frame Unreal values of one shot: location (cm), rotation (deg), focal (mm), focus
    (cm), each rotation channel unwrapped."""
    locations = [to_unreal_location(p) for p in shot["position"]]
    rotators = [to_unreal_rotator(q) for q in shot["rotation"]]
    return {
        "x": [p[0] for p in locations],
        "y": [p[1] for p in locations],
        "z": [p[2] for p in locations],
        "roll": unwrap_degrees([r[0] for r in rotators]),
        "pitch": [r[1] for r in rotators],
        "yaw": unwrap_degrees([r[2] for r in rotators]),
        "focal_mm": list(shot["focal_mm"]),
        "focus_cm": [m * CM_PER_M for m in shot["focus_m"]],
    }


def main() -> None:
    """Create the Level Sequence, its cameras and its camera cuts, and save it."""
    import unreal  # type: ignore[import-not-found]

    tools = unreal.AssetToolsHelpers.get_asset_tools()
    package, name = tools.create_unique_asset_name(f"{SEQUENCE_FOLDER}/{_asset_name()}", "")
    sequence = tools.create_asset(
        name, package.rsplit("/", 1)[0], unreal.LevelSequence, unreal.LevelSequenceFactoryNew()
    )
    sequence.set_display_rate(unreal.FrameRate(DATA["fps"], 1))
    sequence.set_playback_start(0)
    sequence.set_playback_end(DATA["frames"])
    add_track = getattr(sequence, "add_track", None) or sequence.add_master_track  # UE < 5.2
    cuts = add_track(unreal.MovieSceneCameraCutTrack)
    actors = unreal.get_editor_subsystem(unreal.EditorActorSubsystem)
    for shot in DATA["shots"]:
        binding = _add_camera(unreal, sequence, actors, shot)
        section = cuts.add_section()
        section.set_range(shot["start_frame"], shot["start_frame"] + shot["frames"])
        section.set_camera_binding_id(_binding_id(sequence, binding))
    _open_usd_stage(unreal, actors)
    provenance = json.dumps(DATA["provenance"], sort_keys=True)
    unreal.EditorAssetLibrary.set_metadata_tag(sequence, "beatcam_provenance", provenance)
    unreal.EditorAssetLibrary.save_loaded_asset(sequence)
    unreal.log(f"beatcam: {sequence.get_path_name()} with {len(DATA['shots'])} shots")


def _asset_name() -> str:
    cleaned = "".join(c if c.isalnum() else "_" for c in DATA["title"]).strip("_")
    return f"{cleaned or 'Scene'}_Previs"


def _binding_id(sequence: Any, binding: Any) -> Any:
    """The binding's id for a camera cut: UE 5.3+ names it get_binding_id."""
    if hasattr(sequence, "get_binding_id"):
        return sequence.get_binding_id(binding)
    return sequence.get_portable_binding_id(sequence, binding)


def _add_camera(unreal: Any, sequence: Any, actors: Any, shot: dict[str, Any]) -> Any:
    """A spawnable Cine Camera Actor for one shot, keyed on every frame of the shot."""
    actor = actors.spawn_actor_from_class(
        unreal.CineCameraActor, unreal.Vector(0.0, 0.0, 0.0), unreal.Rotator(0.0, 0.0, 0.0)
    )
    actor.set_actor_label(shot["id"])
    component = actor.get_cine_camera_component()
    filmback = component.get_editor_property("filmback")
    filmback.set_editor_property("sensor_width", DATA["sensor_mm"][0])
    filmback.set_editor_property("sensor_height", DATA["sensor_mm"][1])
    component.set_editor_property("filmback", filmback)
    focus = component.get_editor_property("focus_settings")
    focus.set_editor_property("focus_method", unreal.CameraFocusMethod.MANUAL)
    component.set_editor_property("focus_settings", focus)
    component.set_editor_property("current_aperture", DATA["f_stop"])
    binding = sequence.add_spawnable_from_instance(actor)
    binding.set_name(shot["id"])
    component_binding = sequence.add_possessable(component)
    component_binding.set_parent(binding)
    actor.destroy_actor()  # the sequence keeps its own copy and spawns it while playing

    keys = camera_keys(shot)
    start, end = shot["start_frame"], shot["start_frame"] + shot["frames"]
    transform = binding.add_track(unreal.MovieScene3DTransformTrack).add_section()
    transform.set_range(start, end)
    channels = transform.get_all_channels()  # location x y z, rotation roll pitch yaw, scale
    for channel, name in zip(channels, ("x", "y", "z", "roll", "pitch", "yaw"), strict=False):
        _key_every_frame(unreal, channel, start, keys[name])
    for property_path, name in (
        ("CurrentFocalLength", "focal_mm"),
        ("FocusSettings.ManualFocusDistance", "focus_cm"),
    ):
        track = component_binding.add_track(unreal.MovieSceneFloatTrack)
        track.set_property_name_and_path(property_path.rsplit(".", 1)[-1], property_path)
        section = track.add_section()
        section.set_range(start, end)
        _key_every_frame(unreal, section.get_all_channels()[0], start, keys[name])
    return binding


def _key_every_frame(unreal: Any, channel: Any, start: int, values: Sequence[float]) -> None:
    for offset, value in enumerate(values):
        channel.add_key(
            unreal.FrameNumber(start + offset),
            value,
            interpolation=unreal.MovieSceneKeyInterpolation.LINEAR,
        )


def _open_usd_stage(unreal: Any, actors: Any) -> None:
    """Show the set and characters from scene.usda beside this script, if USD is enabled."""
    script = globals().get("__file__")
    stage_class = getattr(unreal, "UsdStageActor", None)
    if not script or stage_class is None:
        unreal.log_warning("beatcam: USD Importer not enabled; open scene.usda by hand")
        return
    stage = actors.spawn_actor_from_class(
        stage_class, unreal.Vector(0.0, 0.0, 0.0), unreal.Rotator(0.0, 0.0, 0.0)
    )
    stage.set_actor_label(f"{DATA['title']} (beatcam USD)")
    stage.set_editor_property("root_layer", unreal.FilePath(str(Path(script).parent / USD_FILE)))


if __name__ == "__main__":
    main()
