"""The numpy MiniLM encoder against the original implementation, and the labelled-beat neighbours.

``tests/data/minilm_reference.npz`` holds vectors computed once with sentence-transformers 6.2.0
on torch 2.13.0 (CPU) from the same model folder; the numpy forward pass must reproduce them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from beatcam import blas
from beatcam.affect import bag, embedding, neighbours, readout
from beatcam.affect import intent as intent_module
from beatcam.errors import StageError
from beatcam.model.vocab import ANGLES, EMOTIONS, FRAMINGS, FUNCTIONS, MOVEMENTS, SIZES

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import director as bench

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.npz"
MIN_REFERENCE_COSINE = 0.9999
MIN_EXAMPLES = 420
MIN_PER_FUNCTION = 12
HELD_OUT_FEAR = "Somewhere in the dark house, a floorboard creaks once."


@pytest.fixture(scope="module", autouse=True)
def one_blas_thread() -> Iterator[None]:
    """Fitting the readout runs on one BLAS thread, as a plan and the build script do: the same
    numbers, and on two busy cores a quarter of the CPU (36 s -> 10 s a fit; the spare thread
    only spun)."""
    with blas.one_thread():
        yield


@pytest.fixture(scope="module")
def reference() -> tuple[list[str], np.ndarray]:
    with np.load(REFERENCE) as npz:
        return [str(s) for s in npz["sentences"]], np.asarray(npz["vectors"])


@pytest.fixture(scope="module")
def split() -> tuple[list[int], list[int]]:
    examples = neighbours.labelled_examples()
    train = [i for i, b in enumerate(examples) if not neighbours.held_out(b.text)]
    test = [i for i, b in enumerate(examples) if neighbours.held_out(b.text)]
    return train, test


def test_numpy_encoder_reproduces_sentence_transformers(
    reference: tuple[list[str], np.ndarray],
) -> None:
    sentences, expected = reference
    assert len(sentences) >= 12
    got = embedding.encode(sentences)
    cosines = np.sum(got * expected, axis=1) / np.linalg.norm(expected, axis=1)
    assert cosines.min() >= MIN_REFERENCE_COSINE, dict(
        zip(sentences, cosines.round(6), strict=True)
    )


def test_vectors_are_unit_length_rows_in_input_order() -> None:
    texts = ["Rain on the window.", "Tom runs.", "The whole village walks behind the coffin."]
    vectors = embedding.encode(texts)
    assert vectors.shape == (3, embedding.DIM)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    reversed_rows = embedding.encode(texts[::-1])[::-1]
    np.testing.assert_allclose(reversed_rows, vectors, atol=1e-5)
    assert embedding.encode([]).shape == (0, embedding.DIM)
    with pytest.raises(TypeError):
        embedding.encode("one string")


def test_encoding_is_deterministic() -> None:
    texts = ["Her hand stops an inch from the door handle.", "A stranger rides into town."]
    assert embedding.encode(texts).tobytes() == embedding.encode(texts).tobytes()


# Any float32 the encoder's blocks may hold, the ones comparisons treat apart among them.
FLOAT32_BLOCKS = arrays(
    np.float32,
    st.tuples(st.integers(1, 4), st.integers(1, 40)),
    elements=st.one_of(
        st.floats(width=32),  # nan and the infinities included
        st.sampled_from([0.0, -0.0, 1e-45, -1e-45, 1.0, -1.0]),
    ),
)


@settings(max_examples=300, deadline=None)
@given(FLOAT32_BLOCKS, st.data())
def test_pick_is_where_bit_for_bit(where_from: np.ndarray, data: st.DataObject) -> None:
    """The GELU's branch-free choice of each element's half (embedding._pick) gives the bits
    np.where gives, signed zeros and nans included."""
    shape = where_from.shape
    chosen, other = (
        data.draw(arrays(np.float32, shape, elements=st.floats(width=32))) for _ in "ab"
    )
    where = where_from >= 0
    expected = np.where(where, chosen, other)
    got = embedding._pick(where, chosen.copy(), other, np.empty(shape, np.int32))
    assert got.tobytes() == expected.tobytes()


@settings(max_examples=200, deadline=None)
@given(
    arrays(
        np.float32,
        st.tuples(st.integers(1, 3), st.integers(1, 30), st.integers(1, 12)),
        elements=st.floats(-20.0, 20.0, width=32),
    ),
    st.integers(1, 9),
)
def test_the_gelu_worked_out_in_rows_is_the_gelu_of_the_whole_block(
    x: np.ndarray, rows: int
) -> None:
    """A block's GELU made a few rows at a time (embedding.GELU_ROWS) is bit for bit the one
    made over the whole block at once, whatever the rows and however they end."""
    whole = embedding._gelu_rows(x.reshape(-1, x.shape[-1])).reshape(x.shape)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(embedding, "GELU_ROWS", rows)
        assert embedding._gelu(x).tobytes() == whole.tobytes()


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3), st.integers(2, 60), st.sampled_from([(1152, 384), (384, 1536)]))
def test_a_dense_layer_gives_the_bits_of_the_product_with_the_transposed_weight(
    batch: int, length: int, shape: tuple[int, int]
) -> None:
    """``_dense`` multiplies by the weight as stored; its sums are bit for bit those of
    ``x @ weight.T + bias`` (the form the shipped vectors were made with), laid out in rows."""
    generator = np.random.default_rng(batch * 1000 + length)
    weight = generator.standard_normal(shape, dtype=np.float32)
    bias = generator.standard_normal(shape[0], dtype=np.float32)
    x = generator.standard_normal((batch, length, shape[1]), dtype=np.float32)
    with blas.one_thread():
        got = embedding._dense(x, weight, bias)
        expected = x @ weight.T + bias
    assert got.flags.c_contiguous
    assert got.tobytes() == expected.tobytes()


@settings(max_examples=300, deadline=None)
@given(FLOAT32_BLOCKS)
def test_the_gelu_divides_as_reciprocal_does(x: np.ndarray) -> None:
    """np.divide(1, t) is np.reciprocal(t) bit for bit (both IEEE division), which the GELU
    relies on to keep the encoder's vectors."""
    one = np.float32(1.0)
    with np.errstate(all="ignore"):
        assert np.divide(one, x).tobytes() == np.reciprocal(x).tobytes()


