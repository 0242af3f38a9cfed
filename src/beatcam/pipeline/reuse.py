"""A shot's camera work, reused from the project's cache where nothing it is made from changed.

The camera's search (``camera.track_for``) and the critic's repairs around it are most of a
plan's work, and a re-plan after one beat is edited would do them again for every shot of the
scene on the same inputs. So two results are stored in the cache (``beatcam.cache``), each under
the digest of exactly what makes it, and taken from there by the next run:

- ``camera-track``: a shot's track, from the shot's words (without its place on the timeline,
  its id, which only seeds a handheld shot's shake and is kept for those, and its ``why`` and
  ``reason``, words about the choice that the camera never reads); over the shot's own frames,
  every character's name, height, fps, ground position, facing and posed eyes (the subjects'
  framing and everybody's body as an obstacle are made of these); the set's boxes, and for an
  insert the prop in its subject's hand; the sensor, the fps and the seed.
- ``settled-shot``: a shot as the plan keeps it after the critic and the repairs
  (``planning``'s loop over the shots) with its final checks: from all of the above, the
  shot's whole words; for a beat played on the face, where each face turns over its frames
  (a repair may cover the beat with the other person's single); what the cut into it reads of
  the shot before (its size, framing, subjects and the camera's last position); the framing
  and length of the beat's other shots (which one is the beat's main shot); the beat's
  narrative function and the characters it names (whom a repair covers it with first); the
  set's preset (who is on stage) and the plan's style.

Nothing in a key counts frames from the scene's start, so a shot whose beat and neighbours did
not change is found again where an edit before it changed the scene's length; its id and start
frame are put back on it, and its checks are named after it and the shot before it again. A
stored result is the bytes a fresh one would be: the same functions of the same numbers (and,
through ``cache.key``, of the same code).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, replace
from typing import Any

import numpy as np

from beatcam import cache
from beatcam.camera import Judged, track_for
from beatcam.critic import REACTIONS
from beatcam.model import (
    Blocking,
    CameraTrack,
    Check,
    Reason,
    SetDesign,
    Shot,
    ShotPlan,
    ShotSpec,
)

TRACK_NAMESPACE = "camera-track"
SETTLED_NAMESPACE = "settled-shot"
# The move whose track depends on the shot's id (its shake is seeded by it).
SEEDED_BY_ID = "handheld"
# How a stored check names its shot ("") and the cut into it (CUT), put back by ``settled``.
CUT = ">"
# A long scene's tracks asked of the cache one shot in this many (``tracks_to_make``): 100
# keys for 2,000 shots, ~0.05 s of CPU.
SAMPLED_EVERY = 20


def camera_track(
    spec: ShotSpec,
    blocking: Blocking,
    set_design: SetDesign,
    sensor_mm: tuple[float, float],
    fps: int,
    seed: int,
    judged: Judged | None = None,
) -> CameraTrack:
    """``track_for``'s track of the shot, from the cache when a run before made it from the
    same inputs (see the module's docstring), else computed (with the candidates ``judged``
    for other versions of the shot) and stored for the next run."""
    if cache.root() is None:
        return track_for(spec, blocking, set_design, sensor_mm, fps, seed, judged)
    entry = _track_key(spec, blocking, set_design, sensor_mm, fps, seed)
    stored = cache.get_object(TRACK_NAMESPACE, entry)
    if isinstance(stored, CameraTrack):
        return _frozen(stored)
    camera = track_for(spec, blocking, set_design, sensor_mm, fps, seed, judged)
    cache.put_object(TRACK_NAMESPACE, entry, camera)
    return camera


def tracks_to_make(
    specs: Sequence[ShotSpec],
    blocking: Blocking,
    set_design: SetDesign,
    sensor_mm: tuple[float, float],
    fps: int,
    seed: int,
) -> int:
    """About how many of the shots' tracks the cache lacks (all of them without a cache),
    from every ``SAMPLED_EVERY``-th shot's: a re-plan after an edit finds nearly all."""
    if cache.root() is None:
        return len(specs)
    sampled = specs[::SAMPLED_EVERY]
    paths = [
        cache.entry_path(
            TRACK_NAMESPACE, _track_key(spec, blocking, set_design, sensor_mm, fps, seed)
        )
        for spec in sampled
    ]
    missing = sum(1 for path in paths if path is None or not path.is_file())
    return round(missing * len(specs) / max(1, len(sampled)))


def _track_key(
    spec: ShotSpec,
    blocking: Blocking,
    set_design: SetDesign,
    sensor_mm: tuple[float, float],
    fps: int,
    seed: int,
) -> str:
    return cache.key(
        TRACK_NAMESPACE,
        cache.canonical(_words(spec)),
        cache.canonical(_surroundings(spec, blocking, set_design, faces=False)),
        cache.canonical([list(sensor_mm), fps, seed]),
        cache.libraries("numpy"),
    )


