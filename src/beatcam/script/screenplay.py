"""Scenes from a screenplay, whichever format it came in (Fountain, Final Draft).

A format reader turns its file into a flat list of :class:`Event` in script order; this
module groups them into scenes (one per heading), dialogue blocks (a cue, its parentheticals
and lines) and beats, names the cast (``characters.py``), times dialogue (``dialogue.py``)
and chooses each scene's set: the heading's words, or a ``[[set: NAME]]`` note in the scene.

Text before the first heading is not part of any scene. A heading with neither action nor
dialogue under it (a lone slug, a montage title) is skipped; a script left with no scene is
refused with one line.

A shot heading (a secondary heading: "THE MAZDA", "AT THE DOOR") is a new shot of the scene it
is in, not a new scene. Final Draft marks it (a Shot paragraph); Fountain has only its forced
heading, so a forced heading that is not a master one (INT., EXT., ...) and runs on into action
that continues its sentence ("THE MAZDA" / "begins to roll down the hill.") is read as one
(``_shot_headings``). When the action runs on from a shot heading, the heading's words begin
its beat, which would otherwise lose its subject; they name no one new, being in capitals
whatever they name. A shot heading before any scene's starts the first, as a heading would.

A line cued (O.S.), (O.C.) or (OFF) is heard, not seen (``Beat.unseen``); so is a voice-over
(V.O.) by someone the scene's action does not name (a narrator; a voice-over by someone it
names is their thought, on their face), and the far end of an intercut: after an intercut
direction (a transition, "> INTERCUT WITH:", or a line of action saying only that, "INTERCUT -
PHONE CALL", which is no beat), someone of the scene before who speaks in the scene the next
beat is in, and is named in none of its action, is on the other end of the line. beatcam
stages one place a scene, so it shoots this side of the call and hears the other. A voice only
heard is not on the set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from itertools import pairwise

from beatcam.errors import SceneError
from beatcam.model.scene import Beat, Character, Scene
from beatcam.script.characters import (
    Casting,
    action_names,
    cue_name,
    heard_off_screen,
    voice_over,
)
from beatcam.script.dialogue import spoken_seconds
from beatcam.script.limits import beat_text, check_beat_count, fold
from beatcam.script.sets import guess_set, set_named

NO_SCENES = (
    "no scene headings with action or dialogue under them; "
    "start each scene with a line like 'INT. KITCHEN - NIGHT'"
)
SET_NOTE = re.compile(r"\[\[\s*set\s*:\s*(.*?)\s*\]\]", re.IGNORECASE | re.DOTALL)
_NOTE = re.compile(r"\[\[.*?\]\]", re.DOTALL)
# What the writer addresses to the reader at the head of an action paragraph ("**NOTE: We will
# call this character a 'he' just for convenience.**", "Note: the production values don't have
# to be great"): nothing happens on screen, so it is no beat and takes no screen time. A note
# emphasised over several lines (whose marks the Fountain reader keeps) runs to its closing
# mark, any other to the end of its line; what follows it is action.
_WRITERS_NOTE = re.compile(
    r"^\s*(?:(\*{1,3}|_)\s*note\s*:.*?\1|note\s*:[^\n]*)", re.IGNORECASE | re.DOTALL
)
_EMPHASIS = re.compile(r"(\*{1,3}|_)(?=\S)(.+?)(?<=\S)\1")
_ESCAPE = re.compile(r"\\([*_\\])")
_PARENTHESES = re.compile(r"^\s*\((.*)\)\s*$", re.DOTALL)
# A master scene heading's prefix, as Fountain defines one (https://fountain.io/syntax).
_MASTER_HEADING = re.compile(r"(?:INT|EXT|EST|I/E|INT/EXT|INT\./EXT)(?:\s*\.|\s)", re.IGNORECASE)
_FIRST_WORD_CHARACTER = re.compile(r"[^\W_]")
# A direction that cuts between two places as one scene: a transition ("> INTERCUT WITH:") or a
# line of action that says only that ("INTERCUT - PHONE CALL", "INTERCUT WITH:").
_INTERCUT = re.compile(r"\bINTERCUT\b", re.IGNORECASE)
_INTERCUT_LINE = re.compile(r"INTERCUT\b[^a-z.!?]{0,60}")


class Kind(Enum):
    """What one piece of a screenplay is, as far as beats are concerned."""

    HEADING = "heading"  # starts a scene; text is the heading
    SHOT = "shot"  # a shot heading inside a scene; text is the heading
    ACTION = "action"  # a beat of action
    CUE = "cue"  # starts a dialogue block; text is the cue as written ("MARA (V.O.)")
    PARENTHETICAL = "parenthetical"  # inside a dialogue block, with or without "( )"
    LINE = "line"  # spoken or sung words of the current dialogue block
    SET = "set"  # a set preset named by a note; text is the name
    BREAK = "break"  # anything else (transition, centred text, section): ends a block


@dataclass(frozen=True)
class Event:
    """One piece of a screenplay. ``dual`` marks a cue spoken at the same time as the last."""

    kind: Kind
    text: str = ""
    dual: bool = False


def clean(text: str) -> str:
    """Text without Fountain markup (notes, nested emphasis, escapes), on one line."""
    text = _NOTE.sub(" ", text)
    while (plain := _EMPHASIS.sub(r"\2", text)) != text:
        text = plain
    return fold(_ESCAPE.sub(r"\1", text))


def set_notes(text: str) -> list[str]:
    """The preset names of the ``[[set: NAME]]`` notes in ``text``, in order."""
    return [match.group(1) for match in SET_NOTE.finditer(text)]


@dataclass(frozen=True)
class _Action:
    """An action paragraph, and the shot heading it runs on from ("" when none)."""

    text: str
    shot: str = ""

    @property
    def beat(self) -> str:
        """The beat's words: the shot heading's, then the paragraph's."""
        return f"{self.shot} {self.text}" if self.shot else self.text


