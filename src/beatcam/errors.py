"""Every error beatcam raises on purpose, so the CLI can catch one root and print one line.

    BeatcamError                  root; ``str(err)`` is the one line a user sees
    ├── InputError                the scene or plan given is unusable (exit code 2)
    │   ├── SceneError            a scene file breaks a rule of docs/design.md section 2
    │   └── PlanFileError         a plan.json is unreadable or fails the schema
    ├── UsageError                an option or name on the command line is unknown (exit code 2)
    ├── StageError                a stage could not do its work on valid input (exit code 1)
    └── SceneFailedError          one scene of a file failed; names the file and the scene
                                  (exit code 2 if it could not be planned, else its cause's)

Messages say what failed, where, and what to try. Every error survives pickling with its
fields, since scenes are shot in other processes and machines and their errors come back.
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
        self._made_from = (message, source, beat)

    def __reduce__(self) -> tuple[type[SceneError], tuple[str, str | Path, int | None]]:
        return type(self), self._made_from


class PlanFileError(InputError):
    """Raised when a plan.json cannot be read or does not match the shipped schema."""

    def __init__(self, message: str, path: str | Path = "") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = str(path)
        self._made_from = (message, path)

    def __reduce__(self) -> tuple[type[PlanFileError], tuple[str, str | Path]]:
        return type(self), self._made_from


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
        self._made_from = (stage, message, shot)

    def __reduce__(self) -> tuple[type[StageError], tuple[str, str, str | None]]:
        return type(self), self._made_from


class SceneFailedError(BeatcamError):
    """Raised when one scene of a file fails; ``where`` names the file and the scene.

    A scene that cannot be planned refuses the whole run (exit code 2, nothing written); a
    later stage keeps its cause's exit code.
    """

    def __init__(self, where: str, cause: BeatcamError, planning: bool) -> None:
        super().__init__(f"{where}: {cause}")
        self.where = where
        self.cause = cause
        self.planning = planning
        self.exit_code = InputError.exit_code if planning else cause.exit_code

    def __reduce__(self) -> tuple[type[SceneFailedError], tuple[str, BeatcamError, bool]]:
        return type(self), (self.where, self.cause, self.planning)
