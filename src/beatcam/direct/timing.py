"""How long each beat plays and into how many shots it is cut.

A beat's screen time grows with what it says (words) and shrinks with its energy (arousal):
a tense, busy beat cuts faster; a still one is allowed to breathe. A writer's ``seconds``
hint always wins. Long, energetic beats, and conversations between two people, are covered
in two or three shots; a long still beat stays one slow shot. The first beat opens on the place
only where the place matters (``opening_parts``).
"""

from __future__ import annotations

from collections.abc import Mapping

from beatcam.model import Affect, Beat
from beatcam.model.vocab import Staging

MIN_BEAT_SECONDS = 2.5
MAX_BEAT_SECONDS = 12.0
SECONDS_PER_WORD = 0.2
BASE_SECONDS = 2.4
MIN_SHOT_SECONDS = 2.0
SPLIT_SECONDS = 6.0
THREE_SHOT_SECONDS = 11.0
ESTABLISHING_SHARE = 3  # an establishing shot takes at most this fraction (1/n) of its beat
PLACE_BELIEF = 0.5  # the director is this sure the beat's subject is the place
CONVERSATION = frozenset({"dialogue", "confrontation"})


def beat_seconds(beat: Beat, affect: Affect, pace: float, first: bool) -> float:
    """Screen time of a beat in seconds."""
    if beat.seconds is not None:
        return beat.seconds
    words = len(beat.text.split())
    seconds = (BASE_SECONDS + SECONDS_PER_WORD * words) * (1.0 - 0.3 * affect.arousal) * pace
    if first:
        seconds += 2.0
    return min(MAX_BEAT_SECONDS, max(MIN_BEAT_SECONDS, seconds))


def shot_count(seconds: float, affect: Affect) -> int:
    """How many shots cover a beat of this length and feeling (an establishing shot aside).

    A pair who walk together are one travelling shot, however long and heated: the walk and
    talk is played in one take (Katz), the camera going with them being its coverage."""
    if Staging.WALK_TOGETHER in affect.stagings and len(affect.characters) >= 2:
        return 1
    conversation = affect.function in CONVERSATION and len(affect.characters) >= 2
    if seconds >= THREE_SHOT_SECONDS and (affect.arousal > 0.4 or conversation):
        return 3
    if seconds >= SPLIT_SECONDS and (affect.arousal > 0.25 or conversation):
        return 2
    return 1


def about_the_place(affect: Affect) -> bool:
    """A beat whose subject is the place itself ("Morning in the fishing village")."""
    return affect.belief("establishing") >= PLACE_BELIEF


def opening_parts(frames: int, fps: int, beats: int, affect: Affect) -> list[int]:
    """How the first beat opens: ``[establishing, main]`` frames when the place matters (a scene
    of several beats), the establishing shot at most a third of the beat and never its main
    shot; the whole beat when the beat is about the place; ``[]`` when no establishing shot is
    wanted (a one-beat scene about someone) or the beat is too short to give one its minimum."""
    if about_the_place(affect):
        return [frames]
    minimum = max(1, round(MIN_SHOT_SECONDS * fps))
    establishing = frames // ESTABLISHING_SHARE
    if beats < 2 or establishing < minimum:
        return []
    return [establishing, frames - establishing]


def split_frames(frames: int, count: int, fps: int) -> list[int]:
    """Frame counts of ``count`` shots filling ``frames``; never a shot under the minimum."""
    minimum = max(1, round(MIN_SHOT_SECONDS * fps))
    count = max(1, min(count, frames // minimum))
    base, extra = divmod(frames, count)
    return [base + (1 if index < extra else 0) for index in range(count)]


def hold_lengths(parts: list[int], asked: Mapping[int, int], fps: int) -> list[int]:
    """A beat's shot frames ``parts`` with the lengths ``asked`` by place in the beat given:
    those shots take the frames asked, the others share what is left evenly, and the beat
    keeps its length. A place past the beat's shots is passed over; where the rest cannot be
    given (the shots not asked left under the minimum, or lengths that do not add up to the
    beat when every shot is asked), ``parts`` as they were: the split wins, and the studio
    says so."""
    held = {slot: frames for slot, frames in asked.items() if 0 <= slot < len(parts)}
    if not held or min(held.values()) < 1:
        return parts
    free = [slot for slot in range(len(parts)) if slot not in held]
    left = sum(parts) - sum(held.values())
    if not free:
        return [held[slot] for slot in range(len(parts))] if left == 0 else parts
    minimum = max(1, round(MIN_SHOT_SECONDS * fps))
    base, extra = divmod(left, len(free))
    if base < minimum:
        return parts
    shares = {slot: base + (1 if rank < extra else 0) for rank, slot in enumerate(free)}
    return [held.get(slot, shares.get(slot, 0)) for slot in range(len(parts))]
