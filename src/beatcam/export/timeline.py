"""The cut as an OpenTimelineIO timeline, written through OTIO's adapters to editing tools.

One video track holds a clip per shot, named by its id, whose media is ``shots/<id>.mp4``; one
audio track holds ``score.wav`` for the whole scene; each beat is a marker at its first frame.
Times are frame counts at the plan's fps (``RationalTime``), never seconds. A ``dissolve`` into
a shot is a Transition that starts at the cut (``in_offset`` 0), so the incoming shot starts on
its own first frame as the plan says; the outgoing shot has no handles, so an editor's tool
holds its last frame under the dissolve.

Media URLs are relative to the output folder (``shots/S01.mp4``, ``score.wav``), which keeps
the files byte-identical wherever the folder lives. FCPXML resolves relative ``src`` URLs
against the document's folder (Apple's FCPXML reference); DaVinci Resolve does the same for
FCP 7 XML ``pathurl``; Premiere asks to locate the first clip and then finds the rest.

What each adapter keeps (checked by round-trip tests):

- ``.otio``: everything, including ``metadata["beatcam"]`` on timeline, clips and markers.
- ``.xml`` (FCP 7 / Premiere): clips, dissolves, audio, sequence markers; beatcam metadata is
  carried as each clip's logging info (description = why, log note = size/angle/movement).
- ``.edl`` (CMX 3600): the video track only (the adapter writes no audio events); clip names
  come back from ``* FROM CLIP NAME`` comments; beat markers ride on clips as ``* LOC`` lines,
  upper-cased. After a dissolve the reader gives the incoming clip the outgoing clip's media
  URL and markers (it reads the event's FROM comments), an adapter limit.
- ``.fcpxml``: clips, audio and clip markers; the adapter writes no transitions, so a dissolve
  becomes a cut there (durations unchanged).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import opentimelineio as otio

from beatcam.export.provenance import facts
from beatcam.export.trajectory import check_contiguous
from beatcam.files import atomic_path
from beatcam.model import PlannedBeat, Shot, ShotPlan, ShotSpec

MEDIA_FOLDER = "shots"
SCORE_FILE = "score.wav"
FILE_STEM = "timeline"
DISSOLVE_SECONDS = 0.5
MARKER_WORDS = 6
MARKER_COLOR = otio.schema.MarkerColor.BLUE
SUFFIXES = ("otio", "edl", "xml", "fcpxml")
# formats whose adapter keeps markers only on clips, not on the sequence
CLIP_MARKER_SUFFIXES = frozenset({"edl", "fcpxml"})


def _frames(count: int, fps: int) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(count, fps)


def _span(start: int, count: int, fps: int) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(_frames(start, fps), _frames(count, fps))


def shot_metadata(shot: Shot) -> dict[str, Any]:
    """The director's words for one shot (every ShotSpec field), for ``metadata["beatcam"]``."""
    words = {
        field.name: getattr(shot, field.name)
        for field in dataclasses.fields(ShotSpec)
        if field.name != "reason"  # the why's data stays in plan.json; its words go here
    }
    words["subjects"] = list(shot.subjects)
    words["intent"] = (
        {"name": str(shot.intent.name), "confidence": shot.intent.confidence}
        if shot.intent
        else None
    )
    return words


def marker_name(beat: PlannedBeat) -> str:
    """``B<n> <first words of the beat>``, with n counted from 1 like shot ids."""
    words = beat.text.split()
    return " ".join([f"B{beat.index + 1}", *words[:MARKER_WORDS]])


def _beat_marker(beat: PlannedBeat, start: int, fps: int) -> otio.schema.Marker:
    return otio.schema.Marker(
        name=marker_name(beat),
        marked_range=_span(start, 0, fps),
        color=MARKER_COLOR,
        metadata={
            "beatcam": {"beat": beat.index, "text": beat.text, "function": beat.affect.function}
        },
    )


def _clip(shot: Shot, fps: int) -> otio.schema.Clip:
    available = _span(0, shot.frames, fps)
    media = otio.schema.ExternalReference(
        target_url=f"{MEDIA_FOLDER}/{shot.id}.mp4", available_range=available
    )
    return otio.schema.Clip(
        name=shot.id,
        media_reference=media,
        source_range=available,
        metadata={"beatcam": shot_metadata(shot)},
    )


