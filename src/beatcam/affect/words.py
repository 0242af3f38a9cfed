"""Tokens and stems: the one way beat text and word lists are turned into comparable keys.

Both the word lists and the beat text go through :func:`stem`, so "realises", "realised",
"realising", "realize" and "realise" all meet at one key without a dictionary or a model.
The stem is a matching key, not a word: "realise" becomes "realis".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

# A word is a run of letters with optional inner apostrophes (don't, Mara's); a boundary is
# punctuation that ends a clause, which stops negation and intensifier windows.
_TOKEN_RE: Final = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|[.,;:!?()\"\u2014\u2013]|\s-\s")
_APOSTROPHES: Final = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_VOWELS: Final = frozenset("aeiouy")
# Shortest stem a suffix may leave, so "bed", "sing" and "only" stay whole.
_MIN_STEM: Final = 2
_MIN_STEM_LY: Final = 3
_POSSESSIVE: Final = "'s"
_PATTERN_MARKS: Final = frozenset("*@=$")
# Words that join clauses, where a clause's subject, a negation's reach and a shape's words
# end ("Tom glances at the clock and gets up").
CONJUNCTIONS: Final = frozenset({"and", "but", "while", "as", "when", "then", "so", "because"})
# Punctuation after which a sentence starts over: "... and is gone; Kite stops" has a new subject.
SENTENCE_ENDS: Final = frozenset({".", "!", "?", ";", ":"})
# The ending of most adverbs of manner ("slowly", "quietly"), which may stand between a subject
# and its verb.
ADVERB_SUFFIX: Final = "ly"
_PURE_VOWELS: Final = frozenset("aeiou")
_NO_SHORT_END: Final = frozenset("wxy")
_CVC: Final = 3
STEM_CACHE_SIZE: Final = 65536

# Irregular past forms mapped to the base form before suffix rules run.
_IRREGULAR: Final = {
    "ran": "run",
    "fled": "flee",
    "fell": "fall",
    "fallen": "fall",
    "stood": "stand",
    "sat": "sit",
    "saw": "see",
    "seen": "see",
    "found": "find",
    "knew": "know",
    "known": "know",
    "struck": "strike",
    "held": "hold",
    "died": "die",
    "dies": "die",
    "dying": "die",
    "lied": "lie",
    "lies": "lie",
    "lying": "lie",
    "tied": "tie",
    "ties": "tie",
    "tying": "tie",
    "went": "go",
    "goes": "go",
    "gone": "go",
    "came": "come",
    "took": "take",
    "taken": "take",
    "threw": "throw",
    "thrown": "throw",
    "fought": "fight",
    "caught": "catch",
    "wept": "weep",
    "froze": "freeze",
    "frozen": "freeze",
    "shook": "shake",
    "shaken": "shake",
    "rose": "rise",
    "risen": "rise",
    "drove": "drive",
    "spoke": "speak",
    "told": "tell",
    "said": "say",
    "thought": "think",
    "understood": "understand",
    "won": "win",
    "hid": "hide",
    "hidden": "hide",
    "crept": "creep",
    "slept": "sleep",
    "swept": "sweep",
    "felt": "feel",
    "broke": "break",
    "broken": "break",
    "sank": "sink",
    "sunk": "sink",
    "spun": "spin",
    "swung": "swing",
    "stole": "steal",
    "stolen": "steal",
    "tore": "tear",
    "torn": "tear",
    "woke": "wake",
    "woken": "wake",
    "bit": "bite",
    "bitten": "bite",
    "clung": "cling",
    "knelt": "kneel",
    "leapt": "leap",
    "lit": "light",
    "slid": "slide",
    "sprang": "spring",
    "stung": "sting",
    "strode": "stride",
    "swore": "swear",
    "sworn": "swear",
    "wore": "wear",
    "hung": "hang",
    "led": "lead",
    "lost": "lose",
    "met": "meet",
    "kept": "keep",
    "dealt": "deal",
    "meant": "mean",
    "men": "man",
    "women": "woman",
    "children": "child",
    "knives": "knife",
    "wives": "wife",
    "lives": "life",
    "shelves": "shelf",
    "wolves": "wolf",
    "leaves": "leave",
}
# American spellings mapped to the British ones the word lists use.
_SPELLING: Final = {
    "gray": "grey",
    "color": "colour",
    "honor": "honour",
    "armor": "armour",
    "humor": "humour",
    "rumor": "rumour",
    "favor": "favour",
    "clamor": "clamour",
    "center": "centre",
    "theater": "theatre",
    "somber": "sombre",
    "traveled": "travelled",
    "traveling": "travelling",
    "canceled": "cancelled",
    "marveled": "marvelled",
    "marveling": "marvelling",
}
_IZE_RE: Final = re.compile(r"(?<=[a-z]{2})(iz|yz)(e|es|ed|ing|ation|ations)$")
# Suffix rules, tried in order; the first that leaves a long enough stem with a vowel wins.
_SUFFIXES: Final = (
    ("iness", "y"),
    ("ness", ""),
    ("ies", "y"),
    ("ied", "y"),
    ("ily", "y"),
    ("ing", ""),
    ("ed", ""),
    ("s", ""),
    ("ly", ""),
)
# Endings a rule must leave alone: "kiss" is no plural, "bleed" no past tense, "reply" no adverb.
_KEEP_ENDINGS: Final = {
    "s": ("ss", "us", "is"),
    "ed": ("eed",),
    "ly": ("reply", "apply", "supply", "imply", "comply"),
}
_UNDOUBLE_AFTER: Final = frozenset({"ing", "ed"})
_NO_UNDOUBLE: Final = frozenset("lsz")


@dataclass(frozen=True)
class Token:
    """One word or clause boundary of a beat. ``lower`` is the case-folded word without a
    possessive "'s"; ``stem`` the matching key; ``start``/``end`` index the original text."""

    text: str
    lower: str
    stem: str
    start: int
    end: int
    boundary: bool = False


def _spelling(word: str) -> str:
    word = _SPELLING.get(word, word)
    return _IZE_RE.sub(lambda m: ("is" if m.group(1) == "iz" else "ys") + m.group(2), word)


def _strip_suffix(word: str) -> tuple[str, str]:
    """(stem, suffix removed); rules need a vowel in what is left, as Porter's stemmer does."""
    for suffix, replacement in _SUFFIXES:
        if not word.endswith(suffix) or word.endswith(_KEEP_ENDINGS.get(suffix, ())):
            continue
        base = word[: -len(suffix)]
        shortest = _MIN_STEM_LY if suffix == "ly" else _MIN_STEM
        if len(base) >= shortest and _VOWELS.intersection(base + replacement):
            return base + replacement, suffix
    return word, ""


