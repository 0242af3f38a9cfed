"""Writing the score as a Standard MIDI File (type 1) with mido.

Track 0 is the conductor: tempo map, meters, keys and a marker per cue. Then one named track
per instrument group, so a group can be written alone to render its stem.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from beatcam.score.compose import ScorePlan
from beatcam.score.harmony import MAJOR_FAMILY, MINOR_FAMILY, NOTE_NAMES
from beatcam.score.tempo import TICKS_PER_QUARTER

# Order of events on one tick: settings first, then releases, then new notes.
_SETTING, _NOTE_OFF, _NOTE_ON = 0, 1, 2


def _track(name: str, events: list[tuple[int, int, int, Any]], end_tick: int) -> Any:
    import mido

    track = mido.MidiTrack()
    track.append(mido.MetaMessage("track_name", name=name, time=0))
    now = 0
    for tick, _order, _index, message in sorted(events, key=lambda e: e[:3]):
        track.append(message.copy(time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=end_tick - now))
    return track


def _conductor(score: ScorePlan) -> Any:
    import mido

    events: list[tuple[int, int, int, Any]] = []
    for segment in score.tempo.segments:
        message = mido.MetaMessage("set_tempo", tempo=segment.tempo_us)
        events.append((segment.tick, _SETTING, len(events), message))
    for cue in score.cues:
        tick = cue.start_tick
        meter = mido.MetaMessage("time_signature", numerator=cue.meter, denominator=4)
        events.append((tick, _SETTING, len(events), meter))
        events.append((tick, _SETTING, len(events), mido.MetaMessage("marker", text=cue.section)))
        if cue.mode in MAJOR_FAMILY or cue.mode in MINOR_FAMILY:
            name = NOTE_NAMES[score.tonic] + ("" if cue.mode in MAJOR_FAMILY else "m")
            events.append(
                (tick, _SETTING, len(events), mido.MetaMessage("key_signature", key=name))
            )
    return _track("tempo", events, score.tempo.end_tick)


def _group_track(score: ScorePlan, group: str) -> Any:
    import mido

    events: list[tuple[int, int, int, Any]] = []
    for control in score.controls:
        if control.group != group:
            continue
        if control.number < 0:
            message = mido.Message("program_change", channel=control.channel, program=control.value)
        else:
            message = mido.Message(
                "control_change",
                channel=control.channel,
                control=control.number,
                value=control.value,
            )
        events.append((control.tick, _SETTING, len(events), message))
    for note in score.notes:
        if note.group != group:
            continue
        on = mido.Message("note_on", channel=note.channel, note=note.pitch, velocity=note.velocity)
        off = mido.Message("note_off", channel=note.channel, note=note.pitch, velocity=0)
        events.append((note.start, _NOTE_ON, len(events), on))
        events.append((note.end, _NOTE_OFF, len(events), off))
    return _track(group, events, score.tempo.end_tick)


def midi_bytes(score: ScorePlan, groups: Sequence[str] | None = None) -> bytes:
    """The score (or only ``groups`` of it) as the bytes of a type-1 MIDI file."""
    import mido

    midi = mido.MidiFile(type=1, ticks_per_beat=TICKS_PER_QUARTER)
    midi.tracks.append(_conductor(score))
    for group in score.groups if groups is None else groups:
        midi.tracks.append(_group_track(score, group))
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()
