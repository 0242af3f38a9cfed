"""The cut as an OpenTimelineIO timeline, written through OTIO's adapters to editing tools.

One video track holds a clip per shot, named by its id, whose media is ``shots/<id>.mp4``; one
audio track holds ``score.wav`` for the whole scene; each beat is a marker at its first frame.
Times are frame counts at the plan's fps (``RationalTime``), never seconds. Each shot's media
has handles (``model.vocab.handle_frames`` more at both ends, no transition baked in), so its
available range is the shot plus two handles and the clip uses the middle. A ``dissolve`` into
a shot is a Transition as long as a handle that starts at the cut (``in_offset`` 0), so the
incoming shot starts on its own first frame as the plan says and the outgoing shot plays on
into its tail handle under the dissolve: no missing media, no double dissolve.

A film is the same cut over several scenes (``film_cut``): every scene's shots in order, clips
named ``<NN>-<shot id>`` (NN counts scenes from 01, like their folders), media under each scene's
folder (``01-corridor/shots/S01.mp4``), one score clip per scene on the audio track, and a marker
per scene, named by its title, at its first frame instead of the beat markers.

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
- ``.fcpxml``: clips, audio and clip markers. The adapter writes no transitions, so beatcam
  puts each dissolve into the spine itself (``_fcpxml_dissolves``): Final Cut Pro's built-in
  Cross Dissolve, from the cut for a handle's length, over the clips' handles as in OTIO. The
  adapter's reader does not read them back (an adapter limit).
"""

from __future__ import annotations

import dataclasses
import fractions
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import opentimelineio as otio

from beatcam.errors import StageError
from beatcam.export.provenance import facts
from beatcam.export.trajectory import check_contiguous
from beatcam.files import atomic_path
from beatcam.model import PlannedBeat, Shot, ShotPlan, ShotSpec
from beatcam.model.vocab import handle_frames

MEDIA_FOLDER = "shots"
SCORE_FILE = "score.wav"
FILE_STEM = "timeline"
MARKER_WORDS = 6
MARKER_COLOR = otio.schema.MarkerColor.BLUE
SUFFIXES = ("otio", "edl", "xml", "fcpxml")
# formats whose adapter keeps markers only on clips, not on the sequence
CLIP_MARKER_SUFFIXES = frozenset({"edl", "fcpxml"})
# Final Cut Pro's built-in Cross Dissolve, as FCP itself names it in the FCPXML it exports.
FCP_CROSS_DISSOLVE = {
    "name": "Cross Dissolve",
    "uid": "FxPlug:4731E73A-8DAC-4113-9A30-AE85B1761265",
}
FCPXML_PROLOGUE = '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE fcpxml>\n\n'


def _frames(count: int, fps: int) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(count, fps)


def _span(start: int, count: int, fps: int) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(_frames(start, fps), _frames(count, fps))


@dataclass(frozen=True)
class Placed:
    """One scene's plan in a cut: the folder holding its media (relative to the cut's file,
    ``""`` beside it), the prefix of its clip names, and its first frame in the cut."""

    plan: ShotPlan
    folder: str = ""
    label: str = ""
    start_frame: int = 0

    def media(self, name: str) -> str:
        """A URL of this scene's media, relative to the cut's folder."""
        return f"{self.folder}/{name}" if self.folder else name

    def clip_name(self, shot: Shot) -> str:
        return f"{self.label}{shot.id}"


@dataclass(frozen=True)
class CutMarker:
    """A named point of the cut, in frames from its start."""

    frame: int
    name: str
    metadata: Mapping[str, Any]


@dataclass(frozen=True)
class Cut:
    """What a timeline file shows: scenes end to end at one fps, markers and metadata."""

    name: str
    fps: int
    scenes: tuple[Placed, ...]
    markers: tuple[CutMarker, ...]
    metadata: Mapping[str, Any]

    def shots(self) -> list[tuple[Placed, Shot, int]]:
        """Every shot in cut order with its scene and its first frame in the cut."""
        return [
            (placed, shot, placed.start_frame + shot.start_frame)
            for placed in self.scenes
            for shot in placed.plan.shots
        ]


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


def scene_cut(plan: ShotPlan) -> Cut:
    """The cut of one scene: its shots, media beside the timeline, a marker per beat."""
    check_contiguous(plan)
    markers = tuple(
        CutMarker(
            beat.start_frame,
            marker_name(beat),
            {"beat": beat.index, "text": beat.text, "function": beat.affect.function},
        )
        for beat in plan.beats
    )
    return Cut(plan.title, plan.fps, (Placed(plan),), markers, facts(plan))


