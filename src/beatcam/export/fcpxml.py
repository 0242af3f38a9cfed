"""timeline.fcpxml: FCPXML for Final Cut Pro."""

from __future__ import annotations

from pathlib import Path

from beatcam.export.timeline import write_timeline
from beatcam.model import ShotPlan


def write(plan: ShotPlan, out_dir: Path) -> list[Path]:
    """Write timeline.fcpxml into ``out_dir`` (see beatcam.export.timeline for what it keeps)."""
    return [write_timeline(plan, out_dir, "fcpxml")]
