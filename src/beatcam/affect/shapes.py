"""Stagings read from how a clause is built, where no listed phrase can spell them.

``data/stagings.yaml`` lists phrases ("looks up at", "sinks to her knees"); a beat also shows
what happens in front of the camera in clauses no list can hold, because the words between
change every time: "traces the drops upward", "kneels to Benji's height", "turns her head
slowly toward the stairwell", "watches the riders cross the valley". Each rule here reads one
such shape, done by a person (a name or a pronoun as its subject) inside its own clause, and
is none when negated. Idioms built the same way are the rules' hazard ("looks the word up",
"stares him down", "turns toward Mara and says", "watches Mara drift off to sleep"), so every
rule asks for the words that make it physical, and its tests in ``tests/test_affect.py`` hold
both kinds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final

from beatcam.affect.modifiers import Context
from beatcam.affect.patterns import Hit
from beatcam.affect.words import ADVERB_SUFFIX, CONJUNCTIONS, SENTENCE_ENDS, Token, stem
from beatcam.model.vocab import Staging

# A gaze that travels up or down is a look up or down: the camera tilts with the eyes (Mascelli:
# a tilt follows vertical action), where a gaze across the room pans.
VERTICAL_GAZE: Final = {
    "up": Staging.LOOK_UP, "upward": Staging.LOOK_UP, "upwards": Staging.LOOK_UP,
    "down": Staging.LOOK_DOWN, "downward": Staging.LOOK_DOWN, "downwards": Staging.LOOK_DOWN,
}  # fmt: skip
VERTICAL_LOOKS: Final = frozenset({Staging.LOOK_UP, Staging.LOOK_DOWN})
# Verbs that follow a line with the eyes. Whichever way their object is then said to go, up or
# down, is a look up or down ("traces the drops upward", "follows its trunk up", "follows the
# rope down"). "look" and "stare" are left out: with an object between, "up" and "down" make
# idioms of them ("looks the word up", "looks her up and down", "stares the bully down").
TRACING: Final = frozenset({stem("trace"), stem("follow")})
FOLLOWING: Final = stem("follow")
# The object is a thing named with "the" or "its" and at most this many words after it ("the
# drops", "the crack in the wall" is four: past it the up or down is another phrase's).
THING_OPENERS: Final = frozenset({"the", "its"})
OBJECT_WORDS: Final = 3
# "up" or "down" before one of these open a path along something ("looks down the corridor",
# "follows her up the stairs"), or say where the look comes from ("looks down from the bench",
# which the angle answers), or go both ways ("up and down"): none is a look up or down.
NOT_A_WAY: Final = frozenset(
    {"the", "a", "an", "his", "her", "their", "its", "my", "our", "your", "this", "that"}
    | {"from", "and"}
)
# A look done "with his eyes" names its eyes within this many words of the verb ("traces the
# route with his eyes"); the way they go may then come after commas ("..., hold by hold, up
# to the summit"), up to the next clause.
EYES_REACH: Final = 5
# Words that start another clause inside a sentence, where a shape's words end ("Tom glances at
# the clock and gets up").
CLAUSE_OPENERS: Final = CONJUNCTIONS | {"who", "which", "that", "before", "after", "until"}
# Who does it: a pronoun or a cast member's name right before the verb, or one adverb between
# ("Tom slowly turns").
DOERS: Final = frozenset({"he", "she", "they"})
# A body lowering itself to do something or to meet someone, in the present tense a screenplay
# uses ("kneels to tie her shoe", "crouches down beside the boy"): the camera comes down with
# them (Katz). Not the state a clause opens on or goes on in ("Crouched behind the counter",
# "kneeling by the crib": not these words), nor a kneel held at a grave or before a king
# ("kneels until dawn", "kneels to the king": the camera watches it still).
LOWERING: Final = frozenset({"kneel", "kneels", "crouch", "crouches", "squat", "squats"})
LOWERED_FOR: Final = frozenset({"to", "down"})
NOT_AN_AIM: Final = frozenset({"the", "a", "an", "no", "nobody", "none", "him", "her", "them"})
# A person getting up where they are, with where or how said after it ("Ines rises at the head of
# the table", "He rises slowly"), where "rises above the insult", "rises to the occasion" and
# "rises through the ranks" are idioms, and the sun, the water or a voice rising no one's.
RISING: Final = frozenset({"rise", "rises"})
RISEN_AT: Final = frozenset({"in", "at", "from", "behind", "slowly", "and", "until"})
# A head or a body turning toward something is the eyes crossing the space: the camera pans
# with them (Brown: the pan is the camera's glance). Only the head, an adverb or what is aimed
# may come between ("turns her head, very slowly, toward the stairwell"; "swings the torch
# toward the noise"); a turn toward a person is a turn to speak to them, which the exchange
# covers, and "turns to" alone is as often that.
TURNING: Final = frozenset({stem("turn"), stem("swing")})
TURN_WAYS: Final = frozenset({"toward", "towards"})
TURN_BETWEEN: Final = frozenset(
    {"his", "her", "their", "the", "head", "face", "gaze", "eyes", "slowly", "sharply"}
    | {"quickly", "round", "around", "very", "at", "last", "once", "all", "rifle", "gun"}
    | {"pistol", "torch", "lamp", "flashlight", "light"}
)
# Words for people after a verb: a turn toward them, or a follow after them, is no look.
PERSON_WORDS: Final = frozenset({"him", "her", "them", "us", "me", "you", "each", "one"})
# Watching someone or something cross the view: the camera pans with it (Katz: the pan follows
# a subject moving across the space). A departure ("watches the car go") is watched from where
# we stand, which the grammar keeps still; "pass", "drift" and "round" alone are idioms as
# often ("pass out", "drift off to sleep", "round three"), so the way is asked for with them.
WATCHING: Final = frozenset({"watch", "watches"})
CROSSING: Final = frozenset({"cross", "crosses", "glide", "glides", "zigzag", "zigzags"})
CROSSING_PAIRS: Final = frozenset(
    {("round", "the"), ("rounds", "the"), ("weave", "from"), ("weaves", "from")}
    | {("weave", "through"), ("weaves", "through"), ("drift", "across"), ("drifts", "across")}
    | {("drift", "past"), ("drifts", "past"), ("circle", "the"), ("circles", "the")}
)
WATCH_REACH: Final = 6  # "watches the dust cloud of riders cross": the object may be long
# Something crossing over the watcher ("the geese cross above them") crosses the sky, not the
# view across the ground; looked for just after the crossing word.
OVERHEAD: Final = frozenset({"over", "above", "overhead"})
OVERHEAD_REACH: Final = 3

# A figure lying on the ground who looks up at what is over them ("Lying on her back, Ottilie
# watches the starlings twist into shapes above the barley"; "lies beneath the cedar and stares
# up its trunk") is where the camera lies too: we look up with them (Katz: the subjective
# angle; Mercado: what is over a character is seen from below, from where they are), not down
# on a figure laid out on the floor. The look is theirs (no one else named does it) and goes
# up: "up" or "skyward" right after the look's verb, toward something ("stares up at", not
# "looks up from her book", "looks up the number"), or "above" or "overhead" later in its
# clause ("watches the geese pass above them", not "above all"). A stare at the ceiling or at
# nothing stays laid out.
GAZING: Final = frozenset({stem(verb) for verb in ("watch", "gaze", "stare", "look", "peer")})
GAZING_UP: Final = frozenset({"up", "upward", "upwards", "skyward", "skywards"})
UP_TOWARD: Final = frozenset({"at", "through", "into", "toward", "towards", "past", "to", "its"})
OVER_THEM: Final = frozenset({"above", "overhead"})
NOT_OVER_THEM: Final = frozenset({"all"})
BLANK_STARES: Final = frozenset({"ceiling", "nothing"})

# A beat that opens on the place and then finds its people down in it ("Rain sweeps the
# emptied stadium. Down on the pitch, Bogdan sits in the goalmouth"; "The lanterns drift up
# into the night, and beneath them on the riverbank Hoa takes Minh's hand") is the crane that
# comes down from the place into the scene (Katz): the words that find them there.
# A place follows each with an article, which "Deep in thought", "Down in the dumps" and "In
# the middle of the night" (a time) do not have or are not.
FOUND_DOWN_IN: Final = (
    ("down", "in", "the"), ("down", "in", "one"), ("down", "on", "the"), ("down", "below"),
    ("far", "below"), ("deep", "in", "the"), ("in", "the", "middle", "of", "the"),
    ("somewhere", "in", "the"), ("somewhere", "among", "the"), ("at", "the", "bottom", "of"),
    ("beneath", "them"), ("below", "them"),
)  # fmt: skip
NOT_PLACES: Final = frozenset({"dumps", "night", "day", "morning", "afternoon", "evening"})
# Where the opening about the place ends (a sentence, or a clause before a semicolon).
PLACE_ENDS: Final = frozenset({".", ";"})


def told_by_shape(context: Context, named: frozenset[int]) -> list[tuple[str, int, int]]:
    """Every staging the beat's clauses show by their shape, as (label, first word, one past
    the last); ``named`` are the places where a cast member's name ends."""
    tokens = context.tokens
    found: list[tuple[str, int, int]] = []
    for index, token in enumerate(tokens):
        if token.boundary or context.negator_before(index) is not None:
            continue
        reached: int | None = None
        label: str | None = Staging.SCAN
        if token.stem in TRACING and not followed_person(tokens, index):
            reached = _object_then(tokens, index)
            reached = _eyes_then(tokens, index) if reached is None else reached
            label = None if reached is None else vertical_word(tokens, reached)
        elif token.lower in LOWERING:
            reached, label = _aimed_lower(tokens, index), Staging.SINK
        elif _a_persons_move(token) and _done_by_someone(tokens, index, named):
            if token.lower in RISING:
                risen = _word_after(tokens, index) in RISEN_AT | {""}
                reached, label = (index if risen else None), Staging.RISE
            elif token.stem in TURNING:
                reached = _turned_toward(tokens, index)
                if reached is None and _word_after(tokens, index) == "from":
                    # "turns from the sink, and the stranger is in the doorway": the pan
                    # turns with them from what they were busy with to what is there.
                    reached = index + 1
            else:
                reached = _crossing(tokens, index)
        if reached is not None and label is not None and context.negator_before(reached) is None:
            found.append((label, index, reached + 1))
    return found + _found_down_in(tokens, named)