def _dissolve(into: Shot, previous: Shot, fps: int) -> otio.schema.Transition:
    length = min(round(DISSOLVE_SECONDS * fps), into.frames, previous.frames)
    return otio.schema.Transition(
        name=f"dissolve to {into.id}",
        transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
        in_offset=_frames(0, fps),
        out_offset=_frames(length, fps),
    )


def build_timeline(plan: ShotPlan) -> otio.schema.Timeline:
    """The cut of a plan: video track of shots, audio track of the score, beat markers."""
    check_contiguous(plan)
    fps = plan.fps
    timeline = otio.schema.Timeline(
        name=plan.title,
        global_start_time=_frames(0, fps),
        metadata={"beatcam": facts(plan)},
    )
    video = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    for index, shot in enumerate(plan.shots):
        if index > 0 and shot.transition == "dissolve":
            video.append(_dissolve(shot, plan.shots[index - 1], fps))
        video.append(_clip(shot, fps))
    score = otio.schema.ExternalReference(
        target_url=SCORE_FILE, available_range=_span(0, plan.frames, fps)
    )
    audio = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
    audio.append(
        otio.schema.Clip(
            name="score", media_reference=score, source_range=_span(0, plan.frames, fps)
        )
    )
    timeline.tracks.extend([video, audio])
    for beat in plan.beats:
        timeline.tracks.markers.append(_beat_marker(beat, beat.start_frame, fps))
    return timeline


def _markers_on_clips(timeline: otio.schema.Timeline, plan: ShotPlan) -> None:
    """Move sequence markers onto the clip playing at each beat's start, in clip time."""
    timeline.tracks.markers.clear()
    clips = {clip.name: clip for clip in timeline.video_tracks()[0].find_clips()}
    for beat in plan.beats:
        shot = next(
            s for s in plan.shots if s.start_frame <= beat.start_frame < s.start_frame + s.frames
        )
        marker = _beat_marker(beat, beat.start_frame - shot.start_frame, plan.fps)
        clips[shot.id].markers.append(marker)


def _logging_info(timeline: otio.schema.Timeline, plan: ShotPlan) -> None:
    """Give FCP 7 XML clips the plan's words as logging info, which Premiere shows."""
    for clip in timeline.video_tracks()[0].find_clips():
        shot = plan.shot(clip.name)
        note = f"{shot.size} {shot.angle} {shot.movement} {shot.framing} {shot.lens_mm:g}mm"
        clip.metadata["fcp_xml"] = {
            "logginginfo": {
                "description": shot.why,
                "scene": plan.title,
                "shottake": shot.id,
                "lognote": note,
            }
        }


def _reels(timeline: otio.schema.Timeline) -> None:
    """Name each EDL source reel after its shot (the adapter would make ``S01mp4``)."""
    for clip in timeline.video_tracks()[0].find_clips():
        clip.metadata["cmx_3600"] = {"reel": clip.name}


def adapted(plan: ShotPlan, suffix: str) -> otio.schema.Timeline:
    """The timeline as the adapter for ``suffix`` should receive it."""
    timeline = build_timeline(plan)
    if suffix in CLIP_MARKER_SUFFIXES:
        _markers_on_clips(timeline, plan)
    if suffix == "edl":
        _reels(timeline)
    if suffix == "xml":
        _logging_info(timeline, plan)
    return timeline


def write_timeline(plan: ShotPlan, out_dir: Path, suffix: str) -> Path:
    """Write ``timeline.<suffix>`` through OTIO's adapter for that suffix; return its path."""
    target = out_dir / f"{FILE_STEM}.{suffix}"
    adapter = otio.adapters.from_filepath(target.name)
    options: dict[str, Any] = {"rate": plan.fps} if suffix == "edl" else {}
    # a fresh timeline each time: the EDL writer edits the timeline it is given
    text = adapter.write_to_string(adapted(plan, suffix), **options)
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="\n")
    return target
