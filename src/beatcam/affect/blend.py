"""One reading of a beat from two readers: the word lists and the nearest labelled beats.

The lexicon is precise when it finds its words and silent when the phrasing carries the
feeling ("is seized by dizzying terror" against "looks down the stairwell"); the neighbours
always answer, but vaguely. So each number is a weighted mean in which the lexicon weighs more
when it found evidence and little when it found none, and the narrative function comes from the
lexicon's cue words, and from the neighbours' vote where no cue word spoke and enough of them agree.
The weights were tuned on the training split of the labelled beats only
(``bench/affect_accuracy.py --tune-blend``); the figures are beside ``WEIGHTS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from beatcam.affect.feelings import Feelings
from beatcam.affect.function import FunctionReading
from beatcam.affect.neighbours import NeighbourGuess
from beatcam.model.scene import Affect
from beatcam.model.vocab import EMOTIONS

DIMENSIONS: Final = ("valence", "arousal", "dominance", "intensity")
EXAMPLES_SHOWN: Final = 2
LIKE_PREFIX: Final = "like: "


@dataclass(frozen=True)
class BlendWeights:
    """How much the lexicon counts against the neighbours (who always count 1).

    ``lexicon`` maps each dimension to the lexicon's weight when it found evidence (it counts 0
    when it found none). ``emotion_share`` is the lexicon's share of an emotion score when it
    found emotion words. Where neither a cue word nor a movement verb named the function, the
    neighbours' function is taken when their vote share reaches ``min_vote``.
    """

    lexicon: Mapping[str, float]
    emotion_share: float
    min_vote: float


# Tuned on the 80 % training split only (neighbours leave-one-out) by
# `bench/affect_accuracy.py --tune-blend`, with the lexicon held to at least MIN_LEXICON_WEIGHT
# (2/3 of a number) and MIN_EMOTION_SHARE when it found evidence: the neighbours cannot read
# negation ("not afraid"), intensifiers or who does what to whom ("is seized by"), so found
# words must be able to overrule them. Unconstrained, the training loss prefers the neighbours
# (valence MAE 0.420 at lexicon weight 0.1 against 0.434 at 2; intensity 0.176 against 0.230;
# top-emotion accuracy 0.341 at share 0.4 against 0.321 at 0.8): a small price for a reading
# that follows the words. Function: the search also let strong neighbour votes overrule weak
# cue words, but the best setting trusts every cue and lets the neighbours speak only where no
# cue did; any vote share up to 0.1 (about twice chance over 19 functions) scores the same:
# training accuracy 0.358, from 0.289 (lexicon alone) and 0.218 (neighbours alone). A movement
# verb counts as a cue for "action" ("Tom crosses to the window"); letting the neighbours
# overrule it too would reach 0.370 on training beats, which never name their cast.
MIN_LEXICON_WEIGHT: Final = 2.0
MIN_EMOTION_SHARE: Final = 0.8
WEIGHTS: Final = BlendWeights(
    lexicon={"valence": 2.0, "arousal": 2.0, "dominance": 2.0, "intensity": 2.0},
    emotion_share=0.8,
    min_vote=0.1,
)


def _mix(lexicon: float, neighbours: float, weight: float) -> float:
    return (weight * lexicon + neighbours) / (weight + 1.0)


def like(guess: NeighbourGuess) -> tuple[str, ...]:
    """The nearest labelled examples as evidence: ``like: 'sentence' (cosine)``."""
    return tuple(
        f"{LIKE_PREFIX}'{text}' ({cosine:.2f})"
        for text, cosine in guess.neighbours[:EXAMPLES_SHOWN]
    )


def choose_function(
    reading: FunctionReading, guess: NeighbourGuess, weights: BlendWeights = WEIGHTS
) -> tuple[str, bool]:
    """The beat's function and whether the neighbours (not the cue words) decided it."""
    if reading.weight > 0 or reading.evidence or guess.function_confidence < weights.min_vote:
        return reading.function, False
    return guess.function, guess.function != reading.function


def blend(
    feelings: Feelings,
    reading: FunctionReading,
    guess: NeighbourGuess,
    weights: BlendWeights = WEIGHTS,
) -> Affect:
    """Combine one beat's lexicon reading with its neighbour guess: the numbers (unrounded),
    emotions, function and evidence of an Affect; the caller adds who and what is in the beat."""
    found = len(feelings.evidence)
    lexicon_values = {
        "valence": feelings.valence,
        "arousal": feelings.arousal,
        "dominance": feelings.dominance,
        "intensity": feelings.intensity,
    }
    neighbour_values = {
        "valence": guess.valence,
        "arousal": guess.arousal,
        "dominance": guess.dominance,
        "intensity": guess.intensity,
    }
    values = {}
    for dimension in DIMENSIONS:
        # VADER is evidence for valence even when the word lists found nothing.
        count = found + (1 if dimension == "valence" and feelings.vader != 0.0 else 0)
        weight = weights.lexicon[dimension] if count else 0.0
        values[dimension] = _mix(lexicon_values[dimension], neighbour_values[dimension], weight)
    # A negated word ("not afraid") is evidence too: its near-zero emotion must count.
    share = weights.emotion_share if found else 0.0
    emotions = {
        name: share * feelings.emotions[name] + (1.0 - share) * guess.emotions[name]
        for name in EMOTIONS
    }
    function, by_neighbours = choose_function(reading, guess, weights)
    examples = like(guess)
    words = (
        (*examples, *feelings.evidence)
        if by_neighbours
        else (*reading.evidence, *feelings.evidence, *examples)
    )
    return Affect(
        valence=values["valence"],
        arousal=values["arousal"],
        dominance=values["dominance"],
        intensity=values["intensity"],
        emotions=emotions,
        function=function,
        evidence=tuple(dict.fromkeys(words)),
    )
