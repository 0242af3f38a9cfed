"""Fountain screenplays: one Scene per scene heading, read through ``fountain-parser``'s AST.

Action paragraphs are beats; dialogue is not. The cast of a scene is everyone who speaks in it
(character cues), everyone introduced in ALL CAPS in its action (the screenplay convention for
a first appearance), and anyone known from elsewhere in the screenplay who is named in its
action ("Mara" in scene 2 after "MARA" in scene 1). Elements before the first heading and the
title page are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import fountain_parser as fp

from beatcam.errors import SceneError
from beatcam.model.scene import Beat, Character, Scene
from beatcam.script.cast import words
from beatcam.script.limits import beat_text, check_beat_count, fold
from beatcam.script.sets import guess_set

_CAPS_RUN = re.compile(r"\b[A-Z][A-Z'’-]*[A-Z](?:\s+[A-Z][A-Z'’-]*[A-Z])*\b")
_POSSESSIVE = re.compile(r"['’]S$")
_NOTE = re.compile(r"\[\[.*?\]\]", re.DOTALL)
_EMPHASIS = re.compile(r"(\*{1,3}|_)(?=\S)(.+?)(?<=\S)\1")
_EXTENSION = re.compile(r"\s*\([^)]*\)\s*$")
# Longest run of capitalised words read as one name ("DETECTIVE ANA RUIZ").
MAX_NAME_WORDS = 3
# Words screenplays put in capitals that are not people: sounds, camera and scene terms.
_CAPS_STOP_WORDS_TEXT = """
    INT EXT EST CONT'D CONTD CONTINUED CONTINUOUS MORE DAY NIGHT MORNING EVENING DAWN DUSK LATER
    SAME TIME MOMENTS FADE CUT DISSOLVE SMASH MATCH TO IN OUT BLACK THE END TITLE SUPER OVER
    POV ANGLE CLOSE WIDE SHOT INSERT BACK FLASHBACK MONTAGE SERIES OF SHOTS INTERCUT O.S V.O OS VO
    ON AT AND OR A AN WE YOU HE SHE IT THEY NO YES OK OKAY TV PC DVD USA UK FBI CIA NYPD
    BANG BOOM CRASH THUD THUMP SLAM SLAMS RING RINGS RINGING KNOCK KNOCKS KNOCKING CLICK CLICKS
    BEEP BEEPS BUZZ BUZZES SCREAM SCREAMS SHATTER SHATTERS SMASHES CREAK CREAKS HISS HISSES
    SNAP SNAPS WHOOSH ROAR ROARS GUNSHOT GUNSHOTS SIREN SIRENS STOP HELP GO NOW RUN
    """
CAPS_STOP_WORDS = frozenset(_CAPS_STOP_WORDS_TEXT.split())


def parse_fountain(text: str, source: str) -> tuple[Scene, ...]:
    """Scenes of a Fountain screenplay, in order; refuses one with no scene heading."""
    screenplay = fp.parse(text)
    scenes = [scene for scene in screenplay.scenes if scene.heading is not None]
    if not scenes:
        raise SceneError(
            "no scene headings; start each scene with a line like 'INT. KITCHEN - NIGHT'",
            source,
        )
    known = _known_names(scenes)
    return tuple(
        _scene(scene, number, source, known) for number, scene in enumerate(scenes, start=1)
    )


def _scene(scene: fp.Scene, number: int, source: str, known: Mapping[str, str]) -> Scene:
    title = fold(scene.heading.text) or f"Scene {number}"
    where = f"{source} scene {number} ({title})"
    paragraphs = [_clean(action.text) for action in scene.actions if not action.is_centered]
    paragraphs = [paragraph for paragraph in paragraphs if paragraph]
    if not paragraphs:
        raise SceneError(
            "the scene has no action paragraphs (dialogue is not a beat); "
            "describe what happens in an action line",
            where,
        )
    check_beat_count(len(paragraphs), where)
    beats = tuple(
        Beat(index=index, text=beat_text(paragraph, index, where))
        for index, paragraph in enumerate(paragraphs)
    )
    return Scene(
        title=title,
        cast=tuple(Character(name=name) for name in _scene_cast(scene, known)),
        beats=beats,
        set_preset=guess_set(title),
    )


def _clean(action: str) -> str:
    """Action text without Fountain markup: notes, emphasis and a forcing '!'."""
    text = _EMPHASIS.sub(r"\2", _NOTE.sub(" ", action))
    return fold(text.removeprefix("!"))


def cue_name(raw: str) -> str:
    """A cast name from a character cue: "MARA (V.O.)" -> "Mara"."""
    while _EXTENSION.search(raw):
        raw = _EXTENSION.sub("", raw)
    return fold(raw.lstrip("@").rstrip("^")).title()


def caps_names(action: str) -> list[str]:
    """Names introduced in capitals in an action paragraph, title-cased, in order."""
    names: list[str] = []
    for match in _CAPS_RUN.finditer(action):
        run = [_POSSESSIVE.sub("", word) for word in match.group().split()]
        while run and run[-1].strip(".") in CAPS_STOP_WORDS:
            run.pop()
        while run and run[0].strip(".") in CAPS_STOP_WORDS:
            run.pop(0)
        if run and len(run) <= MAX_NAME_WORDS:
            names.append(" ".join(run).title())
    return names


def _known_names(scenes: Iterable[fp.Scene]) -> dict[str, str]:
    """Everyone the screenplay introduces, by cue or in capitals, keyed for _scene_cast."""
    names: dict[str, None] = {}
    for scene in scenes:
        for element in scene.elements:
            if isinstance(element, fp.Character):
                names.setdefault(cue_name(element.name), None)
            elif isinstance(element, fp.Action):
                names.update(dict.fromkeys(caps_names(_clean(element.text))))
    names.pop("", None)
    known: dict[str, str] = {}
    for name in names:
        key = " ".join(words(name))
        known[key] = known[key.upper()] = name
    return known


def _scene_cast(scene: fp.Scene, known: Mapping[str, str]) -> list[str]:
    """Names present in one scene: its cues, and known names its action mentions.

    ``known`` maps each known name, its words joined by spaces as written and in capitals, to
    the name; runs of up to MAX_NAME_WORDS words are looked up in it, so the cost grows with
    the text, not with text times cast.
    """
    cast: dict[str, None] = {}
    for element in scene.elements:
        if isinstance(element, fp.Character):
            cast.setdefault(cue_name(element.name), None)
        elif isinstance(element, fp.Action):
            found = words(_clean(element.text))
            for start in range(len(found)):
                for end in range(start + 1, min(start + MAX_NAME_WORDS, len(found)) + 1):
                    mention = known.get(" ".join(found[start:end]))
                    if mention is not None:
                        cast.setdefault(mention, None)
    cast.pop("", None)
    return list(cast)
