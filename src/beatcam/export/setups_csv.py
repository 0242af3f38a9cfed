"""setups.csv: the camera setups in shooting order, for the first AD's schedule and the grips.

One row per setup (``beatcam.model.setups``): where the camera stands (floor x and z and lens
height, metres, in plan.json's world frame), the lens and rig, which shots it covers in cut
order, and its place in the shooting order. Rows come in shooting order.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from beatcam.export.shotlist import SUBJECT_SEPARATOR
from beatcam.files import write_atomic
from beatcam.model import ShotPlan

FILE_NAME = "setups.csv"
# A crew marks the floor with a tape (centimetres) and reads a lens to a millimetre and a
# heading to a degree; plan.json keeps the full numbers.
METRES_DECIMALS, LENS_DECIMALS, DEGREES_DECIMALS = 2, 1, 0
COLUMNS = (
    "setup",
    "shooting_order",
    "x_m",
    "z_m",
    "camera_height_m",
    "lens_mm",
    "rig",
    "heading_deg",
    "shots",
)


def _fixed(value: float, decimals: int) -> str:
    return f"{round(value, decimals) + 0.0:.{decimals}f}"  # + 0.0: no "-0.00"


def csv_text(plan: ShotPlan) -> str:
    """The setups as CSV text: a header row, then one row per setup in shooting order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for setup in plan.setups:
        x, height, z = setup.position
        writer.writerow(
            [
                setup.id,
                setup.order,
                _fixed(x, METRES_DECIMALS),
                _fixed(z, METRES_DECIMALS),
                _fixed(height, METRES_DECIMALS),
                _fixed(setup.lens_mm, LENS_DECIMALS),
                setup.rig,
                _fixed(setup.heading_deg, DEGREES_DECIMALS),
                SUBJECT_SEPARATOR.join(setup.shots),
            ]
        )
    return buffer.getvalue()


def write(plan: ShotPlan, out_dir: Path) -> list[Path]:
    """Write setups.csv into ``out_dir``."""
    return [write_atomic(out_dir / FILE_NAME, csv_text(plan))]
