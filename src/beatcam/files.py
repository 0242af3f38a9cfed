"""Writing outputs so that a failure never leaves a half-written file behind.

Every stage that writes a file goes through ``atomic_path``: the work happens on a temporary
name in the target folder and is renamed into place only when it completed. A process killed
mid-write cannot clean up, so its temporary file stays; ``remove_partial_files`` is how the
next run clears them, matching only names ``atomic_path`` makes.

Work that needs a folder of its own (a scene made in a worker, the score's stems) gets one from
``scratch_folder``, in the system's temporary folder and named for the process that made it;
``remove_stale_scratch`` removes those of processes that no longer run (a killed worker's), and
never one of a process still at work.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

PART_MARK = ".part"
SCRATCH_PREFIX = "beatcam-"
# "beatcam-<kind>-<pid>-<mkdtemp's 8 random characters>", as scratch_folder names them
_SCRATCH_NAME = re.compile(r"^beatcam-[a-z]+-(\d+)-[a-z0-9_]{8}$")
# ".<target name>.<mkstemp's 8 random characters>.part<target suffix>", as _partial names them
_PARTIAL_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.part(\.[^./]+)?$")


def _partial(target: Path) -> tuple[int, Path]:
    """A new, open temporary file beside ``target``, named as ``_PARTIAL_NAME`` matches: its
    descriptor and path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=f"{PART_MARK}{target.suffix}", dir=target.parent
    )
    return descriptor, Path(name)


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` if the block succeeds."""
    handle, temporary_path = _partial(target)
    os.close(handle)
    try:
        yield temporary_path
        temporary_path.chmod(0o644)
        temporary_path.replace(target)
    finally:
        temporary_path.unlink(missing_ok=True)


@contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """Yield a temporary file beside ``target``, open for writing bytes; close it and rename it
    onto ``target`` if the block succeeds (``atomic_path``'s file, named alike, for a writer
    that needs no path of its own).

    The file is written through the handle that made it, rather than opened again by name,
    and nothing is left to remove after the rename: ~0.065 ms of CPU less a file than
    ``atomic_path`` (0.28 -> 0.21 ms, 20 kB files), so ~0.003 s of a cold plan's that fills
    an empty cache with ~48 entries (issue 19)."""
    descriptor, temporary = _partial(target)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            os.fchmod(descriptor, 0o644)
        temporary.replace(target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomic(target: Path, content: str | bytes) -> Path:
    """Write text (UTF-8, LF newlines) or bytes to ``target`` atomically; return ``target``."""
    with atomic_file(target) as handle:
        handle.write(content.encode("utf-8") if isinstance(content, str) else content)
    return target


def remove_partial_files(folder: Path, *, recursive: bool = True) -> None:
    """Delete the temporary files a killed writer left in ``folder`` (and below, if
    ``recursive``); other files are never touched."""
    if not folder.is_dir():
        return
    found = folder.rglob(f"*{PART_MARK}*") if recursive else folder.glob(f"*{PART_MARK}*")
    for path in list(found):
        if path.is_file() and _PARTIAL_NAME.match(path.name):
            path.unlink(missing_ok=True)


@contextmanager
def scratch_folder(kind: str) -> Iterator[Path]:
    """A fresh folder named for this process (``beatcam-<kind>-<pid>-…``), removed on exit."""
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{kind}-{os.getpid()}-") as folder:
        yield Path(folder)


def remove_stale_scratch() -> None:
    """Delete the scratch folders of beatcam processes that are gone (killed before they could
    clean up); folders of running processes and every other name are left alone."""
    base = Path(tempfile.gettempdir())
    for path in base.glob(f"{SCRATCH_PREFIX}*"):
        named = _SCRATCH_NAME.match(path.name)
        if named and path.is_dir() and not _running(int(named.group(1))):
            shutil.rmtree(path, ignore_errors=True)


def _running(pid: int) -> bool:
    """Whether a process ``pid`` exists (one of another user counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
