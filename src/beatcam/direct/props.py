"""Props: the objects the beats name, held or placed on every frame, and a chair under
everyone who sits.

Words come from ``data/props.yaml``: "finds an envelope" puts the envelope in the finder's
hand from the point of the beat where it is said; "drops his keys on the counter" leaves them
on the counter's top under the hand; "hands him the letter" passes it over. A hand holds one
prop: taking another puts the first down where the holder stands. Before its first
appearance in a hand a prop rests under that hand, as if waiting to be picked up. A held prop
is in the middle of the holding hand of the posed skeleton (``Blocking.figure``), so it moves
with a reach; it faces the way its holder faces.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

import numpy as np

from beatcam import tables
from beatcam.direct import poses
from beatcam.direct.poses import DETERMINERS, WORDS, beat_words, cues, negated, people_in
from beatcam.model import Blocking, PlannedBeat, Prop, SetBox
from beatcam.model.geometry import FloatArray
from beatcam.model.props import PROP_KINDS
from beatcam.model.scene import CastNames, Pronouns
from beatcam.model.skeleton import to_world
from beatcam.model.vocab import Pose

TABLE_FILE: Final = "props.yaml"
TAKE, PUT, GIVE, NAMED = "take", "put", "give", "named"
PUT_ON: Final = frozenset({"on", "onto", "in", "into", "across"})
# A surface takes what a hand sets down when its top is within an arm's reach of the hand
# (0.8 m across, an arm and a lean; up to 0.4 m above a hanging hand, 0.7 m below a raised one).
REACH_DOWN_M: Final = 0.7
REACH_UP_M: Final = 0.4
REACH_ACROSS_M: Final = 0.8


@dataclass(frozen=True)
class PropWords:
    """The prop table: each word's prop kind, and the verbs (word sequences, longest first)
    with their kind of act, by first word (``poses.by_first_word``)."""

    kinds: Mapping[str, str]
    verbs: poses.Phrases


@cache
def prop_words() -> PropWords:
    """The shipped table (``data/props.yaml``), checked against the shapes of model/props.py."""
    source = resources.files("beatcam.direct").joinpath("data", TABLE_FILE)
    document = tables.safe_load(source.read_text(encoding="utf-8"))
    kinds = {}
    for kind, words in document["names"].items():
        if kind not in PROP_KINDS:
            raise ValueError(f"{TABLE_FILE}: {kind!r} has no shape; known: {PROP_KINDS}")
        kinds.update({str(word): str(kind) for word in words})
    verbs = [
        (tuple(WORDS.findall(str(phrase))), act)
        for act in (TAKE, PUT, GIVE)
        for phrase in document[act]
    ]
    return PropWords(kinds, poses.by_first_word(sorted(verbs, key=lambda entry: -len(entry[0]))))


@dataclass(frozen=True)
class PropEvent:
    """A prop taken, put down, given or only named, by whom (or to whom) and when."""

    kind: str
    act: str
    person: str | None
    frame: int
    onto: str | None = None  # the word after "on the" / "onto the": where it is put


def read_props(beat: PlannedBeat, cast: CastNames, pronouns: Pronouns) -> list[PropEvent]:
    """What one action beat does with its props, in the order said."""
    table, breaks = prop_words(), cues().clause_breaks
    tokens = beat_words(beat.text)
    first = beat.affect.characters[0] if beat.affect.characters else None
    people, subjects = people_in(tokens, cast, first, breaks, pronouns)
    events: list[PropEvent] = []
    verb: tuple[str, int] | None = None
    last_kind: str | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in breaks:
            verb = None
        hit = poses.phrase_at(tokens, index, table.verbs)
        if hit is not None and subjects[index]:
            verb = (hit[1], index)
            index += len(hit[0])
            continue
        kind = table.kinds.get(token) or (last_kind if token == "it" and verb else None)
        if kind is not None:
            frame = beat.start_frame + int(beat.frames * index / max(len(tokens), 1))
            act, person = NAMED, first
            if verb is not None and not negated(tokens, verb[1], cues()):
                act, person = verb[0], subjects[verb[1]][0]
                if act == GIVE:
                    given = [p for p in people[verb[1] : index + 3] if p not in {None, person}]
                    act, person = (TAKE, given[0]) if given else (TAKE, person)
            events.append(PropEvent(kind, act, person, frame, _onto(tokens, index, breaks)))
            last_kind = kind
        index += 1
    return events


def _onto(tokens: Sequence[str], index: int, breaks: frozenset[str]) -> str | None:
    """The surface a put names after the prop, in its clause: "on the counter" -> counter."""
    for ahead in range(index + 1, len(tokens) - 1):
        if tokens[ahead] in breaks:
            return None
        if tokens[ahead] in PUT_ON:
            rest = [t for t in tokens[ahead + 1 : ahead + 4] if t not in DETERMINERS]
            return rest[0] if rest else None
    return None


def _rest(point: FloatArray, boxes: Sequence[SetBox], onto: str | None = None) -> FloatArray:
    """Where something let go at ``point`` (3,) comes to rest: on the box the words name
    (at its point nearest the hand), else on the top of the highest box within an arm's reach
    of the hand (above or below it), else on the floor beneath."""
    named = [box for box in boxes if onto is not None and onto in box.name.split("_")]
    if named:
        box = min(named, key=lambda b: float(np.linalg.norm(np.array(b.center) - point)))
        centre, half = np.array(box.center), np.array(box.size) / 2.0
        inside = np.clip(point, centre - half, centre + half)
        return np.array([inside[0], centre[1] + half[1], inside[2]])
    best = np.array([point[0], 0.0, point[2]])
    for box in boxes:
        centre, half = np.array(box.center), np.array(box.size) / 2.0
        top = centre[1] + half[1]
        across = np.abs(point[[0, 2]] - centre[[0, 2]]) - half[[0, 2]]
        reachable = -REACH_UP_M <= point[1] - top <= REACH_DOWN_M
        if reachable and np.all(across <= REACH_ACROSS_M) and top > best[1]:
            low, high = centre[[0, 2]] - half[[0, 2]], centre[[0, 2]] + half[[0, 2]]
            inside = np.clip(point[[0, 2]], low, high)
            best = np.array([inside[0], top, inside[1]])
    return best


@dataclass
class _Story:
    """One prop over the scene: who holds it on each frame, and where it was let go (frame,
    by whom) before each stretch at rest; the first entry is where it waits to be used."""

    holder: list[str | None]
    rests: list[tuple[int, str | None, str | None]]


def _stories(events: Sequence[PropEvent], frames: int) -> dict[str, _Story]:
    """Who holds each prop when, from the events in order: a hand holds one prop, so taking
    another puts the first down."""
    stories: dict[str, _Story] = {}
    held: dict[str, str] = {}  # person -> the prop in their hand
    for event in sorted(events, key=lambda e: e.frame):
        kind, frame, person = event.kind, event.frame, event.person
        story = stories.setdefault(kind, _Story([None] * frames, [(0, person, None)]))
        if person is None or event.act == NAMED:
            continue
        previous = story.holder[frame]
        if previous is not None:
            held.pop(previous, None)
        if event.act == PUT:
            story.holder[frame:] = [None] * (frames - frame)
            story.rests.append((frame, person, event.onto))
            continue
        other = held.get(person)
        if other is not None and other != kind:
            stories[other].holder[frame:] = [None] * (frames - frame)
            stories[other].rests.append((frame, person, None))
        story.holder[frame:] = [person] * (frames - frame)
        held[person] = kind
    return stories


def place_props(
    blocking: Blocking,
    beats: Sequence[PlannedBeat],
    boxes: Sequence[SetBox],
    names: CastNames,
    pronouns: Sequence[Pronouns],
) -> tuple[Prop, ...]:
    """Every prop the action beats name, in order of first mention, then a chair under each
    sitter where they sit; ``names`` are the words the scene calls its cast by, ``pronouns``
    whom each beat's pronouns mean."""
    cast = list(blocking.tracks)
    frames = blocking.frames
    events = [
        event
        for beat, settled in zip(beats, pronouns, strict=True)
        if beat.speaker is None
        for event in read_props(beat, names, settled)
    ]
    stories = _stories(events, frames)
    # Who holds each prop on each frame, compared with a name in one numpy pass, not a
    # Python comparison a frame.
    holders = {kind: np.array(story.holder, dtype=object) for kind, story in stories.items()}
    hands = {}
    for name, track in blocking.tracks.items():
        holding = np.zeros(frames, dtype=bool)
        for held_by in holders.values():
            holding |= held_by == name
        # Someone who holds nothing is the figure posed without props (the same numbers: an
        # arm bends only where a prop is held), which the chairs, the reuse keys and the critic
        # ask for too: posed once, not twice.
        posed = blocking.figure(name, holding if holding.any() else None)
        hands[name] = to_world(
            posed.hands()[:, None], track.position, track.facing_deg, track.height_m
        )[:, 0]
    props = []
    for kind, story in stories.items():
        position, facing = np.zeros((frames, 3)), np.zeros(frames)
        first_use = next((e.frame for e in events if e.kind == kind), 0)
        for frame, person, onto in story.rests:
            if person is None:
                continue  # named by nobody in particular: it stays where it was
            at = frame or first_use  # it waits under the hand that first uses it
            position[frame:] = _rest(hands[person][at], boxes, onto)
            facing[frame:] = blocking[person].facing_deg[at]
        for name in cast:
            mask = np.asarray(holders[kind] == name, dtype=bool)
            position[mask] = hands[name][mask]
            facing[mask] = blocking[name].facing_deg[mask]
        first = next((holder for holder in story.holder if holder is not None), None)
        props.append(Prop(kind, first, position, facing, tuple(story.holder)))
    return tuple(props) + _chairs(blocking)


