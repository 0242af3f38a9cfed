"""Reading beatcam's own YAML tables (word lists, cue tables, weights) quickly.

The tables are YAML so that a writer can read and extend them, and a cold plan reads sixteen of
them. Parsing them (with PyYAML's import) was ~0.04 s of CPU, a quarter of what Python and numpy
take to start, so ``scripts/build_tables.py`` also ships them pre-parsed: ``STORE_FILE``, JSON,
each table's document under the SHA-256 of its text. ``safe_load`` takes a document from there
while the text it is given is the text that was stored; any other text (an edited table, one the
store leaves out) is parsed as ``yaml.safe_load`` parses it, through libyaml's C loader where
PyYAML was built with it. Either way the caller gets a document of its own to keep or change.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

PACKAGE: Final = Path(__file__).resolve().parent
STORE_FILE: Final = "tables.json"  # beside this module
# The tables the store holds: every YAML file of these folders of the package but the labelled
# beats, which keep a store of their own (affect/neighbours.py).
STORED_FOLDERS: Final = ("affect/data", "direct/data")
OWN_STORE: Final = "labelled_beats.yaml"
DIGEST_CHARACTERS: Final = 64  # a hex SHA-256


class TableError(ValueError):
    """A table's text is not YAML (the parser's message says where)."""


def safe_load(text: str) -> Any:
    """The document ``text`` holds, as ``yaml.safe_load`` reads it; a TableError if it is not
    YAML."""
    stored = _store().get(_sha256(text))
    return json.loads(stored) if stored is not None else _parsed(text)


def stored_tables() -> list[Path]:
    """The package's tables the store holds, by their path in the package, in order."""
    return [
        path.relative_to(PACKAGE)
        for folder in STORED_FOLDERS
        for path in sorted((PACKAGE / folder).glob("*.yaml"))
        if path.name != OWN_STORE
    ]


def store_text(texts: Iterable[str]) -> str:
    """``STORE_FILE``'s text for tables of these texts: a JSON object of each document by the
    SHA-256 of its text, one table a line. A document JSON cannot give back exactly (a key that
    is not a string, a date) is left out: its table is parsed as YAML."""
    rows = []
    for text in texts:
        document = _parsed(text)
        try:
            encoded = json.dumps(document, ensure_ascii=False)
        except TypeError:  # a value JSON has no form for
            continue
        if _exactly(json.loads(encoded)) == _exactly(document):
            rows.append(f'"{_sha256(text)}": {encoded}')
    return "{\n" + ",\n".join(rows) + "\n}\n"


@functools.cache
def _store() -> dict[str, str]:
    """The stored documents' JSON texts by the digest of their table's text (empty when the
    store is missing). Each is parsed when asked for, so every caller gets a fresh copy."""
    try:
        text = (PACKAGE / STORE_FILE).read_text(encoding="utf-8")
    except OSError:
        return {}
    rows = {}
    for line in text.splitlines()[1:-1]:  # between the object's braces, as store_text writes
        key, separator, document = line.partition(": ")
        digest = key.strip('"')
        if separator and len(digest) == DIGEST_CHARACTERS:
            rows[digest] = document.removesuffix(",")
    return rows


def _parsed(text: str) -> Any:
    import yaml  # only for a table the store does not hold: its import is ~0.01 s

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise TableError(str(exc)) from exc


def _exactly(value: Any) -> Any:
    """``value`` with every leaf paired with its type, so that 1, 1.0 and True differ."""
    if isinstance(value, dict):
        return [(_exactly(key), _exactly(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [_exactly(item) for item in value]
    return (type(value), value)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