@dataclass
class _Speech:
    cue: str
    dual: bool
    unseen: bool = False  # cued off screen
    over: bool = False  # cued as a voice-over
    parentheticals: list[str] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


@dataclass
class _Draft:
    """One scene while it is read: its heading, ordered action texts and speeches, set note."""

    number: int
    heading: str
    parts: list[_Action | _Speech] = field(default_factory=list)
    set_word: str | None = None
    intercut: bool = False  # cut together with the scene before (an intercut direction)


def build_scenes(events: Iterable[Event], film: str | None, source: str) -> tuple[Scene, ...]:
    """Scenes of a screenplay read as ``events`` (see module doc); ``film`` is its title."""
    drafts = _drafts(_shot_headings(events))
    casting = Casting(_names(drafts), _texts(drafts))
    scenes: list[Scene] = []
    for draft in drafts:
        if any(_beat_parts(draft)):
            far = _people(scenes[-1]) if draft.intercut and scenes else frozenset()
            scenes.append(_scene(draft, casting, film, source, far))
    if not scenes:
        raise SceneError(NO_SCENES, source)
    return tuple(scenes)


def _people(scene: Scene) -> frozenset[str]:
    """Everyone of a scene: its cast and whoever speaks in it, seen or heard."""
    speakers = (beat.speaker for beat in scene.beats if beat.speaker is not None)
    return frozenset((*(character.name for character in scene.cast), *speakers))


def _shot_headings(events: Iterable[Event]) -> list[Event]:
    """``events`` with each heading that is not a master heading and runs on into the action
    after it read as a shot heading (see module doc)."""
    return [
        Event(Kind.SHOT, event.text)
        if event.kind is Kind.HEADING
        and not _MASTER_HEADING.match(clean(event.text))
        and following is not None
        and _runs_on(following)
        else event
        for event, following in pairwise([*events, None])
        if event is not None
    ]


def _runs_on(event: Event) -> bool:
    """Whether ``event`` is action continuing a sentence begun before it: its first letter or
    digit is a small letter ("begins to roll down the hill.", "...and lowers his guns", not
    "20 soldiers march in.")."""
    first = _FIRST_WORD_CHARACTER.search(clean(event.text))
    return event.kind is Kind.ACTION and first is not None and first.group().islower()


def _intercut(event: Event) -> bool:
    """Whether ``event`` directs an intercut: a transition naming it, or a line of action that
    is only that direction, in capitals."""
    if event.kind is Kind.BREAK:
        return bool(_INTERCUT.search(event.text))
    return event.kind is Kind.ACTION and bool(_INTERCUT_LINE.fullmatch(clean(event.text)))


