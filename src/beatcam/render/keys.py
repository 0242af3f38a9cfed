"""Cache keys of rendered shots: a shot's previs pictures change only when its key changes.

A shot's frames (``previs.FrameMaker`` and the HUD) are made from: the shot itself (its words
for the HUD, its transition for fades, its camera track), its beat (the HUD's beat band), the
previous shot's camera when the shot dissolves from it, every cast member's blocking over the
shot's frames, and of the plan only the cast (names, heights and their order, which picks the
colours), the set, fps (the HUD's timecode), aspect and sensor; plus the render settings and
the beatcam version (``beatcam.cache.key``). Audio is not part of it: it is encoded per file
from the score anyway (``video.py``).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping
from typing import Any, Final

import numpy as np

from beatcam.cache import key
from beatcam.model.plan import ShotPlan

NAMESPACE: Final = "previs-shot"


def previs_shot_key(plan: ShotPlan, shot_id: str, *, resolution: tuple[int, int], hud: bool) -> str:
    """The cache key of one shot's previs frames at ``resolution`` with or without the HUD."""
    index = [s.id for s in plan.shots].index(shot_id)
    shot = plan.shots[index]
    window = slice(shot.start_frame, shot.start_frame + shot.frames)
    previous = plan.shots[index - 1] if index and shot.transition == "dissolve" else None
    depends = {
        "shot": shot,
        "beat": next((b for b in plan.beats if b.index == shot.beat), None),
        "dissolves_from": None if previous is None else previous.camera,
        "blocking": {
            name: (track.height_m, track.position[window], track.facing_deg[window])
            for name, track in plan.blocking.tracks.items()
        },
        "plan": (plan.cast, plan.set, plan.fps, plan.aspect, plan.sensor_mm),
        "render": {"resolution": resolution, "hud": hud},
    }
    text = json.dumps(_plain(depends), sort_keys=True, separators=(",", ":"))
    return key(NAMESPACE, text)


def previs_shot_keys(plan: ShotPlan, *, resolution: tuple[int, int], hud: bool) -> dict[str, str]:
    """Every shot's key by shot id, in shot order."""
    return {
        shot.id: previs_shot_key(plan, shot.id, resolution=resolution, hud=hud)
        for shot in plan.shots
    }


def _plain(value: Any) -> Any:
    """JSON-ready data with the same content: dataclasses by field, arrays by dtype, shape and
    the digest of their bytes, floats exactly (JSON writes ``repr``)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        return [str(data.dtype), list(data.shape), hashlib.sha256(data.tobytes()).hexdigest()]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    return value
