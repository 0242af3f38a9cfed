"""Exports: one module per format, found through a registry by format name.

Each format module defines ``write(plan: ShotPlan, out_dir: Path) -> list[Path]`` and writes
its files atomically (``beatcam.files``). Modules are imported only when their format is asked
for, so a heavy library (pxr, bpy) costs nothing until it is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path

from beatcam.errors import UsageError
from beatcam.model import ShotPlan

Writer = Callable[[ShotPlan, Path], list[Path]]

# format name -> module under beatcam.export that writes it
FORMATS: dict[str, str] = {
    "plan": "plan_json",
    "otio": "otio",
    "edl": "edl",
    "xml": "fcp_xml",
    "fcpxml": "fcpxml",
    "shotlist": "shotlist",
    "shotlist_pdf": "shotlist_pdf",
    "setups": "setups_csv",
    "trajectory": "trajectory",
    "provenance": "provenance",
    "usd": "usd",
    "gltf": "gltf",
    "blender": "blender",
    "unreal": "unreal",
}

# What the export stage writes (shoot's export stage, and export without --to); the plan's own
# formats and provenance are written by the stages around it.
EXPORT_FORMATS = (
    "usd", "gltf", "blender", "unreal", "otio", "edl", "xml", "fcpxml", "shotlist_pdf",
    "setups",
)  # fmt: skip


def writer_for(name: str) -> Writer:
    """The writer of one format; an unknown name fails with the list of known ones."""
    try:
        module_name = FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise UsageError(f"unknown export format {name!r}; known formats: {known}") from None
    module = importlib.import_module(f"beatcam.export.{module_name}")
    writer: Writer = module.write
    return writer


def export_plan(plan: ShotPlan, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write every named format into ``out_dir``; return the files written, in order."""
    writers = [writer_for(name) for name in formats]
    written: list[Path] = []
    for write in writers:
        written.extend(write(plan, out_dir))
    return written
