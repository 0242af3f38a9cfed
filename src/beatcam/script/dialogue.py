"""How long a line of dialogue takes to say, so a screenplay's dialogue beats carry a duration.

Screen dialogue is timed at conversational pace: about 150 words per minute, the average rate
of conversational English measured by the National Center for Voice and Speech (NCVS, "Voice
qualities", 150 wpm; film dialogue runs 150-160). A pause the writer asks for in a
parenthetical adds its own time, and no line is shorter than a breath.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WORDS_PER_MINUTE = 150.0
# Pauses a parenthetical asks for, in seconds, checked in this order (the longest first).
PAUSE_SECONDS: tuple[tuple[re.Pattern[str], float], ...] = (
    (re.compile(r"\blong(?:er)? (?:beat|pause|silence)\b", re.IGNORECASE), 3.0),
    (re.compile(r"\b(?:pause|pauses|silence)\b", re.IGNORECASE), 2.0),
    (re.compile(r"\bbeats?\b", re.IGNORECASE), 1.0),
)
# The shortest line: a single "Yes." still takes a breath and a reaction.
MIN_LINE_SECONDS = 1.0
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def word_count(text: str) -> int:
    """Words in ``text``: runs of letters or digits, with inner apostrophes and hyphens."""
    return len(_WORD.findall(text))


def pause_seconds(parenthetical: str) -> float:
    """The pause one parenthetical asks for: "(beat)" 1 s, "(pause)" 2 s, "(long pause)" 3 s."""
    for pattern, seconds in PAUSE_SECONDS:
        if pattern.search(parenthetical):
            return seconds
    return 0.0


def spoken_seconds(text: str, parentheticals: Iterable[str] = ()) -> float:
    """Seconds to say ``text`` at WORDS_PER_MINUTE, plus its pauses, at least MIN_LINE_SECONDS."""
    speaking = word_count(text) * 60.0 / WORDS_PER_MINUTE
    pauses = sum(pause_seconds(parenthetical) for parenthetical in parentheticals)
    return round(max(MIN_LINE_SECONDS, speaking + pauses), 2)
