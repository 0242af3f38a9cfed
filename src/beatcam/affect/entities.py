"""Who is in a beat, how they move and which props matter.

Characters are found by the words the scene calls them (``model.scene.CastNames``: whole words,
any case, possessives too); whom "he" or "she" means is read in ``pronouns.py``. Movements are
normalised verbs (walk, run, enter, exit, ...) found by the phrase cues of
``data/actions.yaml``, so "bolts down the corridor" is a run and "storms out" an exit. Props
are words of the prop list after a determiner, or any other unknown word that closes a
determiner phrase ("the ledger."); "her" does not count as a determiner there, since it is as
often an object ("lets her go").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

from beatcam.affect.lexicon import IGNORE_ACTION, Lexicon
from beatcam.affect.modifiers import Context, clause_before
from beatcam.affect.patterns import Hit, span_text
from beatcam.affect.words import Token, stem
from beatcam.model.scene import CastNames
from beatcam.model.vocab import Staging

PRONOUNS: Final = frozenset(
    {"he", "she", "they", "him", "her", "them", "his", "hers", "their", "theirs"}
    | {"himself", "herself", "themselves"}
)
# Words that end a noun phrase, so "the ledger on the desk" makes "ledger" a prop.
PHRASE_ENDERS: Final = frozenset(
    {"on", "in", "at", "to", "from", "with", "by", "into", "onto", "under", "over"}
    | {"behind", "beside", "and", "or", "but", "as", "that", "which", "across", "through"}
    | {"against", "toward", "towards", "near", "off", "up", "down", "out", "away", "back"}
)
OBJECT_PRONOUNS: Final = frozenset({"her"})
SUBJECT_PRONOUNS: Final = frozenset({"he", "she", "they", "i", "we", "you", "who"})
CONJUNCTIONS: Final = frozenset({"and", "but", "while", "as", "when", "then", "so", "because"})
INFINITIVE: Final = frozenset({"to"})
# "The hostage negotiator Mbali": a determiner may lead a name by three words.
NAME_AFTER_DET: Final = 3
PROP_DETERMINER_WINDOW: Final = 3
MIN_PROP_LETTERS: Final = 3
ADVERB_SUFFIX: Final = "ly"
# A gaze that travels up or down is a look up or down: the camera tilts with the eyes (Mascelli:
# a tilt follows vertical action), where a gaze across the room pans.
VERTICAL_GAZE: Final = {
    "up": Staging.LOOK_UP, "upward": Staging.LOOK_UP, "upwards": Staging.LOOK_UP,
    "down": Staging.LOOK_DOWN, "downward": Staging.LOOK_DOWN, "downwards": Staging.LOOK_DOWN,
}  # fmt: skip
VERTICAL_LOOKS: Final = frozenset({Staging.LOOK_UP, Staging.LOOK_DOWN})
# Someone going somewhere, and whose back "behind him" then means: what follows them.
GOING: Final = frozenset({Staging.STRIDE, Staging.FLEE})
BACKS: Final = frozenset({"him", "her", "them"})
FOLLOWING: Final = stem("follow")
# Verbs of looking along something. One whose object is then said to go up or down is a look up
# or down ("traces the drops upward", "follows its trunk up", "follows the rope down"): the
# phrase lists cannot spell every object a look travels along.
GAZING: Final = frozenset(
    stem(word) for word in ("look", "gaze", "stare", "peer", "glance", "trace", "follow")
)
# The object comes first, as a noun phrase: a determiner and a few words ("looks it up", "looks
# fed up", "follows up with a question" are no look up).
OBJECT_OPENERS: Final = frozenset({"the", "a", "an", "his", "her", "their", "its"})
OBJECT_WORDS: Final = 3
# A look "with his eyes" names its eyes within this many words ("traces the route with his
# eyes"), and then the way they go may come after commas, up to the sentence's end.
EYES_REACH: Final = 5
SENTENCE_ENDS: Final = frozenset({".", ";", ":", "!", "?"})
# "up" and "down" before one of these open a path along something ("looks down the corridor",
# "follows her up the stairs"), not a look up or down.
PATH_OPENERS: Final = OBJECT_OPENERS | {"my", "our", "your", "this", "that"}
# "looks down from the bench" says where the look comes from (a height, which the angle
# answers), and "stares each other down" is a contest of wills: neither is a look down.
GAZE_FROM: Final = frozenset({"from"})
EACH_OTHER: Final = frozenset({"other", "another"})
# Words that start another clause inside a sentence, where a look's or a turn's words end ("Tom
# glances at Mara and gets up").
CLAUSE_OPENERS: Final = CONJUNCTIONS | {"who", "which", "that", "before", "after"}
# A body lowering itself to do something or to meet someone as it happens, in the present tense
# a screenplay uses ("kneels to tie her shoe", "crouches until he is level with her"): the
# camera comes down with them (Katz). Not the state a clause opens on or goes on in ("Crouched
# behind the counter", "kneeling by the crib"), and not a kneel held at a grave, which the
# camera watches still.
LOWERING: Final = frozenset({"kneel", "kneels", "crouch", "crouches", "squat", "squats"})
LOWERED_FOR: Final = frozenset({"to", "until", "down"})
# A person getting up, said as a verb with them as its subject ("Ines rises at the head of
# the table"; "He rises until his eyes clear the cushions"), where the sun, the water or a
# voice rising are none of the camera's.
RISING: Final = frozenset({"rise", "rises"})
LOWER_REACH: Final = 2
# A head or a body turning toward something is the eyes crossing the space: the camera pans
# with them (Brown: the pan is the camera's glance). Only the head or an adverb may come
# between ("turns her head slowly toward the stairwell"); "turns the car toward the coast" is
# no look, and a turn toward a person is a turn to speak to them, which the exchange covers.
TURNING: Final = frozenset({stem("turn"), stem("swing")})
TURN_WAYS: Final = frozenset({"toward", "towards"})
TURN_BETWEEN: Final = frozenset(
    {"his", "her", "their", "head", "face", "slowly", "sharply", "quickly", "round"}
    | {"around", "very", "at", "last", "once", "all", "rifle", "gun", "pistol", "torch", "lamp"}
    | {"flashlight", "light", "gaze", "eyes"}
)
# Watching something cross the view: the camera pans with it (Katz: the pan follows a subject
# moving across the space). Going away ("watches the car go") is a departure watched from where
# we stand, which the grammar keeps still; "pass", "round" and "weave" are left out for "pass
# out", "minutes pass", "round three" and "watches her grandmother weave".
WATCHING: Final = frozenset({stem("watch")})
CROSSING: Final = frozenset(stem(word) for word in ("cross", "drift", "glide", "circle", "zigzag"))
# ... unless the way is said: "round the headland", "weave from stall to stall".
CROSSING_PAIRS: Final = frozenset(
    {("round", "the"), ("rounds", "the"), ("weave", "from"), ("weaves", "from")}
    | {("weave", "through"), ("weaves", "through"), ("weave", "between"), ("weaves", "between")}
)
WATCH_REACH: Final = 6
# Something crossing over the watcher ("the geese drift above them") crosses the sky, not the
# view across the ground.
OVERHEAD: Final = frozenset({"over", "above", "overhead"})
OVERHEAD_REACH: Final = 3


def mentions(tokens: Sequence[Token], cast: CastNames) -> tuple[tuple[int, str], ...]:
    """Every place a cast member is named: (index of the name's first word, name), in order."""
    return tuple((start, name) for start, _, name in mention_spans(tokens, cast))


def mention_spans(tokens: Sequence[Token], cast: CastNames) -> tuple[tuple[int, int, str], ...]:
    """Every place a cast member is named, as (first word, one past the last, name), in order:
    the longest form of a name that matches there."""
    lowered = [token.lower for token in tokens]  # a possessive's "'s" already gone
    found: list[tuple[int, int, str]] = []
    for start in range(len(tokens)):
        called = cast.called_at(lowered, start)
        if called is not None:
            found.append((start, start + len(called[0]), called[1]))
    return tuple(found)


@dataclass(frozen=True)
class Movements:
    """Labels read in a beat (movement verbs or stagings) in order, each once, and the words
    (as written) that said so."""

    actions: tuple[str, ...]
    words: tuple[str, ...]


def movements(text: str, context: Context, lexicon: Lexicon, cast: CastNames) -> Movements:
    """The movements of the beat's people; negated ones ("does not run"), nouns ("in charge",
    "his walking stick") and things that move ("the lights go out") are left out."""
    actions: dict[str, None] = {}
    words: dict[str, None] = {}
    tokens = context.tokens
    prepositions = _prepositions(lexicon)
    hits = lexicon.actions.greedy_hits(tokens)
    ignored = {hit.start for hit in hits if hit.cue.label == IGNORE_ACTION}
    # "Her" opens no noun here: "watches her leave" is a movement.
    named_things = _noun_uses(tokens, (lexicon.classes["det"] - OBJECT_PRONOUNS) | prepositions)
    by_person = _person_subjects(
        tokens, cast, lexicon.classes["det"] - lexicon.classes["pron"], prepositions
    )
    for hit in hits:
        if (
            hit.start not in ignored
            and context.negator_before(hit.start) is None
            and not named_things[hit.start]
            and by_person[hit.start]
        ):
            actions.setdefault(hit.cue.label)
            words.setdefault(span_text(text, tokens, hit.start, hit.end))
    return Movements(tuple(actions), tuple(words))


# Two people named together walk together when the verb after them heads somewhere ("Lior
# and Catalina march down the corridor"), or "Kuznetsova and her translator Ikenna stride
# along it": a possessive and a title may stand between "and" and the second name. Verbs of
# going somewhere side by side only: two who "circle", "carry" or "stagger" do not walk abreast.
PARTNER_WORDS: Final = 2
PAIR_WALKS: Final = frozenset(
    {"walk", "stride", "march", "stroll", "wander", "amble", "saunter", "trudge", "hurry",
     "head", "run", "jog", "race", "sprint", "dash", "ride", "cycle"}
)  # fmt: skip


# "walk the length of the seafront", "stroll the canal path", "walking home": the way itself
# after the verb.
WAY_OPENERS: Final = frozenset({"the", "home"})


def walking_pair(context: Context, lexicon: Lexicon, cast: CastNames) -> bool:
    """Whether two people named together are the subject of a walk somewhere (``PAIR_WALKS``
    followed by a word of direction or the way they go: "walk the canal path"), or of the
    clause a walk opens ("Walking the towpath at dusk, Ruairi and Fen argue"): they walk
    together, as "side by side" says outright."""
    tokens = context.tokens
    ways = lexicon.classes["dir"] | WAY_OPENERS
    opens_walking = (
        len(tokens) > 1
        and tokens[0].stem in PAIR_WALKS
        and tokens[0].lower.endswith("ing")
        and tokens[1].lower in ways
    )
    for (first, joiner, _), (second, verb, _) in pairwise(mention_spans(tokens, cast)):
        if (
            joiner >= len(tokens)
            or tokens[joiner].lower != "and"
            or second - joiner - 1 > PARTNER_WORDS
            or any(token.boundary for token in tokens[joiner:verb])
        ):
            continue
        walks_on = (
            verb + 1 < len(tokens)
            and tokens[verb].stem in PAIR_WALKS
            and tokens[verb + 1].lower in ways
            and context.negator_before(verb) is None
        )
        opened = opens_walking and first > 0 and tokens[first - 1].boundary
        if walks_on or opened:
            return True
    return False


# Two people who do something to each other ("argue", "stare at each other") are an exchange,
# covered from both sides, not one shared action.
MUTUAL: Final = (("each", "other"), ("one", "another"))
# A verb is negated by a word before it or after its auxiliary ("never speak", "do not speak").
NEGATED_VERB_WORDS: Final = 2


def acting_together(context: Context, cast: CastNames, people: Sequence[str]) -> bool:
    """Whether two or more people are one clause's subject, doing one thing together ("Chalf,
    Nar and Yor resume their studies"; "They stop" when the beat's ``people`` are two or
    more): named at a clause's start (after punctuation), joined by commas and a last "and",
    a word that can be a verb after them, not negated, and not done to each other."""
    tokens = context.tokens
    if any(pair in pairwise(token.lower for token in tokens) for pair in MUTUAL):
        return False
    stops = {start: stop for start, stop, _ in mention_spans(tokens, cast)}
    for at, token in enumerate(tokens):
        if at and not tokens[at - 1].boundary:
            continue
        if token.lower == "they":
            if len(people) >= 2 and _acts(context, at + 1):
                return True
            continue
        end, after_and = at, False
        while end in stops:
            end = stops[end]
            if end >= len(tokens) or possessive(tokens[end - 1]):
                break
            joiner = [token.lower for token in tokens[end : end + 2]]
            if joiner[0] not in {",", "and"}:
                if after_and and _acts(context, end):
                    return True
                break
            # "Mara, Tom, and Ines": the serial comma before the last name's "and".
            step = 2 if joiner == [",", "and"] else 1
            after_and, end = joiner[step - 1] == "and", end + step
    return False


def _acts(context: Context, index: int) -> bool:
    """The word at ``index`` can be the subject's verb, and the verb is not negated ("do not
    speak"): a word, not a boundary, a pronoun, a conjunction or a preposition ("Mara and Tom
    in the kitchen")."""
    tokens = context.tokens
    return (
        index < len(tokens)
        and not tokens[index].boundary
        and tokens[index].lower not in PRONOUNS | CONJUNCTIONS | PHRASE_ENDERS
        and context.negator_before(min(index + NEGATED_VERB_WORDS, len(tokens) - 1)) is None
    )


def stagings(text: str, context: Context, lexicon: Lexicon, cast: CastNames) -> Movements:
    """What a camera move could follow or answer in the beat (``data/stagings.yaml``): unlike
    a movement it need not be a person's ("the walls seem to close in"), but a negated one
    ("does not look up") is left out."""
    named = frozenset(end - 1 for _, end, _ in mention_spans(context.tokens, cast))
    labels: dict[str, None] = {}
    words: dict[str, None] = {}
    for hit in lexicon.stagings.greedy_hits(context.tokens):
        if context.negator_before(hit.start) is None and not _after_someone(context, hit):
            label = hit.cue.label
            if label == Staging.SCAN:
                label = _vertical_gaze(context.tokens, hit.end) or label
            labels.setdefault(label)
            words.setdefault(span_text(text, context.tokens, hit.start, hit.end))
    for label, start, end in _told_by_shape(context, named):
        if label == Staging.SCAN and Staging.CIRCLE in labels:
            continue  # turning to each voice round a ring is the ring's: the camera arcs
        labels.setdefault(label)
        words.setdefault(span_text(text, context.tokens, start, end))
    behind = _someone_behind(context.tokens) if GOING & labels.keys() else None
    if behind is not None:
        labels.setdefault(Staging.FOLLOWED)
        words.setdefault(span_text(text, context.tokens, behind, behind + 2))
    return Movements(tuple(labels), tuple(words))


def _someone_behind(tokens: Sequence[Token]) -> int | None:
    """Where "behind him" (her, them) comes, if it does: beside a stride or a flight, someone
    or something at the walker's back ("sirens swelling behind him")."""
    return next(
        (
            index
            for index in range(len(tokens) - 1)
            if tokens[index].lower == "behind" and tokens[index + 1].lower in BACKS
        ),
        None,
    )


def _after_someone(context: Context, hit: Hit) -> bool:
    """Whether a look cue that follows something ("follow * up") follows a person ("follows
    her up the stairs"): that is a walk after them, not a look."""
    return hit.cue.label in VERTICAL_LOOKS and _followed_person(context.tokens, hit.start)


def _told_by_shape(context: Context, named: frozenset[int]) -> list[tuple[str, int, int]]:
    """Stagings read from how a clause is built rather than from a listed phrase, as
    (label, first word, one past the last): a look along something that goes up or down, a
    body lowered to someone's level, a turn toward something, a watch on something crossing
    the view. Each is read inside its own clause, and negated at either end it is none."""
    tokens = context.tokens
    found: list[tuple[str, int, int]] = []
    for index, token in enumerate(tokens):
        if token.boundary or context.negator_before(index) is not None:
            continue
        label: str | None = Staging.SCAN
        if token.stem in GAZING and not _followed_person(tokens, index):
            reached = _object_then(tokens, index, frozenset(VERTICAL_GAZE))
            reached = _eyes_then(tokens, index) if reached is None else reached
            label = None if reached is None else _vertical_word(tokens, reached)
        elif token.lower in LOWERING:
            reached, label = _within(tokens, index, LOWER_REACH, LOWERED_FOR), Staging.SINK
        elif token.lower in RISING and _person_before(tokens, index, named):
            reached, label = index, Staging.RISE
        elif token.stem in TURNING:
            reached = _turned_toward(tokens, index)
        elif token.stem in WATCHING:
            reached = _crossing(tokens, index)
        else:
            continue
        if reached is not None and label is not None and context.negator_before(reached) is None:
            found.append((label, index, reached + 1))
    return found


def _clause_after(tokens: Sequence[Token], start: int) -> Iterator[int]:
    """The places of the words after ``start`` in its clause: up to punctuation or a word
    that opens another clause."""
    for index in range(start + 1, len(tokens)):
        token = tokens[index]
        if token.boundary or token.lower in CLAUSE_OPENERS:
            return
        yield index


def _within(tokens: Sequence[Token], start: int, words: int, wanted: frozenset[str]) -> int | None:
    """Where one of ``wanted`` comes within ``words`` words after ``start`` in its clause."""
    for counted, index in enumerate(_clause_after(tokens, start)):
        if counted >= words:
            return None
        if tokens[index].lower in wanted:
            return index
    return None


def _object_then(tokens: Sequence[Token], start: int, wanted: frozenset[str]) -> int | None:
    """Where one of ``wanted`` comes right after the noun phrase that is the object of the
    verb at ``start`` (a determiner and at most ``OBJECT_WORDS`` words), if it does."""
    after = list(_clause_after(tokens, start))
    if not after or tokens[after[0]].lower not in OBJECT_OPENERS:
        return None
    for index in after[1 : OBJECT_WORDS + 2]:
        if tokens[index].lower in wanted:
            return index
    return None


def _eyes_then(tokens: Sequence[Token], start: int) -> int | None:
    """Where "up" or "down" comes after a look that says it is done "with (his) eyes", through
    commas to the sentence's end ("follows it with his eyes, step by step, down to the cellar
    door"): the eyes named, the words that follow are the look's."""
    words = [token.lower for token in tokens]
    at = next(
        (k for k in range(start + 1, min(start + EYES_REACH, len(tokens) - 1))
         if words[k] == "with" and words[k + 2 : k + 3] == ["eyes"]),
        None,
    )  # fmt: skip
    if at is None:
        return None
    for index in range(at + 3, len(tokens)):
        if tokens[index].text in SENTENCE_ENDS:
            return None
        if words[index] in VERTICAL_GAZE:
            return index
    return None


def _vertical_word(tokens: Sequence[Token], index: int) -> str | None:
    """The look up or down the word at ``index`` says, if it says one: not along a path
    ("down the corridor"), from somewhere ("down from the bench"), or after "each other"."""
    way = VERTICAL_GAZE.get(tokens[index].lower)
    after = _word_after(tokens, index)
    if way is None or after in PATH_OPENERS or after in GAZE_FROM:
        return None
    return None if tokens[index - 1].lower in EACH_OTHER else way


def _turned_toward(tokens: Sequence[Token], start: int) -> int | None:
    """Where the turn at ``start`` says it turns toward something that is not a person, with
    only its head, what it aims or an adverb between, commas and all ("turns her head, very
    slowly, toward the stairwell"; "swings his rifle slowly toward the sound")."""
    for index in range(start + 1, len(tokens)):
        word = tokens[index].lower
        if tokens[index].text == ",":
            continue
        if word in TURN_WAYS:
            target = _word_after(tokens, index)
            if not target or target in PRONOUNS or target in EACH_OTHER | {"each"}:
                return None
            return None if tokens[index + 1].text[:1].isupper() else index  # a name: a person
        if word not in TURN_BETWEEN:
            return None
    return None


def _crossing(tokens: Sequence[Token], start: int) -> int | None:
    """Where the watch at ``start`` sees its object cross the view (not over the watcher)."""
    for index in _clause_after(tokens, start):
        if index - start > WATCH_REACH:
            return None
        word, after = tokens[index].lower, _word_after(tokens, index)
        if tokens[index].stem in CROSSING or (word, after) in CROSSING_PAIRS:
            overhead = _within(tokens, index, OVERHEAD_REACH, OVERHEAD) is not None
            return None if overhead else index
    return None


def _vertical_gaze(tokens: Sequence[Token], start: int) -> str | None:
    """The look up or down a scan's clause makes from ``start`` on ("her eyes travel from his
    face down to the mud"), if it goes up or down."""
    for token in tokens[start:]:
        if token.boundary:
            return None
        if token.lower in VERTICAL_GAZE:
            return VERTICAL_GAZE[token.lower]
    return None


def _word_after(tokens: Sequence[Token], index: int) -> str:
    """The word after ``index`` in its clause, or ""."""
    after = index + 1
    return tokens[after].lower if after < len(tokens) and not tokens[after].boundary else ""


def _person_before(tokens: Sequence[Token], index: int, named: frozenset[int]) -> bool:
    """Whether the word before ``index`` names a person: a pronoun, or the last word of a
    cast member's name (``named``: where names end)."""
    return index > 0 and (tokens[index - 1].lower in SUBJECT_PRONOUNS or index - 1 in named)


def _followed_person(tokens: Sequence[Token], index: int) -> bool:
    """Whether the word at ``index`` follows a person ("follows her", "follows Mara"): a walk
    after them, whichever way it goes."""
    if tokens[index].stem != FOLLOWING or index + 1 >= len(tokens):
        return False
    after = tokens[index + 1]
    return not after.boundary and (after.lower in PRONOUNS or after.text[:1].isupper())


def _prepositions(lexicon: Lexicon) -> frozenset[str]:
    """Words that open a phrase of place; not "to", which also opens an infinitive ("turns to
    run")."""
    return lexicon.classes["dir"] - INFINITIVE


def _noun_uses(tokens: Sequence[Token], openers: frozenset[str]) -> list[bool]:
    """For each word: does it follow a determiner or a preposition (``openers``), so that a
    movement word there names a thing ("in charge", "his walking stick", "the exit")?"""
    return [
        index > 0 and not tokens[index - 1].boundary and tokens[index - 1].lower in openers
        for index in range(len(tokens))
    ]


def clause_subjects(
    tokens: Sequence[Token], opens_subject: Callable[[int], bool]
) -> list[int | None]:
    """For each word: the index of its clause's subject, or None before the clause names one.

    A clause starts at punctuation or a conjunction; its subject is its first word that
    ``opens_subject`` accepts. Without a parser this reads word order only.
    """
    subject: int | None = None
    subjects: list[int | None] = []
    for index, token in enumerate(tokens):
        if token.boundary or token.lower in CONJUNCTIONS:
            subject = None
        elif subject is None and opens_subject(index):
            subject = index
        subjects.append(subject)
    return subjects


def _after(tokens: Sequence[Token], index: int, words: frozenset[str]) -> bool:
    return index > 0 and tokens[index - 1].lower in words


def _person_subjects(
    tokens: Sequence[Token],
    cast: CastNames,
    articles: frozenset[str],
    prepositions: frozenset[str],
) -> list[bool]:
    """For each word: is the subject of its clause a person?

    The subject is the first person (a cast name, a subject pronoun) or thing (an article or
    number outside a phrase of place, or a possessive: "Hal's lantern") the clause names; a
    clause that names neither ("..., runs it back") is taken to go on with a person. Enough to
    keep "the night guard's footsteps cross the ceiling" from moving anyone.
    """
    names = cast.words()
    people = names | SUBJECT_PRONOUNS

    def opens_subject(index: int) -> bool:
        word = tokens[index].lower
        return word in people or (word in articles and not _after(tokens, index, prepositions))

    def is_person(index: int) -> bool:
        if tokens[index].lower in people:
            return not possessive(tokens[index])
        return bool({t.lower for t in tokens[index + 1 : index + 1 + NAME_AFTER_DET]} & names)

    return [
        subject is None or is_person(subject) for subject in clause_subjects(tokens, opens_subject)
    ]


def others_acting(tokens: Sequence[Token], cast: CastNames, lexicon: Lexicon) -> list[bool]:
    """For each word: does its clause have a subject other than the beat's own?

    Dominance is a relation, so it depends on who acts: when "each kneels and kisses her
    ring", the power is Lucrezia's, and when "the cliff towers over Ana", it is not Ana's. The
    beat's own subject is its first-named cast member (else its first subject). A subject is a
    cast name or a determiner's phrase ("the men", "each") outside a phrase of place; a pronoun
    refers back to the beat's subject, and a clause that names none goes on with the one
    before.
    """
    prepositions = _prepositions(lexicon)
    determiners = lexicon.classes["det"]
    names = {word: name for words, name in cast.names for word in words[:1]}
    openers = names.keys() | SUBJECT_PRONOUNS | determiners
    first = next((names[token.lower] for token in tokens if token.lower in names), None)

    def opens_subject(index: int) -> bool:
        return tokens[index].lower in openers and not _after(tokens, index, prepositions)

    current: str | None = None
    verdicts: list[bool] = []
    for index, subject in enumerate(clause_subjects(tokens, opens_subject)):
        if subject == index:
            word = tokens[index].lower
            if word in names:
                current = names[word]
            elif word in SUBJECT_PRONOUNS:
                current = first
            else:
                following = tokens[index + 1].lower if index + 1 < len(tokens) else word
                current = names.get(following, following)
            first = first or current
        verdicts.append(current is not None and first is not None and current != first)
    return verdicts


def possessive(token: Token) -> bool:
    """True for a word written with "'s" ("Mara's"): an owner, not the one who acts."""
    return token.text.lower() != token.lower


def _after_determiner(tokens: Sequence[Token], index: int, determiners: frozenset[str]) -> bool:
    return any(
        tokens[i].lower in determiners for i in clause_before(tokens, index, PROP_DETERMINER_WINDOW)
    )


def _closes_phrase(tokens: Sequence[Token], index: int) -> bool:
    following = index + 1
    return (
        following >= len(tokens)
        or tokens[following].boundary
        or tokens[following].lower in PHRASE_ENDERS
    )


def props(tokens: Sequence[Token], lexicon: Lexicon, cast: CastNames) -> tuple[str, ...]:
    """Props in order of mention, each once, as the prop list spells them (else as written)."""
    determiners = lexicon.classes["det"]
    people = cast.words() | PRONOUNS
    found: dict[str, None] = {}
    for index, token in enumerate(tokens):
        if token.boundary or token.lower in people or index == 0:
            continue
        if tokens[index - 1].lower in people and tokens[index - 1].lower not in determiners:
            continue
        if token.stem in lexicon.props:
            if _after_determiner(tokens, index, determiners):
                found.setdefault(lexicon.props[token.stem])
        elif (
            tokens[index - 1].lower in determiners - OBJECT_PRONOUNS
            and _closes_phrase(tokens, index)
            and len(token.lower) >= MIN_PROP_LETTERS
            and not token.lower.endswith(ADVERB_SUFFIX)
            and token.lower not in determiners
            and not _known_word(token.stem, lexicon)
        ):
            found.setdefault(token.lower)
    return tuple(found)


def _known_word(word_stem: str, lexicon: Lexicon) -> bool:
    """True for words the lists already give another meaning: places, feelings, cues."""
    return (
        word_stem in lexicon.not_props
        or word_stem in lexicon.places
        or lexicon.affect.knows(word_stem)
        or lexicon.functions.knows(word_stem)
        or lexicon.actions.knows(word_stem)
    )
