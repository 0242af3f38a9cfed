"""The render cache: a shot's encoded previs frames, kept under a key of what they are made of.

A shot's frames (``previs.FrameMaker``, the HUD, fades and dissolves) are made from the plan.
The key is derived from the plan's own data rather than from a list of what the renderer reads
today: every field of the plan is in it, each cut to what one shot can see, except the fields
named in ``NOT_IN_FRAMES``. ``shots`` and ``beats`` count only this shot, its beat and, when it
dissolves, the camera it dissolves from; everything else (cast, set, blocking, fps, aspect,
sensor, and any field added later, such as per-frame poses or props) counts whole, with its
per-frame sequences (those as long as the scene) cut to the shot's frames and its clip's
handles. To the plan's data the key adds the render settings, the encoder's options and
libraries, and the code that made it (``beatcam.cache.key``).

A file's encoded audio is kept under ``AUDIO_NAMESPACE``, keyed by the samples it encodes (their
shape and bytes), the AAC settings and the libraries that encode it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from beatcam import blas, cache
from beatcam.model.plan import Shot, ShotPlan
from beatcam.model.vocab import handle_frames
from beatcam.render.video import (
    AAC_FRAME,
    AUDIO_BITRATE,
    AUDIO_RATE,
    ENCODER,
    ENCODER_OPTIONS,
    Audio,
    EncodedAudio,
    EncodedShot,
)
from beatcam.render.writing import shot_writing

NAMESPACE: Final = "previs-shot"
AUDIO_NAMESPACE: Final = "previs-audio"
# Plan fields no rendered pixel depends on: the file's metadata says them, added when muxed.
NOT_IN_FRAMES: Final = frozenset({"title", "seed", "style", "resolution", "provenance"})


def previs_shot_key(plan: ShotPlan, shot_id: str, *, resolution: tuple[int, int], hud: bool) -> str:
    """The cache key of one shot's previs frames at ``resolution`` with or without the HUD."""
    index = [s.id for s in plan.shots].index(shot_id)
    shot = plan.shots[index]
    handle = handle_frames(plan.fps)  # the clip's handles show the scene around the shot
    window = slice(max(0, shot.start_frame - handle), shot.start_frame + shot.frames + handle)
    previous = plan.shots[index - 1] if index and shot.transition == "dissolve" else None
    depends: dict[str, Any] = {
        "shot": shot,
        "beat": next((b for b in plan.beats if b.index == shot.beat), None),
        "lettered": shot_writing(plan, index),  # what its camera letters on a sign
        "dissolves_from": None if previous is None else previous.camera,
        "dissolves_from_lettered": None if previous is None else shot_writing(plan, index - 1),
        "render": {"resolution": resolution, "hud": hud, "encoder": _encoder()},
    }
    for item in dataclasses.fields(plan):
        if item.name not in NOT_IN_FRAMES | {"shots", "beats"}:
            depends[item.name] = _windowed(getattr(plan, item.name), plan.frames, window)
    return cache.key(NAMESPACE, cache.canonical(depends))


def previs_shot_keys(plan: ShotPlan, *, resolution: tuple[int, int], hud: bool) -> dict[str, str]:
    """Every shot's key by shot id, in shot order."""
    return {
        shot.id: previs_shot_key(plan, shot.id, resolution=resolution, hud=hud)
        for shot in plan.shots
    }


@dataclass
class PrevisCache:
    """The cached shots of one plan at one render setting, and what a render took from it:
    ``reused`` the shots found, ``made`` those rendered and stored; also the files' encoded
    audio, whatever plan it came with."""

    plan: ShotPlan
    resolution: tuple[int, int]
    hud: bool
    reused: list[str] = field(default_factory=list)
    made: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._keys = previs_shot_keys(self.plan, resolution=self.resolution, hud=self.hud)

    def get(self, shot: Shot) -> EncodedShot | None:
        """The shot's encoded frames, or None where they have to be rendered."""
        blob = cache.get(NAMESPACE, self._keys[shot.id])
        found = None
        if blob is not None:
            try:
                found = EncodedShot.from_bytes(blob)
            except ValueError:
                found = None
        if found is not None and len(found.packets) == shot.frames:
            self.reused.append(shot.id)
            return found
        return None

    def put(self, shot: Shot, encoded: EncodedShot) -> None:
        """Keep a shot just rendered for the next run."""
        cache.put(NAMESPACE, self._keys[shot.id], encoded.to_bytes())
        self.made.append(shot.id)

    def get_audio(self, samples: Audio) -> EncodedAudio | None:
        """The AAC packets an earlier run made of ``samples``, or None."""
        blob = cache.get(AUDIO_NAMESPACE, _audio_key(samples))
        if blob is None:
            return None
        try:
            return EncodedAudio.from_bytes(blob)
        except ValueError:
            return None

    def put_audio(self, samples: Audio, encoded: EncodedAudio) -> None:
        """Keep the AAC packets just made of ``samples`` for the next run."""
        cache.put(AUDIO_NAMESPACE, _audio_key(samples), encoded.to_bytes())


def _audio_key(samples: Audio) -> str:
    settings = {"rate": AUDIO_RATE, "bitrate": AUDIO_BITRATE, "frame": AAC_FRAME}
    return cache.key(
        AUDIO_NAMESPACE,
        cache.canonical(
            {"aac": settings, "shape": samples.shape, "dtype": str(samples.dtype), **_libraries()}
        ),
        np.ascontiguousarray(samples).tobytes(),
    )


def _encoder() -> dict[str, Any]:
    """The encoder's name, options, the FFmpeg libraries and PyAV that run it, and the
    processors it may use: libx264 makes a thread per processor, and its frame threads change
    the bytes it writes."""
    return {
        "codec": ENCODER,
        "options": ENCODER_OPTIONS,
        **_libraries(),
        "processors": blas.usable_cores(),
    }


def _libraries() -> dict[str, Any]:
    """The FFmpeg libraries and the PyAV that encode."""
    import av

    return {
        "libraries": {name: list(v) for name, v in sorted(av.library_versions.items())},
        "pyav": av.__version__,
    }


def _windowed(value: Any, frames: int, window: slice) -> Any:
    """``value`` with every sequence as long as the scene (per-frame data) cut to ``window``."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            item.name: _windowed(getattr(value, item.name), frames, window)
            for item in dataclasses.fields(value)
            if item.init  # a field the others derive (posed eye points) adds nothing to a key
        }
    if isinstance(value, Mapping):
        return {str(k): _windowed(v, frames, window) for k, v in value.items()}
    if isinstance(value, np.ndarray | tuple | list) and len(value) == frames:
        return value[window]
    if isinstance(value, tuple | list):
        return [_windowed(item, frames, window) for item in value]
    return value
