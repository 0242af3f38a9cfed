"""The narrative function of a beat, by the explicit cue rules of ``data/functions.yaml``.

The heaviest cue wins; a tie goes to the function with more cues in the beat, then to the
longer phrase, then to the function listed first. The first beat of a scene that names a place
is "establishing" unless a full-weight cue says otherwise. With no cue, a beat where someone
moves or is named is "action"; anything else is "transition".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from beatcam.affect.entities import Movements
from beatcam.affect.lexicon import Lexicon
from beatcam.affect.modifiers import Context
from beatcam.affect.patterns import span_text
from beatcam.affect.words import Token

ESTABLISHING: Final = "establishing"
ACTION: Final = "action"
TRANSITION: Final = "transition"
DIALOGUE: Final = "dialogue"
# A first beat that names its place is establishing unless a cue this heavy says otherwise.
FIRST_PLACE_WEIGHT: Final = 0.9
# Quoted speech is a dialogue cue of this weight.
QUOTE_WEIGHT: Final = 0.6
QUOTE_MARK: Final = '"'
QUOTES_FOR_SPEECH: Final = 2


@dataclass(frozen=True)
class Cue:
    """The heaviest cue found for one function, and every phrase (as written) that cued it."""

    weight: float
    words: tuple[str, ...]


@dataclass(frozen=True)
class FunctionReading:
    """The chosen function, the words (as written) that decided it and the deciding cue's
    weight (0 for the fallback, when no cue spoke); ``cues`` holds every function any cue
    spoke for, so a reader with other evidence can weigh them all."""

    function: str
    evidence: tuple[str, ...]
    weight: float = 0.0
    cues: Mapping[str, Cue] = field(default_factory=dict)


@dataclass(frozen=True)
class _Candidate:
    weight: float
    length: int
    rank: int
    function: str
    words: str


def place_words(tokens: Sequence[Token], lexicon: Lexicon, set_name: str | None) -> list[str]:
    """The words (as written) that say where the beat is: a place, a time of day, the set."""
    return [
        token.text
        for token in tokens
        if not token.boundary and (token.stem in lexicon.places or token.lower == set_name)
    ]


def read_function(
    text: str,
    context: Context,
    lexicon: Lexicon,
    *,
    first_in_scene: bool,
    set_name: str | None,
    moves: Movements,
    named: Sequence[str],
) -> FunctionReading:
    """Pick one function for a beat; its movements and characters decide the fallback."""
    tokens = context.tokens
    order = {function: rank for rank, function in enumerate(lexicon.function_order)}
    candidates = [
        _Candidate(
            hit.cue.weight,
            len(hit.cue.pattern),
            order[hit.cue.label],
            hit.cue.label,
            span_text(text, tokens, hit.start, hit.end),
        )
        for hit in lexicon.functions.all_hits(tokens)
        if context.negator_before(hit.start) is None
    ]
    if sum(1 for token in tokens if token.lower == QUOTE_MARK) >= QUOTES_FOR_SPEECH:
        candidates.append(
            _Candidate(QUOTE_WEIGHT, 1, order.get(DIALOGUE, len(order)), DIALOGUE, QUOTE_MARK)
        )
    if first_in_scene:
        rank = order.get(ESTABLISHING, len(order))
        candidates += [
            _Candidate(FIRST_PLACE_WEIGHT, 1, rank, ESTABLISHING, word)
            for word in place_words(tokens, lexicon, set_name)
        ]
    if not candidates:
        return FunctionReading(ACTION if moves.actions or named else TRANSITION, moves.words)
    agreeing = Counter(c.function for c in candidates)
    ranked = sorted(candidates, key=lambda c: (-c.weight, -agreeing[c.function], -c.length, c.rank))
    cues = {
        function: Cue(
            max(c.weight for c in candidates if c.function == function),
            tuple(dict.fromkeys(c.words for c in ranked if c.function == function)),
        )
        for function in agreeing
    }
    best = ranked[0]
    return FunctionReading(best.function, cues[best.function].words, best.weight, cues)