def _drafts(events: Iterable[Event]) -> list[_Draft]:
    drafts: list[_Draft] = []
    speech: _Speech | None = None
    shot: str | None = None  # the shot heading the next action may run on from
    # An intercut direction came: the scene the next beat is in is cut with the one before.
    intercut = False
    for event in events:
        if event.kind is Kind.HEADING or (event.kind is Kind.SHOT and not drafts):
            number = len(drafts) + 1
            drafts.append(_Draft(number=number, heading=clean(event.text), intercut=intercut))
            speech, shot = None, event.text if event.kind is Kind.SHOT else None
            intercut = False
            continue
        if _intercut(event):
            speech, intercut = None, True
            continue
        if not drafts:
            continue
        draft = drafts[-1]
        if event.kind is Kind.SHOT:
            speech, shot = None, event.text
            continue
        if event.kind in (Kind.ACTION, Kind.CUE):
            draft.intercut, intercut = draft.intercut or intercut, False
        if event.kind is Kind.ACTION:
            draft.parts.append(_Action(event.text, shot if shot and _runs_on(event) else ""))
            speech = None
        elif event.kind is Kind.CUE:
            cue = clean(event.text)
            speech = _Speech(
                cue_name(cue), event.dual, unseen=heard_off_screen(cue), over=voice_over(cue)
            )
            draft.parts.append(speech)
        elif event.kind is Kind.PARENTHETICAL and speech is not None:
            inner = _PARENTHESES.match(event.text)
            speech.parentheticals.append(clean(inner.group(1) if inner else event.text))
        elif event.kind is Kind.LINE and speech is not None:
            speech.lines.append(event.text)
        elif event.kind is Kind.SET:
            draft.set_word = event.text
        elif event.kind is Kind.BREAK:
            speech = None
        shot = None
    return drafts


def _beat_parts(draft: _Draft) -> Iterable[_Action | _Speech]:
    """The parts of a scene that make beats: action with words, speeches with spoken words."""
    for part in draft.parts:
        if isinstance(part, _Action):
            note = _WRITERS_NOTE.match(part.text)
            action = part if note is None else replace(part, text=part.text[note.end() :])
            if clean(action.text):
                yield action
        elif clean(" ".join(part.lines)) and part.cue:
            yield part


def _names(drafts: Sequence[_Draft]) -> list[tuple[str, bool]]:
    """Candidate people in script order: cues (certain), and capitals in action (not in a
    shot heading, which is written in capitals whatever it names: "OUTSIDE,")."""
    names: list[tuple[str, bool]] = []
    for draft in drafts:
        for part in draft.parts:
            if isinstance(part, _Action):
                names.extend(action_names(clean(part.text)))
            else:
                names.append((part.cue, True))
    return names


def _texts(drafts: Sequence[_Draft]) -> list[str]:
    """Every text of the screenplay that may spell a name in mixed case (a forced "@McCLANE")."""
    texts: list[str] = []
    for draft in drafts:
        for part in draft.parts:
            if isinstance(part, _Action):
                texts.append(clean(part.beat))
            else:
                texts.extend([part.cue, *map(clean, part.lines)])
    return texts


def _scene(
    draft: _Draft, casting: Casting, film: str | None, source: str, far: frozenset[str]
) -> Scene:
    """The scene of ``draft``; ``far`` are the people at the other end of an intercut."""
    title = draft.heading or f"Scene {draft.number}"
    where = f"{source} scene {draft.number} ({title})"
    parts = list(_beat_parts(draft))
    check_beat_count(len(parts), where)
    # Each action beat's words and the people they name, read once: who acts in the scene
    # decides whether a voice in it is seen.
    actions: dict[int, tuple[str, list[str]]] = {}
    for index, part in enumerate(parts):
        if isinstance(part, _Action):
            text = clean(part.beat)
            actions[index] = (text, casting.mentioned(text))
    acting = {name for _, named in actions.values() for name in named}
    cast: dict[str, None] = {}
    beats: list[Beat] = []
    for index, part in enumerate(parts):
        if isinstance(part, _Action):
            text, named = actions[index]
            cast.update(dict.fromkeys(named))
            beats.append(Beat(index=index, text=beat_text(text, index, where)))
            continue
        spoken = clean(" ".join(part.lines))
        speaker = casting.person(part.cue)
        unseen = part.unseen or ((part.over or speaker in far) and speaker not in acting)
        if speaker is not None and not unseen:  # a voice only heard is not on the set
            cast.setdefault(speaker, None)
        beats.append(
            Beat(
                index=index,
                text=beat_text(spoken, index, where),
                seconds=spoken_seconds(spoken, part.parentheticals),
                speaker=speaker,
                parenthetical="; ".join(p for p in part.parentheticals if p) or None,
                dual=part.dual,
                unseen=unseen,
            )
        )
    return Scene(
        title=title,
        cast=tuple(Character(name=name) for name in cast),
        beats=tuple(beats),
        set_preset=guess_set(title) if draft.set_word is None else set_named(draft.set_word, where),
        film=film,
        from_screenplay=True,
    )