def test_input_beyond_256_word_pieces_is_truncated(reference: tuple[list[str], np.ndarray]) -> None:
    longest = max(reference[0], key=len)
    assert len(longest.split()) > embedding.MAX_TOKENS  # every word is at least one word piece
    padded = longest + " and then the rain stopped" * 20
    a, b = embedding.encode([longest, padded])
    assert float(a @ b) > 0.99999


def test_provenance_names_model_licence_and_training_data() -> None:
    info = embedding.MODEL_PROVENANCE
    assert info["licence"] == "Apache-2.0"
    assert "sentence-transformers/all-MiniLM-L6-v2" in info["source"]
    assert "1 billion" in info["training_data"]
    assert (embedding.model_dir() / "model.safetensors").is_file()


def test_the_tokenizer_is_the_one_the_model_ships() -> None:
    """Built from vocab.txt (embedding._tokenizer), the tokenizer is tokenizer.json's: both
    serialise to the same JSON once unpadded and truncated alike, and read alike."""
    from tokenizers import Tokenizer

    built = embedding._tokenizer(embedding.model_dir())
    shipped = Tokenizer.from_file(str(embedding.model_dir() / "tokenizer.json"))
    shipped.no_padding()
    shipped.enable_truncation(max_length=embedding.MAX_TOKENS)
    assert json.loads(built.to_str()) == json.loads(shipped.to_str())
    texts = [
        "Mara's smile fades; she re-reads the letter (twice).",
        "Ünïcödé façade — naïve café, 東京 and [MASK] [cls]\u200b\x00 tabs\tand\nlines",
        "word " * 300,  # truncated
        "x" * 150,  # a word too long for WordPiece
    ]
    assert [e.ids for e in built.encode_batch(texts)] == [
        e.ids for e in shipped.encode_batch(texts)
    ]


