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

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Final

from beatcam.affect import shapes
from beatcam.affect.lexicon import IGNORE_ACTION, Lexicon
from beatcam.affect.modifiers import Context, clause_before
from beatcam.affect.patterns import span_text
from beatcam.affect.words import ADVERB_SUFFIX, CONJUNCTIONS, SENTENCE_ENDS, Token
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
INFINITIVE: Final = frozenset({"to"})
# "The hostage negotiator Mbali": a determiner may lead a name by three words.
NAME_AFTER_DET: Final = 3
PROP_DETERMINER_WINDOW: Final = 3
MIN_PROP_LETTERS: Final = 3


def mentions(tokens: Sequence[Token], cast: CastNames) -> tuple[tuple[int, str], ...]:
    """Every place a cast member is named: (index of the name's first word, name), in order."""
    return tuple((start, name) for start, _, name in mention_spans(tokens, cast))


# Where cast members are named in a beat: (first word, one past the last, name), in order.
Spans = tuple[tuple[int, int, str], ...]


def mention_spans(tokens: Sequence[Token], cast: CastNames) -> Spans:
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
        tokens,
        cast,
        lexicon.classes["det"] - lexicon.classes["pron"],
        prepositions,
        lexicon.classes["pron"],
        frozenset(hit.start for hit in hits),
    )
    done_before = _done_before(tokens, cast.words())
    for hit in hits:
        if (
            hit.start not in ignored
            and context.negator_before(hit.start) is None
            and not named_things[hit.start]
            and by_person[hit.start]
            and not done_before[hit.start]
        ):
            actions.setdefault(hit.cue.label)
            words.setdefault(span_text(text, tokens, hit.start, hit.end))
    return Movements(tuple(actions), tuple(words))


# Someone going somewhere: only then is someone at their heels following them.
GOING: Final = frozenset({Staging.STRIDE, Staging.FLEE})


# People named together walk together when the verb after them heads somewhere ("Lior and
# Catalina march down the corridor"; "Ines, Tom and Kit hurry across the square"), or
# "Kuznetsova and her translator Ikenna stride along it": a possessive, a word that describes
# and a title may stand between "and" and the next name, and a description may be named in
# apposition ("Petra and her small cousins, Marek and Zora, walk down the lane"). Verbs of
# going somewhere side by side only: two who "circle", "carry" or "stagger" do not walk abreast.
PARTNER_WORDS: Final = 3
PAIR_WALKS: Final = frozenset(
    {"walk", "stride", "march", "stroll", "wander", "amble", "saunter", "trudge", "hurry",
     "head", "run", "jog", "race", "sprint", "dash", "ride", "cycle"}
)  # fmt: skip


# Verbs of going on foot, which may take the way itself after them ("walk the canal path",
# "stroll the boardwalk") or open the clause the pair is the subject of ("Walking home,
# Ruairi and Fen argue"); "run the bar", "head the committee", "race the clock" and "riding
# the subway" are not walks.
ON_FOOT: Final = frozenset(
    {"walk", "stride", "march", "stroll", "wander", "amble", "saunter", "trudge", "head"}
)
WAY_OPENERS: Final = frozenset({"the", "home"})


def walking_group(context: Context, lexicon: Lexicon, spans: Spans) -> tuple[str, ...]:
    """The people named together as the subject of a walk somewhere (``PAIR_WALKS`` followed
    by a word of direction, or an ``ON_FOOT`` verb by the way they go), or of the clause a
    walk opens ("Walking the towpath at dusk, Ruairi and Fen argue": the names right after
    the opener's comma), in the order named; () when no two walk together. They walk side
    by side, as "side by side" says outright."""
    tokens = context.tokens
    directions = lexicon.classes["dir"]
    opener = next((k for k, token in enumerate(tokens) if token.boundary), None)
    # Where the names the walk's opening clause is about must stand: right after its comma.
    after_opener = (
        opener + 1
        if opener is not None
        and len(tokens) > 1
        and tokens[0].stem in ON_FOOT
        and tokens[0].lower.endswith("ing")
        and tokens[1].lower in directions | WAY_OPENERS
        else None
    )
    for chain, verb in _named_as_one(tokens, spans):
        names = tuple(dict.fromkeys(name for _, _, name in chain))  # a name twice is one person
        if len(names) < 2 or verb >= len(tokens):
            continue
        way = tokens[verb + 1].lower if verb + 1 < len(tokens) else ""
        walks_on = (
            tokens[verb].stem in PAIR_WALKS
            and (way in directions or (tokens[verb].stem in ON_FOOT and way in WAY_OPENERS))
            and context.negator_before(verb) is None
        )
        if walks_on or chain[0][0] == after_opener:
            return names
    return ()


