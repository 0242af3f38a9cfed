"""critique.json: every check the critic made, with its measurements, schema-validated."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import Any

from beatcam.export import schemas
from beatcam.files import write_atomic
from beatcam.model import Critique

FILE_NAME = "critique.json"


def schema() -> dict[str, Any]:
    return schemas.load("critique")


def to_document(verdict: Critique) -> dict[str, Any]:
    return {
        "beatcam": "1",
        "passed": verdict.passed,
        "pass_rate": round(verdict.pass_rate, 5),
        # Each check's fields as they are (dataclasses.asdict would deep-copy 30,000 of them).
        "checks": [
            {field.name: getattr(check, field.name) for field in fields(check)}
            for check in verdict.checks
        ],
    }


def dumps(verdict: Critique) -> str:
    """The text of critique.json, after checking it against the schema."""
    document = to_document(verdict)
    error = schemas.first_error("critique", document)
    if error is not None:
        raise error
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_critique(verdict: Critique, out_dir: Path) -> Path:
    return write_atomic(out_dir / FILE_NAME, dumps(verdict))
