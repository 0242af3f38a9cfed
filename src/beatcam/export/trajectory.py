"""trajectory.csv: the camera on every scene frame, for tools that want numbers, not scenes.

Columns: frame, shot, x, y, z (metres, world, Y up), qw, qx, qy, qz (world-from-camera,
camera looks down -Z), focal_mm, focus_m; numbers with 5 decimals. One row per scene frame,
taken from the shot that is on screen.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from beatcam.errors import StageError
from beatcam.export.plan_json import run_starts
from beatcam.files import write_atomic
from beatcam.model import ShotPlan

FILE_NAME = "trajectory.csv"
DECIMALS = 5
COLUMNS = ("frame", "shot", "x", "y", "z", "qw", "qx", "qy", "qz", "focal_mm", "focus_m")


def check_contiguous(plan: ShotPlan) -> None:
    """Fail unless the shots follow each other without gaps and cover every scene frame."""
    frame = 0
    for shot in plan.shots:
        if shot.start_frame != frame:
            raise StageError(
                "export",
                f"shot starts at frame {shot.start_frame}, expected {frame} (shots must be "
                "contiguous); re-run beatcam plan",
                shot.id,
            )
        frame += shot.frames
    if frame != plan.frames:
        raise StageError(
            "export",
            f"shots cover {frame} frames but the scene has {plan.frames}; re-run beatcam plan",
        )


def samples(plan: ShotPlan) -> np.ndarray:
    """(frames, 9) float64: x, y, z, qw, qx, qy, qz, focal_mm, focus_m on every scene frame."""
    check_contiguous(plan)
    return np.concatenate(
        [
            np.column_stack(
                [
                    shot.camera.position,
                    shot.camera.rotation,
                    shot.camera.focal_mm,
                    shot.camera.focus_m,
                ]
            )
            for shot in plan.shots
        ]
    )


def csv_text(plan: ShotPlan) -> str:
    """The trajectory as CSV text: a header row, then one row per scene frame.

    The numbers of each run of equal rows are formatted once (a camera holds still for most
    of a scene): 2,000 beats' 248,000 rows, 0.74 -> 0.39 s of CPU (issue 19)."""
    values = np.round(samples(plan), DECIMALS) + 0.0
    starts = run_starts(values)
    numbers = ",".join([f"%.{DECIMALS}f"] * (len(COLUMNS) - 2))
    texts = [numbers % tuple(row) for row in values[starts].tolist()]
    runs = np.diff(np.append(starts, len(values))).tolist()
    shot_ids = [shot.id for shot in plan.shots for _ in range(shot.frames)]
    per_frame = itertools.chain.from_iterable(map(itertools.repeat, texts, runs))
    lines = [",".join(COLUMNS)]
    lines.extend(
        f"{frame},{shot_id},{text}"
        for frame, (shot_id, text) in enumerate(zip(shot_ids, per_frame, strict=True))
    )
    return "\n".join(lines) + "\n"


def write(plan: ShotPlan, out_dir: Path) -> list[Path]:
    """Write trajectory.csv into ``out_dir``."""
    return [write_atomic(out_dir / FILE_NAME, csv_text(plan))]