# ASCII text as a scene may hold it, with what the tokenizer treats apart: controls, tabs and
# newlines, punctuation, capitals, words too long for WordPiece or without pieces, and the
# special tokens (which only the Rust tokenizer takes).
ASCII_PARTS = st.one_of(
    st.text(st.characters(max_codepoint=0x7F), max_size=40),
    st.sampled_from(["[MASK]", "[CLS]", "[cls]", "\t", "\n\r", "\x00\x0b\x1f\x7f", "x" * 101]),
    st.sampled_from(["Mara's", "re-reads", "(twice).", "DREAD", "zzqxj", "123,456", " "]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(ASCII_PARTS, max_size=8).map("".join), min_size=1, max_size=4))
def test_ascii_text_gets_the_tokenizers_ids(texts: list[str]) -> None:
    """The ASCII path (embedding._ascii_ids) gives every text the ids the model's tokenizer
    gives it, special tokens, controls, truncation and [UNK] words included."""
    tokenizer = embedding._tokenizer(embedding.model_dir())
    vocabulary = embedding._vocabulary(embedding.model_dir())
    assert embedding._token_ids(vocabulary, texts) == [e.ids for e in tokenizer.encode_batch(texts)]


def test_a_long_ascii_text_is_truncated_as_the_tokenizer_truncates_it() -> None:
    texts = ["word " * 300, "a, " * 200 + "end"]
    vocabulary = embedding._vocabulary(embedding.model_dir())
    expected = [e.ids for e in embedding._tokenizer(embedding.model_dir()).encode_batch(texts)]
    assert embedding._token_ids(vocabulary, texts) == expected
    assert [len(ids) for ids in expected] == [embedding.MAX_TOKENS] * 2


def test_labelled_examples_meet_the_schema() -> None:
    examples = neighbours.labelled_examples()
    assert len(examples) >= MIN_EXAMPLES
    counts = Counter(b.function for b in examples)
    assert set(counts) == set(FUNCTIONS)
    assert min(counts.values()) >= MIN_PER_FUNCTION, counts
    assert len({b.text for b in examples}) == len(examples)
    for beat in examples:
        for value in (beat.valence, beat.arousal, beat.dominance):
            assert -1.0 <= value <= 1.0
        assert 0.0 <= beat.intensity <= 1.0
        assert 1 <= len(beat.emotions) <= 3
        assert set(beat.emotions) <= set(EMOTIONS)
        assert all(0.0 <= w <= 1.0 for w in beat.emotions.values())
    assert len({b.genre for b in examples}) >= 10
    header = (
        (Path(neighbours.__file__).parent / "data" / neighbours.LABELS_FILE).read_text().lower()
    )
    assert "licence: mit" in header


GOOD = (
    "{text: 'A door opens.', genre: drama, valence: 0.1, arousal: 0.0, dominance: 0.0, "
    "intensity: 0.2, emotions: {anticipation: 0.5}, function: arrival, intent: none}"
)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (GOOD.replace("valence: 0.1", "valence: 1.5"), "valence"),
        (GOOD.replace("intensity: 0.2", "intensity: -0.1"), "intensity"),
        (GOOD.replace("anticipation", "dread"), "emotion 'dread'"),
        (GOOD.replace("function: arrival", "function: montage"), "function 'montage'"),
        (GOOD.replace("genre: drama, ", ""), "keys"),
        (
            GOOD.replace("{anticipation: 0.5}", "{joy: 1, fear: 1, anger: 1, trust: 1}"),
            "emotions",
        ),
        (GOOD.replace("valence: 0.1", "valence: true"), "valence"),
    ],
)
def test_the_validator_names_the_broken_entry(bad: str, message: str) -> None:
    with pytest.raises(StageError, match=rf"beat 2: .*{message}"):
        neighbours.parse_labelled_beats(f"beats:\n- {GOOD}\n- {bad}\n")