def _chairs(blocking: Blocking) -> tuple[Prop, ...]:
    """A chair under every sitter's hips where each sitting starts (behind their mark, so
    it never stands in them), there for the whole scene. Whoever sits again where a chair
    already stands (the same spot, facing the same way) sits on that chair: a long scene that
    returns to the table has one chair there, not one per sitting, each carried on every frame
    of the scene (plan.json grew with the square of the scene's length)."""
    chairs = []
    standing: set[tuple[bytes, float]] = set()
    for name, track in blocking.tracks.items():
        sitting = np.asarray(np.array(track.pose, dtype=object) == Pose.SIT.value, dtype=bool)
        starts = np.flatnonzero(sitting & ~np.concatenate([[False], sitting[:-1]]))
        if not len(starts):
            continue
        hips = blocking.figure(name).joint(0) * np.array([1.0, 0.0, 1.0])
        for start in starts:
            seated = slice(start, start + 1)  # a pose is whole on its first frame
            ground = to_world(
                hips[seated, None], track.position[seated], track.facing_deg[seated],
                track.height_m,
            )[0, 0]  # fmt: skip
            spot = (ground.tobytes(), float(track.facing_deg[start]))
            if spot in standing:
                continue
            standing.add(spot)
            facing = np.full(blocking.frames, track.facing_deg[start])
            chairs.append(Prop("chair", None, np.tile(ground, (blocking.frames, 1)), facing))
    return tuple(chairs)
