"""Data a cold start would otherwise rebuild, kept ready made in beatcam's cache: the same
values as built from the package's files, and rebuilt whenever those files change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from beatcam import cache
from beatcam.affect import neighbours

NEW_TEXT = "A brand-new first beat nobody has read before."


@pytest.fixture
def fresh_labels() -> Iterator[None]:
    """labelled_examples forgets what it read, before and after the test."""
    neighbours.labelled_examples.cache_clear()
    yield
    neighbours.labelled_examples.cache_clear()


def _shipped_text() -> str:
    path = neighbours._data_file(neighbours.LABELS_FILE)
    text: str = path.read_text(encoding="utf-8")
    return text


def _entries(namespace: str) -> list[Path]:
    root = cache.root()
    assert root is not None
    return [path for path in (root / namespace).rglob("*") if path.is_file()]


def test_labelled_beats_are_parsed_once_then_read_ready_made(fresh_labels: None) -> None:
    parsed = neighbours.parse_labelled_beats(_shipped_text())
    assert neighbours.labelled_examples() == parsed
    assert len(_entries(neighbours.LABELS_NAMESPACE)) == 1
    neighbours.labelled_examples.cache_clear()  # as a new process would start
    assert neighbours.labelled_examples() == parsed


def test_an_edited_labels_file_is_read_afresh(
    fresh_labels: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = neighbours.labelled_examples()
    text = _shipped_text()
    assert shipped[0].text in text
    edited = tmp_path / neighbours.LABELS_FILE
    edited.write_text(text.replace(shipped[0].text, NEW_TEXT, 1), encoding="utf-8")
    monkeypatch.setattr(neighbours, "_data_file", lambda name: edited)
    neighbours.labelled_examples.cache_clear()
    assert neighbours.labelled_examples()[0].text == NEW_TEXT
    assert neighbours.labelled_examples()[1:] == shipped[1:]


def test_an_entry_holding_something_else_is_ignored(fresh_labels: None) -> None:
    key = cache.key(neighbours.LABELS_NAMESPACE, _shipped_text())
    cache.put_object(neighbours.LABELS_NAMESPACE, key, ["not", "labelled", "beats"])
    assert neighbours.labelled_examples() == neighbours.parse_labelled_beats(_shipped_text())