def test_duplicate_sentences_are_rejected() -> None:
    with pytest.raises(StageError, match="duplicate"):
        neighbours.parse_labelled_beats(f"beats:\n- {GOOD}\n- {GOOD}\n")


def test_stored_index_matches_a_fresh_encode() -> None:
    examples = neighbours.labelled_examples()
    stored = neighbours.stored_index()
    rows = np.linspace(0, len(examples) - 1, 5).astype(int)
    fresh = embedding.encode([examples[i].text for i in rows])
    cosines = np.sum(stored[rows] * fresh, axis=1) / np.linalg.norm(stored[rows], axis=1)
    assert cosines.min() > 0.9999


@pytest.fixture(scope="module")
def held_out_readings(
    split: tuple[list[int], list[int]],
) -> list[readout.SentenceReading]:
    """The held-out beats read by a readout fitted to the training beats only."""
    examples = neighbours.labelled_examples()
    train, test = split
    stored = neighbours.stored_index()
    fitted = readout.fit(stored[train], [examples[i] for i in train])
    return readout.read(fitted, stored[test], [examples[i].text for i in test])


def test_held_out_fear_beats_read_as_fear(
    split: tuple[list[int], list[int]], held_out_readings: list[readout.SentenceReading]
) -> None:
    examples = neighbours.labelled_examples()
    _, test = split
    by_text = dict(zip((examples[i].text for i in test), held_out_readings, strict=True))
    reading = by_text[HELD_OUT_FEAR]
    assert max(reading.emotions, key=reading.emotions.__getitem__) == "fear"
    assert reading.valence < 0.0
    fear = [
        examples[i].text
        for i in test
        if max(examples[i].emotions, key=examples[i].emotions.__getitem__) == "fear"
    ]
    hits = [max(by_text[t].emotions, key=by_text[t].emotions.__getitem__) == "fear" for t in fear]
    # Eight emotions: chance is 1 in 8, and the most common top emotion is not fear.
    assert sum(hits) >= len(fear) / 2


def test_the_readout_beats_a_constant_baseline_on_held_out_beats(
    split: tuple[list[int], list[int]], held_out_readings: list[readout.SentenceReading]
) -> None:
    examples = neighbours.labelled_examples()
    train, test = split
    truth = np.array(
        [[examples[i].valence, examples[i].arousal, examples[i].dominance] for i in test]
    )
    mean = np.array(
        [[examples[i].valence, examples[i].arousal, examples[i].dominance] for i in train]
    )
    read_vad = np.array([[r.valence, r.arousal, r.dominance] for r in held_out_readings])
    assert np.abs(read_vad - truth).mean() < np.abs(mean.mean(axis=0) - truth).mean() - 0.03
    guessed = [FUNCTIONS[int(np.argmax(r.log_probabilities))] for r in held_out_readings]
    accuracy = np.mean([g == examples[i].function for g, i in zip(guessed, test, strict=True)])
    majority = Counter(examples[i].function for i in train).most_common(1)[0][0]
    base_accuracy = np.mean([majority == examples[i].function for i in test])
    assert accuracy >= base_accuracy + 0.2


def test_the_shipped_readout_is_what_the_build_script_fits() -> None:
    """Every map refitted from the labelled beats' shipped vectors; the intent's also learnt
    from the bench's written intents, whose vectors are not shipped: it must have read the
    bench as it is now, and differ from a fit to the labelled beats alone."""
    examples = neighbours.labelled_examples()
    refitted = readout.fit(neighbours.stored_index(), examples)
    shipped = readout.stored()
    for name in ("function_weights", "function_bias", "value_weights"):
        np.testing.assert_allclose(getattr(refitted, name), getattr(shipped, name), atol=1e-4)
    digest = str(neighbours.index_arrays()["written_sha256"])
    assert digest == readout.written_digest(bench.written_labels()), (
        "the bench changed: run scripts/build_affect_index.py"
    )
    assert np.abs(refitted.intent_weights - shipped.intent_weights).max() > 0.01