def _consonant(word: str, at: int) -> bool:
    """Porter's consonant: not a vowel, and "y" only when it follows a vowel or starts."""
    letter = word[at]
    if letter in _PURE_VOWELS:
        return False
    return letter != "y" or at == 0 or not _consonant(word, at - 1)


def _measure(word: str) -> int:
    """Porter's m: how many vowel-consonant runs the word has ("tr-ee" 0, "hat" 1, "realis" 2)."""
    shape = "".join("c" if _consonant(word, at) else "v" for at in range(len(word)))
    return shape.count("vc")


def _short_syllable(word: str) -> bool:
    """Porter's *o: ends consonant-vowel-consonant, the last not w, x or y ("hat", "mov")."""
    return (
        len(word) >= _CVC
        and _consonant(word, len(word) - 3)
        and not _consonant(word, len(word) - 2)
        and _consonant(word, len(word) - 1)
        and word[-1] not in _NO_SHORT_END
    )


@lru_cache(maxsize=STEM_CACHE_SIZE)
def stem(word: str) -> str:
    """The matching key of one word (lower-case letters in, key out).

    After a suffix comes off, Porter's rules decide about a final "e", so "hate", "hates" and
    "hating" share "hate" while "hat" stays "hat", and "realise"/"realising" share "realis".
    """
    word = _spelling(word.lower())
    word = _IRREGULAR.get(word, word)
    base, suffix = _strip_suffix(word)
    if suffix in _UNDOUBLE_AFTER:
        if (
            len(base) > _MIN_STEM + 1
            and base[-1] == base[-2]
            and base[-1] not in _NO_UNDOUBLE
            and _consonant(base, len(base) - 1)
        ):
            base = base[:-1]
        elif _measure(base) == 1 and _short_syllable(base):
            base += "e"
    if base.endswith("e"):
        shorter = base[:-1]
        measure = _measure(shorter)
        if measure > 1 or (measure == 1 and not _short_syllable(shorter)):
            base = shorter
    return base


def stem_phrase(phrase: str) -> tuple[str, ...]:
    """Stems of a word-list entry; pattern parts ("*", "@dir", "=word", "$") pass through."""
    return tuple(part if part[0] in _PATTERN_MARKS else stem(part) for part in phrase.split())


def tokenize(text: str) -> tuple[Token, ...]:
    """Words and clause boundaries of ``text`` in order, with their places in the text."""
    normal = text.translate(_APOSTROPHES)
    tokens: list[Token] = []
    for match in _TOKEN_RE.finditer(normal):
        raw = match.group(0)
        if not raw[0].isalpha():
            tokens.append(Token(raw, raw.strip(), raw.strip(), match.start(), match.end(), True))
            continue
        lower = raw.lower()
        if lower.endswith(_POSSESSIVE) and len(lower) > len(_POSSESSIVE):
            lower = lower[: -len(_POSSESSIVE)]
        tokens.append(Token(raw, lower, stem(lower), match.start(), match.end()))
    return tuple(tokens)
