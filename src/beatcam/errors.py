"""Every error beatcam raises on purpose, so the CLI can catch one root and print one line.

    BeatcamError                  root; ``str(err)`` is the one line a user sees
    ├── InputError                the scene or plan given is unusable (exit code 2)
    │   ├── SceneError            a scene file breaks a rule of DESIGN.md section 2
    │   └── PlanFileError         a plan.json is unreadable or fails the schema
    ├── UsageError                an option or name on the command line is unknown (exit code 2)
    └── StageError                a stage could not do its work on valid input (exit code 1)

Messages say what failed, where, and what to try.
"""

from __future__ import annotations

from pathlib import Path


class BeatcamError(Exception):
    """Root of every error beatcam raises deliberately."""

    exit_code = 1


class InputError(BeatcamError):
    """Raised when an input file or stream cannot be used as given."""

    exit_code = 2


class SceneError(InputError):
    """Raised when a scene breaks a rule of the scene format; carries the source and beat."""

    def __init__(self, message: str, source: str | Path = "", beat: int | None = None) -> None:
        where = str(source) if source else ""
        if beat is not None:
            where = f"{where} beat {beat + 1}" if where else f"beat {beat + 1}"
        super().__init__(f"{where}: {message}" if where else message)
        self.source = str(source)
        self.beat = beat


class PlanFileError(InputError):
    """Raised when a plan.json cannot be read or does not match the shipped schema."""

    def __init__(self, message: str, path: str | Path = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = str(path)


class UsageError(BeatcamError):
    """Raised for an unknown option value: a style, a format, a stage name."""

    exit_code = 2


class StageError(BeatcamError):
    """Raised when a stage fails on valid input; names the stage and, where known, the shot."""

    def __init__(self, stage: str, message: str, shot: str | None = None) -> None:
        where = f"{stage} {shot}" if shot else stage
        super().__init__(f"{where}: {message}")
        self.stage = stage
        self.shot = shot