def test_the_plain_share_the_intent_odds_are_moved_from_is_what_the_readout_learnt() -> None:
    """The prior shift is only right while it names the share of plain beats the intent
    readout was fitted on: relabelling or adding beats or situations must update it."""
    labels = [b.intent for b in neighbours.labelled_examples()]
    labels += [intent for _, intent in bench.written_labels()]
    plain = labels.count("none") / len(labels)
    assert pytest.approx(plain, abs=0.005) == intent_module.LABELLED_PLAIN_SHARE


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(10, 40))
def test_the_intent_readout_is_the_optimum_of_its_penalised_loss(seed: int, step: int) -> None:
    """Solved to its optimum, not stopped short: there the gradient of the penalised log loss,
    worked out here from the fitted numbers, vanishes (gradient descent's 1,500 steps had left
    it near 2e-4 on such a problem)."""
    examples = neighbours.labelled_examples()[::step]
    vectors = np.random.default_rng(seed).normal(size=(len(examples), 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    weights, bias, terms = readout.fit_intent(vectors, examples)
    x = bag.features(vectors, [e.text for e in examples], terms).astype(np.float64)
    labels = neighbours.INTENT_LABELS
    target = np.eye(len(labels))[[labels.index(e.intent) for e in examples]]
    error = np.exp(readout.log_softmax(x @ weights.astype(np.float64) + bias)) - target
    gradient = x.T @ error / len(x) + readout.INTENT_PENALTY * weights
    assert np.abs(gradient).max() < 5e-5
    assert np.abs(error.mean(axis=0)).max() < 5e-5


@settings(max_examples=20, deadline=None)
@given(
    st.integers(0, 2**32 - 1),
    st.lists(st.sampled_from(FUNCTIONS), min_size=2, max_size=5, unique=True),
)
def test_the_readout_separates_well_separated_functions(seed: int, names: list[str]) -> None:
    rng = np.random.default_rng(seed)
    centres = np.eye(16, dtype=np.float32)[: len(names)]
    labels = [name for name in names for _ in range(6)]
    noise = rng.normal(0, 0.05, (len(labels), 16)).astype(np.float32)
    vectors = np.repeat(centres, 6, axis=0) + noise
    weights, bias = readout.fit_function(vectors, labels, steps=300)
    nothing = np.zeros((16, len(neighbours.INTENT_LABELS)), np.float32)
    fitted = readout.Readout(
        weights, bias, np.zeros((17, 12), np.float32), nothing, nothing[0], intent_terms=()
    )
    odds = readout.log_probabilities(fitted, vectors)
    assert [FUNCTIONS[i] for i in odds.argmax(axis=1)] == labels
    np.testing.assert_allclose(np.exp(odds).sum(axis=1), 1.0, atol=1e-9)


unit_rows = arrays(np.float32, (3, 8), elements=st.floats(-1, 1, width=32, allow_nan=False)).filter(
    lambda a: bool(np.all(np.linalg.norm(a, axis=1) > 0.1))
)


@settings(max_examples=60, deadline=None)
@given(queries=unit_rows, ridge=st.floats(0.01, 10.0))
def test_every_reading_stays_in_range_and_names_its_nearest_examples(
    queries: np.ndarray, ridge: float
) -> None:
    examples = neighbours.labelled_examples()[::40]
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(examples), 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    queries = queries / np.linalg.norm(queries, axis=1, keepdims=True)
    fitted = readout.fit(vectors, examples, ridge=ridge)
    for reading in readout.read(fitted, queries, [example.text for example in examples[:3]]):
        for name in neighbours.BIPOLAR:
            assert -1.0 <= getattr(reading, name) <= 1.0
        assert 0.0 <= reading.intensity <= 1.0
        assert set(reading.emotions) == set(EMOTIONS)
        assert all(0.0 <= w <= 1.0 for w in reading.emotions.values())
        assert np.exp(reading.log_probabilities).sum() == pytest.approx(1.0)
    for query, shown in zip(queries, neighbours.nearest(queries, vectors, examples), strict=True):
        cosines = vectors @ query
        order = np.argsort(-cosines, kind="stable")[: neighbours.NEIGHBOURS_SHOWN]
        assert [t for t, _ in shown] == [examples[i].text for i in order]
        np.testing.assert_allclose([c for _, c in shown], cosines[order], atol=1e-5)


def test_the_nearest_shipped_example_of_a_labelled_sentence_is_itself() -> None:
    texts = ["Her hand stops an inch from the door handle.", "They dance in the kitchen."]
    shown = neighbours.nearest(embedding.encode(texts))
    assert len(shown) == 2 and all(len(row) == neighbours.NEIGHBOURS_SHOWN for row in shown)
    for row in shown:
        cosines = [c for _, c in row]
        assert cosines == sorted(cosines, reverse=True)
    assert shown[0][0][0] == texts[0]
    assert shown[0][0][1] == pytest.approx(1.0, abs=1e-5)
    assert neighbours.nearest(embedding.encode([])) == []


SITUATIONS = Path(__file__).parents[1] / "bench" / "situations.yaml"
SITUATION_TOPICS = {
    "establishing", "intimacy", "power", "vulnerability", "disorientation", "realisation", "awe",
    "isolation", "chase", "confrontation", "grief", "reveal", "suspense", "triumph", "dialogue",
}  # fmt: skip


def test_situations_use_the_plan_vocabulary_and_cover_the_literature_topics() -> None:
    document = yaml.safe_load(SITUATIONS.read_text(encoding="utf-8"))
    situations = document["situations"]
    assert len(situations) >= 60
    assert len({s["id"] for s in situations}) == len(situations)
    assert {s["topic"] for s in situations} >= SITUATION_TOPICS

    def choices(value: object) -> list[object]:
        return value if isinstance(value, list) else [value]

    for s in situations:
        assert s["beat"] and s["context"] and isinstance(s["cast"], list), s["id"]
        assert set(choices(s["size"])) <= set(SIZES), s["id"]
        assert set(choices(s["angle"])) <= set(ANGLES), s["id"]
        assert set(choices(s["movement"])) <= set(MOVEMENTS), s["id"]
        assert set(choices(s.get("framing", []))) <= set(FRAMINGS), s["id"]
        assert all(isinstance(d, bool) for d in choices(s["dutch"])), s["id"]
        assert s["source"]["book"] in document["books"], s["id"]
        assert s["source"]["topic"] and len(s["source"]["principle"]) > 40, s["id"]


_ENCODE_TO_STDOUT = """
import sys
import yaml
from beatcam.affect import embedding
beats = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["beats"]
texts = [beat if isinstance(beat, str) else beat["text"] for beat in beats]
sys.stdout.buffer.write(embedding.encode(texts).tobytes())
"""


def test_vectors_are_the_same_bytes_on_any_number_of_blas_threads() -> None:
    """A Dask worker runs OpenBLAS on one thread, a laptop on one per core: the plan must not
    change with it (these beats once came out differently in the fourth decimal)."""
    scene = Path(__file__).resolve().parents[1] / "examples" / "the-confession.yaml"
    vectors = {
        threads: subprocess.run(
            [sys.executable, "-c", _ENCODE_TO_STDOUT, str(scene)],
            capture_output=True,
            timeout=120,
            check=True,
            env={**os.environ, "OPENBLAS_NUM_THREADS": threads},
        ).stdout
        for threads in ("1", "2")
    }
    assert len(vectors["1"]) > 4 * embedding.DIM
    assert vectors["1"] == vectors["2"]