def _named_as_one(tokens: Sequence[Token], spans: Spans) -> list[tuple[Spans, int]]:
    """Runs of two or more names joined as one subject (``_joined``), each with the index of
    the word after the last name, past the comma that closes an apposition: their verb."""
    runs: list[list[tuple[int, int, str]]] = []
    for span in spans:
        if runs and _joined(tokens, runs[-1], span[0]):
            runs[-1].append(span)
        else:
            runs.append([span])
    found: list[tuple[Spans, int]] = []
    for run in runs:
        if len(run) < 2:
            continue
        verb = run[-1][1]
        listed = any(token.lower == "," for token in tokens[run[0][1] : run[-1][0]])
        if listed and verb < len(tokens) and tokens[verb].lower == ",":
            verb += 1  # "Petra and her cousins, Marek and Zora, walk"
        found.append((tuple(run), verb))
    return found


def _joined(tokens: Sequence[Token], run: Sequence[tuple[int, int, str]], start: int) -> bool:
    """Whether the name at ``start`` joins ``run`` as one subject: after "and" ("Mara and
    her brother Tom"), or after a comma in a list that opens its clause ("Mara, Tom and
    Ines"; "Mara, Tom, and Ines"), with at most ``PARTNER_WORDS`` words of description
    between, which may close with the comma of an apposition ("and her cousins, Marek")."""
    between = list(tokens[run[-1][1] : start])
    words = [token.lower for token in between]
    if words[:1] == [","]:
        opens_clause = run[0][0] == 0 or tokens[run[0][0] - 1].boundary
        if not opens_clause:
            return False  # "Ana hugs Ben, Carla and Dev walk out": Ben is hugged
        between = between[2:] if words[1:2] == ["and"] else between[1:]
    elif words[:1] == ["and"]:
        between = between[1:]
    else:
        return False
    if len(between) > 1 and between[-1].lower == ",":
        between = between[:-1]
    return len(between) <= PARTNER_WORDS and not any(token.boundary for token in between)


# Two people who do something to each other ("argue", "stare at each other") are an exchange,
# covered from both sides, not one shared action.
MUTUAL: Final = (("each", "other"), ("one", "another"))
# A verb is negated by a word before it or after its auxiliary ("never speak", "do not speak").
NEGATED_VERB_WORDS: Final = 2


def acting_together(context: Context, spans: Spans, people: Sequence[str]) -> bool:
    """Whether two or more people are one clause's subject, doing one thing together ("Chalf,
    Nar and Yor resume their studies"; "They stop" when the beat's ``people`` are two or
    more): named at a clause's start (after punctuation), joined by commas and a last "and",
    a word that can be a verb after them, not negated, and not done to each other."""
    tokens = context.tokens
    if any(pair in pairwise(token.lower for token in tokens) for pair in MUTUAL):
        return False
    stops = {start: stop for start, stop, _ in spans}
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


def stagings(text: str, context: Context, lexicon: Lexicon, spans: Spans) -> Movements:
    """What a camera move could follow or answer in the beat: the phrases of
    ``data/stagings.yaml``, and the shapes of ``shapes.py``. Unlike a movement a staging need
    not be a person's ("the walls seem to close in"), but a negated one ("does not look up")
    is left out, and someone following a walker ("followed") only when there is a walker."""
    named = frozenset(end - 1 for _, end, _ in spans)
    read: list[tuple[str, str]] = []  # (label, the words that said it), in order
    lying_at: int | None = None  # where a figure lies on the ground
    for hit in lexicon.stagings.greedy_hits(context.tokens):
        if context.negator_before(hit.start) is None and not shapes.after_someone(context, hit):
            label = hit.cue.label
            if label == Staging.LYING and lying_at is None:
                lying_at = hit.start
            if label == Staging.SCAN:
                label = shapes.vertical_gaze(context.tokens, hit) or label
            read.append((label, span_text(text, context.tokens, hit.start, hit.end)))
    ring = any(label == Staging.CIRCLE for label, _ in read)
    for label, start, end in shapes.told_by_shape(context, named):
        if label == Staging.SCAN and ring:
            continue  # turning to each voice round a ring is the ring's: the camera arcs
        read.append((label, span_text(text, context.tokens, start, end)))
    if not GOING & {label for label, _ in read}:  # "keeps up with the conversation": no one goes
        read = [(label, words) for label, words in read if label != Staging.FOLLOWED]
    if lying_at is not None and shapes.looks_up_from_the_ground(context.tokens, lying_at, named):
        # lying on their back, they look up at what is over them: the camera lies with them
        read = [
            (Staging.LOOMING if label == Staging.LYING else label, words) for label, words in read
        ]
    return Movements(
        tuple(dict.fromkeys(label for label, _ in read)),
        tuple(dict.fromkeys(words for _, words in read)),
    )


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
    pronouns: frozenset[str],
    verbs: frozenset[int],
) -> list[bool]:
    """For each word: is the subject of its clause a person?

    The subject is the first person (a cast name, a subject pronoun) or thing (an article or
    number outside a phrase of place, a possessive: "Hal's lantern", or a plural noun opening
    a sentence: "Soldiers march past") the clause names; a clause that names neither ("...,
    runs it back") is taken to go on with a person. Enough to keep "the night guard's
    footsteps cross the ceiling" and "Four men step out of the shadows" from moving anyone.
    ``pronouns`` are the object and possessive ones; ``verbs`` where movement verbs start.
    """
    names = cast.words()
    people = names | SUBJECT_PRONOUNS
    closed = articles | prepositions | CONJUNCTIONS | pronouns | PARTICLES

    def opens_subject(index: int) -> bool:
        word = tokens[index].lower
        return (
            word in people
            or (word in articles and not _after(tokens, index, prepositions))
            or (index not in verbs and _bare_plural(tokens, index, closed))
        )

    def is_person(index: int) -> bool:
        if tokens[index].lower in people:
            return not possessive(tokens[index])
        return bool({t.lower for t in tokens[index + 1 : index + 1 + NAME_AFTER_DET]} & names)

    return [
        subject is None or is_person(subject) for subject in clause_subjects(tokens, opens_subject)
    ]