def looks_up_from_the_ground(tokens: Sequence[Token], lying_at: int, named: frozenset[int]) -> bool:
    """Whether the figure lying at word ``lying_at`` looks up in its sentence (``GAZING``, then
    ``GAZING_UP`` or ``OVER_THEM``): what they then see is over them. ``named`` are the places
    where a cast member's name ends; a look whose own subject is another name is not theirs."""
    start, stop = _sentence_around(tokens, lying_at)
    names = sorted(index for index in named if start <= index < stop)
    before = [index for index in names if index < lying_at]
    lier = tokens[before[-1]].lower if before else None
    for index in range(start, stop):
        if tokens[index].stem not in GAZING or not _goes_up(tokens, index):
            continue
        lookers = [at for at in names if at < index]
        looker = tokens[lookers[-1]].lower if lookers else None
        if lier is None:  # "Lying on her back, Mara watches": the lier is named after it
            lier = looker
        if looker is None or looker == lier:
            return True
    return False


def _sentence_around(tokens: Sequence[Token], index: int) -> tuple[int, int]:
    """The places of the first word of the sentence holding ``index`` and one past its last."""
    start = index
    while start > 0 and tokens[start - 1].text not in SENTENCE_ENDS:
        start -= 1
    stop = index
    while stop < len(tokens) and tokens[stop].text not in SENTENCE_ENDS:
        stop += 1
    return start, stop


