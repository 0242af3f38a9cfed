"""How fast the previs renders and encodes, at 1280x720 and 640x360, measured in one run.

For each size: frames per second for *render* alone (GL draw, readback, labels and HUD into
memory), *encode* alone (the same frames, already rendered, through libx264 into previs.mp4
and the shot clips) and *both* (``render_previs`` end to end, context start-up included), and
the ratio both / encode-only: 1.0 would mean rendering costs nothing beside the encoder.
CPU ms per frame counts every thread of the process (llvmpipe's, x264's), so it shifts less
than frames per second when other work shares the two cores; the load average is printed
beside each row.

The plan is the test fixture's two shots played twice (10 s at 24 fps) with a second
character walking across the kitchen, so the frames hold two mannequins, one moving.

    .venv/bin/python bench/render.py [--sizes 1280x720,640x360]

Figures on the 2-core Xeon (llvmpipe, 256-bit), this script run against the renderer before
and after the speed work, back to back (1-minute load average 1.4-2.4, partly this script):

    1280x720   render fps  encode fps  both fps  both/encode  CPU ms/frame r / e / b
    before        35.8       149.2       29.6       0.20       48.3 / 9.5 / 58.7
    after         50.0       299.4       44.0       0.15       33.7 / 4.9 / 39.2
    640x360
    before       114.1       518.0       95.7       0.18       13.8 / 2.8 / 17.1
    after        165.6       945.2      143.8       0.15        8.5 / 1.5 / 10.5

Where the time went (720p, per frame): back faces are culled (the set's boxes were filled
twice); sky and ground are shaded by two passes clipped at the horizon instead of one that
paid for both; the HUD's shot band is drawn once per shot; frames reach the encoder through
reused buffers; x264 runs ``ultrafast``. Both / encode fell because the encoder sped up more
than the renderer: GL (mostly llvmpipe's shaders) is now about 30 of the 39 CPU ms.

With Blender's Python installed (``make setup-tools``), the same scene's first 48 frames are
also rendered by Blender's Workbench engine from the Blender export, load excluded: 1.4 fps
at 1280x720 against beatcam's 51 fps render-only in the same run (36x), load 1.1-1.6.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from beatcam.model import Blocking, CharacterTrack, ShotPlan
from beatcam.render import render_previs
from beatcam.render.hud import Hud
from beatcam.render.previs import FrameMaker, provenance_metadata, scene_cameras
from beatcam.render.video import Clip, PrevisWriter
from conftest import build_tiny_plan


def bench_plan() -> ShotPlan:
    """Ten seconds: the fixture's shots twice over, Mara seated and Tom walking past."""
    tiny = build_tiny_plan()
    frames = 2 * tiny.frames
    mara = tiny.blocking["Mara"]
    walk = np.linspace(-2.5, 2.5, frames)
    tom = CharacterTrack(
        "Tom",
        1.82,
        np.stack([walk, np.zeros(frames), np.full(frames, -1.2)], axis=1),
        np.full(frames, 90.0),
    )
    mara_long = CharacterTrack(
        "Mara", mara.height_m, np.tile(mara.position[0], (frames, 1)), np.zeros(frames)
    )
    shots = tuple(
        dataclasses.replace(
            shot, id=f"S{index + 1:02d}", start_frame=shot.start_frame + lap * tiny.frames
        )
        for lap in range(2)
        for index, shot in enumerate(tiny.shots, start=lap * len(tiny.shots))
    )
    return dataclasses.replace(
        tiny,
        cast=(*tiny.cast, ("Tom", 1.82)),
        blocking=Blocking({"Mara": mara_long, "Tom": tom}, frames),
        shots=shots,
    )


Speed = tuple[float, float]  # frames per second (wall clock), CPU ms per frame (all threads)


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _speed(frames: int, start: tuple[float, float]) -> Speed:
    wall, cpu = (now - then for now, then in zip(_clock(), start, strict=True))
    return frames / wall, 1000.0 * cpu / frames


def render_only(plan: ShotPlan, size: tuple[int, int]) -> tuple[Speed, list[np.ndarray]]:
    """Speed of drawing every frame with labels and HUD; the frames."""
    cameras = scene_cameras(plan)
    hud = Hud(size, plan.fps)
    beats = {beat.index: beat for beat in plan.beats}
    maker = FrameMaker(plan, size)
    matrices = maker.matrices(cameras.position, cameras.rotation, cameras.focal_mm)
    kept = []
    start = _clock()
    for frame in range(plan.frames):
        index = int(cameras.shot[frame])
        image = maker.frame(frame, matrices[frame], cameras.position[frame], index)
        shot = plan.shots[index]
        hud.draw(image, frame, shot, float(cameras.focal_mm[frame]), beats.get(shot.beat))
        kept.append(image.copy())
    speed = _speed(plan.frames, start)
    maker.release()
    return speed, kept


