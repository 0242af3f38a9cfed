"""Acting: what each character's body does and whom they look at on every frame.

The beats' words are read with the cues of ``data/poses.yaml``: "sits on the edge of her desk"
seats the person named before it, from the point of the beat where it is said; "collapses"
falls, then lies; "does not sit" does nothing. Postures (sit, kneel, crouch, lie, stand) hold
until another posture or a walk; gestures (reach, embrace, point, ...) hold to the end of their
beat, and are made standing. Walking and running come from the blocking itself (how fast the
character moves), so a seated character who walks has stood up. Looks: a speaker looks at the
nearest listener and the listeners at the speaker; in action, the first person a beat names
looks at the second and the rest at the first, and a look cue ("asks him", "stares at Tom")
says whom. ``model/skeleton.py`` turns the words into joint angles.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from typing import Final

import numpy as np

from beatcam import tables
from beatcam.direct.blocking import RUN_SPEED, WALK_SPEED, Contact
from beatcam.model import Blocking, PlannedBeat
from beatcam.model.scene import CastNames, Pronouns
from beatcam.model.skeleton import transition_frames
from beatcam.model.vocab import POSES, Pose

CUES_FILE: Final = "poses.yaml"
# Faster than this (m/s) a character is walking, not shifting their weight; the blocking eases
# every walk in over half a second, so its first frames are slower still.
MOVING_SPEED: Final = 0.25
RUNNING_SPEED: Final = (WALK_SPEED + RUN_SPEED) / 2.0
CLAUSE_HEAD: Final = 3  # a person among a clause's first words is its subject
NEGATION_WINDOW: Final = 4  # words before a cue a negation may stand and still deny it
DETERMINERS: Final = frozenset({"the", "a", "an", "his", "her", "their", "this", "that"})
SENTENCE_ENDS: Final = frozenset({".", "!", "?"})
SUBJECT_PRONOUNS: Final = frozenset({"he", "she", "they"})
OBJECT_PRONOUNS: Final = frozenset({"him", "her", "them"})
LOOK: Final = "look"
IGNORED: Final = "ignore"
WORDS: Final = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|[,;:.!?]")


def beat_words(text: str) -> list[str]:
    """The lower-case words and clause marks of a beat, as the tables are written: letters of
    any script ("Zoltán"), a curly apostrophe read as a straight one ("Tom’s")."""
    return WORDS.findall(text.lower().replace("’", "'"))


Phrase = tuple[tuple[str, ...], str]  # a table's word sequence and what it says (a label, a kind)
# A table's phrases by their first word, each word's longest first: a beat's word is matched
# only against the phrases that can start with it.
Phrases = Mapping[str, tuple[Phrase, ...]]


def by_first_word(phrases: Iterable[Phrase]) -> Phrases:
    """``phrases`` by their first word, in the order given within each word (a table sorted
    longest first stays so)."""
    starting: dict[str, list[Phrase]] = {}
    for entry in phrases:
        starting.setdefault(entry[0][0], []).append(entry)
    return {word: tuple(entries) for word, entries in starting.items()}


def phrase_at(tokens: Sequence[str], index: int, phrases: Phrases) -> Phrase | None:
    """The first of ``phrases`` (longest first) whose words start at ``tokens[index]``."""
    return next(
        (
            entry
            for entry in phrases.get(tokens[index], ())
            if tuple(tokens[index : index + len(entry[0])]) == entry[0]
        ),
        None,
    )


@dataclass(frozen=True)
class Cues:
    """The cue table: word sequences by label (a pose, ``look`` or ``ignore``), longest first."""

    starting: Phrases
    postures: frozenset[str]
    then: Mapping[str, str]
    fall_seconds: float
    gesture_seconds: float
    negations: tuple[tuple[str, ...], ...]
    clause_breaks: frozenset[str]
    unnamed_people: frozenset[str]
    reach_m: Mapping[str, float]
    rises: frozenset[tuple[str, ...]]
    found_in: frozenset[tuple[str, ...]]
    seated_at: frozenset[tuple[str, ...]]


@cache
def cues() -> Cues:
    """The shipped cue table (``data/poses.yaml``), checked against the pose vocabulary."""
    source = resources.files("beatcam.direct").joinpath("data", CUES_FILE)
    document = tables.safe_load(source.read_text(encoding="utf-8"))
    labelled: list[tuple[tuple[str, ...], str]] = []
    for label, phrases in document["cues"].items():
        Pose(label)  # an unknown pose in the table is a bug, found on first use
        labelled.extend((tuple(WORDS.findall(phrase)), label) for phrase in phrases)
    labelled.extend((tuple(WORDS.findall(p)), LOOK) for p in document["looks"])
    labelled.extend((tuple(WORDS.findall(p)), IGNORED) for p in document["ignore"])
    seated_at = frozenset(tuple(WORDS.findall(p)) for p in document["seated_at"])
    labelled.extend((words, Pose.SIT.value) for words in seated_at)
    return Cues(
        starting=by_first_word(sorted(labelled, key=lambda entry: -len(entry[0]))),
        postures=frozenset(document["postures"]),
        then={Pose(k).value: Pose(v).value for k, v in document["then"].items()},
        fall_seconds=float(document["fall_seconds"]),
        gesture_seconds=float(document["gesture_seconds"]),
        negations=tuple(tuple(WORDS.findall(str(n))) for n in document["negations"]),
        clause_breaks=frozenset(str(word) for word in document["clause_breaks"]),
        unnamed_people=frozenset(str(word) for word in document["unnamed_people"]),
        reach_m={Pose(k).value: float(v) for k, v in document["reach_m"].items()},
        rises=frozenset(tuple(WORDS.findall(p)) for p in document["rises"]),
        found_in=frozenset(tuple(WORDS.findall(p)) for p in document["found_in"]) | seated_at,
        seated_at=seated_at,
    )


@dataclass(frozen=True)
class Cue:
    """A cue read in a beat: its label, its doer, whom it is aimed at, the scene frame it
    starts on, whether it is denied and the words that said it."""

    label: str
    doer: str
    target: str | None
    frame: int
    negated: bool
    words: tuple[str, ...] = ()


def people_in(
    tokens: Sequence[str],
    cast: CastNames,
    first: str | None,
    breaks: frozenset[str],
    pronouns: Pronouns,
) -> tuple[list[str | None], list[tuple[str, ...]]]:
    """For each word, the cast member it names (a name; a subject pronoun several of the cast
    use the last of them the beat names; a pronoun the one the scene settles it means, else a
    subject pronoun is the last person named and an object pronoun the last one who is not the
    subject), and the subjects of its clause: the people at the head of the
    clause ("Pell and Iris sit": both), or the sentence's subject before it ("Tom stares at
    Mara, then collapses": Tom collapses), unless it is a participle clause describing someone
    the writer did not name ("the landlord, lying behind the sofa": nobody of the cast)."""
    unnamed = cues().unnamed_people
    people: list[str | None] = []
    subjects: list[tuple[str, ...]] = []
    last: str | None = first
    said: str | None = None  # the name the beat said last
    subject: tuple[str, ...] = ()
    since_break = 0
    joining, join_end = False, 0
    for index, token in enumerate(tokens):
        named: str | None = None
        called = cast.called_at(tokens, index, possessive=True)  # "Tom's arm" names Tom
        if called is not None:
            named = last = said = called[1]
        elif token in SUBJECT_PRONOUNS:
            # A pronoun several of the cast use means the last of them the beat names.
            near = said if said is not None and pronouns.could_mean(token, said) else None
            named = last = near or pronouns.person(token) or last
        elif token in OBJECT_PRONOUNS and not _possessive(tokens, index, breaks):
            doer = subject[0] if subject else None
            settled = pronouns.person(token)
            if settled is not None and settled != doer:
                named = settled
            else:
                named = last if last != doer else _only([n for n in cast.people if n != doer])
        # "Pell and Iris", "Ilse, Tobi and Marek" and "Jonah and his grandson Alfie": one
        # subject of several people ("Mara, Tom's sister," is one person).
        joins = (
            token in {"and", ","}
            and bool(people)
            and people[-1] in subject
            and _names_next(tokens, index, cast, described=token == "and")
        )
        if token in SENTENCE_ENDS:
            subject, since_break = (), 0
        elif joins:
            joining, join_end = True, index + 3
        elif token in breaks:
            since_break = 0
            if _describes_unnamed(tokens, index, unnamed):
                subject = ()
        else:
            if since_break == 0 and named is None and _starts_other_subject(token):
                subject = ()  # "as confetti falls": the clause's subject is not a person
            if (
                named is not None
                and token not in OBJECT_PRONOUNS
                and (joining or since_break < CLAUSE_HEAD)
            ):
                subject = (*subject, named) if joining else (named,)
                joining = False
            elif index >= join_end:
                joining = False
            since_break += 1
        people.append(named)
        subjects.append(subject)
    return people, subjects


def _names_next(tokens: Sequence[str], index: int, cast: CastNames, described: bool) -> bool:
    """Whether the word after ``tokens[index]`` names someone (possessive or not, when
    ``described``), or, when ``described``, a determiner and a word say who before the name
    ("and his grandson Alfie")."""
    ahead = tokens[index + 1 : index + 4]
    if not ahead:
        return False
    if cast.called_at(tokens, index + 1, possessive=described):
        return True
    return (
        described
        and len(ahead) == 3
        and ahead[0] in DETERMINERS
        and cast.called_at(tokens, index + 3) is not None
    )


def _describes_unnamed(tokens: Sequence[str], comma: int, unnamed: frozenset[str]) -> bool:
    """Whether the comma at ``comma`` opens a participle clause about a person the writer did
    not name ("the landlord, lying behind the sofa")."""
    return (
        tokens[comma] == ","
        and comma >= 1
        and tokens[comma - 1] in unnamed
        and comma + 1 < len(tokens)
        and tokens[comma + 1].endswith("ing")
    )


def _starts_other_subject(word: str) -> bool:
    """Whether a clause opening on ``word`` names its own (non-person) subject rather than
    going on with the sentence's: a determiner ("as the rain falls") or a word that is not a
    present or past verb, a participle or an adverb ("as confetti falls"; "then collapses",
    "slowly sits" and "shaking, sits" go on with it). Plain English morphology, no tagger."""
    if word in DETERMINERS:
        return True
    return not word.endswith(("s", "ed", "ing", "ly"))


def _possessive(tokens: Sequence[str], index: int, breaks: frozenset[str]) -> bool:
    """ "Her" before a noun owns it ("her desk"); before a break, a determiner or nothing it is
    a person ("in front of her", "hands her the letter")."""
    following = tokens[index + 1] if index + 1 < len(tokens) else "."
    return tokens[index] == "her" and not (
        following in breaks or following in SENTENCE_ENDS or following in DETERMINERS
    )


def negated(tokens: Sequence[str], start: int, table: Cues) -> bool:
    window: list[str] = []
    for token in reversed(tokens[max(0, start - NEGATION_WINDOW) : start]):
        if token in table.clause_breaks:
            break
        window.insert(0, token)
    text = f" {' '.join(window)} "
    return any(f" {' '.join(n)} " in text for n in table.negations) or any(
        word.endswith("n't") for word in window
    )


def action_cues(
    beats: Sequence[PlannedBeat], cast: CastNames, pronouns: Sequence[Pronouns]
) -> list[tuple[PlannedBeat, Cue]]:
    """The pose and look cues of every action beat, with their beats, in the order said. A
    pronoun before any name in a beat ("She rises") is the one the scene settles it means
    there (``pronouns``, one per beat), else whoever the action before named last."""
    found: list[tuple[PlannedBeat, Cue]] = []
    last: str | None = None
    for beat, settled in zip(beats, pronouns, strict=True):
        if beat.speaker is None:
            beat_cues, last = read_cues(beat, cast, settled, last)
            found.extend((beat, cue) for cue in beat_cues)
    return found


def read_cues(
    beat: PlannedBeat, cast: CastNames, pronouns: Pronouns, before: str | None = None
) -> tuple[list[Cue], str | None]:
    """The pose and look cues of one action beat, with their doers, in the order said, and the
    last person it names (``before``: the one the beats before it named last)."""
    table = cues()
    tokens = beat_words(beat.text)
    first = before or (beat.affect.characters[0] if beat.affect.characters else None)
    people, subjects = people_in(tokens, cast, first, table.clause_breaks, pronouns)
    found: list[Cue] = []
    index = 0
    while index < len(tokens):
        hit = phrase_at(tokens, index, table.starting)
        if hit is None:
            index += 1
            continue
        words, label = hit
        doers = subjects[index - 1] if index else ()
        after = index + len(words)
        frame = beat.start_frame + int(beat.frames * index / max(len(tokens), 1))
        for doer in doers if label != IGNORED else ():
            ahead: Iterable[str | None]
            not_them: Collection[str]
            if "each" in words:
                # "They hold each other": each holds the other, the pair the words name or,
                # in a cast of two, the two of them.
                ahead, not_them = (
                    (*doers, *people, *(cast.people if len(cast.people) == 2 else ())),
                    (doer,),
                )
            else:
                ahead, not_them = (people[later] for later in range(after, len(tokens))), doers
            target = next((p for p in ahead if p is not None and p not in not_them), None)
            found.append(Cue(label, doer, target, frame, negated(tokens, index, table), words))
        index = after
    named = [person for person in people if person is not None]
    return _without_idle_seats(found, table.seated_at), named[-1] if named else first


def _without_idle_seats(found: list[Cue], seated_at: frozenset[tuple[str, ...]]) -> list[Cue]:
    """The beat's cues less a place's seat (``seated_at``: "at the kitchen table") for anyone
    the beat gives another pose: "stands at the table" stands."""
    posed = {cue.doer for cue in found if cue.words not in seated_at and cue.label != LOOK}
    return [cue for cue in found if cue.words not in seated_at or cue.doer not in posed]


def contacts(said: Sequence[tuple[PlannedBeat, Cue]], fps: int) -> list[Contact]:
    """The touches the action beats ask for (an embrace, a grab, a slap, a hand held out to
    someone), from their cues (``action_cues``): who reaches whom, by which frame and from when
    they may walk there."""
    reach = cues().reach_m
    found = []
    for beat, cue in said:
        if cue.label in reach and cue.target is not None and not cue.negated:
            end = beat.start_frame + beat.frames
            touch = min(cue.frame + transition_frames(fps), end - 1)
            found.append(
                Contact(cue.doer, cue.target, beat.start_frame, touch, end, reach[cue.label])
            )
    return found


def _moving(position: np.ndarray, fps: int) -> tuple[np.ndarray, np.ndarray]:
    """Per frame: walking, and running (speed on the ground above the thresholds)."""
    steps = np.linalg.norm(np.diff(position[:, [0, 2]], axis=0), axis=1) * fps
    speed = np.concatenate([steps[:1], steps]) if len(steps) else np.zeros(len(position))
    return speed > MOVING_SPEED, speed > RUNNING_SPEED


def _opening(cues_of: Sequence[Cue], first_beat_end: int, moving: np.ndarray) -> str:
    """The posture the scene finds someone in (``rises`` and ``found_in`` of the cue table):
    seated before a rise nothing sat them down for, or in the posture the first beat that
    names them (ending on ``first_beat_end``) finds them in; standing otherwise, and always
    when they walk before their first posture."""
    table = cues()
    first = next((c for c in cues_of if c.label in table.postures and not c.negated), None)
    if first is None or bool(np.any(moving[: first.frame + 1])):
        return Pose.STAND.value
    if first.label == Pose.STAND.value and first.words in table.rises:
        return Pose.SIT.value
    if first.frame < first_beat_end and first.words in table.found_in:
        return first.label
    return Pose.STAND.value


def _poses(
    frames: int, cues_of: Sequence[Cue], beat_end: Mapping[int, int], moving: np.ndarray,
    running: np.ndarray, fps: int, opening: str,
) -> list[str]:  # fmt: skip
    """One character's pose words: the opening posture, postures filled forward, gestures to
    the end of their beat (standing only), a walk standing them up, and the walk or run."""
    table = cues()
    posture_from = np.full(frames, -1)
    labels: list[str] = [opening]
    starts = np.flatnonzero(moving & ~np.concatenate([[False], moving[:-1]]))
    events = [(int(f), Pose.STAND.value) for f in starts]
    gestures: list[tuple[int, int, str]] = []
    fall_frames = max(1, round(table.fall_seconds * fps))
    for cue in cues_of:
        if cue.negated:
            continue
        if cue.label in table.postures:
            events.append((cue.frame, cue.label))
        else:
            end = max(beat_end[cue.frame], cue.frame + round(table.gesture_seconds * fps))
            end = min(end, frames)
            if cue.label in table.then:
                end = min(cue.frame + fall_frames, frames)
                if end < frames:  # a fall in the scene's last moments ends as the scene does
                    events.append((end, table.then[cue.label]))
            gestures.append((cue.frame, end, cue.label))
    for frame, label in sorted(events, key=lambda event: event[0]):
        labels.append(label)
        posture_from[frame] = len(labels) - 1
    which = np.maximum.accumulate(np.where(posture_from >= 0, posture_from, 0))
    poses = np.array(labels, dtype=object)[which]
    for start, end, label in gestures:
        window = slice(start, end)
        standing = poses[window] == Pose.STAND.value
        falls = label in table.then
        poses[window] = np.where(standing | falls, label, poses[window])
    poses[moving] = Pose.WALK.value
    poses[running] = Pose.RUN.value
    return [str(pose) for pose in poses]


def _looks(
    name: str, beats: Sequence[PlannedBeat], cues_of: Sequence[Cue], blocking: Blocking
) -> list[str | None]:
    """Whom one character looks at on each frame (None: nobody in particular)."""
    looks: list[str | None] = [None] * blocking.frames
    others = [other for other in blocking.tracks if other != name]
    for beat in beats:
        window = range(beat.start_frame, beat.start_frame + beat.frames)
        named = [person for person in beat.affect.characters if person in blocking.tracks]
        target: str | None = None
        if beat.speaker is not None and beat.speaker in blocking.tracks:
            target = (
                beat.speaker
                if name != beat.speaker
                else _nearest(name, others, blocking, window.start)
            )
        elif name in named and len(named) > 1:
            target = named[1] if name == named[0] else named[0]
        for frame in window:
            looks[frame] = target
    for cue in cues_of:
        end = next(b.start_frame + b.frames for b in beats if cue.frame < b.start_frame + b.frames)
        if cue.label == LOOK or cue.label == Pose.TURN_AWAY.value:
            aimed = cue.label == LOOK and not cue.negated
            for frame in range(cue.frame, end):
                looks[frame] = (cue.target or _only(others)) if aimed else None
        elif cue.target is not None and not cue.negated:
            looks[cue.frame : end] = [cue.target] * (end - cue.frame)
    return looks


def _nearest(name: str, others: Sequence[str], blocking: Blocking, frame: int) -> str | None:
    if not others:
        return None
    here = blocking[name].position[frame]
    return min(
        others, key=lambda other: float(np.linalg.norm(blocking[other].position[frame] - here))
    )


def _only(others: Sequence[str]) -> str | None:
    return others[0] if len(others) == 1 else None


def act(
    blocking: Blocking,
    beats: Sequence[PlannedBeat],
    said: Sequence[tuple[PlannedBeat, Cue]],
    fps: int,
) -> Blocking:
    """The blocking with every character's per-frame pose and look_at read from the beats'
    cues (``action_cues``)."""
    # An embrace is mutual: the one embraced holds the other too.
    read = [cue for _, cue in said]
    read += [
        replace(cue, doer=cue.target, target=cue.doer)
        for cue in read
        if cue.label == Pose.EMBRACE.value and cue.target is not None
    ]
    beat_end = {}
    for beat in beats:
        for frame in range(beat.start_frame, beat.start_frame + beat.frames):
            beat_end[frame] = beat.start_frame + beat.frames
    tracks = {}
    for name, track in blocking.tracks.items():
        own = [cue for cue in read if cue.doer == name]
        moving, running = _moving(track.position, fps)
        pose_cues = [cue for cue in own if cue.label in POSES]
        named = (b for b in beats if b.speaker is None and name in b.affect.characters)
        first_end = next((b.start_frame + b.frames for b in named), 0)
        opening = _opening(pose_cues, first_end, moving)
        tracks[name] = replace(
            track,
            pose=tuple(_poses(blocking.frames, pose_cues, beat_end, moving, running, fps, opening)),
            look_at=tuple(_looks(name, beats, own, blocking)),
            fps=fps,
        )
    return Blocking(tracks, blocking.frames)
