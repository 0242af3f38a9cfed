"""beatcam's labelled beats, their stored sentence vectors, and the nearest of them to a beat.

The labelled beats (``data/labelled_beats.yaml``, written for this project) are embedded once
by ``scripts/build_affect_index.py`` into ``data/labelled_beats.npz``, beside the readout fitted
to them (``readout.py``); the same script writes them pre-parsed (``data/labelled_beats.json``),
which is what a plan reads while it matches the YAML (``labelled_examples``).

A beat's nearest labelled beats are the evidence a reader can check: "Her hand stops an inch
from the door handle" has no fear word, yet it sits beside beatcam's own suspense examples.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from beatcam import tables
from beatcam.affect import embedding
from beatcam.errors import StageError
from beatcam.model.vocab import EMOTIONS, FUNCTIONS, INTENTS, NO_INTENT

LABELS_FILE: Final = "labelled_beats.yaml"
INDEX_FILE: Final = "labelled_beats.npz"
STORE_FILE: Final = "labelled_beats.json"  # LABELS_FILE pre-parsed, keyed by its SHA-256
BUILD_SCRIPT: Final = "scripts/build_affect_index.py"

NEIGHBOURS_SHOWN: Final = 3
HELD_OUT_SHARE: Final = 5  # one beat in five (by a stable hash of its text) is held out

MAX_EMOTIONS: Final = 3
ENTRY_KEYS: Final = frozenset(
    {
        "text", "genre", "valence", "arousal", "dominance", "intensity", "emotions", "function",
        "intent",
    }
)  # fmt: skip
# What an intent label may be: an expressive intent, or none (plain coverage serves).
INTENT_LABELS: Final = (*INTENTS, NO_INTENT)
BIPOLAR: Final = ("valence", "arousal", "dominance")


@dataclass(frozen=True)
class LabelledBeat:
    """One hand-labelled beat: the sentence and the affect a reader takes from it."""

    text: str
    genre: str
    valence: float
    arousal: float
    dominance: float
    intensity: float
    emotions: Mapping[str, float]  # 1-3 of Plutchik's eight, weights 0..1
    function: str
    intent: str  # one of INTENT_LABELS


_BEAT_FIELDS: Final = tuple(item.name for item in fields(LabelledBeat))


def _fail(source: str, where: str, what: str) -> StageError:
    return StageError("affect", f"{source} {where}: {what}; fix the labelled examples file")


def _number(entry: Mapping[str, Any], key: str, low: float, source: str, where: str) -> float:
    value = entry[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= 1.0:
        raise _fail(source, where, f"{key} must be a number in [{low:g}, 1], got {value!r}")
    return float(value)


def _beat(entry: Any, source: str, where: str) -> LabelledBeat:
    if not isinstance(entry, dict) or set(entry) != ENTRY_KEYS:
        keys = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
        raise _fail(source, where, f"needs exactly the keys {sorted(ENTRY_KEYS)}, got {keys}")
    text, genre, function, intent = (entry[key] for key in ("text", "genre", "function", "intent"))
    if not isinstance(text, str) or not text.strip():
        raise _fail(source, where, "text must be a non-empty string")
    if not isinstance(genre, str) or not genre:
        raise _fail(source, where, "genre must be a non-empty string")
    if function not in FUNCTIONS:
        raise _fail(source, where, f"function {function!r} is not one of {', '.join(FUNCTIONS)}")
    if intent not in INTENT_LABELS:
        raise _fail(source, where, f"intent {intent!r} is not one of {', '.join(INTENT_LABELS)}")
    emotions = entry["emotions"]
    if not isinstance(emotions, dict) or not 1 <= len(emotions) <= MAX_EMOTIONS:
        raise _fail(source, where, "emotions must map 1-3 of Plutchik's eight to weights")
    for name in emotions:
        if name not in EMOTIONS:
            raise _fail(source, where, f"emotion {name!r} is not one of {', '.join(EMOTIONS)}")
        _number(emotions, name, 0.0, source, where)
    return LabelledBeat(
        text=text.strip(),
        genre=genre,
        valence=_number(entry, "valence", -1.0, source, where),
        arousal=_number(entry, "arousal", -1.0, source, where),
        dominance=_number(entry, "dominance", -1.0, source, where),
        intensity=_number(entry, "intensity", 0.0, source, where),
        emotions={name: float(emotions[name]) for name in EMOTIONS if name in emotions},
        function=function,
        intent=str(intent),
    )


def parse_labelled_beats(text: str, source: str = LABELS_FILE) -> tuple[LabelledBeat, ...]:
    """Parse and validate labelled-beats YAML; a broken entry raises ``StageError`` naming it."""
    try:
        document = tables.safe_load(text)
    except tables.TableError as exc:
        raise _fail(source, "YAML", str(exc).splitlines()[0]) from exc
    if not isinstance(document, dict) or not isinstance(document.get("beats"), list):
        raise _fail(source, "top level", "expected a mapping with a 'beats' list")
    beats = tuple(
        _beat(entry, source, f"beat {i + 1}") for i, entry in enumerate(document["beats"])
    )
    seen: set[str] = set()
    for i, beat in enumerate(beats):
        if beat.text in seen:
            raise _fail(source, f"beat {i + 1}", f"duplicate text {beat.text!r}")
        seen.add(beat.text)
    return beats


def data_file(name: str) -> Any:
    return importlib.resources.files("beatcam.affect") / "data" / name


@functools.cache
def labelled_examples() -> tuple[LabelledBeat, ...]:
    """beatcam's shipped labelled beats, parsed and validated once.

    Parsing two thousand beats of YAML is ~0.35 s, a third of a cold plan, so the build script
    also writes them pre-parsed (``STORE_FILE``, JSON) with the SHA-256 of the YAML text they
    came from, and they are read from there while that digest matches. An edited YAML file is
    parsed afresh (slowly, and correctly) until the script is run again; a test keeps the
    shipped store equal to the parse of the shipped YAML.
    """
    # The store is found by the file's bytes, not decoded (0.6 MB, ~0.003 s): they are the
    # stored text's UTF-8 wherever the file has the Unix line ends it ships with.
    stored = _stored_beats(hashlib.sha256(data_file(LABELS_FILE).read_bytes()).hexdigest())
    if stored is not None:
        return stored
    text = data_file(LABELS_FILE).read_text(encoding="utf-8")
    stored = _stored_beats(_sha256(text))
    return stored if stored is not None else parse_labelled_beats(text)


def store_text(text: str) -> str:
    """``STORE_FILE``'s text for labelled-beats YAML ``text``: its SHA-256 and each beat, parsed
    and validated, as a JSON list of the fields in order, a line a beat so that an edit's diff
    reads as the YAML's does. Floats are written exactly (JSON writes ``repr``)."""
    beats = parse_labelled_beats(text)
    rows = ",\n".join(
        json.dumps([getattr(beat, name) for name in _BEAT_FIELDS], ensure_ascii=False)
        for beat in beats
    )
    return f'{{"source_sha256": "{_sha256(text)}",\n"beats": [\n{rows}\n]}}\n'


