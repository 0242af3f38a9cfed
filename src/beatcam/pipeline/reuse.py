"""A shot's camera track, reused from the project's cache where nothing it is made from changed.

The camera's search (``camera.track_for``) is most of a plan's work, and a re-plan after one
beat is edited asks it again for every shot of the scene with the same inputs. So each track is
stored in the cache (``beatcam.cache``, namespace ``camera-track``) under the digest of exactly
what ``track_for`` reads, and taken from there by the next run:

- the shot's words, without its place on the timeline (``start_frame``), its id (which only
  seeds a handheld shot's shake, so it is kept for those), and its ``why`` and ``reason``
  (words about the choice, which the camera never reads);
- over the shot's own frames, every character's name, height, fps, ground position, facing and
  posed eyes (the subjects' framing and everybody's body as an obstacle are made of these);
- the set's boxes, and for an insert the prop in its subject's hand over those frames;
- the sensor, the fps and the seed (and, through ``cache.key``, beatcam's code and version).

A shot whose beat and surroundings did not change is found again even where an edit before
it changed the scene's length, since nothing in the key counts frames from the scene's start.
A stored track is the bytes ``track_for`` would give: the same function of the same numbers.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from beatcam import cache
from beatcam.camera import track_for
from beatcam.model import Blocking, CameraTrack, Reason, SetDesign, ShotSpec

TRACK_NAMESPACE = "camera-track"
# The move whose track depends on the shot's id (its shake is seeded by it).
SEEDED_BY_ID = "handheld"


def camera_track(
    spec: ShotSpec,
    blocking: Blocking,
    set_design: SetDesign,
    sensor_mm: tuple[float, float],
    fps: int,
    seed: int,
) -> CameraTrack:
    """``track_for``'s track of the shot, from the cache when a run before made it from the
    same inputs (see the module's docstring), else computed and stored for the next run."""
    entry = track_key(spec, blocking, set_design, sensor_mm, fps, seed)
    stored = cache.get_object(TRACK_NAMESPACE, entry)
    if isinstance(stored, CameraTrack):  # built again: unpickled arrays come back writeable
        return CameraTrack(stored.position, stored.rotation, stored.focal_mm, stored.focus_m)
    camera = track_for(spec, blocking, set_design, sensor_mm, fps, seed)
    cache.put_object(TRACK_NAMESPACE, entry, camera)
    return camera


def track_key(
    spec: ShotSpec,
    blocking: Blocking,
    set_design: SetDesign,
    sensor_mm: tuple[float, float],
    fps: int,
    seed: int,
) -> str:
    """The cache key of a shot's track: the digest of what ``track_for`` reads of its inputs."""
    start, frames = spec.start_frame, spec.frames
    window = slice(start, start + frames)
    words = replace(
        spec,
        start_frame=0,
        id=spec.id if spec.movement == SEEDED_BY_ID else "",
        why="",
        reason=Reason(),
    )
    people = [
        (name, track.height_m, track.fps, track.position[window], track.facing_deg[window],
         track.eyes(start, frames))
        for name, track in blocking.tracks.items()
    ]  # fmt: skip
    held = None
    if spec.framing == "insert" and spec.subjects and start < blocking.frames:
        prop = set_design.held(spec.subjects[0], start)
        held = None if prop is None else np.asarray(prop.position[window])
    return cache.key(
        TRACK_NAMESPACE,
        cache.canonical(words),
        cache.canonical([people, set_design.boxes, held]),
        cache.canonical([list(sensor_mm), fps, seed]),
        cache.libraries("numpy"),
    )