def film_cut(title: str, scenes: Sequence[tuple[ShotPlan, str]]) -> Cut:
    """The cut of a film: each ``(plan, folder)`` after the one before, a marker per scene.

    Raises StageError when there are no scenes or their frame rates differ (one timeline
    has one rate)."""
    if not scenes:
        raise StageError("export", "a film needs at least one scene")
    rates = sorted({plan.fps for plan, _ in scenes})
    if len(rates) > 1:
        raise StageError("export", f"scenes run at different fps {rates}; plan them at one fps")
    placed: list[Placed] = []
    start = 0
    for number, (plan, folder) in enumerate(scenes, start=1):
        check_contiguous(plan)
        placed.append(Placed(plan, folder, f"{number:02d}-", start))
        start += plan.frames
    markers = tuple(
        CutMarker(p.start_frame, p.plan.title, {"scene": n, "folder": p.folder})
        for n, p in enumerate(placed, start=1)
    )
    metadata = {
        "title": title,
        "scenes": [{"folder": p.folder, **facts(p.plan)} for p in placed],
    }
    return Cut(title, rates[0], tuple(placed), markers, metadata)


def _marker(marker: CutMarker, frame: int, fps: int) -> otio.schema.Marker:
    return otio.schema.Marker(
        name=marker.name,
        marked_range=_span(frame, 0, fps),
        color=MARKER_COLOR,
        metadata={"beatcam": dict(marker.metadata)},
    )


def _clip(placed: Placed, shot: Shot, fps: int) -> otio.schema.Clip:
    handle = handle_frames(fps)
    media = otio.schema.ExternalReference(
        target_url=placed.media(f"{MEDIA_FOLDER}/{shot.id}.mp4"),
        available_range=_span(0, shot.frames + 2 * handle, fps),
    )
    return otio.schema.Clip(
        name=placed.clip_name(shot),
        media_reference=media,
        source_range=_span(handle, shot.frames, fps),
        metadata={"beatcam": shot_metadata(shot)},
    )


def _dissolve_frames(into: Shot, previous: Shot, fps: int) -> int:
    """A dissolve's length: a handle, or shorter where either shot is."""
    return min(handle_frames(fps), into.frames, previous.frames)


def _dissolve(into: Shot, previous: Shot, name: str, fps: int) -> otio.schema.Transition:
    length = _dissolve_frames(into, previous, fps)
    return otio.schema.Transition(
        name=f"dissolve to {name}",
        transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
        in_offset=_frames(0, fps),
        out_offset=_frames(length, fps),
    )


def build_timeline(cut: Cut) -> otio.schema.Timeline:
    """The cut as a timeline: video track of shots, audio track of the scores, markers."""
    fps = cut.fps
    timeline = otio.schema.Timeline(
        name=cut.name,
        global_start_time=_frames(0, fps),
        metadata={"beatcam": dict(cut.metadata)},
    )
    video = otio.schema.Track(name="V1", kind=otio.schema.TrackKind.Video)
    previous: Shot | None = None
    for placed, shot, _ in cut.shots():
        if previous is not None and shot.transition == "dissolve":
            video.append(_dissolve(shot, previous, placed.clip_name(shot), fps))
        video.append(_clip(placed, shot, fps))
        previous = shot
    audio = otio.schema.Track(name="A1", kind=otio.schema.TrackKind.Audio)
    for placed in cut.scenes:
        frames = placed.plan.frames
        score = otio.schema.ExternalReference(
            target_url=placed.media(SCORE_FILE), available_range=_span(0, frames, fps)
        )
        audio.append(
            otio.schema.Clip(
                name="score", media_reference=score, source_range=_span(0, frames, fps)
            )
        )
    timeline.tracks.extend([video, audio])
    for marker in cut.markers:
        timeline.tracks.markers.append(_marker(marker, marker.frame, fps))
    return timeline


def _markers_on_clips(timeline: otio.schema.Timeline, cut: Cut) -> None:
    """Move sequence markers onto the clip playing at each marker's frame, in clip time."""
    timeline.tracks.markers.clear()
    clips = {clip.name: clip for clip in timeline.video_tracks()[0].find_clips()}
    for marker in cut.markers:
        placed, shot, start = next(
            (p, s, start) for p, s, start in cut.shots() if start <= marker.frame < start + s.frames
        )
        clips[placed.clip_name(shot)].markers.append(_marker(marker, marker.frame - start, cut.fps))


