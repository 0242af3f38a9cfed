"""``scene.usda``: the set, the posed characters, the props, one camera per shot and the cut
camera.

The stage is in metres with +Y up, the same frame as beatcam, so positions and rotations are
written unchanged: a USD camera also looks down its local -Z with +Y up, and a shot's
world-from-camera quaternion is the camera prim's ``orient``. Time codes are scene frames
(``timeCodesPerSecond`` = the plan's fps). USD measures lens and filmback in *tenths of a
scene unit*: on a metre stage 50 mm is written as 0.5 (``MM_TO_LENS_UNITS``); focus distance
and clipping are plain metres. Provenance lives in the layer's ``customLayerData``.
"""

from __future__ import annotations

from collections.abc import Iterable
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
    PREVIS_F_STOP,
    PROP_COLOR,
    SET_COLOR,
    BoneTrack,
    bone_tracks,
    cut_track,
    identifiers,
    nose_center_m,
    prop_tracks,
    shot_frames,
    shot_metadata,
)
from beatcam.files import write_atomic
from beatcam.model import ShotPlan
from beatcam.model.geometry import FloatArray

FILE_NAME = "scene.usda"
ROOT_PATH = "/Scene"
CAMERAS_PATH = f"{ROOT_PATH}/Cameras"
CUT_CAMERA = "Cut"
METERS_PER_UNIT = 1.0
MM_TO_LENS_UNITS = 0.01  # tenths of a metre per millimetre


def write(plan: ShotPlan, out_dir: Path) -> list[Path]:
    """Write ``out_dir/scene.usda``; return its path."""
    return [write_atomic(out_dir / FILE_NAME, stage_text(plan))]


def stage_text(plan: ShotPlan) -> str:
    """The whole stage as .usda text: deterministic, nothing in it depends on time or paths."""
    from pxr import Sdf, Usd, UsdGeom

    layer = Sdf.Layer.CreateAnonymous(".usda")
    stage = Usd.Stage.Open(layer)
    UsdGeom.SetStageUpAxis(stage, UsdGeom.Tokens.y)
    UsdGeom.SetStageMetersPerUnit(stage, METERS_PER_UNIT)
    stage.SetTimeCodesPerSecond(plan.fps)
    stage.SetFramesPerSecond(plan.fps)
    stage.SetStartTimeCode(0)
    stage.SetEndTimeCode(max(plan.frames - 1, 0))
    layer.customLayerData = {"beatcam": _usd_dict(provenance.facts(plan))}
    layer.documentation = f"beatcam previs of {plan.title!r}"
    root = UsdGeom.Xform.Define(stage, ROOT_PATH)
    stage.SetDefaultPrim(root.GetPrim())
    _define_set(stage, plan)
    _define_characters(stage, plan)
    _define_props(stage, plan)
    _define_cameras(stage, plan)
    text: str = layer.ExportToString()
    return text


def _usd_dict(value: object) -> Any:
    """Plain data as USD dictionary values: lists of records become records keyed by index."""
    if isinstance(value, dict):
        return {str(key): _usd_dict(item) for key, item in value.items()}
    if isinstance(value, list):
        return {f"{index:02d}": _usd_dict(item) for index, item in enumerate(value)}
    return value


def _color(prim: Any, rgb: tuple[float, float, float]) -> None:
    from pxr import Gf, UsdGeom

    UsdGeom.Gprim(prim).CreateDisplayColorAttr([Gf.Vec3f(*rgb)])


def _define_set(stage: Any, plan: ShotPlan) -> None:
    from pxr import Gf, UsdGeom

    UsdGeom.Scope.Define(stage, f"{ROOT_PATH}/Set")
    names = identifiers(box.name for box in plan.set.boxes)
    for box, name in zip(plan.set.boxes, names, strict=True):
        cube = UsdGeom.Cube.Define(stage, f"{ROOT_PATH}/Set/{name}")
        cube.CreateSizeAttr(1.0)
        cube.AddTranslateOp().Set(Gf.Vec3d(*box.center))
        cube.AddScaleOp().Set(Gf.Vec3f(*box.size))
        cube.GetPrim().SetDisplayName(box.name)
        _color(cube, SET_COLOR)


def _define_characters(stage: Any, plan: ShotPlan) -> None:
    from pxr import Gf, UsdGeom

    UsdGeom.Scope.Define(stage, f"{ROOT_PATH}/Characters")
    tracks = list(plan.blocking.tracks.values())
    for track, name in zip(tracks, identifiers(t.name for t in tracks), strict=True):
        path = f"{ROOT_PATH}/Characters/{name}"
        xform = UsdGeom.Xform.Define(stage, path)
        xform.GetPrim().SetDisplayName(track.name)
        translate = xform.AddTranslateOp().GetAttr()
        rotate = xform.AddRotateYOp(UsdGeom.XformOp.PrecisionDouble).GetAttr()
        frames = range(len(track.position))
        _author_samples(translate, frames, [Gf.Vec3d(*p) for p in track.position.tolist()])
        _author_samples(rotate, frames, track.facing_deg.tolist())
        _define_body(stage, path, plan, track.name)


