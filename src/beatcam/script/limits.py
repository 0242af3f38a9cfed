"""The input limits of docs/design.md section 2, enforced once for every scene format.

Bytes are checked before they are decoded (size, NUL bytes, UTF-8), so a huge or binary file
fails fast with one line instead of a traceback from a parser. Every beat's text is folded to
single spaces, so a beat is always one non-empty stripped line whatever the format.
"""

from __future__ import annotations

from beatcam.errors import SceneError
from beatcam.model.vocab import MAX_BEAT_CHARS, MAX_BEATS, MAX_INPUT_BYTES

UTF8_BOM = "\ufeff"


def decode(data: bytes, source: str) -> str:
    """UTF-8 text of ``data`` with the BOM stripped and every line ending made ``\\n``."""
    if len(data) > MAX_INPUT_BYTES:
        raise SceneError(
            f"input is {len(data):,} bytes, larger than the {MAX_INPUT_BYTES:,}-byte limit; "
            "split it into smaller files",
            source,
        )
    if b"\x00" in data:
        raise SceneError(
            "binary input (NUL bytes), not UTF-8 text; give a .txt, .md, .yaml or .fountain file",
            source,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SceneError(
            f"not UTF-8 text (invalid byte at offset {exc.start}); save the file as UTF-8",
            source,
        ) from exc
    text = text.removeprefix(UTF8_BOM)
    if not text.strip():
        raise SceneError("empty input; write one beat per line", source)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def fold(text: str) -> str:
    """``text`` on one line: every run of whitespace (line breaks too) becomes one space."""
    return " ".join(text.split())


def check_beat_count(count: int, source: str) -> None:
    """Refuse a scene with no beats, or with more than MAX_BEATS."""
    if count == 0:
        raise SceneError("no beats (empty scene); write at least one line of action", source)
    if count > MAX_BEATS:
        raise SceneError(
            f"{count:,} beats, more than the limit of {MAX_BEATS:,} per scene; "
            "split it into several scenes",
            source,
        )


def beat_text(raw: str, index: int, source: str) -> str:
    """The folded text of beat ``index``; refuses an empty or over-long beat."""
    text = fold(raw)
    if not text:
        raise SceneError("the beat is empty; write what happens", source, index)
    if len(text) > MAX_BEAT_CHARS:
        raise SceneError(
            f"the beat is {len(text):,} characters, longer than the limit of "
            f"{MAX_BEAT_CHARS:,}; split it into several beats",
            source,
            index,
        )
    return text
