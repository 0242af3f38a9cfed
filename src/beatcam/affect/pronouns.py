"""Whom "he" and "she" mean in a scene, learned from the scene's own text.

The camera must be on the person a beat is about, so "He laughs once" after "Vera ... tells him
the debt has doubled" is Colm's, not Vera's. Each cast member's pronoun is learned where the
text leaves little doubt whose it is: a sentence that names one person only, as the subject of
its clause ("Colm clears his throat": Colm is "he"; "Vera looks up at him, and her pen stops":
Vera is "she"), and, in a cast of two, an object pronoun in that person's clause means the
other ("tells him": Colm is "he"). No list of names by gender, no model: only the scene. A
pronoun then means the one cast member the scene shows using it; "they", a pronoun two people
use, or one nothing settles still means the people of the beat before, as it always did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Final

from beatcam.affect.entities import (
    PHRASE_ENDERS,
    PRONOUNS,
    CastNames,
    clause_subjects,
    mentions,
    possessive,
)
from beatcam.affect.words import Token
from beatcam.model.scene import HE, PRONOUN_FORMS, SHE, Pronouns

# A subject pronoun opens a clause, and one the scene does not settle leaves a beat that names
# nobody to the people of the beat before.
SUBJECTS: Final = frozenset({"he", "she", "they"})
# A reflexive is always its clause's subject's, wherever it stands ("humming to herself").
REFLEXIVES: Final = frozenset({"himself", "herself"})
# A clause opening on an article has a thing for its subject ("the colour drains from his face").
ARTICLES: Final = frozenset({"a", "an", "the"})
# Punctuation after which a sentence starts over: "... and is gone; Kite stops" has a new subject.
SENTENCE_ENDS: Final = frozenset({".", "!", "?", ";", ":"})
# A possessive after one of these is as often another's as one's own ("reaches for her hand",
# "wraps it around his shoulders"), so it is no evidence; after a particle ("holds out his
# hand", "takes off her coat") or "of" ("out of her house") it is mostly one's own.
RELATIONAL: Final = frozenset(
    {"at", "for", "to", "toward", "towards", "into", "onto", "on", "over", "around", "round"}
    | {"against", "with", "from", "under", "behind", "beside", "across", "through", "past"}
    | {"after", "near", "about", "above", "below"}
)
# A pronoun is learned when its votes are at least twice the other's: one stray "Pell reaches
# for her hand" does not outvote three "he"s, and a tie settles nothing.
MAJORITY: Final = 2
# Only in a cast of two does "not Vera" name someone.
PAIR: Final = 2


# What a reading knows with no scene to learn from (one beat, a line of dialogue): nothing, so
# every pronoun means the people of the beat before.
UNSETTLED: Final = Pronouns()


def learn(beats: Sequence[Sequence[Token]], cast: CastNames) -> Pronouns:
    """The pronouns the scene's action (``beats``, tokenized; not dialogue, where "he" is the
    speaker's) shows its cast using, each kept only when one cast member uses it."""
    people = tuple(dict.fromkeys(name for _, name in cast.names))
    votes: Counter[tuple[str, str]] = Counter()
    for tokens in beats:
        for sentence in _sentences(tokens):
            votes.update(_votes(sentence, cast, people))
    known: dict[str, list[str]] = {HE: [], SHE: []}
    for name in people:
        he, she = votes[name, HE], votes[name, SHE]
        if he > 0 and he >= MAJORITY * she:
            known[HE].append(name)
        elif she > 0 and she >= MAJORITY * he:
            known[SHE].append(name)
    return Pronouns(tuple((form, users[0]) for form, users in known.items() if len(users) == 1))


def _sentences(tokens: Sequence[Token]) -> Iterator[Sequence[Token]]:
    start = 0
    for index, token in enumerate(tokens):
        if token.boundary and token.lower in SENTENCE_ENDS:
            yield tokens[start:index]
            start = index + 1
    yield tokens[start:]


def _votes(
    sentence: Sequence[Token], cast: CastNames, people: Sequence[str]
) -> Iterator[tuple[str, str]]:
    """(name, pronoun) for each pronoun of a sentence that names one person only, after the
    name, while that person is its clause's subject: a subject pronoun or a reflexive is theirs,
    and so is a possessive not after a preposition; an object pronoun is the other's in a cast
    of two. A clause with a subject of its own ("the colour drains from his face") says
    nothing."""
    named = mentions(sentence, cast)
    if len({name for _, name in named}) != 1 or possessive(sentence[named[0][0]]):
        return
    at, name = named[0]
    starts = {index for index, _ in named} | {
        index
        for index, token in enumerate(sentence)
        if token.lower in SUBJECTS
        or (token.lower in ARTICLES and not _follows(sentence, index, RELATIONAL))
    }
    subjects = clause_subjects(sentence, starts.__contains__)
    if subjects[at] != at:
        return
    others = [person for person in people if person != name]
    for index in range(at + 1, len(sentence)):
        word = sentence[index].lower
        form = PRONOUN_FORMS.get(word)
        if form is None:
            continue
        if word in SUBJECTS:
            yield name, form
        elif subjects[index] not in {at, None}:
            continue
        elif word in REFLEXIVES:
            yield name, form
        elif _object(sentence, index):
            if len(people) == PAIR:
                yield others[0], form
        elif not _follows(sentence, index, RELATIONAL):
            yield name, form


def _follows(tokens: Sequence[Token], index: int, words: frozenset[str]) -> bool:
    return index > 0 and tokens[index - 1].lower in words


def _object(tokens: Sequence[Token], index: int) -> bool:
    """Is the pronoun at ``index`` an object? "him" always; "her" where no noun follows it
    ("tells her the truth", "steps toward her,"), else it owns what follows ("her pen")."""
    word = tokens[index].lower
    if word != "her":
        return word == "him"
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    return following is None or following.boundary or following.lower in PHRASE_ENDERS | ARTICLES


def resolve(
    tokens: Sequence[Token], cast: CastNames, pronouns: Pronouns, previous: tuple[str, ...]
) -> tuple[str, ...]:
    """The people of one beat, the one it is about first: the names and the subject pronouns
    the scene settles, in order of first mention, then the people its other pronouns settle
    ("Vera tells him": Vera, then Colm). A beat that names nobody keeps ``previous`` (the
    people of the beat before) when one of its subject pronouns is unsettled ("they", a "he"
    two people use) or none of its pronouns is settled."""
    named = mentions(tokens, cast)
    leading = list(named)
    trailing: list[tuple[int, str]] = []
    unsettled = False
    for index, token in enumerate(tokens):
        person = pronouns.person(token.lower)
        if person is None:
            unsettled = unsettled or token.lower in SUBJECTS
        elif token.lower in SUBJECTS:
            leading.append((index, person))
        else:
            trailing.append((index, person))
    people = tuple(dict.fromkeys(name for _, name in (*sorted(leading), *sorted(trailing))))
    if named or (people and not unsettled):
        return people
    return previous if any(token.lower in PRONOUNS for token in tokens) else ()
