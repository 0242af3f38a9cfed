"""Whom "he" and "she" mean in each beat, learned from the scene's own text.

The camera must be on the person a beat is about, so "He laughs once" after "Vera ... tells him
the debt has doubled" is Colm's, not Vera's. Each cast member's pronoun is learned where the
text leaves little doubt whose it is: a sentence that names one person only, as the subject of
its clause ("Colm clears his throat": Colm is "he"; "Vera looks up at him, and her pen stops":
Vera is "she"), a description set beside a name as a script introduces its people ("CHARYA,
a stereotype nice Librarian lady": she), and, in a cast of two, an object pronoun in that
person's clause means the other ("tells him": Colm is "he"). No list of names by gender, no
model: only the scene. In each beat a pronoun then means the one cast member the scene shows
using it, or, where several use it, the one a reader carries over: the first of them named
by the nearest beat before that names any ("Charya walks over ... / As she walks back to her
desk": Charya's, though two other women of the scene are "she" too). "They", or a pronoun
nothing settles, still means the people of the beat before, as it always did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Final

from beatcam.affect.entities import (
    PHRASE_ENDERS,
    PRONOUNS,
    clause_subjects,
    mention_spans,
    mentions,
    possessive,
)
from beatcam.affect.words import SENTENCE_ENDS, Token
from beatcam.model.scene import HE, PRONOUN_FORMS, SHE, CastNames, Pronouns

# A subject pronoun opens a clause, and one the scene does not settle leaves a beat that names
# nobody to the people of the beat before.
SUBJECTS: Final = frozenset({"he", "she", "they"})
# A reflexive is always its clause's subject's, wherever it stands ("humming to herself").
REFLEXIVES: Final = frozenset({"himself", "herself"})
# A clause opening on an article has a thing for its subject ("the colour drains from his face").
ARTICLES: Final = frozenset({"a", "an", "the"})
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
# The nouns a description beside a name says a person's pronoun with, as scripts introduce
# their people ("THRAIN, a brown Unicorn mare"; "CHALF, NAR, and YOR, each male and 15").
DESCRIBED: Final = {
    HE: frozenset(
        {"man", "men", "boy", "boys", "male", "guy", "gentleman", "husband", "father", "dad"}
        | {"son", "brother", "brothers", "uncle", "nephew", "grandfather", "grandson", "king"}
        | {"prince", "lord", "monk", "priest", "waiter", "actor", "widower", "stallion", "bull"}
    ),
    SHE: frozenset(
        {"woman", "women", "girl", "girls", "female", "lady", "wife", "mother", "mum", "mom"}
        | {"daughter", "sister", "sisters", "aunt", "niece", "grandmother", "granddaughter"}
        | {"queen", "princess", "nun", "waitress", "actress", "widow", "mare", "cow"}
    ),
}
# Words that start a description set beside a name ("Mara, a nurse"; "Yor, each male").
DESCRIPTION_OPENERS: Final = ARTICLES | {"each", "both", "two", "three", "our", "her", "his"}
# A description after several names is all of theirs only where it says so ("CHALF, NAR, and
# YOR, each male"; "Ana and Eve, two sisters"); else it is the last name's ("Tom and Mara, a
# nurse").
EVERY_ONE: Final = frozenset(
    {"each", "both", "two", "three", "men", "women", "boys", "girls", "brothers", "sisters"}
)


# What a reading knows with no scene to learn from (one beat, a line of dialogue): nothing, so
# every pronoun means the people of the beat before.
UNSETTLED: Final = Pronouns()


@dataclass(frozen=True)
class Users:
    """Who the scene shows using each pronoun: (pronoun, names in cast order) pairs, and the
    cast members it shows using neither (``unknown``)."""

    forms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    unknown: tuple[str, ...] = ()

    def settle(self, seen: Mapping[str, tuple[int, int]]) -> Pronouns:
        """Whom "he" and "she" mean in a beat, ``seen`` holding where each cast member was last
        named before it (beat, place among that beat's people, the one it is about first): the
        one cast member who uses a pronoun; where several do, the first the nearest beat names
        of them and of those the scene shows using neither (whom a reader carries over: "Scott
        is dumbfounded ... / SCOTT: Yes. / ... and lowers his guns" is Scott's, though the
        scene never shows him as "he"), else nobody, and all of them are ``able``."""
        settled, able = [], []
        for form, users in self.forms:
            if len(users) == 1:
                settled.append((form, users[0]))
                continue
            candidates = tuple(dict.fromkeys((*users, *self.unknown)))
            able.append((form, candidates))
            named = [name for name in candidates if name in seen]
            if named:
                settled.append((form, max(named, key=lambda name: _nearest(seen[name]))))
        return Pronouns(tuple(settled), tuple(able))


def _nearest(place: tuple[int, int]) -> tuple[int, int]:
    """The later beat first, then the earlier place in it."""
    beat, order = place
    return beat, -order


def learn(beats: Sequence[Sequence[Token]], cast: CastNames) -> Users:
    """The pronouns the scene's action (``beats``, tokenized; not dialogue, where "he" is the
    speaker's) shows its cast using."""
    people = tuple(dict.fromkeys(name for _, name in cast.names))
    votes: Counter[tuple[str, str]] = Counter()
    for tokens in beats:
        for sentence in _sentences(tokens):
            votes.update(_votes(sentence, cast, people))
            votes.update(_described(sentence, cast))
    known: dict[str, list[str]] = {HE: [], SHE: []}
    for name in people:
        he, she = votes[name, HE], votes[name, SHE]
        if he > 0 and he >= MAJORITY * she:
            known[HE].append(name)
        elif she > 0 and she >= MAJORITY * he:
            known[SHE].append(name)
    unknown = tuple(name for name in people if all(name not in users for users in known.values()))
    return Users(tuple((form, tuple(users)) for form, users in known.items() if users), unknown)


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


def _described(sentence: Sequence[Token], cast: CastNames) -> Iterator[tuple[str, str]]:
    """(name, pronoun) for each person of a name, or names joined by commas and "and", that a
    description between commas right after says the pronoun of ("CHARYA, a stereotype nice
    Librarian lady, 30, ...": she)."""
    spans = mention_spans(sentence, cast)
    group: list[str] = []
    for index, (_, end, name) in enumerate(spans):
        group.append(name)
        following = spans[index + 1][0] if index + 1 < len(spans) else end
        between = {token.lower for token in sentence[end:following]}
        if between and between <= {",", "and"}:
            continue  # the names go on: "CHALF, NAR, and YOR"
        described = _description(sentence, end)
        forms = [form for form, nouns in DESCRIBED.items() if nouns & described]
        if len(forms) == 1:  # "a brother and sister" says nothing of either
            described_ones = group if described & EVERY_ONE else group[-1:]
            yield from ((person, forms[0]) for person in described_ones)
        group = []


def _description(sentence: Sequence[Token], end: int) -> frozenset[str]:
    """The words of a description between commas that starts at ``end`` ("Mara, a nurse,"),
    or none; a word in the possessive is another's ("Sarah, the boy's mother")."""
    if end + 1 >= len(sentence) or sentence[end].lower != ",":
        return frozenset()
    if sentence[end + 1].lower not in DESCRIPTION_OPENERS:
        return frozenset()
    words = []
    for token in sentence[end + 1 :]:
        if token.boundary:
            break
        if not possessive(token):
            words.append(token.lower)
    return frozenset(words)


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
    the beat settles, in order of first mention, then the people its other pronouns settle
    ("Vera tells him": Vera, then Colm); a pronoun several of the cast use means the last of
    them the beat names before it, if it names one. In a beat that names nobody, a subject
    pronoun left unsettled ("they", a "he" nothing settles) means ``previous``, the people of
    the beat before, where it stands ("She looks away and they return to their studies": hers, then
    theirs); so does a beat whose pronouns are all unsettled."""
    named = mentions(tokens, cast)
    leading = list(named)
    trailing: list[tuple[int, str]] = []
    said = dict(named)
    last: str | None = None  # the name the beat said last
    for index, token in enumerate(tokens):
        last = said.get(index, last)
        person = pronouns.person(token.lower)
        if last is not None and pronouns.could_mean(token.lower, last):
            person = last  # "Mara looks at the table. She sits down": Mara's
        if person is None:
            if token.lower in SUBJECTS and not named:
                leading.extend((index, carried) for carried in previous)
        elif token.lower in SUBJECTS:
            leading.append((index, person))
        else:
            trailing.append((index, person))
    place = itemgetter(0)  # stable: the people carried over keep their order
    ordered = (*sorted(leading, key=place), *sorted(trailing, key=place))
    people = tuple(dict.fromkeys(name for _, name in ordered))
    if named or people:
        return people
    return previous if any(token.lower in PRONOUNS for token in tokens) else ()
