"""``unreal/``: what Unreal Engine 5 needs to play the previs.

``scene.usda`` (the same stage as the top-level one, for UE's USD Stage), ``import_sequence.py``
(``unreal_script.py`` with the plan embedded: it builds a Level Sequence with Cine Camera
Actors and a camera cut track) and ``README.md`` with the import steps. ``build_fbx`` adds
``cameras/Sxx.fbx``, one baked camera per shot, by running the Blender script with ``bpy``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from beatcam.errors import StageError
from beatcam.export import blender, provenance, usd
from beatcam.export.scene_geometry import PREVIS_F_STOP
from beatcam.files import scratch_folder, write_atomic
from beatcam.model import ShotPlan

FOLDER = "unreal"
SCRIPT_NAME = "import_sequence.py"
README_NAME = "README.md"
README_TEMPLATE = "unreal_readme.md"
FBX_FOLDER = "cameras"
TEMPLATE = "unreal_script.py"


def write(plan: ShotPlan, out_dir: Path) -> list[Path]:
    """Write ``out_dir/unreal/{scene.usda, import_sequence.py, README.md}``; return them."""
    folder = out_dir / FOLDER
    readme = resources.files("beatcam.export").joinpath(README_TEMPLATE).read_text("utf-8")
    return [
        write_atomic(folder / usd.FILE_NAME, usd.stage_text(plan)),
        write_atomic(folder / SCRIPT_NAME, script_text(plan)),
        write_atomic(folder / README_NAME, readme.replace("{title}", plan.title)),
    ]


def script_text(plan: ShotPlan) -> str:
    """The Unreal import script with the plan's cameras embedded: deterministic."""
    data = {
        "title": plan.title,
        "fps": plan.fps,
        "frames": plan.frames,
        "sensor_mm": list(plan.sensor_mm),
        "f_stop": PREVIS_F_STOP,
        "provenance": provenance.facts(plan),
        "shots": blender.shot_records(plan),
    }
    return blender.embed_data(TEMPLATE, data)


def build_fbx(plan: ShotPlan, out_dir: Path) -> list[Path]:
    """Write ``out_dir/unreal/cameras/Sxx.fbx``, one baked camera per shot, through Blender's
    Python (see ``blender.blender_command``); each file appears only once complete."""
    target = out_dir / FOLDER / FBX_FOLDER
    with scratch_folder("export") as work:
        script = blender.write(plan, work)[0]
        written = blender.build(script, fbx_dir=target)
    missing = sorted({f"{shot.id}.fbx" for shot in plan.shots} - {path.name for path in written})
    if missing:
        raise StageError("export", f"Blender wrote no FBX for {', '.join(missing)} in {target}")
    return written
