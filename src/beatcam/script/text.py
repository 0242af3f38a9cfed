"""Plain text and Markdown scenes: optional header lines, then one beat per line.

    # The Letter            title (or ``Title: The Letter``)
    Cast: Mara, Tom         explicit cast (optional)
    Set: kitchen            set preset (optional)
    - Mara opens the letter.

Header lines are read only before the first beat, so a beat may begin with "Set:". Later
Markdown headings (``## Part two``) and rules (``---``) are structure, not beats.
"""

from __future__ import annotations

import re

from beatcam.errors import SceneError
from beatcam.model.scene import Beat, Scene
from beatcam.script.cast import infer_cast, named_cast, split_names
from beatcam.script.limits import beat_text, check_beat_count, fold
from beatcam.script.sets import set_named

_HEADING = re.compile(r"^#{1,6}(?:\s+(.*))?$")
_KEY = re.compile(r"^(title|cast|set)\s*:\s*(.*)$", re.IGNORECASE)
_LIST_MARKER = re.compile(r"^(?:[-*+]|\d{1,9}[.)])\s+")
_HAS_CONTENT = re.compile(r"[^\W_]")


def parse_text(text: str, source: str, fallback_title: str) -> Scene:
    """One Scene from plain text or Markdown (see module doc)."""
    headers: dict[str, str] = {}
    lines: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        heading = _HEADING.match(line)
        if heading:
            if not lines and "title" not in headers and line.startswith("# "):
                headers["title"] = heading.group(1) or ""
            continue
        key = _KEY.match(line)
        if key and not lines:
            name = key.group(1).lower()
            if name in headers:
                raise SceneError(f"'{name.title()}:' is given twice; keep one", source)
            headers[name] = key.group(2).strip()
            continue
        line = _LIST_MARKER.sub("", line, count=1).strip()
        if _HAS_CONTENT.search(line):
            lines.append(line)
    check_beat_count(len(lines), source)
    beats = tuple(
        Beat(index=index, text=beat_text(line, index, source)) for index, line in enumerate(lines)
    )
    if "cast" in headers:
        names = split_names(headers["cast"])
        if not names:
            raise SceneError("the 'Cast:' line names nobody; list names or drop it", source)
        cast = named_cast(names, source)
    else:
        cast = infer_cast([beat.text for beat in beats])
    set_word = headers.get("set")
    return Scene(
        title=fold(headers.get("title", "")) or fallback_title,
        cast=cast,
        beats=beats,
        set_preset=None if set_word is None else set_named(set_word, source),
        cast_explicit="cast" in headers,
    )
