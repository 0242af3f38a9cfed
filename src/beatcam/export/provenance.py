"""provenance.json: what made an output folder, so every file in it can say where it came from.

The same facts travel inside the other formats (OTIO timeline metadata, PDF metadata); ``facts``
is the one place they are gathered. The document is checked against the shipped JSON Schema
before it is written, with sorted keys and no timestamps, so the same plan and folder give the
same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from beatcam.errors import StageError
from beatcam.export import schemas
from beatcam.files import write_atomic
from beatcam.model import ShotPlan

FILE_NAME = "provenance.json"
FORMAT_VERSION = "1"


def schema() -> dict[str, Any]:
    """The JSON Schema every provenance.json is checked against."""
    return schemas.load("provenance")


def facts(plan: ShotPlan) -> dict[str, Any]:
    """Version, input hash, seed, style, title, models and network of a plan, as plain data."""
    made_by = plan.provenance
    return {
        "beatcam_provenance": FORMAT_VERSION,
        "beatcam_version": made_by.beatcam_version,
        "input_sha256": made_by.input_sha256,
        "seed": plan.seed,
        "style": plan.style,
        "title": plan.title,
        "models": [dict(model) for model in made_by.models],
        "network": made_by.network,
    }


def folder_files(out_dir: Path) -> list[str]:
    """Files under ``out_dir`` as sorted POSIX paths relative to it, without hidden or
    temporary files (their names start with a dot) and without provenance.json itself."""
    if not out_dir.is_dir():
        return []
    names = (
        path.relative_to(out_dir).as_posix()
        for path in out_dir.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(out_dir).parts)
    )
    return sorted(name for name in names if name != FILE_NAME)


def document(plan: ShotPlan, files: list[str]) -> str:
    """The provenance.json text for a plan and the files it describes, checked by the schema."""
    content = facts(plan) | {"files": sorted(files)}
    first = schemas.first_error("provenance", content)
    if first is not None:
        where = "/".join(str(part) for part in first.absolute_path) or "(top level)"
        raise StageError(
            "export",
            f"{FILE_NAME} fails its schema at {where}: {first.message}; "
            "check the plan's provenance block",
        )
    return json.dumps(content, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def write(plan: ShotPlan, out_dir: Path) -> list[Path]:
    """Write provenance.json describing the plan and the files already in ``out_dir``."""
    return [write_atomic(out_dir / FILE_NAME, document(plan, folder_files(out_dir)))]