def _goes_up(tokens: Sequence[Token], index: int) -> bool:
    """Whether the look at ``index`` goes up: ``GAZING_UP`` right after it, toward something,
    or ``OVER_THEM`` before its clause ends (past "and": "watches the sails fill and the gulls
    wheel above the mast"); not at the ceiling or at nothing."""
    clause = []
    for after in range(index + 1, len(tokens)):
        if tokens[after].boundary:
            break
        clause.append(tokens[after].lower)
    if BLANK_STARES & set(clause):
        return False
    if clause[:1] and clause[0] in GAZING_UP:
        return len(clause) == 1 or clause[1] in UP_TOWARD
    return any(
        word in OVER_THEM and not NOT_OVER_THEM & set(clause[place + 1 : place + 2])
        for place, word in enumerate(clause)
    )


def _found_down_in(tokens: Sequence[Token], named: frozenset[int]) -> list[tuple[str, int, int]]:
    """The place first, then its people found down in it (``FOUND_DOWN_IN``): the opening
    sentence, or the clause before ", and", names no one, and the words that find someone
    open the next and name them."""
    for index, token in enumerate(tokens):
        if not token.boundary:
            continue
        if token.text not in PLACE_ENDS and not (
            token.text == "," and _word_after(tokens, index) == "and"
        ):
            continue
        if any(place <= index for place in named) or any(t.lower in DOERS for t in tokens[:index]):
            return []
        start = index + 1 + (_word_after(tokens, index) == "and")
        words = tuple(t.lower for t in tokens[start : start + 5])
        found = next((p for p in FOUND_DOWN_IN if words[: len(p)] == p), None)
        place = _word_after(tokens, start + len(found) - 1) if found else ""
        if found is None or place in NOT_PLACES or not any(n > start for n in named):
            return []
        return [(Staging.SETTLING_OVER, start, start + len(found))]
    return []


