"""Who is in a scene: names from a ``Cast:`` line, and names guessed from the beats.

Guessing is deliberately simple and explainable: a name is a capitalised word that is not a
common capitalised word (pronouns, articles, sentence adverbs, days, months, ...) and either
appears capitalised inside a sentence, or starts two sentences and is never written in lower
case. "Mara opens the letter." alone names nobody; "Mara opens it. Mara reads." names Mara.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from beatcam.errors import SceneError
from beatcam.model.scene import Character

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+|-[^\W\d_]+)*")
POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_ABBREVIATIONS = r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bMrs)(?<!\bSgt)(?<!\bLt)"
_SENTENCE_END = re.compile(_ABBREVIATIONS + r"[.!?…]+[\"'”’)\]]*\s+")
_NAME_SEPARATORS = re.compile(r"\s*(?:[,;&]|\band\b)\s*", re.IGNORECASE)
# A word only seen starting sentences must start this many before it counts as a name.
SENTENCE_START_REPEATS = 2

_STOP_WORDS_TEXT = """
    i me my mine myself you your yours he him his himself she her hers herself it its itself
    we us our ours they them their theirs themselves one someone somebody something everyone
    everybody everything nobody nothing anyone anything no yes not
    the a an this that these those there here then now when where while why how what who whom
    which whose as and but or so yet nor if though although because since until unless once
    again still only even just also too very all both each every some many few most more less
    other another such same
    at in on of for with without from to by into onto over under after before during between
    through across behind beside beyond above below near inside outside around against along
    up down off out away back toward towards upon within
    suddenly slowly quickly quietly finally later meanwhile soon instantly eventually silently
    gently carefully abruptly nearby somewhere elsewhere together alone
    perhaps maybe almost never always sometimes first next last
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    mr mrs ms miss dr sir madam mister st sgt lt captain
    ok okay oh ah hey hello goodbye please thanks sorry god
    int ext day night morning evening afternoon dawn dusk midnight noon silence darkness
    """
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def split_names(value: str) -> list[str]:
    """Names from a ``Cast:`` line: separated by commas, semicolons, '&' or 'and'."""
    return [name for name in _NAME_SEPARATORS.split(value.strip()) if name]


def named_cast(names: Iterable[str], source: str) -> tuple[Character, ...]:
    """Characters for an explicit list of names; refuses duplicates."""
    return unique_cast((Character(name=name) for name in names), source)


def unique_cast(cast: Iterable[Character], source: str) -> tuple[Character, ...]:
    """``cast`` as a tuple, refusing a name given twice (case-insensitive)."""
    characters = tuple(cast)
    seen: set[str] = set()
    for character in characters:
        key = character.name.casefold()
        if key in seen:
            raise SceneError(
                f"cast names {character.name!r} twice; list each character once", source
            )
        seen.add(key)
    return characters


def words(text: str) -> list[str]:
    """The words of ``text`` in order, possessives dropped ("Mara's" -> "Mara")."""
    return [POSSESSIVE.sub("", match.group()) for match in _WORD.finditer(text)]


def infer_cast(texts: Sequence[str]) -> tuple[Character, ...]:
    """Characters guessed from beat texts, in order of first appearance (see module doc)."""
    order: dict[str, None] = {}
    inside: set[str] = set()
    starts: dict[str, int] = {}
    lowercase: set[str] = set()
    for text in texts:
        for sentence in _SENTENCE_END.split(text):
            for position, word in enumerate(words(sentence)):
                if not word[0].isupper():
                    lowercase.add(word.casefold())
                    continue
                if word.casefold() in STOP_WORDS or (len(word) > 1 and word.isupper()):
                    continue
                order.setdefault(word, None)
                if position == 0:
                    starts[word] = starts.get(word, 0) + 1
                else:
                    inside.add(word)
    return tuple(
        Character(name=word)
        for word in order
        if word in inside
        or (starts.get(word, 0) >= SENTENCE_START_REPEATS and word.casefold() not in lowercase)
    )
