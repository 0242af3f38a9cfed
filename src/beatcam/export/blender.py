"""``blender/build_scene.py``: a script that rebuilds the scene in Blender, and the optional
``blender/scene.blend`` made by running it with ``bpy``.

The script is ``blender_script.py`` with the plan embedded as JSON, so it runs anywhere Blender
does and imports nothing of beatcam. Writing it is instant; building the .blend needs Blender's
Python: a side venv with the ``bpy`` wheel (``bpy`` pins ``numpy<2``, so it cannot share
beatcam's venv), a ``BEATCAM_BLENDER_PYTHON`` interpreter, or a ``blender`` binary on PATH.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from contextlib import ExitStack
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from beatcam.errors import StageError
from beatcam.export import provenance
from beatcam.export.blend_file import normalise
from beatcam.export.scene_geometry import (
    CHARACTER_COLOR,
    CLIP_FAR_M,
    CLIP_NEAR_M,
    NOSE_COLOR,
    NOSE_SIZE_M,
    PREVIS_F_STOP,
    PROP_COLOR,
    SET_COLOR,
    bone_tracks,
    capsule_mesh,
    nose_center_m,
    prop_tracks,
    shot_metadata,
)
from beatcam.files import atomic_path, write_atomic
from beatcam.model import ShotPlan
from beatcam.model.geometry import FloatArray, make_continuous

FOLDER = "blender"
SCRIPT_NAME = "build_scene.py"
BLEND_NAME = "scene.blend"
SCORE_FROM_BLEND = "../score.wav"  # the scene's score.wav, from the .blend in FOLDER
TEMPLATE = "blender_script.py"
DATA_LINE = "DATA: dict[str, Any] = {}  # beatcam embeds the scene here\n"
DECIMALS = 6  # micrometres and micro-degrees: far below what a previs can show
PYTHON_ENV = "BEATCAM_BLENDER_PYTHON"
SIDE_VENV_PYTHON = Path(__file__).resolve().parents[3] / ".venv-blender" / "bin" / "python"
BLENDER_TIMEOUT_S = 600
INSTALL_HINT = "python3 -m venv .venv-blender && .venv-blender/bin/pip install bpy"


def write(plan: ShotPlan, out_dir: Path) -> list[Path]:
    """Write ``out_dir/blender/build_scene.py``; return its path."""
    return [write_atomic(out_dir / FOLDER / SCRIPT_NAME, script_text(plan))]


def script_text(plan: ShotPlan) -> str:
    """The Blender script with the plan's scene embedded: deterministic for the same plan."""
    return embed_data(TEMPLATE, scene_data(plan))


def embed_data(template: str, data: dict[str, Any]) -> str:
    """A template module of this package with its empty DATA line replaced by ``data``."""
    source = resources.files("beatcam.export").joinpath(template).read_text(encoding="utf-8")
    if source.count(DATA_LINE) != 1:
        raise StageError("export", f"template {template} lacks its single DATA line")
    return source.replace(
        DATA_LINE, f"DATA: dict[str, Any] = json.loads(\n{json_literal(data)}\n)\n"
    )


def json_literal(data: dict[str, Any]) -> str:
    """``data`` as a Python raw string of JSON, one top-level key per line and one list item
    per line for lists of records, so the embedded scene stays readable and diffable."""
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            items = ",\n  ".join(_dumps(item) for item in value)
            lines.append(f"{_dumps(key)}: [\n  {items}\n ]")
        else:
            lines.append(f"{_dumps(key)}: {_dumps(value)}")
    text = "{\n " + ",\n ".join(lines) + "\n}"
    return "r'''" + text.replace("'", "\\u0027") + "'''"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"), allow_nan=False)


def _rounded(values: FloatArray) -> list[Any]:
    rounded: list[Any] = np.round(np.asarray(values, dtype=np.float64), DECIMALS).tolist()
    return rounded


