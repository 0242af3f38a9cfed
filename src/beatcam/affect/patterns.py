"""Cue patterns: word-list phrases matched against a beat's tokens.

A pattern is a tuple of parts: a stem, ``=word`` (exactly this word as written, for forms a
stem would merge: "trapped" is not "traps"), ``*`` (any one word), ``@class`` (a word of a
class, matched as written) or ``$`` (the end of a clause, which uses up no word). Patterns are
indexed by their first part so a beat is read in one pass. An index may be given words to
step over between a pattern's parts (manner adverbs: "sinks slowly into" is "sink into").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from beatcam.affect.words import Token

ANY_WORD = "*"
CLAUSE_END = "$"
CLASS_MARK = "@"
EXACT_MARK = "="
# "sinks slowly back into": two manner words between a verb and its particle are common, more
# would join words of different phrases.
MAX_SKIPPED = 2


@dataclass(frozen=True)
class Cue:
    """One pattern with what it stands for: an emotion, a dimension, a function or an action."""

    pattern: tuple[str, ...]
    label: str
    weight: float = 1.0


@dataclass(frozen=True)
class Hit:
    """A cue found in a beat, covering tokens ``start`` to ``end`` (exclusive)."""

    cue: Cue
    start: int
    end: int


class CueIndex:
    """Cues by first stem; finds every cue that matches at a token."""

    def __init__(
        self,
        cues: Sequence[Cue],
        classes: Mapping[str, frozenset[str]],
        skippable: frozenset[str] = frozenset(),
    ) -> None:
        self._classes = classes
        self._skippable = skippable
        by_first: dict[str, list[Cue]] = {}
        for cue in cues:
            by_first.setdefault(cue.pattern[0], []).append(cue)
        # Longest patterns first, exact words before stems, so callers that keep the first
        # match keep the most specific.
        self._by_first = {
            first: tuple(
                sorted(group, key=lambda cue: (-len(cue.pattern), cue.pattern[0][0] != EXACT_MARK))
            )
            for first, group in by_first.items()
        }

    def _end(self, tokens: Sequence[Token], start: int, pattern: tuple[str, ...]) -> int | None:
        """Index after the match of ``pattern`` at ``start``, or None when it does not match."""
        at = start
        for index, part in enumerate(pattern):
            if part == CLAUSE_END:
                if at < len(tokens) and not tokens[at].boundary:
                    return None
                continue
            skipped = 0
            while (
                index > 0
                and skipped < MAX_SKIPPED
                and at < len(tokens)
                and tokens[at].lower in self._skippable
                and not self._fits(tokens[at], part)
            ):
                at, skipped = at + 1, skipped + 1
            if at >= len(tokens) or tokens[at].boundary or not self._fits(tokens[at], part):
                return None
            at += 1
        return at

    def _fits(self, token: Token, part: str) -> bool:
        """One pattern part matches one word."""
        if part.startswith(CLASS_MARK):
            return token.lower in self._classes[part[1:]]
        if part.startswith(EXACT_MARK):
            return token.lower == part[1:]
        return part in (ANY_WORD, token.stem)

    def matches_at(self, tokens: Sequence[Token], start: int) -> Iterator[Hit]:
        """Every cue matching at ``start``, longest first."""
        token = tokens[start]
        if token.boundary:
            return
        exact = self._by_first.get(EXACT_MARK + token.lower, ())
        by_stem = self._by_first.get(token.stem, ())
        for cue in sorted((*exact, *by_stem), key=lambda cue: -len(cue.pattern)):
            end = self._end(tokens, start, cue.pattern)
            if end is not None:
                yield Hit(cue, start, end)

    def all_hits(self, tokens: Sequence[Token]) -> Iterator[Hit]:
        """Every match at every token, overlaps included."""
        for start in range(len(tokens)):
            yield from self.matches_at(tokens, start)

    def longest_hits(self, tokens: Sequence[Token]) -> list[Hit]:
        """Per label, the longest match at each token, skipping tokens an earlier match of the
        same label already used: "heart pounds" counts once for arousal, not also "pounds"."""
        used_until: dict[str, int] = {}
        found: list[Hit] = []
        for start in range(len(tokens)):
            taken: set[str] = set()
            for hit in self.matches_at(tokens, start):
                label = hit.cue.label
                if label in taken or used_until.get(label, 0) > start:
                    continue
                taken.add(label)
                used_until[label] = hit.end
                found.append(hit)
        return found

    def greedy_hits(self, tokens: Sequence[Token]) -> list[Hit]:
        """Left to right, the longest cues at each word, using up the words they cover; cues
        of that same length there are all kept ("run out" is both run and exit)."""
        found: list[Hit] = []
        start = 0
        while start < len(tokens):
            hits = list(self.matches_at(tokens, start))
            size = len(hits[0].cue.pattern) if hits else 0
            longest = [hit for hit in hits if len(hit.cue.pattern) == size]
            found += longest
            start = max([start + 1, *(hit.end for hit in longest)])
        return found

    def knows(self, first_stem: str) -> bool:
        """True when some cue starts with this stem."""
        return first_stem in self._by_first


def span_text(text: str, tokens: Sequence[Token], start: int, end: int) -> str:
    """The words of tokens ``start``..``end`` exactly as the beat wrote them."""
    return text[tokens[start].start : tokens[end - 1].end]
