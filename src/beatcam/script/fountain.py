"""Fountain screenplays (https://fountain.io/syntax), read with ``fountain-py``.

``fountain-py`` passed 33 of 36 cases of the Fountain syntax page (title page, boneyard,
notes, centred text, lyrics, forced elements, sections, synopses, page breaks, scene numbers,
dual dialogue, extensions); its only miss that matters here is a forced heading in a
non-Latin script (".ИНТ. КУХНЯ", ".内 台所"): it asks for an ASCII letter after the dot where
the spec asks for any character but a dot. :class:`_Parser` widens that one pattern. BOM and
line ends are handled before it, in ``limits.decode``.

Its elements become the :class:`~beatcam.script.screenplay.Event` list that
``screenplay.py`` turns into scenes. A lyric (``~``) under a character cue is sung dialogue;
a lyric paragraph of its own is heard, an action beat. ``[[set: NAME]]`` notes, which the
parser drops with the other notes, are found in the text and placed by line number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from fountain.elements import ElementType, FountainElement
from fountain.parser import FountainParser

from beatcam.errors import SceneError
from beatcam.model.scene import Scene
from beatcam.script.screenplay import Event, Kind, build_scenes, clean, set_notes

_BONEYARD = re.compile(r"/\*.*?\*/", re.DOTALL)
_KINDS = {
    ElementType.SCENE_HEADING: Kind.HEADING,
    ElementType.ACTION: Kind.ACTION,
    ElementType.CHARACTER: Kind.CUE,
    ElementType.PARENTHETICAL: Kind.PARENTHETICAL,
    ElementType.DIALOGUE: Kind.LINE,
}
# Elements that continue a dialogue block when the next line holds a lyric.
_IN_SPEECH = frozenset(
    {ElementType.CHARACTER, ElementType.PARENTHETICAL, ElementType.DIALOGUE, ElementType.LYRICS}
)


class _Parser(FountainParser):
    """fountain-py, with a forced scene heading in any script (see module doc)."""

    FORCED_SCENE_HEADING_PATTERN = re.compile(r"^\.(?![.\s])")


def parse_fountain(text: str, source: str) -> tuple[Scene, ...]:
    """Scenes of a Fountain screenplay, in order; refuses one with no scene to plan."""
    try:
        document = _Parser().parse(text)
    except RecursionError as exc:
        raise SceneError("the screenplay is nested too deeply to read", source) from exc
    film = clean(str(document.metadata.get("title", ""))) or None
    events = _merge_by_line(_events(document.elements), _set_events(text))
    return build_scenes(events, film, source)


def _events(elements: Iterable[FountainElement]) -> Iterator[tuple[int, Event]]:
    """(line number, event) for each element, dual dialogue unfolded into its two blocks."""
    previous: FountainElement | None = None
    for element in elements:
        if element.type is ElementType.DUAL_DIALOGUE:
            left, right = element.dual_dialogue_columns()
            yield from _events(left)
            yield from _events(right)
            previous = None
            continue
        line = element.line_number
        if element.type is ElementType.LYRICS:
            sung = previous is not None and previous.type in _IN_SPEECH
            sung = sung and previous is not None and line == previous.line_number + 1
            yield line, Event(Kind.LINE if sung else Kind.ACTION, element.text)
        else:
            kind = _KINDS.get(element.type, Kind.BREAK)
            dual = bool(element.metadata.get("dual_dialogue"))
            yield line, Event(kind, _as_written(element), dual=kind is Kind.CUE and dual)
        previous = element


def _as_written(element: FountainElement) -> str:
    """An element's text; a cue's with the extensions the parser lifts off it ("TOM (O.S.)")."""
    extension = element.metadata.get("extension")
    return f"{element.text} ({extension})" if extension else element.text


def _set_events(text: str) -> Iterator[tuple[int, Event]]:
    """(line number, SET event) for each ``[[set: NAME]]`` note outside the boneyard."""
    visible = _BONEYARD.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), text)
    for line_number, line in enumerate(visible.split("\n"), start=1):
        for name in set_notes(line):
            yield line_number, Event(Kind.SET, name)


def _merge_by_line(*streams: Iterable[tuple[int, Event]]) -> list[Event]:
    """Events of several streams in line order (a stable sort keeps each stream's order)."""
    numbered = [item for stream in streams for item in stream]
    numbered.sort(key=lambda item: item[0])
    return [event for _, event in numbered]
