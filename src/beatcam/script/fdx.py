"""Final Draft screenplays (``.fdx``): XML read into the same scenes as Fountain.

A Final Draft file is ``<FinalDraft><Content>`` holding ``<Paragraph Type="...">`` elements,
each with ``<Text>`` runs (one per change of style) that join into its text. Dual dialogue is
a paragraph holding ``<DualDialogue>`` with the two blocks' paragraphs inside; the second cue
in it is spoken at the same time as the first. The film's title is the first line of the
``<TitlePage>``. A Shot paragraph is a shot heading within its scene (``screenplay.py``).
Paragraph types other than those in ``_KINDS`` (Transition, Cast List, act breaks) end a
dialogue block and are not beats.

The XML is parsed with ``defusedxml``, refusing any DTD, so entity expansion ("billion
laughs") and external entities cannot run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from beatcam.errors import SceneError
from beatcam.model.scene import Scene
from beatcam.script.limits import fold
from beatcam.script.screenplay import Event, Kind, build_scenes, clean, set_notes

_KINDS = {
    "Scene Heading": Kind.HEADING,
    "Shot": Kind.SHOT,
    "Action": Kind.ACTION,
    "General": Kind.ACTION,
    "Character": Kind.CUE,
    "Parenthetical": Kind.PARENTHETICAL,
    "Dialogue": Kind.LINE,
    "Lyrics": Kind.LINE,
}


def parse_fdx(text: str, source: str) -> tuple[Scene, ...]:
    """Scenes of a Final Draft screenplay, in order; refuses XML that is not one."""
    root = _root(text, source)
    content = root.find("Content")
    if root.tag != "FinalDraft" or content is None:
        raise SceneError(
            f"not a Final Draft screenplay (root <{root.tag}>, expected <FinalDraft> with "
            "<Content>); export the script again as .fdx",
            source,
        )
    title_page = root.find("TitlePage")
    film = None if title_page is None else _first_line(title_page.iter("Paragraph"))
    return build_scenes(_events(content.findall("Paragraph")), film, source)


def _root(text: str, source: str) -> Element:
    try:
        root: Element = fromstring(text, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise SceneError(
            "the Final Draft file declares a DTD or entities, which are refused for safety; "
            "export the script again as .fdx",
            source,
        ) from exc
    except ParseError as exc:
        line, column = exc.position
        raise SceneError(
            f"malformed Final Draft XML at line {line}, column {column + 1}; "
            "export the script again as .fdx",
            source,
        ) from exc
    return root


def _events(paragraphs: Iterable[Element], dual_block: bool = False) -> Iterator[Event]:
    cues = 0
    for paragraph in paragraphs:
        dual = paragraph.find("DualDialogue")
        if dual is not None:
            yield from _events(dual.findall("Paragraph"), dual_block=True)
            yield Event(Kind.BREAK)
            continue
        text = _text(paragraph)
        kind = _KINDS.get(paragraph.get("Type", ""), Kind.BREAK)
        cues += kind is Kind.CUE
        yield Event(kind, text, dual=dual_block and kind is Kind.CUE and cues > 1)
        for name in set_notes(text):
            yield Event(Kind.SET, name)


def _text(paragraph: Element) -> str:
    """The paragraph's text: its ``<Text>`` runs joined, as written."""
    return "".join(run.text or "" for run in paragraph.findall("Text"))


def _first_line(paragraphs: Iterable[Element]) -> str | None:
    for paragraph in paragraphs:
        line = clean(fold(_text(paragraph)))
        if line:
            return line
    return None
