"""Where a beat's negators, intensifiers, diminishers and "but" sit, and what they do to a cue.

A negator reaches the next few words of its clause ("not afraid", "no longer angry"); a modifier
the word after it, and a "-ly" booster also the word before it ("trembles violently"); words
before "but" count less than words after it, as in VADER.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from beatcam.affect.lexicon import Lexicon
from beatcam.affect.patterns import Hit
from beatcam.affect.words import Token

# A negated word counts this much, the other way: "not afraid" is a little brave, not fearless.
NEGATED_FACTOR: Final = -0.5
NEGATION_WINDOW: Final = 3
MODIFIER_WINDOW: Final = 2
MODIFIER_CAP: Final = 2.5
BUT_BEFORE: Final = 0.6
BUT_AFTER: Final = 1.3
BUT_WORDS: Final = frozenset({"but", "yet", "however"})
NEGATION_SUFFIX: Final = "n't"
POST_MODIFIER_SUFFIX: Final = "ly"


def _phrase_ends(
    tokens: Sequence[Token], phrases: Mapping[tuple[str, ...], float]
) -> dict[int, float]:
    """Index of the last word of each phrase found (the longest, where two end together)."""
    by_last = _by_last_word(tuple(phrases))
    found: dict[int, float] = {}
    for end, token in enumerate(tokens):
        for phrase in by_last.get(token.lower, ()):
            start = end + 1 - len(phrase)
            if start >= 0 and all(
                tokens[start + i].lower == word for i, word in enumerate(phrase[:-1])
            ):
                found[end] = phrases[phrase]
                break
    return found


@cache
def _by_last_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases grouped by their last word, longest first."""
    grouped: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        grouped.setdefault(phrase[-1], []).append(phrase)
    return {word: tuple(group) for word, group in grouped.items()}


def clause_before(tokens: Sequence[Token], start: int, window: int) -> range:
    """Indices of up to ``window`` words before ``start``, stopping at a clause boundary."""
    first = start
    while first > 0 and start - first < window and not tokens[first - 1].boundary:
        first -= 1
    return range(first, start)


@dataclass(frozen=True)
class Context:
    """The modifiers of one beat, found once and asked about each cue."""

    tokens: Sequence[Token]
    negator_ends: frozenset[int]
    modifier_ends: Mapping[int, float]
    but_at: int | None

    @classmethod
    def of(cls, tokens: Sequence[Token], lexicon: Lexicon) -> Context:
        ends = set(_phrase_ends(tokens, dict.fromkeys(lexicon.negators, 1.0)))
        ends.update(i for i, token in enumerate(tokens) if token.lower.endswith(NEGATION_SUFFIX))
        buts = [i for i, token in enumerate(tokens) if token.lower in BUT_WORDS]
        return cls(
            tokens,
            frozenset(ends),
            _phrase_ends(tokens, lexicon.modifiers),
            buts[-1] if buts else None,
        )

    def negator_before(self, start: int) -> int | None:
        """Index of the negator governing the word at ``start``, if any."""
        for index in reversed(clause_before(self.tokens, start, NEGATION_WINDOW)):
            if index in self.negator_ends:
                return index
        return None

    def scale(self, hit: Hit) -> tuple[float, int]:
        """(factor on the hit's weight, first token of the phrase to quote as evidence)."""
        factor, first = 1.0, hit.start
        for index in clause_before(self.tokens, hit.start, MODIFIER_WINDOW):
            if index in self.modifier_ends:
                factor *= self.modifier_ends[index]
                first = min(first, index)
        after = hit.end
        if (
            after in self.modifier_ends
            and self.tokens[after].lower.endswith(POST_MODIFIER_SUFFIX)
            and self.modifier_ends[after] > 1.0
        ):
            factor *= self.modifier_ends[after]
        factor = min(factor, MODIFIER_CAP)
        negator = self.negator_before(hit.start)
        if negator is not None:
            factor *= NEGATED_FACTOR
            first = min(first, negator)
        if self.but_at is not None:
            factor *= BUT_BEFORE if hit.start < self.but_at else BUT_AFTER
        return factor, first
