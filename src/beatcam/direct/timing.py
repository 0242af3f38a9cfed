"""How long each beat plays and into how many shots it is cut.

A beat's screen time grows with what it says (words) and shrinks with its energy (arousal):
a tense, busy beat cuts faster; a still one is allowed to breathe. A writer's ``seconds``
hint always wins. Long, energetic beats, and conversations between two people, are covered
in two or three shots; a long still beat stays one slow shot.
"""

from __future__ import annotations

from beatcam.model import Affect, Beat

MIN_BEAT_SECONDS = 2.5
MAX_BEAT_SECONDS = 12.0
SECONDS_PER_WORD = 0.2
BASE_SECONDS = 2.4
MIN_SHOT_SECONDS = 2.0
SPLIT_SECONDS = 6.0
THREE_SHOT_SECONDS = 11.0
ESTABLISH_SPLIT_SECONDS = 5.0
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


def shot_count(seconds: float, affect: Affect, first: bool) -> int:
    """How many shots cover a beat of this length and feeling."""
    if first and seconds >= ESTABLISH_SPLIT_SECONDS:
        return 2
    conversation = affect.function in CONVERSATION and len(affect.characters) >= 2
    if seconds >= THREE_SHOT_SECONDS and (affect.arousal > 0.4 or conversation):
        return 3
    if seconds >= SPLIT_SECONDS and (affect.arousal > 0.25 or conversation):
        return 2
    return 1


def split_frames(frames: int, count: int, fps: int) -> list[int]:
    """Frame counts of ``count`` shots filling ``frames``; never a shot under the minimum."""
    minimum = max(1, round(MIN_SHOT_SECONDS * fps))
    count = max(1, min(count, frames // minimum))
    base, extra = divmod(frames, count)
    return [base + (1 if index < extra else 0) for index in range(count)]
