"""What is read is shown: a beat that quotes words written on something (``shown_words``, the
affect stage's ``read_text`` staging) is covered by an insert of what they are written on, as
the books cover written matter (Thompson & Bowen, Katz: the insert lets the audience read it
as the character does).

Words on a page or a screen in someone's hand (a phone whose screen reads, a letter) are
framed in that hand: the insert is of whoever holds it (``camera/framing.py`` frames a held
prop). Words that no prop named beside them carries are on a sign (a board at eye height
stands for any sign, notice or screen the set lacks): the set is dressed with one before the
scene is blocked, so no one walks through it (``dressing``), and the insert shows it
(``ShotSpec.shows``), not the reader's empty hands.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from beatcam.direct.poses import beat_words
from beatcam.direct.props import prop_words
from beatcam.model import Affect, PlannedBeat, Prop
from beatcam.model.vocab import Staging

SIGN: Final = "sign"
# The grey-box props (model/props.py) that carry words: a page, a screen, a cover, a print.
WRITTEN_ON: Final = frozenset({"letter", "envelope", "photo", "book", "phone"})


def _names_a_page(text: str) -> bool:
    """Whether ``text`` names a prop that carries words (a letter, a phone, ...)."""
    kinds = prop_words().kinds
    return any(kinds.get(word) in WRITTEN_ON for word in beat_words(text))


def needs_a_sign(affects: Sequence[Affect], acted: Sequence[str]) -> bool:
    """Whether a beat shows words that no prop named in it or in the line before carries
    (``acted``: each beat's words that act, ``scene.acted_texts``)."""
    return any(
        Staging.READ_TEXT in affect.stagings
        and not _names_a_page(acted[index])
        and not (index and _names_a_page(acted[index - 1]))
        for index, affect in enumerate(affects)
    )


@dataclass(frozen=True)
class WordsRead:
    """Who holds the words a beat shows, in their hand as it ends (None: no one, so they are
    on a sign)."""

    holder: str | None


def words_read(
    affects: Sequence[Affect], beats: Sequence[PlannedBeat], props: Sequence[Prop]
) -> tuple[WordsRead | None, ...]:
    """Per beat, the words it shows and who holds them (None where it shows none): the first
    of the beat's people with a prop that carries words in hand, else the first of anyone's
    ("His screen reads:" names no one)."""
    read: list[WordsRead | None] = []
    for affect, beat in zip(affects, beats, strict=True):
        if Staging.READ_TEXT not in affect.stagings:
            read.append(None)
            continue
        last = beat.start_frame + beat.frames - 1  # the words come last ("... It reads:")
        holders = [
            prop.holder[last]
            for prop in props
            if prop.name in WRITTEN_ON and prop.holder[last] is not None
        ]
        people = [name for name in affect.characters if name in holders]
        read.append(WordsRead(next(iter(people or holders), None)))
    return tuple(read)
