"""Bench: seconds to write each 3D export (USD, glTF, Blender script, Unreal folder) for a
planned example scene, their total, and the optional bpy steps (scene.blend, FBX cameras).

The plan comes from the real pipeline (not timed). Each writer runs ``--runs`` times into a
fresh folder; the median is reported. The outputs of the last run are checked as the tests
check them (UsdValidation, the Khronos glTF-Validator) so a fast but broken export cannot pass.

    .venv/bin/python bench/export.py [--scene examples/the-chase.yaml] [--runs 5] [--no-bpy]
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from beatcam.export import blender, gltf, unreal, usd
from beatcam.model import ShotPlan
from beatcam.pipeline import plan_scene
from beatcam.script import read_scenes

REPO = Path(__file__).resolve().parents[1]
WRITERS: dict[str, Callable[[ShotPlan, Path], list[Path]]] = {
    "usd": usd.write,
    "gltf": gltf.write,
    "blender": blender.write,
    "unreal": unreal.write,
}


def _median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _check(out: Path) -> dict[str, int]:
    """Errors the formats' own validators find in the written files."""
    from pxr import Usd, UsdValidation

    stage = Usd.Stage.Open(str(out / usd.FILE_NAME))
    validators = UsdValidation.ValidationRegistry().GetOrLoadAllValidators()
    usd_errors = len(UsdValidation.ValidationContext(validators).Validate(stage))
    result = subprocess.run(
        ["node", str(REPO / "tools" / "gltf-validate.mjs"), str(out / gltf.FILE_NAME)],
        capture_output=True,
        text=True,
        check=False,
    )
    gltf_errors = json.loads(result.stdout)["issues"]["numErrors"]
    return {"usd_errors": usd_errors, "gltf_errors": gltf_errors}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", default=str(REPO / "examples" / "the-chase.yaml"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-bpy", action="store_true", help="skip scene.blend and FBX")
    options = parser.parse_args()
    scene = read_scenes(options.scene)[0]
    plan, _ = plan_scene(scene)
    print(
        f"{Path(options.scene).name}: {plan.frames} frames = {plan.frames / plan.fps:.1f} s "
        f"at {plan.fps} fps, {len(plan.shots)} shots, {len(plan.blocking.tracks)} characters, "
        f"{len(plan.set.boxes)} set boxes"
    )
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        total = 0.0
        for name, write in WRITERS.items():
            seconds = _median_seconds(functools.partial(write, plan, out), options.runs)
            total += seconds
            size = sum(path.stat().st_size for path in write(plan, out))
            print(f"  {name:<8} {seconds * 1000:8.1f} ms  {size / 1024:8.0f} KiB")
        print(f"  {'total':<8} {total * 1000:8.1f} ms")
        print(f"  checks   {_check(out)}")
        if options.no_bpy or blender.blender_command() is None:
            print("  bpy      skipped (no Blender Python)")
            return
        script = out / blender.FOLDER / blender.SCRIPT_NAME
        blend = out / blender.FOLDER / blender.BLEND_NAME
        fbx_dir = out / unreal.FOLDER / unreal.FBX_FOLDER
        seconds = _median_seconds(lambda: blender.build(script, blend, fbx_dir), 1)
        kib = blend.stat().st_size / 1024
        cameras = len(list(fbx_dir.glob("*.fbx")))
        print(f"  bpy      {seconds * 1000:8.1f} ms  scene.blend {kib:.0f} KiB + {cameras} FBX")


if __name__ == "__main__":
    main()
