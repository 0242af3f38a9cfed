"""The words beside the sentence vector (affect/bag.py): which terms a beat has, which a fitted
readout can weigh, and the features the readouts read."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from beatcam.affect import bag

WORDS = st.sampled_from(
    ["Mara", "tails", "her", "father", "realises", "the", "letter", "stands", "without", "help"]
)
BEATS = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)


def test_a_beats_terms_are_its_stems_and_each_two_in_a_row_within_a_clause() -> None:
    assert bag.terms("Nadia tails her father; he turns.") == {
        "nadia", "tail", "her", "father", "he", "turn",
        "nadia_tail", "tail_her", "her_father", "he_turn",
    }  # fmt: skip
    # Word forms meet in one stem; no pair reaches across the semicolon.
    assert bag.terms("She realised.") == bag.terms("she realises")
    assert "father_he" not in bag.terms("Nadia tails her father; he turns.")


def test_the_vocabulary_is_the_terms_most_beats_use_each_in_two_at_least() -> None:
    texts = ["Mara runs.", "Mara runs away.", "Tom runs.", "Tom waits."]
    vocabulary = bag.vocabulary(texts)
    # "run" in three beats, then "mara", "mara_run" and "tom" in two each (alphabetical);
    # "away", "wait", "tom_run" and the other pairs are in one beat only.
    assert vocabulary == ("run", "mara", "mara_run", "tom")


@settings(max_examples=50, deadline=None)
@given(texts=st.lists(BEATS, min_size=1, max_size=12))
def test_each_beats_features_are_its_vector_then_its_bag_scaled_alone(texts: list[str]) -> None:
    vocabulary = bag.vocabulary(texts)
    rng = np.random.default_rng(len(texts))
    vectors = rng.normal(size=(len(texts), 5)).astype(np.float32)
    features = bag.features(vectors, texts, vocabulary)
    assert features.shape == (len(texts), 5 + len(vocabulary)) and features.dtype == np.float32
    np.testing.assert_array_equal(features[:, :5], vectors)
    for row, text in enumerate(texts):
        used = [term in bag.terms(text) for term in vocabulary]
        words = features[row, 5:]
        assert np.array_equal(words > 0, used)
        if any(used):  # every term it uses weighs alike, and the bag has length BAG_SCALE
            assert np.allclose(words[used], words[used][0])
            assert np.isclose(np.linalg.norm(words), bag.BAG_SCALE)
        # A beat's features do not depend on the beats beside it.
        alone = bag.features(vectors[row : row + 1], [text], vocabulary)
        np.testing.assert_array_equal(alone[0], features[row])


def test_a_beat_of_unknown_words_has_an_empty_bag() -> None:
    features = bag.features(np.ones((1, 3), np.float32), ["Zebras gallop."], ("run", "mara"))
    np.testing.assert_array_equal(features, [[1, 1, 1, 0, 0]])
