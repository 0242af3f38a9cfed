"""One reading of a beat from two readers: the word lists and the sentence's meaning.

The lexicon is precise when it finds its words and silent when the phrasing carries the
feeling ("is seized by dizzying terror" against "looks down the stairwell"); the sentence
readout (fitted to beatcam's labelled beats) always answers, but vaguely. So each number is a
weighted mean in which the lexicon weighs more when it found evidence and nothing when it found
none, and the function is a belief over all nineteen: the readout's odds, raised for every
function a cue word names. The director weighs its rules by that belief, so a beat it is unsure
of is shot plainly. The weights were tuned on the training split of the labelled beats only
(``bench/affect_accuracy.py --tune-blend``); the figures are beside ``WEIGHTS``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from beatcam.affect.feelings import Feelings
from beatcam.affect.function import ACTION, Cue, FunctionReading
from beatcam.affect.intent import intent_belief
from beatcam.affect.readout import SentenceReading
from beatcam.model.scene import Affect
from beatcam.model.vocab import EMOTIONS, FUNCTIONS, INTENTS

DIMENSIONS: Final = ("valence", "arousal", "dominance", "intensity")
EXAMPLES_SHOWN: Final = 2
LIKE_PREFIX: Final = "like: "


@dataclass(frozen=True)
class BlendWeights:
    """How much the lexicon counts against the sentence readout.

    ``lexicon`` maps each dimension to the lexicon's weight when it found evidence (it counts 0
    when it found none; the readout always counts 1). ``emotion_share`` is the lexicon's share
    of an emotion score when it found emotion words. For the function, each cue word adds
    ``cue_gain`` times its weight to the log-odds of the function it names, and a movement verb
    with no cue adds ``motion_gain`` to "action".
    """

    lexicon: Mapping[str, float]
    emotion_share: float
    cue_gain: float
    motion_gain: float


# Tuned on the 80 % training split only by `bench/affect_accuracy.py --tune-blend` (the readout
# refitted out-of-fold, 5 folds), with the lexicon held to at least MIN_LEXICON_WEIGHT (2/3 of a
# number) and MIN_EMOTION_SHARE when it found evidence: the readout cannot read negation ("not
# afraid"), intensifiers or who does what to whom ("is seized by"), so found words must be able
# to overrule it ("Tom looms over her" must leave Tom in control, whatever the sentence's
# neighbourhood says). Unconstrained, the training loss prefers a lighter lexicon (valence MAE
# 0.396 at weight 0.5 against 0.404 at 2; arousal 0.305 at 0.25 against 0.328; dominance 0.317
# against 0.326; intensity 0.163 at 0.1 against 0.224; top-emotion accuracy 0.454 at share 0.3
# against 0.397 at 0.8): the price of a reading that follows the words. Function: the same
# holds for cue words. With 1,752 labelled beats the training split prefers cue gain 1-2 and
# motion gain 0-0.5 (accuracy 0.423, log loss 1.906), but then the sentence's neighbourhood
# overrules what the words say ("Tom lunges at her." read as dialogue, "Mara picks up the phone
# and sits down." as grief), so a full-weight cue adds 4 and an uncued movement verb 3: held-out
# function accuracy 0.427 against 0.444 at the previous 3 and 2.
MIN_LEXICON_WEIGHT: Final = 2.0
MIN_EMOTION_SHARE: Final = 0.8
WEIGHTS: Final = BlendWeights(
    lexicon={"valence": 2.0, "arousal": 2.0, "dominance": 2.0, "intensity": 2.0},
    emotion_share=0.8,
    cue_gain=4.0,
    motion_gain=3.0,
)
# Beliefs below this are left out of the Affect: they would not move any rule.
MIN_BELIEF: Final = 0.01


def _mix(lexicon: float, sentence: float, weight: float) -> float:
    return (weight * lexicon + sentence) / (weight + 1.0)


def like(nearest: Sequence[tuple[str, float]]) -> tuple[str, ...]:
    """The nearest labelled examples as evidence: ``like: 'sentence' (cosine)``."""
    return tuple(
        f"{LIKE_PREFIX}'{text}' ({cosine:.2f})" for text, cosine in nearest[:EXAMPLES_SHOWN]
    )


def function_belief(
    reading: FunctionReading, log_probabilities: Sequence[float], weights: BlendWeights = WEIGHTS
) -> dict[str, float]:
    """How likely the beat is to do each function: the readout's odds, moved by the cue words."""
    logits = np.array(log_probabilities, dtype=np.float64)
    for function, cue in reading.cues.items():
        logits[FUNCTIONS.index(function)] += weights.cue_gain * cue.weight
    if not reading.cues and reading.function == ACTION and reading.evidence:
        logits[FUNCTIONS.index(ACTION)] += weights.motion_gain
    belief = np.exp(logits - logits.max())
    belief /= belief.sum()
    return {name: float(p) for name, p in zip(FUNCTIONS, belief, strict=True)}


def choose_function(belief: Mapping[str, float]) -> str:
    """The likeliest function; a tie goes to the one listed first in the vocabulary."""
    return max(FUNCTIONS, key=lambda name: belief[name])


def blend(
    feelings: Feelings,
    reading: FunctionReading,
    sentence: SentenceReading,
    nearest: Sequence[tuple[str, float]],
    intent_cues: Mapping[str, Cue],
    weights: BlendWeights = WEIGHTS,
) -> Affect:
    """Combine one beat's lexicon reading with its sentence reading: the numbers (unrounded),
    emotions, function, intents and evidence of an Affect; the caller adds who and what is in
    the beat."""
    found = len(feelings.evidence)
    values = {}
    for dimension in DIMENSIONS:
        # VADER is evidence for valence even when the word lists found nothing.
        count = found + (1 if dimension == "valence" and feelings.vader != 0.0 else 0)
        weight = weights.lexicon[dimension] if count else 0.0
        sentence_value = getattr(sentence, dimension)
        if dimension == "dominance" and feelings.power_turned:
            # The sentence reads the verb's power, not who suffers it: the words decide.
            sentence_value = feelings.dominance
        values[dimension] = _mix(getattr(feelings, dimension), sentence_value, weight)
    # A negated word ("not afraid") is evidence too: its near-zero emotion must count.
    share = weights.emotion_share if found else 0.0
    emotions = {
        name: share * feelings.emotions[name] + (1.0 - share) * sentence.emotions[name]
        for name in EMOTIONS
    }
    belief = function_belief(reading, sentence.log_probabilities, weights)
    function = choose_function(belief)
    intents = intent_belief(
        intent_cues, sentence.intent_log_probabilities, belief, values["dominance"]
    )
    cue = reading.cues.get(function)
    named = cue.words if cue else reading.evidence if function == reading.function else ()
    examples = like(nearest)
    intent_words = [word for cue in intent_cues.values() for word in cue.words]
    words = (*named, *feelings.evidence, *intent_words, *examples) if named else (
        *examples, *feelings.evidence, *intent_words,
    )  # fmt: skip
    return Affect(
        valence=values["valence"],
        arousal=values["arousal"],
        dominance=values["dominance"],
        intensity=values["intensity"],
        emotions=emotions,
        function=function,
        function_belief={
            name: p for name, p in belief.items() if p >= MIN_BELIEF or name == function
        },
        intent_belief={
            name: p for name, p in intents.items() if name in INTENTS and p >= MIN_BELIEF
        },
        evidence=tuple(dict.fromkeys(words)),
    )
