"""Data a cold start would otherwise rebuild, shipped or cached ready made: the same values as
built from the package's own files, and never used once those files change: the labelled beats
and the YAML tables pre-parsed, the built lexicon."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from beatcam import cache, tables
from beatcam.affect import lexicon, neighbours
from beatcam.affect.patterns import CueIndex

NEW_TEXT = "A brand-new first beat nobody has read before."


@pytest.fixture
def fresh_labels() -> Iterator[None]:
    """labelled_examples forgets what it read, before and after the test."""
    neighbours.labelled_examples.cache_clear()
    yield
    neighbours.labelled_examples.cache_clear()


def _shipped(name: str) -> str:
    text: str = neighbours.data_file(name).read_text(encoding="utf-8")
    return text


def _files(
    monkeypatch: pytest.MonkeyPatch, labels: Path, store: Path | None = None
) -> Callable[[str], Any]:
    """Point the labels (and the store, when given) at files of the test's own."""
    shipped = neighbours.data_file

    def data_file(name: str) -> Any:
        if name == neighbours.LABELS_FILE:
            return labels
        return store if store is not None and name == neighbours.STORE_FILE else shipped(name)

    monkeypatch.setattr(neighbours, "data_file", data_file)
    return data_file


def _edited(tmp_path: Path) -> Path:
    text = _shipped(neighbours.LABELS_FILE)
    first = neighbours.parse_labelled_beats(text)[0].text
    edited = tmp_path / neighbours.LABELS_FILE
    edited.write_text(text.replace(first, NEW_TEXT, 1), encoding="utf-8")
    return edited


def _must_not_parse(text: str, source: str = "") -> tuple[neighbours.LabelledBeat, ...]:
    raise AssertionError("the YAML was parsed although the store matched it")


def test_the_shipped_store_is_the_shipped_labels_parsed_and_is_current() -> None:
    """What the build script would write now is what ships: rerun it after editing the YAML."""
    labels = _shipped(neighbours.LABELS_FILE)
    assert neighbours.store_text(labels) == _shipped(neighbours.STORE_FILE)
    assert neighbours._stored_beats(neighbours._sha256(labels)) == neighbours.parse_labelled_beats(
        labels
    )


