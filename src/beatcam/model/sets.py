"""The set preset library: grey-box sets a scene can name with ``set:``.

Each set is built around its acting area at the origin; the front (+Z) is left open like a
stage, so the camera has room to stand back. ``walk_heading_deg`` is the direction a walk or
chase runs along (the corridor's or street's length), ``walk_room_m`` how far it can go, and
``entrance`` the off-stage spot (behind a wall, down the street) a character enters from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from beatcam.model.plan import SetBox, SetDesign


@dataclass(frozen=True)
class SetPreset:
    name: str
    description: str
    boxes: tuple[SetBox, ...]
    walk_heading_deg: float = 0.0
    walk_room_m: float = 12.0
    entrance: tuple[float, float] = (0.0, -30.0)  # (x, z) off stage, where entrances start

    def design(self) -> SetDesign:
        return SetDesign(preset=self.name, boxes=self.boxes)


def _wall(name: str, x: float, z: float, width: float, depth: float, height: float) -> SetBox:
    return SetBox(name, (x, height / 2.0, z), (width, height, depth))


def _stairs(
    steps: int, x: float, z0: float, rise: float, run: float, width: float
) -> tuple[SetBox, ...]:
    return tuple(
        SetBox(
            f"step_{i + 1:02d}",
            (x, rise * (i + 1) / 2.0, z0 - run * i),
            (width, rise * (i + 1), run),
        )
        for i in range(steps)
    )


PRESETS: dict[str, SetPreset] = {
    preset.name: preset
    for preset in (
        SetPreset("empty", "open grey ground, no set pieces", (), walk_room_m=30.0),
        SetPreset(
            "kitchen",
            "kitchen with a table at the centre, counter and two walls",
            (
                SetBox("table", (0.0, 0.38, 0.0), (1.6, 0.76, 0.9)),
                SetBox("counter", (0.0, 0.45, -3.6), (4.0, 0.9, 0.6)),
                _wall("back_wall", 0.0, -4.0, 10.0, 0.1, 2.8),
                _wall("left_wall", -5.0, 0.0, 0.1, 8.0, 2.8),
                SetBox("fridge", (-4.4, 0.9, -3.5), (0.8, 1.8, 0.7)),
            ),
            walk_heading_deg=90.0,
            walk_room_m=4.0,
            entrance=(9.0, 0.9),
        ),
        SetPreset(
            "interior",
            "living room with a sofa, a low table, a doorway and two walls",
            (
                SetBox("sofa", (0.0, 0.4, -2.2), (2.2, 0.8, 0.9)),
                SetBox("low_table", (0.0, 0.22, -0.9), (1.2, 0.44, 0.6)),
                _wall("back_wall", 0.0, -3.2, 10.0, 0.1, 2.8),
                _wall("right_wall", 5.0, 0.0, 0.1, 8.0, 2.8),
                SetBox("bookcase", (4.6, 1.0, -2.0), (0.5, 2.0, 1.6)),
            ),
            walk_heading_deg=90.0,
            walk_room_m=4.0,
            entrance=(-9.0, -0.5),
        ),
        SetPreset(
            "street",
            "city street: two rows of buildings along Z, a lamp post and a parked car",
            (
                _wall("buildings_left", -7.0, -10.0, 4.0, 40.0, 12.0),
                _wall("buildings_right", 7.0, -10.0, 4.0, 40.0, 9.0),
                SetBox("lamp_post", (3.5, 2.0, -2.0), (0.15, 4.0, 0.15)),
                SetBox("parked_car", (3.6, 0.7, -8.0), (1.8, 1.4, 4.2)),
            ),
            walk_heading_deg=180.0,
            walk_room_m=24.0,
        ),
        SetPreset(
            "corridor",
            "long corridor, 4 m wide, walls along Z, a door recess halfway",
            (
                _wall("wall_left", -2.05, -12.0, 0.1, 40.0, 3.0),
                _wall("wall_right", 2.05, -12.0, 0.1, 40.0, 3.0),
                _wall("end_wall", 0.0, -32.0, 4.2, 0.1, 3.0),
            ),
            walk_heading_deg=180.0,
            walk_room_m=20.0,
        ),
        SetPreset(
            "stairwell",
            "stairwell: a flight of stairs rising to a landing, open well beside it",
            (
                *_stairs(12, -1.5, -1.0, 0.18, 0.28, 1.2),
                SetBox("landing", (-1.5, 1.08, -5.0), (3.0, 2.16, 1.6)),
                _wall("back_wall", 0.0, -6.0, 8.0, 0.1, 6.0),
                _wall("left_wall", -3.5, -2.0, 0.1, 8.0, 6.0),
            ),
            walk_heading_deg=90.0,
            walk_room_m=5.0,
            entrance=(3.0, -5.0),
        ),
        SetPreset(
            "landscape",
            "open landscape: distant hills and a few rocks",
            (
                SetBox("rock_a", (-6.0, 0.5, -8.0), (2.0, 1.0, 1.6)),
                SetBox("rock_b", (9.0, 0.8, -14.0), (3.0, 1.6, 2.4)),
                SetBox("hill_a", (-30.0, 4.0, -70.0), (40.0, 8.0, 20.0)),
                SetBox("hill_b", (25.0, 6.0, -90.0), (50.0, 12.0, 25.0)),
            ),
            walk_heading_deg=180.0,
            walk_room_m=40.0,
        ),
        SetPreset(
            "office",
            "office: a desk with a chair, a window wall and filing cabinets",
            (
                SetBox("desk", (0.0, 0.38, -1.2), (1.8, 0.76, 0.8)),
                _wall("window_wall", 0.0, -3.0, 10.0, 0.1, 2.8),
                SetBox("cabinets", (-3.8, 0.7, -2.5), (1.2, 1.4, 0.6)),
            ),
            walk_heading_deg=90.0,
            walk_room_m=4.0,
            entrance=(9.0, -1.0),
        ),
    )
}

DEFAULT_PRESET = "empty"


# A character this close to the set's entrance is waiting off stage for their entrance.
OFF_STAGE_M = 0.05


def on_stage(preset_name: str, ground: np.ndarray) -> np.ndarray:
    """``(...)`` True where a character at ground points ``(..., 3)`` [x, y, z] is on stage:
    anywhere but the preset's off-stage entrance spot, where entrances wait to begin."""
    preset = PRESETS.get(preset_name)
    if preset is None:
        return np.ones(ground.shape[:-1], dtype=bool)
    offset = ground[..., [0, 2]] - np.asarray(preset.entrance, dtype=np.float64)
    present: np.ndarray = np.linalg.norm(offset, axis=-1) > OFF_STAGE_M
    return present


def preset_named(name: str) -> SetPreset:
    """The preset called ``name``; KeyError when there is none (callers word the error)."""
    return PRESETS[name]
