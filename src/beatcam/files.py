"""Writing outputs so that a failure never leaves a half-written file behind.

Every stage that writes a file goes through ``atomic_path``: the work happens on a temporary
name in the target folder and is renamed into place only when it completed. A process killed
mid-write cannot clean up, so its temporary file stays; ``remove_partial_files`` is how the
next run clears them, matching only names ``atomic_path`` makes.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PART_MARK = ".part"
# ".<target name>.<mkstemp's 8 random characters>.part<target suffix>", as atomic_path names them
_PARTIAL_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.part(\.[^./]+)?$")


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=f"{PART_MARK}{target.suffix}", dir=target.parent
    )
    os.close(handle)
    temporary_path = Path(temporary)
    try:
        yield temporary_path
        temporary_path.chmod(0o644)
        temporary_path.replace(target)
    finally:
        temporary_path.unlink(missing_ok=True)


def write_atomic(target: Path, content: str | bytes) -> Path:
    """Write text (UTF-8, LF newlines) or bytes to ``target`` atomically; return ``target``."""
    with atomic_path(target) as temporary:
        if isinstance(content, str):
            temporary.write_text(content, encoding="utf-8", newline="\n")
        else:
            temporary.write_bytes(content)
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
