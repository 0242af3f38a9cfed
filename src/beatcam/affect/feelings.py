"""Valence, arousal, dominance, intensity and Plutchik emotions of one beat.

Each lexicon word found in the beat contributes its weight, scaled by the words around it
(see modifiers.py: negation, intensifiers, diminishers, "but"). Emotion words also move
valence, arousal and dominance by their emotion's pleasure-arousal-dominance. Valence blends
that with VADER.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, Final

from beatcam.affect.lexicon import AROUSAL, DOMINANCE, Lexicon
from beatcam.affect.modifiers import Context, clause_before
from beatcam.affect.patterns import Hit, span_text
from beatcam.affect.words import Token
from beatcam.model.vocab import EMOTIONS

PASSIVE_BE: Final = frozenset({"is", "are", "was", "were", "be", "been", "being", "gets", "get"})
PASSIVE_WINDOW: Final = 2
PASSIVE_BY_WINDOW: Final = 3
# An emotion's summed weight w gives a score of 1 - exp(-w / EMOTION_SCALE): one plain
# full-weight word reads 0.63, two read 0.86.
EMOTION_SCALE: Final = 1.0
VALENCE_GAIN: Final = 1.0
EMOTION_AROUSAL_GAIN: Final = 0.8
EMOTION_DOMINANCE_GAIN: Final = 0.8
EXCLAMATION_AROUSAL: Final = 0.15
EXCLAMATIONS_COUNTED: Final = 3
# Weights of VADER's compound score and beatcam's lists when both found something.
VADER_WEIGHT: Final = 0.5
LISTS_WEIGHT: Final = 0.5
# Intensity is a soft OR of how strong valence, the top emotion and (excited) arousal are.
INTENSITY_VALENCE: Final = 0.6
INTENSITY_EMOTION: Final = 0.6
INTENSITY_AROUSAL: Final = 0.4
VADER_PIECE_WORDS: Final = 60
_SENTENCE_END: Final = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Feelings:
    """What a beat feels like; ``evidence`` lists the phrases that carried it, heaviest first."""

    valence: float
    arousal: float
    dominance: float
    intensity: float
    emotions: Mapping[str, float]
    evidence: tuple[str, ...]
    vader: float
    # A dominance word whose sign the sentence turned ("is seized by", "the men fall silent"):
    # who does what to whom, which the sentence vector cannot read.
    power_turned: bool = False


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _pieces(text: str) -> list[str]:
    """Sentences of at most VADER_PIECE_WORDS words: VADER's cost grows with the square of its
    input, and its authors advise scoring long texts sentence by sentence."""
    pieces = []
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        pieces += [
            " ".join(words[at : at + VADER_PIECE_WORDS])
            for at in range(0, len(words), VADER_PIECE_WORDS)
        ]
    return pieces


def vader_compound(text: str) -> float:
    """VADER's compound valence of ``text`` in [-1, 1]: the mean over the sentences that have
    any sentiment, so a neutral sentence does not dilute a strong one."""
    analyzer = _vader()
    scores = [float(analyzer.polarity_scores(piece)["compound"]) for piece in _pieces(text)]
    felt = [score for score in scores if score != 0.0]
    return sum(felt) / len(felt) if felt else 0.0


def _passive(tokens: Sequence[Token], hit: Hit) -> bool:
    """True for "is seized by": the subject suffers the verb instead of doing it."""
    before = clause_before(tokens, hit.start, PASSIVE_WINDOW)
    after = tokens[hit.end : hit.end + PASSIVE_BY_WINDOW]
    return any(tokens[i].lower in PASSIVE_BE for i in before) and any(
        token.lower == "by" for token in after
    )


def _squash(raw: float) -> float:
    return math.tanh(raw)


def read_feelings(
    text: str, context: Context, lexicon: Lexicon, others: Sequence[bool]
) -> Feelings:
    """The affect numbers of one beat, with the phrases that carried them.

    ``others`` marks the words whose clause has another subject than the beat's own: there a
    dominance word counts for the beat's subject with its sign turned ("the men fall silent").
    """
    tokens = context.tokens
    raw = dict.fromkeys(EMOTIONS, 0.0)
    pleasure = arousal = dominance = 0.0
    found_emotion = power_turned = False
    weights: dict[str, float] = {}
    for hit in lexicon.affect.longest_hits(tokens):
        factor, first = context.scale(hit)
        label, amount = hit.cue.label, hit.cue.weight * factor
        if label == AROUSAL:
            arousal += amount
        elif label == DOMINANCE:
            suffered = amount > 0 and _passive(tokens, hit)
            turned = suffered != others[hit.start]
            power_turned = power_turned or turned
            dominance += -amount if turned else amount
        else:
            found_emotion = True
            raw[label] += amount
            pad_p, pad_a, pad_d = lexicon.pad[label]
            pleasure += amount * pad_p
            arousal += amount * pad_a * EMOTION_AROUSAL_GAIN
            dominance += amount * pad_d * EMOTION_DOMINANCE_GAIN
        phrase = span_text(text, tokens, first, hit.end)
        weights[phrase] = weights.get(phrase, 0.0) + abs(amount)
    exclamations = sum(1 for token in tokens if token.lower == "!")
    arousal += EXCLAMATION_AROUSAL * min(exclamations, EXCLAMATIONS_COUNTED)
    emotions = {
        emotion: 1.0 - math.exp(-max(raw[emotion], 0.0) / EMOTION_SCALE) for emotion in EMOTIONS
    }
    compound = vader_compound(text)
    valence = _blend(compound, _squash(pleasure * VALENCE_GAIN), found_emotion)
    arousal_value = _squash(arousal)
    strongest = max(emotions.values())
    intensity = 1.0 - (
        (1.0 - INTENSITY_VALENCE * abs(valence))
        * (1.0 - INTENSITY_EMOTION * strongest)
        * (1.0 - INTENSITY_AROUSAL * max(arousal_value, 0.0))
    )
    ranked = sorted(weights.items(), key=lambda item: (-item[1], item[0]))
    return Feelings(
        valence=valence,
        arousal=arousal_value,
        dominance=_squash(dominance),
        intensity=min(max(intensity, 0.0), 1.0),
        emotions=emotions,
        evidence=tuple(phrase for phrase, _ in ranked),
        vader=compound,
        power_turned=power_turned,
    )


def _blend(compound: float, lists: float, found_in_lists: bool) -> float:
    """VADER and the lists, each weighed only when it found something."""
    parts = [(VADER_WEIGHT, compound)] if compound != 0.0 else []
    if found_in_lists:
        parts.append((LISTS_WEIGHT, lists))
    if not parts:
        return 0.0
    total = sum(weight for weight, _ in parts)
    return max(-1.0, min(1.0, sum(weight * value for weight, value in parts) / total))
