"""The encoder's stored work: weights mapped from the cache, sentence vectors stored by their
text. A stored vector must be the bytes a fresh one would be, whatever batch made it, so a plan
reads the same with the cache cold, warm, damaged or unwritable."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from beatcam import cache
from beatcam.affect import embedding

SENTENCES = (
    "Mara sorts the post at the kitchen table, humming to herself.",
    "Tom comes in.",
    "She finds a letter addressed in her mother's hand, and her smile fades as she reads it.",
    "The house goes very quiet.",
    "Tom shouts.",
)
NAMESPACE = "test-arrays"


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


# ---- mapped arrays -------------------------------------------------------------------------


def test_stored_arrays_come_back_mapped_read_only_and_equal(xdg: Path) -> None:
    arrays: dict[str, np.ndarray] = {
        "table": np.arange(30522 * 3, dtype=np.float32).reshape(30522, 3),
        "bias": np.array([0.5, -1.25], dtype=np.float32),
        "ids": np.arange(7, dtype=np.int64),
    }
    entry = cache.key("arrays")
    assert cache.get_arrays(NAMESPACE, entry) is None
    assert cache.put_arrays(NAMESPACE, entry, arrays)
    back = cache.get_arrays(NAMESPACE, entry)
    assert back is not None and list(back) == list(arrays)
    for name, array in arrays.items():
        assert back[name].dtype == array.dtype and np.array_equal(back[name], array)
        assert not back[name].flags.writeable
        assert back[name].ctypes.data % cache.ARRAY_ALIGN == 0
        assert isinstance(back[name].base, np.memmap)  # mapped, not read into memory


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[:-1],  # truncated data
        lambda blob: blob + b"\0",  # trailing bytes
        lambda blob: blob[:20],  # truncated header
        lambda blob: blob.replace(b'"bias"', b'"bia5"'),  # header no longer matches its digest
        lambda blob: b"",
    ],
    ids=["truncated", "longer", "short-header", "header-flip", "empty"],
)
def test_a_damaged_array_entry_is_a_miss(xdg: Path, damage: object) -> None:
    entry = cache.key("damaged arrays")
    assert cache.put_arrays(NAMESPACE, entry, {"bias": np.ones(100, dtype=np.float32)})
    (path,) = _entries(xdg, NAMESPACE)
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    assert cache.get_arrays(NAMESPACE, entry) is None


# ---- the encoder ---------------------------------------------------------------------------


def test_a_vector_is_the_same_bytes_alone_and_among_any_batch_mates() -> None:
    """Why a vector may be stored by its text: it does not depend on what else was embedded."""
    together = embedding._embed(list(SENTENCES))
    repeated = embedding._embed([SENTENCES[1]] * 40 + list(SENTENCES))  # batches of 32 and 9
    for row, text in enumerate(SENTENCES):
        alone = embedding._embed([text])[0]
        assert alone.tobytes() == together[row].tobytes(), text
        assert alone.tobytes() == repeated[40 + row].tobytes(), text


def test_weights_are_derived_once_then_mapped_to_the_same_vectors(xdg: Path) -> None:
    derived = embedding.encode(SENTENCES)
    (stored,) = _entries(xdg, embedding.WEIGHTS_NAMESPACE)
    embedding._load.cache_clear()  # as a new process would start
    model = embedding._load()
    assert isinstance(model.layers[0].qkv_w.base, np.memmap)
    assert embedding._embed(list(SENTENCES)).tobytes() == derived.tobytes()
    assert _entries(xdg, embedding.WEIGHTS_NAMESPACE) == [stored]


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