def _stored_beats(source_sha256: str) -> tuple[LabelledBeat, ...] | None:
    """The beats of ``STORE_FILE`` if it was written from the text of this SHA-256; None if it
    is missing, unreadable, or was written from other text."""
    try:
        document = json.loads(data_file(STORE_FILE).read_text(encoding="utf-8"))
        if document["source_sha256"] != source_sha256:
            return None
        return tuple(LabelledBeat(*row) for row in document["beats"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lines_digest(lines: Iterable[str]) -> str:
    """SHA-256 of ``lines`` joined by newlines: what a shipped fit was made from, in order."""
    return _sha256("\n".join(lines))


def labels_digest(beats: Sequence[LabelledBeat]) -> str:
    """SHA-256 of the example sentences, their functions and intents in order: what the stored
    index and readout must have been built from."""
    return lines_digest(f"{b.text}\t{b.function}\t{b.intent}" for b in beats)


def held_out(text: str) -> bool:
    """Whether a labelled sentence belongs to the 20 % evaluation split (stable across runs)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") % HELD_OUT_SHARE == 0


@functools.cache
def index_arrays() -> dict[str, NDArray[Any]]:
    """Every array of the shipped index archive, read once."""
    with data_file(INDEX_FILE).open("rb") as handle, np.load(handle) as npz:
        return {name: np.asarray(npz[name]) for name in npz.files}


@functools.cache
def stored_index() -> NDArray[np.float32]:
    """The shipped unit vectors of the labelled beats, ``(n, 384)``, in file order."""
    examples = labelled_examples()
    arrays = index_arrays()
    stored = arrays["vectors"].astype(np.float32)
    digest = str(arrays["labels_sha256"])
    if digest != labels_digest(examples) or stored.shape != (len(examples), embedding.DIM):
        raise StageError(
            "affect",
            f"the stored {INDEX_FILE} does not match {LABELS_FILE}; run {BUILD_SCRIPT}",
        )
    # float16 storage leaves norms off by ~1e-4; cosines should read 1.0 for an exact match
    unit: NDArray[np.float32] = stored / np.linalg.norm(stored, axis=1, keepdims=True)
    return unit


def nearest(
    queries: NDArray[np.float32],
    vectors: NDArray[np.float32] | None = None,
    examples: Sequence[LabelledBeat] | None = None,
    count: int = NEIGHBOURS_SHOWN,
) -> list[tuple[tuple[str, float], ...]]:
    """For each unit query ``(m, d)``, the ``count`` most similar examples as (sentence,
    cosine), nearest first; ties go to the earlier example. Defaults: the shipped beats."""
    vectors = stored_index() if vectors is None else vectors
    examples = labelled_examples() if examples is None else examples
    cosines = queries.astype(np.float32) @ vectors.astype(np.float32).T
    order = np.argsort(-cosines, axis=1, kind="stable")[:, :count]
    return [
        tuple((examples[i].text, float(cosines[row, i])) for i in idx)
        for row, idx in enumerate(order)
    ]
