"""Space from the words: who stands where relative to whom, read from the action beats.

The cues of ``data/space.yaml`` are read with the clause walker of ``poses`` (who is the
subject of each clause, whom a pronoun names): "Tom stands behind her" puts Tom behind Mara;
"Across the street, Tom watches Mara" puts Tom across the street from Mara; "Mara waits at the
window" puts her at the set's window. A relation with no one named after it is taken with the
beat's other person ("Mara and Tom sit across the table": Tom across from Mara), or the scene's
only other one. Dialogue places nobody, and a denied relation ("does not sit near him") none.
``spots`` turns a relation into a place on the floor.

A dependency parser was weighed against this walker on the 50 hand-labelled spatial beats of
``tests/data/space_beats.yaml``: spaCy 3.8 with its small English pipeline (a third-party PyPI
upload of en_core_web_sm, trained on OntoNotes 5 under Explosion's commercial licence) and a
page of dependency rules read them at F1 0.74 to the walker's 0.91 (40 of the beats shaped the
walker's cues; on the 10 held out both scored 0.60 before the walker's last fixes), misparsing
stage directions ("Kite crouches beside the car": a noun compound), and its import and load
alone take 2.9-3.7 s, ten times ``import numpy`` (0.29 s) against a budget of four.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

from beatcam import tables
from beatcam.direct.poses import (
    DETERMINERS,
    WORDS,
    Phrase,
    Phrases,
    beat_words,
    by_first_word,
    cues,
    negated,
    people_in,
    phrase_at,
)
from beatcam.direct.spots import KINDS, STREET, Relation
from beatcam.model import Affect, Beat
from beatcam.model.scene import CastNames, Pronouns

TABLE_FILE: Final = "space.yaml"
PIECE_WINDOW: Final = 5  # a piece word may stand this many words after its preposition
AT: Final = "at"
# A look or a word aimed "at" or "to" something places nobody ("glances at the door").
AIMED: Final = frozenset({("at",), ("to",), ("towards",), ("toward",)})
# Leaning "over the table" is being at it, as is leaning across it with nobody across.
AT_A_PIECE: Final = frozenset({"over"})


@dataclass(frozen=True)
class SpaceWords:
    """The table: relation phrases (word sequences, longest first) with their kind, the
    prepositions that take a piece (kind AT), and the piece each word sequence names; each by
    its first word (``poses.by_first_word``)."""

    relations: Phrases
    places: Phrases
    pieces: Phrases
    not_placing: frozenset[str]
    grounds: frozenset[str]
    screen: Phrases  # the words that send a walk screen right or left
    sided: frozenset[str]  # the verbs whose bare "left" or "right" names a side
    right_as_straight: frozenset[str]  # "right" before these means straight there
    left_as_leaving: frozenset[str]  # "left" before these is the verb ("left her shaking")
    side_nouns: frozenset[str]  # a side before these names part of a place ("the right end")
    side_owners: frozenset[str]  # ... after one of these (a place's, not "her right side")


def _longest_first(entries: list[Phrase]) -> Phrases:
    return by_first_word(sorted(entries, key=lambda entry: -len(entry[0])))


@cache
def space_words() -> SpaceWords:
    """The shipped table (``data/space.yaml``)."""
    source = resources.files("beatcam.direct").joinpath("data", TABLE_FILE)
    document = tables.safe_load(source.read_text(encoding="utf-8"))
    unknown = set(document["relations"]) - set(KINDS)
    if unknown:  # a relation blocking cannot place is a bug, found on first use
        raise ValueError(f"{TABLE_FILE}: unknown relations {sorted(unknown)}; known: {KINDS}")
    relations = [
        (tuple(WORDS.findall(str(phrase))), str(kind))
        for kind, phrases in document["relations"].items()
        for phrase in phrases
    ]
    pieces = [
        (tuple(WORDS.findall(str(word))), str(kind))
        for kind, words in document["pieces"].items()
        for word in words
    ] + [((str(word),), STREET) for word in document["streets"]]
    places = [(tuple(WORDS.findall(str(p))), AT) for p in document["places"]]
    screen = [
        (tuple(WORDS.findall(str(phrase))), str(side))
        for side, phrases in document["screen"].items()
        for phrase in phrases
    ]
    return SpaceWords(
        _longest_first(relations),
        _longest_first(places),
        _longest_first(pieces),
        frozenset(str(word) for word in document["not_placing"]),
        frozenset(str(word) for word in document["grounds"]),
        _longest_first(screen),
        frozenset(str(word) for word in document["sided"]),
        frozenset(str(word) for word in document["right_as_straight"]),
        frozenset(str(word) for word in document["left_as_leaving"]),
        frozenset(str(word) for word in document["side_nouns"]),
        frozenset(str(word) for word in document["side_owners"]),
    )


def piece_after(tokens: Sequence[str], start: int, people: Sequence[str | None]) -> str | None:
    """The piece named within PIECE_WINDOW words from ``start`` ("the kitchen table"), if the
    clause names one before anyone or its end."""
    breaks = cues().clause_breaks
    for index in range(start, min(start + PIECE_WINDOW + 1, len(tokens))):
        if tokens[index] in breaks or people[index] is not None:
            return None
        hit = phrase_at(tokens, index, space_words().pieces)
        if hit is not None:
            return hit[1]
    return None


def pieces_named(text: str) -> tuple[str, ...]:
    """The kit pieces ``text`` names, in order of first mention, each once."""
    tokens = beat_words(text)
    found: dict[str, None] = {}
    for index in range(len(tokens)):
        hit = phrase_at(tokens, index, space_words().pieces)
        if hit is not None and hit[1] != STREET:
            found.setdefault(hit[1])
    return tuple(found)


def _clause_end(tokens: Sequence[str], start: int) -> int:
    breaks = cues().clause_breaks
    return next((i for i in range(start, len(tokens)) if tokens[i] in breaks), len(tokens))


def read_relations(
    text: str, cast: CastNames, named: Sequence[str], beat: int, pronouns: Pronouns
) -> list[Relation]:
    """The relations one action beat states, in the order said; ``named`` are the people the
    beat names (its first is the subject a leading pronoun means)."""
    table = space_words()
    tokens = beat_words(text)
    people, subjects = people_in(
        tokens, cast, named[0] if named else None, cues().clause_breaks, pronouns
    )
    found: list[Relation] = []
    index = 0
    while index < len(tokens):
        hit = phrase_at(tokens, index, table.relations)
        placed = phrase_at(tokens, index, table.places)
        place = placed[0] if placed else None
        aimed = index > 0 and tokens[index - 1] in table.not_placing and place in AIMED
        words = hit[0] if hit else None if aimed else place
        if words is None:
            index += 1
            continue
        after = index + len(words)
        piece = piece_after(tokens, after, people)
        kind = hit[1] if hit else AT
        relation = None
        if (hit or piece) and not negated(tokens, index, cues()):
            relation = _relation(
                tokens, people, subjects, index, after, kind, piece, cast.people, named
            )
        if relation is not None:
            found.append(Relation(*relation, beat))
        index = after
    return found


def _relation(
    tokens: Sequence[str], people: Sequence[str | None], subjects: Sequence[tuple[str, ...]],
    index: int, after: int, kind: str, piece: str | None, cast: Sequence[str],
    named: Sequence[str],
) -> tuple[str, str, str | None, str | None] | None:  # fmt: skip
    """(doer, kind, anchor, piece) of a relation phrase at ``index``..``after``, or None."""
    doers = subjects[index]
    if not doers:  # "Across the street, Tom watches Mara": the clause's subject comes later,
        # after a comma at most ("... the table where Mara sorts the post" is another clause).
        stop = next(
            (i for i in range(after, len(tokens)) if tokens[i] in cues().clause_breaks - {","}),
            len(tokens),
        )
        doers = next((s for s in subjects[after:stop] if s), ())
    if not doers:
        return None
    end = _clause_end(tokens, after)
    anchor = next(
        (
            person
            for person, token in zip(people[after:end], tokens[after:end], strict=True)
            if person not in {None, *doers} and not token.endswith("'s")  # "the outlaw's gun"
        ),
        None,
    )
    if anchor is None and len(doers) > 1:
        anchor, doers = doers[0], doers[1:]  # "Mara and Tom sit across from each other"
    rest = [token for token in tokens[after:end] if token not in DETERMINERS]
    if anchor is None and (
        (piece == STREET and kind == "across") or not rest or rest[0] in space_words().grounds
    ):
        # Nobody named: the partner, unless the words go on about something else ("stands
        # over the outlaw's gun", "catches him across the shoulder").
        anchor = _partner(doers[0], cast, named)
    if anchor is None and piece is None:
        return None
    if piece not in (None, STREET) and (kind in AT_A_PIECE or (kind == "across" and not anchor)):
        kind = AT  # "leans over the table", "leans across the table": at it
    if kind == AT:
        anchor = None  # "sits on the stairs beside Mara": at the stairs; beside her is its own
    return doers[0], kind, anchor, piece


def _partner(doer: str, cast: Sequence[str], named: Sequence[str]) -> str | None:
    """The other person a relation means when it names none: the beat's other one, or the
    scene's only other one."""
    in_beat = [name for name in named if name != doer]
    if in_beat:
        return in_beat[0]
    others = [name for name in cast if name != doer]
    return others[0] if len(others) == 1 else None