def vertical_gaze(tokens: Sequence[Token], hit: Hit) -> str | None:
    """The look up or down the clause of a scan (``hit``) makes after it ("her eyes travel
    from his face down to the mud"), if it goes up or down. Eyes travel up a rope as well as
    up it; a follow up the stairs goes along them (``vertical_word``)."""
    along = tokens[hit.start].stem == FOLLOWING
    for index in range(hit.end, len(tokens)):
        if tokens[index].boundary:
            return None
        if tokens[index].lower in VERTICAL_GAZE:
            return vertical_word(tokens, index) if along else VERTICAL_GAZE[tokens[index].lower]
    return None


def vertical_word(tokens: Sequence[Token], index: int) -> str | None:
    """The look up or down the word at ``index`` says, if it says one: not along a path, from
    somewhere, both ways, or after "each other" ("stare each other down")."""
    way = VERTICAL_GAZE.get(tokens[index].lower)
    if way is None or _word_after(tokens, index) in NOT_A_WAY:
        return None
    return None if index and tokens[index - 1].lower in {"other", "another"} else way


def after_someone(context: Context, hit: Hit) -> bool:
    """Whether a look cue that follows something ("follow * up") follows a person ("follows
    her up the stairs"): that is a walk after them, not a look."""
    return hit.cue.label in VERTICAL_LOOKS and followed_person(context.tokens, hit.start)


def followed_person(tokens: Sequence[Token], index: int) -> bool:
    """Whether the word at ``index`` follows a person ("follows her", "follows Mara"): a walk
    after them, whichever way it goes."""
    if tokens[index].stem != FOLLOWING or index + 1 >= len(tokens):
        return False
    after = tokens[index + 1]
    return not after.boundary and (after.lower in PERSON_WORDS or after.text[:1].isupper())


def _clause_after(tokens: Sequence[Token], start: int, *, commas: bool = False) -> Iterator[int]:
    """The places of the words after ``start`` in its clause: up to punctuation (past commas
    where ``commas``) or a word that opens another clause."""
    for index in range(start + 1, len(tokens)):
        token = tokens[index]
        if commas and token.text == ",":
            continue
        if token.boundary or token.lower in CLAUSE_OPENERS:
            return
        yield index


