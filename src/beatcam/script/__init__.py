"""script stage: scene text in, Scenes out (docs/design.md section 2).

One entry point, :func:`read_scenes`. The form is picked by the file's extension, or for
standard input and unknown extensions by sniffing the content: a YAML mapping with ``beats``,
else a Final Draft file if it starts as one, else a Fountain screenplay if any line is a scene
heading, else plain text. Every form checks
the same limits (``limits.py``) and raises ``SceneError`` with one line on bad input.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import sys
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from beatcam.errors import SceneError
from beatcam.model.scene import Scene
from beatcam.model.vocab import MAX_INPUT_BYTES
from beatcam.script.limits import decode
from beatcam.script.text import parse_text
from beatcam.script.yaml_scene import load_yaml, parse_yaml

__all__ = ["STDIN", "read_scenes", "slugify"]

STDIN = "-"
STDIN_NAME = "<stdin>"
STDIN_TITLE = "Untitled scene"
SLUG_MAX_CHARS = 48
SLUG_FALLBACK = "scene"
FORMS = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".json": "yaml",  # JSON is YAML's subset: the same document, as a tool writes it
    ".fountain": "fountain",
    ".fdx": "fdx",
}
_YAML_BEATS_KEY = re.compile(r"^beats\s*:", re.MULTILINE)
_FOUNTAIN_HEADING = re.compile(
    r"^[ \t]*(?:(?:INT|EXT|EST|INT\./EXT|INT/EXT|I/E)\.[ \t]|\.[^\W\d_])", re.MULTILINE
)
_FDX_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?<FinalDraft[\s>]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def read_scenes(source: str, data: bytes | None = None) -> tuple[Scene, ...]:
    """Scenes from a scene file (a path, or ``-`` for standard input), in order.

    ``data`` holds the bytes when the caller already read them (always for ``-``); otherwise
    the file is read here. Plain text and YAML give one scene, Fountain one per scene heading.
    Raises SceneError (one line, naming the source) for anything docs/design.md section 2 refuses.
    """
    name = STDIN_NAME if source == STDIN else source
    raw = _read(source, name) if data is None else data
    text = decode(raw, name)
    form = FORMS.get(Path(source).suffix.lower()) if source != STDIN else None
    fallback_title = STDIN_TITLE if source == STDIN else Path(source).stem or STDIN_TITLE
    if form is None:
        form, document = _sniff(text, name)
    else:
        document = load_yaml(text, name) if form == "yaml" else None
    if form == "yaml":
        scenes: tuple[Scene, ...] = (parse_yaml(document, name, fallback_title),)
    elif form == "fountain":  # the screenplay readers and their parsers load only when used
        from beatcam.script.fountain import parse_fountain

        scenes = parse_fountain(text, name)
    elif form == "fdx":
        from beatcam.script.fdx import parse_fdx

        scenes = parse_fdx(text, name)
    else:
        scenes = (parse_text(text, name, fallback_title),)
    digest = hashlib.sha256(raw).hexdigest()
    return tuple(
        dataclasses.replace(scene, source_sha256=digest, slug=slugify(scene.title))
        for scene in scenes
    )


def slugify(title: str) -> str:
    """A filesystem-safe name for a title: lowercase ``[a-z0-9-]``, at most 48 characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_title.lower()).strip("-")
    return slug[:SLUG_MAX_CHARS].rstrip("-") or SLUG_FALLBACK


def _read(source: str, name: str) -> bytes:
    """The bytes of ``source``, reading no more than one byte past the size limit."""
    try:
        if source == STDIN:
            return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        with Path(source).open("rb") as stream:
            return stream.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SceneError(f"cannot read the scene file ({reason}); check the path", name) from exc


def _sniff(text: str, name: str) -> tuple[str, object]:
    """The form of unlabelled text, and the YAML document when it is YAML."""
    if _YAML_BEATS_KEY.search(text):
        document = load_yaml(text, name)
        if isinstance(document, Mapping) and "beats" in document:
            return "yaml", document
    if _FDX_START.match(text):
        return "fdx", None
    if _FOUNTAIN_HEADING.search(text):
        return "fountain", None
    return "text", None
