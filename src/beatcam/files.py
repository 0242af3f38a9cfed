"""Writing outputs so that a failure never leaves a half-written file behind.

Every stage that writes a file goes through ``atomic_path``: the work happens on a temporary
name in the target folder and is renamed into place only when it completed.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=f".part{target.suffix}", dir=target.parent
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