def _word_after(tokens: Sequence[Token], index: int) -> str:
    """The word after ``index`` in its clause, or ""."""
    after = index + 1
    return tokens[after].lower if after < len(tokens) and not tokens[after].boundary else ""


def _a_persons_move(token: Token) -> bool:
    """Whether the word is one of the shapes only a person's subject makes a staging of: a
    rise, a turn, a watch."""
    return token.lower in RISING or token.stem in TURNING or token.lower in WATCHING


def _done_by_someone(tokens: Sequence[Token], index: int, named: frozenset[int]) -> bool:
    """Whether the verb at ``index`` has a person for its subject: a pronoun or the end of a
    cast member's name just before it, or before one adverb."""
    before = index - 1
    if before >= 0 and tokens[before].lower.endswith(ADVERB_SUFFIX):
        before -= 1
    return before >= 0 and (tokens[before].lower in DOERS or before in named)


def _object_then(tokens: Sequence[Token], start: int) -> int | None:
    """Where "up" or "down" comes right after the thing that is the object of the verb at
    ``start`` ("the drops", "its trunk"), if it does."""
    after = list(_clause_after(tokens, start))
    if not after or tokens[after[0]].lower not in THING_OPENERS:
        return None
    for index in after[1 : OBJECT_WORDS + 2]:
        if tokens[index].lower in VERTICAL_GAZE:
            return index
    return None


def _eyes_then(tokens: Sequence[Token], start: int) -> int | None:
    """Where "up" or "down" comes after a line followed "with his eyes", past commas but not
    into another clause ("follows it with his eyes, step by step, down to the cellar door")."""
    words = [token.lower for token in tokens]
    after = list(_clause_after(tokens, start))[:EYES_REACH]
    eyes = next((k for k in after if words[k] == "with" and words[k + 2 : k + 3] == ["eyes"]), None)
    if eyes is None:
        return None
    return next(
        (k for k in _clause_after(tokens, eyes + 2, commas=True) if words[k] in VERTICAL_GAZE),
        None,
    )


def _aimed_lower(tokens: Sequence[Token], start: int) -> int | None:
    """Where the kneel or crouch at ``start`` says it goes down to something ("to tie", "to
    Benji's height", "down beside"), if it does."""
    after = list(_clause_after(tokens, start))
    if not after or tokens[after[0]].lower not in LOWERED_FOR:
        return None
    if tokens[after[0]].lower == "to" and _word_after(tokens, after[0]) in NOT_AN_AIM | {""}:
        return None
    return after[0]


def _turned_toward(tokens: Sequence[Token], start: int) -> int | None:
    """Where the turn at ``start`` turns toward a thing or a place, with only its head, an
    adverb or what it aims between, past commas."""
    for index in _clause_after(tokens, start, commas=True):
        word = tokens[index].lower
        if word in TURN_WAYS:
            target = index + 1
            if target >= len(tokens) or tokens[target].boundary:
                return None
            person = tokens[target].lower in PERSON_WORDS or tokens[target].text[:1].isupper()
            return None if person else index
        if word not in TURN_BETWEEN:
            return None
    return None


def _crossing(tokens: Sequence[Token], start: int) -> int | None:
    """Where the watch at ``start`` sees what it watches cross the view (not over the
    watcher)."""
    for index in _clause_after(tokens, start):
        if index - start > WATCH_REACH:
            return None
        word, after = tokens[index].lower, _word_after(tokens, index)
        verb = tokens[index - 1].lower not in THING_OPENERS and not tokens[index].text[:1].isupper()
        if verb and (word in CROSSING or (word, after) in CROSSING_PAIRS):
            overhead = any(
                tokens[k].lower in OVERHEAD
                for k in range(index + 1, min(index + 1 + OVERHEAD_REACH, len(tokens)))
            )
            return None if overhead else index
    return None