SCREEN_SIDES: Final = {"right": 1, "left": -1}
# The words that say where a walk or a look arrives, ending a "from ..." that says where it left.
ARRIVING: Final = frozenset({"to", "toward", "towards", "into", "onto"})
# The words that put a side where something is ("on his left"), not which way something goes.
PLACING: Final = frozenset({"on", "at"})


def screen_direction(text: str) -> int:
    """Which way the words send a walk, or a look, across the screen: 1 right, -1 left, 0
    unsaid (the first said wins; a denied one, "not to the left", says nothing)."""
    table = space_words()
    tokens = beat_words(text)
    for index in range(len(tokens)):
        side = _side_at(tokens, index, table)
        if side and not negated(tokens, index, cues()):
            return side
    return 0


def _side_at(tokens: Sequence[str], index: int, table: SpaceWords) -> int:
    """The way a side named at ``index`` sends a walk or a look: a screen phrase ("to her
    left", "eastward", "on the right"), a bare side after a verb of going or looking ("walks
    left"; not "walks right up to him", nor "the walk left her shaking"), after someone's
    placed ("to Bettina's right"; not "she's right") or naming part of a place ("the right
    end of the platform"; not "her right side"), else 0. A side that says
    where something is ("on his right", "Bettina's right") and that the clause leaves from
    ("from the doors on his right toward ...") sends it the other way."""
    hit = phrase_at(tokens, index, table.screen)
    word = tokens[index]
    following = tokens[index + 1] if index + 1 < len(tokens) else ""
    if hit is not None:
        side, place = SCREEN_SIDES[hit[1]], hit[0][0] in PLACING
    elif word not in SCREEN_SIDES or index == 0:
        return 0
    elif tokens[index - 1].endswith("'s") and _placed(tokens, index - 1):
        side, place = SCREEN_SIDES[word], True
    elif tokens[index - 1] in table.side_owners and following in table.side_nouns:
        side, place = SCREEN_SIDES[word], True  # "toward the right end of the platform"
    elif tokens[index - 1] in table.sided and following not in (
        table.right_as_straight if word == "right" else table.left_as_leaving
    ):
        side, place = SCREEN_SIDES[word], False
    else:
        return 0
    return -side if place and _leaving(tokens, index) else side


