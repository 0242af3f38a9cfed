"""What a beat asks the camera to make the audience feel: its expressive intents.

The intent sits between the affect and the device. The narrative function says what a beat
does in the story (an arrival, a confrontation); the intent says what the shot must make the
audience feel (vertigo, dominance, stillness). Some intents are the same reading as a function
("a realisation"), and there the two are merged: the function's belief raises the intent's
odds. Others come from a dimension (dominance and vulnerability are a character on top of, or
under, the moment). Every intent is read from three sources, like the function: the cue words of
``data/intents.yaml``, the sentence readout fitted to beatcam's intent-labelled beats, and the
overlapping function and dominance readings, combined as log-odds into one belief over the
sixteen intents and "none" (plain coverage serves).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np

from beatcam.affect.function import Cue
from beatcam.affect.lexicon import Lexicon
from beatcam.affect.modifiers import Context
from beatcam.affect.neighbours import INTENT_LABELS
from beatcam.affect.patterns import span_text
from beatcam.model.vocab import NO_INTENT, Intent

# Intents that are also a narrative function (or two): the same reading from another reader.
SAME_AS_FUNCTION: Final[Mapping[Intent, tuple[str, ...]]] = {
    Intent.REALISATION: ("realisation",),
    Intent.GRIEF: ("grief",),
    Intent.TRIUMPH: ("triumph",),
    Intent.INTIMACY: ("intimacy",),
    Intent.ISOLATION: ("isolation",),
    Intent.WONDER: ("awe",),
    Intent.PURSUIT: ("chase",),
    Intent.VERTIGO: ("disorientation",),
    Intent.CHAOS: ("attack",),
    Intent.TENSION: ("confrontation",),
    Intent.DREAD: ("suspense", "threat"),
    Intent.SHOCK: ("reveal",),
}


@dataclass(frozen=True)
class IntentWeights:
    """How the three readers combine: each cue word adds ``cue_gain`` times its weight to its
    intent's log-odds; a function belief p adds ``function_gain`` × p to the intent it shares
    a reading with; dominance d adds ``dominance_gain`` × d to dominance and takes it from
    vulnerability."""

    cue_gain: float
    function_gain: float
    dominance_gain: float


# Chosen on the training split of the labelled beats (1,400 of 1,752) with the readout refitted
# out of fold (`bench/affect_accuracy.py --tune-intent`): the log loss is flat near its best
# (1.658 at gains 1, 1, 0, accuracy 0.488); these gains give 1.666 and the best accuracy, 0.505,
# and keep the dominance reading's say in who is on top of the moment, which the word lists read
# better than the sentence does (`read_feelings` sees who acts on whom).
WEIGHTS: Final = IntentWeights(cue_gain=2.0, function_gain=1.0, dominance_gain=1.0)
# The readout learnt its odds where few beats are plain: of the labelled beats, 379 of 2,245
# carry no intent, because they were written to teach the intents, and of the bench's tuning
# situations whose writers named an intent (which it also learns from), 3,479 of 12,782: 3,858 of
# 15,027. In the scenes beatcam is given, plain beats are about half (725 of the bench's 1,497
# tuning situations; more in a whole screenplay). A classifier's odds move to new class shares by
# adding the log of the ratio of the new share to the old (Saerens, Latinne & Decaestecker 2002,
# "Adjusting the outputs of a classifier to new a priori probabilities"), for "none" and,
# together, for the intents.
LABELLED_PLAIN_SHARE: Final = 3858 / 15027
SCENE_PLAIN_SHARE: Final = 725 / 1497
PRIOR_SHIFT: Final = np.log(
    np.where(
        np.array(INTENT_LABELS) == NO_INTENT,
        SCENE_PLAIN_SHARE / LABELLED_PLAIN_SHARE,
        (1.0 - SCENE_PLAIN_SHARE) / (1.0 - LABELLED_PLAIN_SHARE),
    )
)


def read_intent_cues(text: str, context: Context, lexicon: Lexicon) -> dict[str, Cue]:
    """Every intent a cue word speaks for, with its heaviest cue's weight and the phrases (as
    written) that cued it; negated cues ("is not alone") do not count."""
    found: dict[str, list[tuple[float, str]]] = {}
    for hit in lexicon.intents.all_hits(context.tokens):
        if context.negator_before(hit.start) is None:
            words = span_text(text, context.tokens, hit.start, hit.end)
            found.setdefault(hit.cue.label, []).append((hit.cue.weight, words))
    return {
        intent: Cue(max(weight for weight, _ in hits), tuple(dict.fromkeys(w for _, w in hits)))
        for intent, hits in found.items()
    }


def intent_belief(
    cues: Mapping[str, Cue],
    log_probabilities: Sequence[float],
    function_belief: Mapping[str, float],
    dominance: float,
    weights: IntentWeights = WEIGHTS,
) -> dict[str, float]:
    """The belief over every intent label (the intents, then "none"), summing to 1."""
    logits = np.array(log_probabilities, dtype=np.float64) + PRIOR_SHIFT
    for intent, cue in cues.items():
        logits[INTENT_LABELS.index(intent)] += weights.cue_gain * cue.weight
    for intent, functions in SAME_AS_FUNCTION.items():
        shared = sum(function_belief.get(name, 0.0) for name in functions)
        logits[INTENT_LABELS.index(intent)] += weights.function_gain * shared
    logits[INTENT_LABELS.index(Intent.DOMINANCE)] += weights.dominance_gain * dominance
    logits[INTENT_LABELS.index(Intent.VULNERABILITY)] -= weights.dominance_gain * dominance
    belief = np.exp(logits - logits.max())
    belief /= belief.sum()
    return {name: float(p) for name, p in zip(INTENT_LABELS, belief, strict=True)}