def scene_data(plan: ShotPlan) -> dict[str, Any]:
    """The scene in beatcam's frame as plain JSON data (the Blender script converts it)."""
    characters = []
    for track in plan.blocking.tracks.values():
        facing = np.rad2deg(np.unwrap(np.deg2rad(track.facing_deg)))  # turn the short way
        bones = []
        for bone in bone_tracks(plan, track.name):
            vertices, _, triangles = capsule_mesh(bone.length_m, bone.radius_m)
            bones.append(
                {
                    "name": bone.name,
                    "mesh": {
                        "vertices": _rounded(vertices + np.array(bone.centre_m)),
                        "triangles": triangles.tolist(),
                    },
                    "frames": bone.frames.astype(int).tolist(),
                    "translation": _rounded(bone.translation),
                    "rotation": _rounded(bone.rotation),
                }
            )
        characters.append(
            {
                "name": track.name,
                "height_m": track.height_m,
                "bones": bones,
                "nose_center": list(nose_center_m(track.height_m)),
                "nose_size": list(NOSE_SIZE_M),
                "position": _rounded(track.position),
                "facing_deg": _rounded(facing),
            }
        )
    props = [
        {
            "name": prop.name,
            "boxes": [{"center": list(c), "size": list(z)} for c, z in prop.boxes],
            "frames": prop.frames.astype(int).tolist(),
            "position": _rounded(prop.translation),
            "facing_deg": _rounded(prop.facing_deg),
        }
        for prop in prop_tracks(plan)
    ]
    shots = shot_records(plan)
    return {
        "title": plan.title,
        "fps": plan.fps,
        "frames": plan.frames,
        "sensor_mm": list(plan.sensor_mm),
        "resolution": list(plan.resolution),
        "f_stop": PREVIS_F_STOP,
        "clip_m": [CLIP_NEAR_M, CLIP_FAR_M],
        "colors": {
            "set": SET_COLOR,
            "character": CHARACTER_COLOR,
            "nose": NOSE_COLOR,
            "prop": PROP_COLOR,
        },
        "provenance": provenance.facts(plan),
        "boxes": [
            {"name": box.name, "center": list(box.center), "size": list(box.size)}
            for box in plan.set.boxes
        ],
        "characters": characters,
        "props": props,
        "shots": shots,
        "score": SCORE_FROM_BLEND,
    }


def shot_records(plan: ShotPlan) -> list[dict[str, Any]]:
    """Each shot's camera samples (beatcam frame) and the director's words, as JSON data."""
    return [
        {
            "id": shot.id,
            "start_frame": shot.start_frame,
            "frames": shot.frames,
            "position": _rounded(shot.camera.position),
            "rotation": _rounded(make_continuous(shot.camera.rotation)),
            "focal_mm": _rounded(shot.camera.focal_mm),
            "focus_m": _rounded(shot.camera.focus_m),
            "meta": shot_metadata(shot),
        }
        for shot in plan.shots
    ]


def blender_command() -> list[str] | None:
    """How to run a script with Blender's Python here, or None when there is no Blender:
    ``$BEATCAM_BLENDER_PYTHON``, the repository's ``.venv-blender``, or ``blender`` on PATH."""
    configured = os.environ.get(PYTHON_ENV)
    if configured:
        return [configured]
    if SIDE_VENV_PYTHON.exists():
        return [str(SIDE_VENV_PYTHON)]
    binary = shutil.which("blender")
    if binary:
        return [binary, "--background", "--factory-startup", "--python"]
    return None


def run_script(script: Path, arguments: list[str]) -> None:
    """Run a generated Blender script with ``arguments`` (after ``--``); raise StageError with
    Blender's last words when it fails."""
    command = blender_command()
    if command is None:
        raise StageError("export", f"no Blender Python found to run {script}; try: {INSTALL_HINT}")
    # Blender's FBX exporter makes its object ids with hash() of names, which Python salts per
    # process unless PYTHONHASHSEED is fixed: the same scene would get other ids on every run.
    environment = {**os.environ, "PYTHONHASHSEED": "0"}
    try:
        result = subprocess.run(
            [*command, str(script), "--", *arguments],
            capture_output=True,
            text=True,
            timeout=BLENDER_TIMEOUT_S,
            check=False,
            env=environment,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise StageError("export", f"running {script} with {command[0]} failed: {exc}") from exc
    if result.returncode != 0:
        tail = " | ".join((result.stderr or result.stdout).strip().splitlines()[-3:])
        raise StageError("export", f"{script} failed in Blender ({result.returncode}): {tail}")


def build(script: Path, blend: Path | None = None, fbx_dir: Path | None = None) -> list[Path]:
    """Run ``script`` once with Blender's Python to save the scene as ``blend`` and/or one FBX
    per shot camera into ``fbx_dir``; each file appears only once complete. Returns them."""
    with ExitStack() as stack:
        arguments: list[str] = []
        saved = None if blend is None else Path(stack.enter_context(atomic_path(blend)))
        if saved is not None:
            arguments += ["--output", str(saved)]
        if fbx_dir is not None:
            fbx_dir.mkdir(parents=True, exist_ok=True)
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=fbx_dir, prefix=".")))
            arguments += ["--fbx-dir", str(work)]
        run_script(script, arguments)
        if saved is not None:
            normalise(saved)  # what Blender takes from the clock, fixed
        written = [] if blend is None else [blend]
        if fbx_dir is not None:
            written += [fbx.replace(fbx_dir / fbx.name) for fbx in sorted(work.glob("*.fbx"))]
    return written


def build_blend(script: Path, out: Path) -> Path:
    """Run ``script`` with Blender's Python to save the scene as ``out`` (atomically)."""
    build(script, blend=out)
    return out