def _placed(tokens: Sequence[str], owner: int) -> bool:
    """Whether someone's at ``owner`` ("Bettina's") follows a word that places or sends within
    a word or two ("to Bettina's", "on the captain's"), as a side of theirs does; "she's right"
    and "what's left" are no side."""
    before = tokens[max(0, owner - 2) : owner]
    return any(token in PLACING or token in ARRIVING or token == "from" for token in before)


def _leaving(tokens: Sequence[str], index: int) -> bool:
    """Whether the words before ``index`` in its clause say where something leaves from
    ("from ...") and not yet where it goes ("to", "toward")."""
    breaks = cues().clause_breaks
    for token in reversed(tokens[:index]):
        if token in breaks or token in ARRIVING:
            return False
        if token == "from":
            return True
    return False


def read_space(
    beats: Sequence[Beat],
    affects: Sequence[Affect],
    cast: CastNames,
    pronouns: Sequence[Pronouns],
) -> tuple[Relation, ...]:
    """Every relation the scene's action beats state, in order; ``pronouns`` are whom each
    beat's pronouns mean."""
    return tuple(
        relation
        for index, (beat, affect, settled) in enumerate(zip(beats, affects, pronouns, strict=True))
        if beat.speaker is None
        for relation in read_relations(beat.text, cast, affect.characters, index, settled)
    )