# Words ending in "s" that open a sentence without being a plural noun that acts.
NOT_PLURAL_SUBJECTS: Final = frozenset(
    {"perhaps", "sometimes", "always", "besides", "afterwards", "upstairs", "downstairs",
     "indoors", "outdoors", "backwards", "forwards", "sideways", "nowadays", "thus", "was",
     "has", "does", "yes", "hers", "ours", "yours", "theirs", "whereas", "unless", "towards"}
)  # fmt: skip
# Time that has passed, not people: "Years later Ines returns", "Moments after, Tom runs".
TIME_AFTER: Final = frozenset({"later", "ago", "after", "before", "earlier", "passed", "on"})
# A number and a measure open no subject ("Four days into the trek Tom limps on").
TIME_WORDS: Final = frozenset(
    {"seconds", "minutes", "hours", "days", "weeks", "months", "years", "steps", "paces",
     "inches", "metres", "miles", "yards", "feet"}
)  # fmt: skip
IRREGULAR_PLURALS: Final = frozenset({"men", "women", "people", "children"})
NUMBER_WORDS: Final = frozenset(
    {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
     "several", "dozens", "hundreds"}
)  # fmt: skip
# Words that follow a verb, never a subject ("Heads for the door", "Steps back"; an object
# pronoun or a possessive, "Grabs his coat", is the lexicon's "pron" class).
PARTICLES: Final = frozenset({"back", "out", "up", "down", "off", "away", "over", "for", "to"})


def _bare_plural(tokens: Sequence[Token], index: int, closed: frozenset[str]) -> bool:
    """Whether the word opens a sentence as a plural noun without an article, its verb right
    after it: "Soldiers march past", "Four men step out" (a number and its noun), "Officers
    Dunmore and Achebe charge" (a title, which the names after it make a person's). Not a
    screenplay's fragment that opens on its verb ("Grabs his coat. Heads for the door.": the
    caller leaves out the movement verbs it knows), nor "Hands in his pockets, Tom ..."."""
    token = tokens[index]
    word = token.lower
    starts = index == 0 or (tokens[index - 1].boundary and tokens[index - 1].text in SENTENCE_ENDS)
    if not starts or not token.text[:1].isupper() or index + 1 >= len(tokens):
        return False
    following = tokens[index + 1]
    if word in NUMBER_WORDS and _plural(following.lower):
        following = tokens[index + 2] if index + 2 < len(tokens) else following
        word = tokens[index + 1].lower
    return (
        _plural(word)
        and word not in closed | NOT_PLURAL_SUBJECTS | TIME_WORDS
        and not following.boundary
        and following.text[:1].islower()
        and following.lower not in closed | TIME_AFTER
    )


def _plural(word: str) -> bool:
    """Whether a word looks like a plural noun: "soldiers", "gulls", "men"."""
    regular = len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))
    return regular or word in IRREGULAR_PLURALS


def _done_before(tokens: Sequence[Token], names: frozenset[str]) -> list[bool]:
    """For each word: is it in a clause of what was done before the beat ("Having crossed the
    line first, Selam turns on the spot": she crossed it before we see her)? The clause ends at
    its comma, or where its doer is named ("Having reached the roof Tom runs to the edge")."""
    doers = names | SUBJECT_PRONOUNS
    before = False
    marks: list[bool] = []
    for index, token in enumerate(tokens):
        if token.boundary or token.lower in doers:
            before = False
        elif token.lower == "having" and (index == 0 or tokens[index - 1].boundary):
            before = True
        marks.append(before)
    return marks


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