def test_a_plan_reads_the_store_not_the_yaml(
    fresh_labels: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = neighbours.parse_labelled_beats(_shipped(neighbours.LABELS_FILE))
    monkeypatch.setattr(neighbours, "parse_labelled_beats", _must_not_parse)
    assert neighbours.labelled_examples() == expected


def test_labels_with_windows_line_ends_read_the_store_of_their_text(
    fresh_labels: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store is found by the file's bytes, which are its text's only with Unix line ends;
    a checkout that wrote CRLF holds the same text (as Python reads it) and the same store."""
    expected = neighbours.labelled_examples()
    labels = tmp_path / neighbours.LABELS_FILE
    labels.write_bytes(_shipped(neighbours.LABELS_FILE).replace("\n", "\r\n").encode("utf-8"))
    _files(monkeypatch, labels)
    monkeypatch.setattr(neighbours, "parse_labelled_beats", _must_not_parse)
    neighbours.labelled_examples.cache_clear()
    assert neighbours.labelled_examples() == expected


def test_an_edited_labels_file_is_read_afresh_until_the_store_is_rebuilt(
    fresh_labels: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = neighbours.labelled_examples()
    edited = _edited(tmp_path)
    store = tmp_path / neighbours.STORE_FILE
    store.write_text(_shipped(neighbours.STORE_FILE), encoding="utf-8")
    _files(monkeypatch, edited, store)
    neighbours.labelled_examples.cache_clear()
    assert neighbours.labelled_examples()[0].text == NEW_TEXT  # the stale store is passed over
    assert neighbours.labelled_examples()[1:] == shipped[1:]

    store.write_text(neighbours.store_text(edited.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setattr(neighbours, "parse_labelled_beats", _must_not_parse)
    neighbours.labelled_examples.cache_clear()
    assert neighbours.labelled_examples()[0].text == NEW_TEXT  # the rebuilt store is read
    assert neighbours.labelled_examples()[1:] == shipped[1:]


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short: not JSON
        lambda text: text.replace('"establishing", "none"]', '"establishing"]', 1),  # a field short
        lambda text: text.replace('"beats"', '"beat"', 1),
        lambda text: "[]",
    ],
    ids=["truncated", "short-row", "renamed-key", "not-a-mapping"],
)
def test_a_damaged_store_is_passed_over(
    fresh_labels: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    damage: Callable[[str], str],
) -> None:
    labels = tmp_path / neighbours.LABELS_FILE
    labels.write_text(_shipped(neighbours.LABELS_FILE), encoding="utf-8")
    store = tmp_path / neighbours.STORE_FILE
    store.write_text(damage(_shipped(neighbours.STORE_FILE)), encoding="utf-8")
    _files(monkeypatch, labels, store)
    expected = neighbours.parse_labelled_beats(labels.read_text(encoding="utf-8"))
    assert neighbours.labelled_examples() == expected


@pytest.fixture
def fresh_lexicon() -> Iterator[None]:
    """load_lexicon forgets what it loaded, before and after the test."""
    lexicon.load_lexicon.cache_clear()
    yield
    lexicon.load_lexicon.cache_clear()


def _contents(built: lexicon.Lexicon) -> dict[str, object]:
    """A lexicon's fields, each cue index by what it holds (an index has no equality)."""
    return {
        name: vars(value) if isinstance(value, CueIndex) else value
        for name, value in vars(built).items()
    }


def _must_not_build() -> lexicon.Lexicon:
    raise AssertionError("the lexicon was built although the cache held it")


def test_the_lexicon_is_built_once_then_read_ready_made(
    fresh_lexicon: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    built = lexicon.load_lexicon()
    assert _contents(built) == _contents(lexicon.build_lexicon())
    lexicon.load_lexicon.cache_clear()  # as a new process would start
    monkeypatch.setattr(lexicon, "build_lexicon", _must_not_build)
    assert _contents(lexicon.load_lexicon()) == _contents(built)


def test_a_lexicon_entry_holding_something_else_is_built_afresh(fresh_lexicon: None) -> None:
    entry = cache.key(lexicon.LEXICON_NAMESPACE)
    assert cache.put_object(lexicon.LEXICON_NAMESPACE, entry, {"not": "a lexicon"})
    assert _contents(lexicon.load_lexicon()) == _contents(lexicon.build_lexicon())


def _table_texts() -> list[str]:
    return [(tables.PACKAGE / path).read_text(encoding="utf-8") for path in tables.stored_tables()]


def _yaml(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)


def _must_not_parse_yaml(text: str) -> object:
    raise AssertionError("a table the store holds was parsed as YAML")


def test_the_shipped_tables_store_is_every_table_parsed_and_is_current() -> None:
    """What scripts/build_tables.py would write now is what ships: rerun it after editing a
    table of affect/data or direct/data."""
    paths = {path.as_posix() for path in tables.stored_tables()}
    assert {"affect/data/emotions.yaml", "direct/data/classical.yaml"} <= paths
    assert neighbours.LABELS_FILE == tables.OWN_STORE
    assert f"affect/data/{tables.OWN_STORE}" not in paths
    shipped = (tables.PACKAGE / tables.STORE_FILE).read_text(encoding="utf-8")
    assert tables.store_text(_table_texts()) == shipped, "run scripts/build_tables.py"
    assert len(json.loads(shipped)) == len(paths)


def test_a_stored_table_reads_as_its_yaml_does_a_fresh_copy_each_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = [_yaml(text) for text in _table_texts()]
    monkeypatch.setattr(tables, "_parsed", _must_not_parse_yaml)
    for text, document in zip(_table_texts(), expected, strict=True):
        read = tables.safe_load(text)
        assert tables._exactly(read) == tables._exactly(document)
        read.clear()  # a caller's changes never reach the next caller
        assert tables._exactly(tables.safe_load(text)) == tables._exactly(document)


def test_an_edited_table_is_parsed_as_yaml() -> None:
    text = _table_texts()[0]
    edited = text.replace(":", ":  ", 1) + "\nadded: [1, 2.5, true, null]\n"
    assert tables.safe_load(edited) == {**_yaml(text), "added": [1, 2.5, True, None]}


@pytest.mark.parametrize("text", ["1: one\n", "when: 2024-01-31\n", "nan: .nan\n"])
def test_a_table_json_cannot_give_back_exactly_is_left_out_of_the_store(text: str) -> None:
    """An integer key, a date, a NaN: such a table is parsed as YAML, never approximated."""
    assert tables.store_text([text, "words: [a, b]\n"]).count("\n") == 3  # braces + one row
    assert str(tables.safe_load(text)) == str(_yaml(text))


def test_text_that_is_not_yaml_is_a_table_error() -> None:
    with pytest.raises(tables.TableError, match="line 1"):
        tables.safe_load("words: [unclosed\n")
