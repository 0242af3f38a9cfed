"""shotlist.csv and shotlist.pdf: the plan as the crew reads it, one row per shot.

The CSV is for spreadsheets and scripts (UTF-8, LF, a header row, the plan's own words); the PDF
is the printed list for the set (``beatcam.export.shotlist_pdf``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from beatcam.files import write_atomic
from beatcam.model import Shot, ShotPlan
from beatcam.model.setups import camera_height_m, crossings, rig_for, setup_of, tilt_deg

FILE_NAME = "shotlist.csv"
DECIMALS = 5
SUBJECT_SEPARATOR = ";"
COLUMNS = (
    "id",
    "beat",
    "start_frame",
    "frames",
    "duration_s",
    "size",
    "end_size",
    "angle",
    "dutch_deg",
    "lens_mm",
    "movement",
    "framing",
    "rig",
    "setup",
    "camera_height_m",
    "tilt_deg",
    "transition",
    "subjects",
    "warning",
    "why",
)


def number(value: float) -> str:
    """A float rounded to 5 decimals as the shortest text that reads back the same."""
    return repr(round(float(value), DECIMALS) + 0.0)


def warnings(plan: ShotPlan) -> dict[str, str]:
    """What the crew must sort out before a shot, by shot id: a camera that stands or travels
    through a set piece."""
    said: dict[str, list[str]] = {}
    for crossing in crossings(plan):
        said.setdefault(crossing.shot, []).append(crossing.words(rig_for(plan.shot(crossing.shot))))
    return {shot: " ".join(words) for shot, words in said.items()}


def row(shot: Shot, fps: int, setup: str, warning: str) -> list[str | int]:
    """One shot in the order of COLUMNS (``tilt_deg`` positive looks down)."""
    return [
        shot.id,
        shot.beat,
        shot.start_frame,
        shot.frames,
        number(shot.frames / fps),
        shot.size,
        shot.end_size,
        shot.angle,
        number(shot.dutch_deg),
        number(shot.lens_mm),
        shot.movement,
        shot.framing,
        rig_for(shot),
        setup,
        number(camera_height_m(shot)),
        number(tilt_deg(shot)),
        shot.transition,
        SUBJECT_SEPARATOR.join(shot.subjects),
        warning,
        shot.why,
    ]


def csv_text(plan: ShotPlan) -> str:
    """The shot list as CSV text: a header row, then one row per shot."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    setups = setup_of(plan.setups)
    warned = warnings(plan)
    writer.writerows(
        row(shot, plan.fps, setups[shot.id].id, warned.get(shot.id, "")) for shot in plan.shots
    )
    return buffer.getvalue()


def write(plan: ShotPlan, out_dir: Path) -> list[Path]:
    """Write shotlist.csv into ``out_dir`` (the printable PDF is the "shotlist_pdf" format)."""
    return [write_atomic(out_dir / FILE_NAME, csv_text(plan))]
