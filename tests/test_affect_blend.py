"""The lexicon and the labelled-beat neighbours read together, from the outside."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beatcam.affect import embedding, read_affect, read_words, readout
from beatcam.affect.blend import WEIGHTS, blend, function_belief
from beatcam.affect.feelings import Feelings
from beatcam.affect.function import Cue, FunctionReading
from beatcam.affect.neighbours import INTENT_LABELS, labelled_examples
from beatcam.affect.readout import SentenceReading
from beatcam.model.scene import Affect, Beat, CastNames, Character, Scene
from beatcam.model.vocab import EMOTIONS, FUNCTIONS, INTENTS

CAST = ("Mara", "Tom")
LIKE = re.compile(r"^like: '(?P<text>.+)' \((?P<cosine>[01]\.\d\d)\)$")
# No word of these is in any of beatcam's lists, VADER scores them 0 and no cue names a function.
SILENT = (
    "Two cups on the counter.",
    "The lift numbers count down to the basement.",
    "The phone on the table lights up with her name.",
)


def second_beat(text: str) -> Affect:
    beats = (Beat(0, "Mara sits."), Beat(1, text))
    scene = Scene("t", tuple(Character(name) for name in CAST), beats)
    return read_affect(scene).affects[1]


def top(emotions: dict[str, float] | Affect) -> str:
    scores = emotions.emotions if isinstance(emotions, Affect) else emotions
    return max(EMOTIONS, key=lambda name: scores[name])


@pytest.mark.parametrize(
    "text",
    [
        "He looks down the stairwell and is seized by dizzying terror.",
        "Peering down the stairwell, Tom is gripped by a dizzying terror.",
    ],
)
def test_dizzying_terror_reads_as_fear_and_disorientation(text: str) -> None:
    affect = second_beat(text)
    assert top(affect) == "fear"
    assert affect.function in {"disorientation", "suspense"}
    assert affect.valence < -0.2
    assert affect.dominance < 0


@pytest.mark.parametrize("text", SILENT)
def test_a_beat_without_lexicon_words_takes_the_neighbours_affect(text: str) -> None:
    words = read_words(text, CastNames.of(()))
    assert words.feelings.evidence == () and words.feelings.vader == 0.0
    assert words.function.evidence == ()
    (sentence,) = readout.read(readout.stored(), embedding.encode([text]), [text])
    affect = second_beat(text)
    for name in ("valence", "arousal", "dominance", "intensity"):
        assert getattr(affect, name) == pytest.approx(getattr(sentence, name), abs=1e-4)
    for emotion in EMOTIONS:
        assert affect.emotions[emotion] == pytest.approx(sentence.emotions[emotion], abs=1e-4)
    odds = sentence.log_probabilities
    assert affect.function == FUNCTIONS[int(np.argmax(odds))]
    for function, belief in affect.function_belief.items():
        assert belief == pytest.approx(np.exp(odds[FUNCTIONS.index(function)]), abs=1e-4)
    assert affect.evidence[0].startswith("like: ")


def test_found_words_outweigh_the_neighbours() -> None:
    text = "Mara is afraid."
    words = read_words(text, CastNames.of(()))
    (guess,) = readout.read(readout.stored(), embedding.encode([text]), [text])
    affect = second_beat(text)
    for name in ("valence", "arousal", "dominance"):
        lexicon, sentence, mixed = (
            getattr(words.feelings, name),
            getattr(guess, name),
            getattr(affect, name),
        )
        low, high = sorted((lexicon, sentence))
        assert low - 1e-4 <= mixed <= high + 1e-4
        assert abs(mixed - lexicon) <= abs(mixed - sentence) + 1e-4
    assert affect.emotions["fear"] > 0.5


def test_evidence_names_at_most_two_nearest_labelled_examples() -> None:
    known = {beat.text for beat in labelled_examples()}
    affect = second_beat("Her hand stops an inch from the door handle.")
    examples = [LIKE.match(item) for item in affect.evidence if item.startswith("like: ")]
    assert 1 <= len(examples) <= 2
    cosines = []
    for match in examples:
        assert match is not None
        assert match["text"] in known
        cosines.append(float(match["cosine"]))
    assert cosines == sorted(cosines, reverse=True)


def test_a_cue_word_keeps_the_function_the_neighbours_would_change() -> None:
    affect = second_beat("Mara realises the letter is forged; dread creeps in.")
    assert affect.function == "realisation"
    assert affect.evidence[0] == "realises"


def reading(kind: type, **rest: st.SearchStrategy[object]) -> st.SearchStrategy[Any]:
    """A random lexicon or neighbour reading: the numbers and emotions both kinds share."""
    unit = st.floats(-1.0, 1.0)
    return st.builds(
        kind,
        valence=unit,
        arousal=unit,
        dominance=unit,
        intensity=st.floats(0.0, 1.0),
        emotions=st.fixed_dictionaries({name: st.floats(0.0, 1.0) for name in EMOTIONS}),
        **rest,
    )


FEELINGS = reading(
    Feelings,
    evidence=st.lists(st.sampled_from(["dread", "smiles", "runs"]), max_size=3).map(tuple),
    vader=st.floats(-1.0, 1.0),
)
LOG_ODDS = st.lists(st.floats(-12.0, 0.0), min_size=len(FUNCTIONS), max_size=len(FUNCTIONS))
INTENT_ODDS = st.lists(
    st.floats(-12.0, 0.0), min_size=len(INTENT_LABELS), max_size=len(INTENT_LABELS)
)
SENTENCES = reading(
    SentenceReading,
    log_probabilities=LOG_ODDS.map(tuple),
    intent_log_probabilities=INTENT_ODDS.map(tuple),
)
NEAREST = (("A door opens.", 0.61), ("Rain falls.", 0.52), ("Tom runs.", 0.4))


@settings(max_examples=200, deadline=None)
@given(FEELINGS, st.sampled_from(FUNCTIONS), st.sampled_from([0.0, 0.6, 1.0]), SENTENCES)
def test_a_blend_stays_between_its_two_readings(
    feelings: Feelings, function: str, weight: float, guess: SentenceReading
) -> None:
    cues = {function: Cue(weight, ("cue",))} if weight else {}
    reading = FunctionReading(function, ("cue",) if weight else (), weight, cues)
    mixed = blend(feelings, reading, guess, NEAREST, {})
    for name in ("valence", "arousal", "dominance", "intensity"):
        low, high = sorted((getattr(feelings, name), getattr(guess, name)))
        assert low - 1e-9 <= getattr(mixed, name) <= high + 1e-9
        if not feelings.evidence and not (name == "valence" and feelings.vader):
            assert getattr(mixed, name) == pytest.approx(getattr(guess, name))
    for emotion in EMOTIONS:
        low, high = sorted((feelings.emotions[emotion], guess.emotions[emotion]))
        assert low - 1e-9 <= mixed.emotions[emotion] <= high + 1e-9
    assert mixed.function_belief[mixed.function] == max(mixed.function_belief.values())
    assert sum(mixed.function_belief.values()) == pytest.approx(1.0, abs=len(FUNCTIONS) * 0.01)
    assert sum(item.startswith("like: ") for item in mixed.evidence) == 2
    assert set(mixed.intent_belief) <= set(INTENTS)
    assert 0.0 <= sum(mixed.intent_belief.values()) <= 1.0 + 1e-9


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(FUNCTIONS), st.floats(0.1, 1.0), LOG_ODDS)
def test_a_cue_word_raises_the_belief_in_its_function(
    function: str, weight: float, odds: list[float]
) -> None:
    silent = FunctionReading("transition", ())
    cued = FunctionReading(function, ("cue",), weight, {function: Cue(weight, ("cue",))})
    before = function_belief(silent, odds)[function]
    after = function_belief(cued, odds)[function]
    assert after > before or before > 1 - 1e-9
    expected_odds = np.exp(WEIGHTS.cue_gain * weight)
    ratio = (after / (1 - after)) / (before / (1 - before)) if 0 < before < 1 - 1e-9 else None
    if ratio is not None and np.isfinite(ratio):
        assert ratio == pytest.approx(expected_odds, rel=1e-6)