def settled_key(plan: ShotPlan, index: int, set_design: SetDesign) -> str | None:
    """The cache key of shot ``index`` settled (see the module's docstring), asked before its
    settling starts: every shot before it final, it and those after it as first tracked; None
    when there is no cache to ask."""
    if cache.root() is None:
        return None
    shot = plan.shots[index]
    before = plan.shots[index - 1] if index else None
    beat = plan.beats[shot.beat]
    reaction = beat.affect.function in REACTIONS or (
        shot.intent is not None and shot.intent.name in REACTIONS
    )
    cut = None
    if before is not None:
        cut = [before.size, before.framing, list(before.subjects), before.camera.position[-1]]
    spec = replace(_words(shot), why=shot.why, reason=shot.reason)
    return cache.key(
        SETTLED_NAMESPACE,
        cache.canonical({field.name: getattr(spec, field.name) for field in fields(ShotSpec)}),
        cache.canonical(_surroundings(shot, plan.blocking, set_design, faces=reaction)),
        cache.canonical(
            [cut, _siblings(plan, index), beat.affect.function, list(beat.affect.characters)]
        ),
        cache.canonical([plan.set.preset, plan.style]),
        cache.canonical([list(plan.sensor_mm), plan.fps, plan.seed]),
        cache.libraries("numpy"),
    )


def settled(plan: ShotPlan, index: int, entry: str | None) -> tuple[ShotPlan, list[Check]] | None:
    """The plan with shot ``index`` as a run before settled it on the same inputs, and its
    checks; None when the cache does not hold it."""
    if entry is None:
        return None
    stored = cache.get_object(SETTLED_NAMESPACE, entry)
    if not isinstance(stored, tuple) or len(stored) != 2:
        return None
    kept, checks = stored
    if not isinstance(kept, Shot) or not isinstance(checks, list):
        return None
    shot = plan.shots[index]
    final = replace(kept, id=shot.id, start_frame=shot.start_frame, camera=_frozen(kept.camera))
    cut = f"{plan.shots[index - 1].id}>{shot.id}" if index else ""
    named = [replace(check, target=shot.id if check.target == "" else cut) for check in checks]
    shots = (*plan.shots[:index], final, *plan.shots[index + 1 :])
    return replace(plan, shots=shots), named


def keep_settled(plan: ShotPlan, index: int, checks: list[Check], entry: str | None) -> None:
    """Store shot ``index`` of ``plan`` as settled and its checks under ``entry`` (nowhere
    without a cache), named apart from the shot's id and place (``settled`` names them again)."""
    if entry is None:
        return
    shot = plan.shots[index]
    cut = f"{plan.shots[index - 1].id}>{shot.id}" if index else None
    targets: dict[str | None, str] = {shot.id: "", cut: CUT}
    if any(check.target not in targets for check in checks):
        return  # a check of something else: nothing this module knows how to name again
    named = [replace(check, target=targets[check.target]) for check in checks]
    cache.put_object(SETTLED_NAMESPACE, entry, (replace(shot, id="", start_frame=0), named))


def _siblings(plan: ShotPlan, index: int) -> list[tuple[str, int, bool]]:
    """The framing and length of each shot of shot ``index``'s beat, and which is this one
    (the critic finds the beat's main shot among them). A beat's shots are consecutive (shots
    follow each other in time, and beats do), so they are found beside it."""
    beat = plan.shots[index].beat
    first, last = index, index
    while first and plan.shots[first - 1].beat == beat:
        first -= 1
    while last + 1 < len(plan.shots) and plan.shots[last + 1].beat == beat:
        last += 1
    return [
        (other.framing, other.frames, position == index)
        for position, other in enumerate(plan.shots[first : last + 1], start=first)
    ]


def _words(spec: ShotSpec) -> ShotSpec:
    """What of a shot's words the camera reads: not its place on the timeline, not its id
    unless its shake is seeded by it, not the words that explain it."""
    return replace(
        spec,
        start_frame=0,
        id=spec.id if spec.movement == SEEDED_BY_ID else "",
        why="",
        reason=Reason(),
    )


def _surroundings(
    spec: ShotSpec, blocking: Blocking, set_design: SetDesign, faces: bool
) -> list[Any]:
    """Everything of the blocking and the set over the shot's frames that its camera work reads
    (``faces``: and where each face turns, read for a beat played on the face, whose repair
    may cover it with the other person's single)."""
    start, frames = spec.start_frame, spec.frames
    window = slice(start, start + frames)
    people = [
        [name, track.height_m, track.fps, track.position[window], track.facing_deg[window],
         track.eyes(start, frames)]
        for name, track in blocking.tracks.items()
    ]  # fmt: skip
    turns = [blocking.figure(name).face_yaw(window) for name in blocking.tracks] if faces else []
    held = None
    if spec.framing == "insert" and spec.subjects and start < blocking.frames:
        prop = set_design.held(spec.subjects[0], start)
        held = None if prop is None else np.asarray(prop.position[window])
    return [people, turns, _boxes(set_design), held]


def _boxes(set_design: SetDesign) -> list[Any]:
    """The set's boxes as a key reads them: their names, and their centres and sizes as one
    array, which a key digests at once (each box a dataclass to walk: 0.17 -> 0.05 s of CPU
    for the 4,000 keys of a 2,000-beat re-plan, issue 19)."""
    boxes = set_design.boxes
    sizes = np.array([(*box.center, *box.size) for box in boxes], dtype=np.float64)
    return [[box.name for box in boxes], sizes]


def _frozen(camera: CameraTrack) -> CameraTrack:
    """A stored track built again: unpickled arrays come back writeable."""
    return CameraTrack(camera.position, camera.rotation, camera.focal_mm, camera.focus_m)