def _logging_info(timeline: otio.schema.Timeline, cut: Cut) -> None:
    """Give FCP 7 XML clips the plan's words as logging info, which Premiere shows."""
    clips = {clip.name: clip for clip in timeline.video_tracks()[0].find_clips()}
    for placed, shot, _ in cut.shots():
        note = f"{shot.size} {shot.angle} {shot.movement} {shot.framing} {shot.lens_mm:g}mm"
        clips[placed.clip_name(shot)].metadata["fcp_xml"] = {
            "logginginfo": {
                "description": shot.why,
                "scene": placed.plan.title,
                "shottake": shot.id,
                "lognote": note,
            }
        }


def _reels(timeline: otio.schema.Timeline) -> None:
    """Name each EDL source reel after its clip (the adapter would make ``S01mp4``)."""
    for clip in timeline.video_tracks()[0].find_clips():
        clip.metadata["cmx_3600"] = {"reel": clip.name}


def adapted(cut: Cut, suffix: str) -> otio.schema.Timeline:
    """The timeline as the adapter for ``suffix`` should receive it."""
    timeline = build_timeline(cut)
    if suffix in CLIP_MARKER_SUFFIXES:
        _markers_on_clips(timeline, cut)
    if suffix == "edl":
        _reels(timeline)
    if suffix == "xml":
        _logging_info(timeline, cut)
    return timeline


def _fcpxml_time(frames: int, fps: int) -> str:
    """FCPXML's rational seconds, as the adapter writes them: "97/12s", "3s"."""
    seconds = fractions.Fraction(frames, fps)
    return f"{seconds.numerator}s" if seconds.denominator == 1 else f"{seconds}s"


def _fcpxml_dissolves(text: str, cut: Cut) -> str:
    """The adapter's FCPXML with a Cross Dissolve ``<transition>`` in the spine before each
    clip the cut dissolves into: ``offset`` at the cut, as long as the OTIO transition, so the
    clips keep their offsets and durations and the outgoing one plays into its tail handle
    (how FCPXML overlaps a transition with its neighbours)."""
    root = ElementTree.fromstring(text)
    resources, spine = root.find("resources"), root.find(".//spine")
    if resources is None or spine is None:
        raise StageError("export", "the FCPXML adapter wrote no resources or no spine")
    taken = [int(item.get("id", "r0")[1:]) for item in resources]
    effect = f"r{max(taken, default=0) + 1}"
    clips = {clip.get("name"): clip for clip in spine}
    previous: Shot | None = None
    for placed, shot, start in cut.shots():
        if previous is not None and shot.transition == "dissolve":
            clip = clips[placed.clip_name(shot)]
            transition = ElementTree.Element(
                "transition",
                name=FCP_CROSS_DISSOLVE["name"],
                offset=_fcpxml_time(start, cut.fps),
                duration=_fcpxml_time(_dissolve_frames(shot, previous, cut.fps), cut.fps),
            )
            ElementTree.SubElement(
                transition, "filter-video", ref=effect, name=FCP_CROSS_DISSOLVE["name"]
            )
            spine.insert(list(spine).index(clip), transition)
        previous = shot
    if any(item.tag == "transition" for item in spine):
        ElementTree.SubElement(resources, "effect", {"id": effect, **FCP_CROSS_DISSOLVE})
    ElementTree.indent(root, space="    ")
    return FCPXML_PROLOGUE + ElementTree.tostring(root, encoding="unicode") + "\n"


def write_cut(cut: Cut, out_dir: Path, suffix: str) -> Path:
    """Write ``timeline.<suffix>`` of a cut through OTIO's adapter for that suffix."""
    target = out_dir / f"{FILE_STEM}.{suffix}"
    adapter = otio.adapters.from_filepath(target.name)
    options: dict[str, Any] = {"rate": cut.fps} if suffix == "edl" else {}
    # a fresh timeline each time: the EDL writer edits the timeline it is given
    text = adapter.write_to_string(adapted(cut, suffix), **options)
    if suffix == "fcpxml":
        text = _fcpxml_dissolves(text, cut)
    with atomic_path(target) as temporary:
        temporary.write_text(text, encoding="utf-8", newline="\n")
    return target


def write_timeline(plan: ShotPlan, out_dir: Path, suffix: str) -> Path:
    """Write a scene's ``timeline.<suffix>`` into ``out_dir``; return its path."""
    return write_cut(scene_cut(plan), out_dir, suffix)