def encode_only(
    plan: ShotPlan, size: tuple[int, int], frames: list[np.ndarray], out: Path
) -> Speed:
    """Speed of encoding pre-rendered frames into the previs and its clips."""
    clips = [Clip(out / "shots" / f"{s.id}.mp4", s.start_frame, s.frames) for s in plan.shots]
    start = _clock()
    with PrevisWriter(
        out / "previs.mp4", clips, size, plan.fps, provenance_metadata(plan)
    ) as writer:
        for frame in frames:
            writer.write(frame)
    return _speed(len(frames), start)


def end_to_end(plan: ShotPlan, size: tuple[int, int], out: Path) -> Speed:
    """Speed of ``render_previs``, context start-up included."""
    start = _clock()
    render_previs(plan, out, resolution=size)
    return _speed(plan.frames, start)


WORKBENCH_FRAMES = 48
WORKBENCH_SCRIPT = """
import sys, time
import bpy
blend, out, width, height, frames = sys.argv[sys.argv.index("--") + 1 :]
bpy.ops.wm.open_mainfile(filepath=blend)
scene = bpy.context.scene
scene.render.engine = "BLENDER_WORKBENCH"
scene.render.resolution_x, scene.render.resolution_y = int(width), int(height)
scene.render.resolution_percentage = 100
scene.render.image_settings.file_format = "PNG"
scene.render.filepath = out + "/frame_"
scene.frame_start, scene.frame_end = 0, int(frames) - 1
start = time.perf_counter()
bpy.ops.render.render(animation=True)
print("WORKBENCH_SECONDS", time.perf_counter() - start)
"""


def workbench_fps(plan: ShotPlan, size: tuple[int, int], scratch: Path) -> float | None:
    """Blender's Workbench engine rendering the same scene's first frames (load excluded),
    through the Blender export and the side venv's bpy; None when Blender is not installed."""
    from beatcam.export import blender

    if blender.blender_command() is None:
        return None
    blender.write(plan, scratch)
    blend = blender.build(scratch / "blender" / "build_scene.py", blend=scratch / "bench.blend")[0]
    script = scratch / "workbench.py"
    script.write_text(WORKBENCH_SCRIPT)
    command = [*(blender.blender_command() or []), str(script), "--"]
    arguments = [str(blend), str(scratch / "frames"), *map(str, size), str(WORKBENCH_FRAMES)]
    result = subprocess.run([*command, *arguments], capture_output=True, text=True, check=True)
    seconds = next(
        float(line.split()[1]) for line in result.stdout.splitlines() if "WORKBENCH_SECONDS" in line
    )
    return WORKBENCH_FRAMES / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1280x720,640x360")
    args = parser.parse_args()
    plan = bench_plan()
    print(
        f"plan: {plan.frames} frames, {len(plan.shots)} shots, {len(plan.cast)} cast, "
        f"{os.cpu_count()} cores, load average before {os.getloadavg()[0]:.2f}"
    )
    print(
        f"{'size':>10} {'render fps':>11} {'encode fps':>11} {'both fps':>9} {'both/encode':>12}"
        f" {'CPU ms/frame r / e / b':>23} {'load':>5}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        for text in args.sizes.split(","):
            width, height = (int(v) for v in text.lower().split("x"))
            size = (width, height)
            render, frames = render_only(plan, size)
            encode = encode_only(plan, size, frames, Path(scratch) / f"enc{width}")
            del frames
            both = end_to_end(plan, size, Path(scratch) / f"both{width}")
            cpu = f"{render[1]:.1f} / {encode[1]:.1f} / {both[1]:.1f}"
            print(
                f"{text:>10} {render[0]:11.1f} {encode[0]:11.1f} {both[0]:9.1f} "
                f"{both[0] / encode[0]:12.2f} {cpu:>23} {os.getloadavg()[0]:5.2f}"
            )
        size = (1280, 720)
        workbench = workbench_fps(plan, size, Path(scratch) / "workbench")
        if workbench is None:
            print("Blender (bpy) not installed: `make setup-tools` adds it for the comparison")
        else:
            ours = render_only(plan, size)[0][0]
            print(
                f"Blender Workbench, first {WORKBENCH_FRAMES} frames at 1280x720: "
                f"{workbench:.1f} fps; beatcam render {ours:.1f} fps = {ours / workbench:.0f}x"
            )
    print(f"load average after {os.getloadavg()[0]:.2f} (the machine is shared; rerun when idle)")


if __name__ == "__main__":
    main()