def _define_body(stage: Any, path: str, plan: ShotPlan, name: str) -> None:
    """The character's bones under its node: each an Xform posed on the frames it moves,
    wearing its capsule; the head wears the nose too."""
    from pxr import Gf, UsdGeom

    height = plan.blocking[name].height_m
    for bone in bone_tracks(plan, name):
        xform = UsdGeom.Xform.Define(stage, f"{path}/{bone.name}")
        translate = xform.AddTranslateOp().GetAttr()
        orient = xform.AddOrientOp(UsdGeom.XformOp.PrecisionDouble).GetAttr()
        frames = bone.frames.tolist()
        _author_samples(translate, frames, [Gf.Vec3d(*p) for p in bone.translation.tolist()])
        _author_samples(orient, frames, [Gf.Quatd(*q) for q in bone.rotation.tolist()])
        _define_capsule(stage, f"{path}/{bone.name}/Shape", bone)
        if bone.name == "head":
            nose = UsdGeom.Cube.Define(stage, f"{path}/{bone.name}/Nose")
            nose.CreateSizeAttr(1.0)
            nose.AddTranslateOp().Set(Gf.Vec3d(*nose_center_m(height)))
            nose.AddScaleOp().Set(Gf.Vec3f(*NOSE_SIZE_M))
            _color(nose, NOSE_COLOR)


def _define_capsule(stage: Any, path: str, bone: BoneTrack) -> None:
    from pxr import Gf, UsdGeom

    capsule = UsdGeom.Capsule.Define(stage, path)
    capsule.CreateAxisAttr(UsdGeom.Tokens.y)
    capsule.CreateRadiusAttr(bone.radius_m)
    capsule.CreateHeightAttr(bone.length_m)
    capsule.AddTranslateOp().Set(Gf.Vec3d(*bone.centre_m))
    _color(capsule, CHARACTER_COLOR)


def _define_props(stage: Any, plan: ShotPlan) -> None:
    """Each prop an Xform moved and turned on the frames it moves, holding its boxes."""
    from pxr import Gf, UsdGeom

    UsdGeom.Scope.Define(stage, f"{ROOT_PATH}/Props")
    for prop in prop_tracks(plan):
        path = f"{ROOT_PATH}/Props/{prop.name}"
        xform = UsdGeom.Xform.Define(stage, path)
        xform.GetPrim().SetDisplayName(prop.kind)
        translate = xform.AddTranslateOp().GetAttr()
        rotate = xform.AddRotateYOp(UsdGeom.XformOp.PrecisionDouble).GetAttr()
        frames = prop.frames.tolist()
        _author_samples(translate, frames, [Gf.Vec3d(*p) for p in prop.translation.tolist()])
        _author_samples(rotate, frames, prop.facing_deg.tolist())
        for index, (centre, size) in enumerate(prop.boxes):
            cube = UsdGeom.Cube.Define(stage, f"{path}/box_{index}")
            cube.CreateSizeAttr(1.0)
            cube.AddTranslateOp().Set(Gf.Vec3d(*centre))
            cube.AddScaleOp().Set(Gf.Vec3f(*size))
            _color(cube, PROP_COLOR)


def _define_cameras(stage: Any, plan: ShotPlan) -> None:
    from pxr import UsdGeom

    UsdGeom.Scope.Define(stage, CAMERAS_PATH)
    for shot in plan.shots:
        camera = _define_camera(stage, f"{CAMERAS_PATH}/{shot.id}", plan)
        camera.GetPrim().SetCustomDataByKey("beatcam", shot_metadata(shot))
        track = shot.camera
        _sample_camera(
            camera, shot_frames(shot), track.position, track.rotation, track.focal_mm, track.focus_m
        )
    cut = cut_track(plan)
    camera = _define_camera(stage, f"{CAMERAS_PATH}/{CUT_CAMERA}", plan)
    camera.GetPrim().SetCustomDataByKey(
        "beatcam", {"cut": ", ".join(f"{shot.id}@{shot.start_frame}" for shot in plan.shots)}
    )
    _sample_camera(camera, cut.times, cut.position, cut.rotation, cut.focal_mm, cut.focus_m)


def _define_camera(stage: Any, path: str, plan: ShotPlan) -> Any:
    from pxr import Gf, UsdGeom

    camera = UsdGeom.Camera.Define(stage, path)
    camera.CreateProjectionAttr(UsdGeom.Tokens.perspective)
    camera.CreateHorizontalApertureAttr(plan.sensor_mm[0] * MM_TO_LENS_UNITS)
    camera.CreateVerticalApertureAttr(plan.sensor_mm[1] * MM_TO_LENS_UNITS)
    camera.CreateClippingRangeAttr(Gf.Vec2f(CLIP_NEAR_M, CLIP_FAR_M))
    camera.CreateFStopAttr(PREVIS_F_STOP)
    return camera


def _sample_camera(
    camera: Any,
    times: FloatArray,
    position: FloatArray,
    rotation: FloatArray,
    focal_mm: FloatArray,
    focus_m: FloatArray,
) -> None:
    """Time-sample a camera's transform (translate, then orient), focal length and focus."""
    from pxr import Gf, UsdGeom

    times_list = times.tolist()
    translate = camera.AddTranslateOp().GetAttr()
    orient = camera.AddOrientOp(UsdGeom.XformOp.PrecisionDouble).GetAttr()
    _author_samples(translate, times_list, [Gf.Vec3d(*p) for p in position.tolist()])
    _author_samples(orient, times_list, [Gf.Quatd(*q) for q in rotation.tolist()])
    lens = (np.asarray(focal_mm) * MM_TO_LENS_UNITS).tolist()
    _author_samples(camera.CreateFocalLengthAttr(), times_list, lens)
    _author_samples(camera.CreateFocusDistanceAttr(), times_list, focus_m.tolist())


def _author_samples(attribute: Any, times: Iterable[float], values: Iterable[Any]) -> None:
    """Write time samples straight into the layer: several times faster than
    ``UsdAttribute.Set`` per sample, and the layer casts each value to the attribute's type."""
    from pxr import Sdf

    layer = attribute.GetStage().GetEditTarget().GetLayer()
    path = attribute.GetPath()
    with Sdf.ChangeBlock():
        for time, value in zip(times, values, strict=True):
            layer.SetTimeSample(path, time, value)
