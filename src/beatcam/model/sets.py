"""The set preset library: grey-box sets a scene can name with ``set:``.

Each set is built around its acting area at the origin from the pieces of ``set_kit``; the
front (+Z) is left open like a stage, so the camera has room to stand back, and interiors are
walled on the other three sides like a studio set. ``walk_heading_deg`` is the direction a walk or
chase runs along (the corridor's or street's length), ``walk_room_m`` how far it can go, and
``entrance`` the off-stage spot (behind a wall, down the street) a character enters from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from beatcam.model.geometry import FloatArray
from beatcam.model.plan import Blocking, SetBox, SetDesign
from beatcam.model.set_kit import car, door, flight, room, window


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


# Interiors are a room 10 m wide, open toward the camera (+Z) to ROOM_FRONT_Z, with a door
# where their entrance comes in and a window in the wall across from it.
ROOM_HALF_WIDTH_M = 5.0
ROOM_FRONT_Z = 4.0
# People who enter wait just outside the door, so they are hidden by its wall only for the
# step before they come through it.
ENTRANCE_X = ROOM_HALF_WIDTH_M + 0.6

PRESETS: dict[str, SetPreset] = {
    preset.name: preset
    for preset in (
        SetPreset("empty", "open grey ground, no set pieces", (), walk_room_m=30.0),
        SetPreset(
            "kitchen",
            "kitchen with a table at the centre, a counter, a fridge; a door right, a window left",
            (
                SetBox("table", (0.0, 0.38, 0.0), (1.6, 0.76, 0.9)),
                SetBox("counter", (0.0, 0.45, -3.6), (4.0, 0.9, 0.6)),
                SetBox("fridge", (-4.4, 0.9, -3.5), (0.8, 1.8, 0.7)),
                *room(
                    ROOM_HALF_WIDTH_M,
                    -4.0,
                    ROOM_FRONT_Z,
                    (("right", door, 0.9), ("left", window, -0.5)),
                ),
            ),
            walk_heading_deg=90.0,
            walk_room_m=4.0,
            entrance=(ENTRANCE_X, 0.9),
        ),
        SetPreset(
            "interior",
            "living room with a sofa, a low table and a bookcase; a door left, a window right",
            (
                SetBox("sofa", (0.0, 0.4, -2.2), (2.2, 0.8, 0.9)),
                SetBox("table_low", (0.0, 0.22, -0.9), (1.2, 0.44, 0.6)),
                SetBox("bookcase", (4.6, 1.0, -2.0), (0.5, 2.0, 1.6)),
                *room(
                    ROOM_HALF_WIDTH_M,
                    -3.2,
                    ROOM_FRONT_Z,
                    (("left", door, -0.5), ("right", window, 1.0)),
                ),
            ),
            walk_heading_deg=90.0,
            walk_room_m=4.0,
            entrance=(-ENTRANCE_X, -0.5),
        ),
        SetPreset(
            "street",
            "city street: two rows of buildings along Z, a lamp post and a parked car",
            (
                _wall("building_left", -7.0, -10.0, 4.0, 40.0, 12.0),
                _wall("building_right", 7.0, -10.0, 4.0, 40.0, 9.0),
                SetBox("lamp_post", (3.5, 2.0, -2.0), (0.15, 4.0, 0.15)),
                *car(3.6, -8.0, 0),
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
                _wall("wall_end", 0.0, -32.0, 4.2, 0.1, 3.0),
            ),
            walk_heading_deg=180.0,
            walk_room_m=20.0,
        ),
        SetPreset(
            "stairwell",
            "stairwell: a flight of stairs rising to a landing, open well beside it",
            (
                *flight(12, -1.5, -2.54, 0),
                SetBox("stairs_landing", (-1.5, 1.08, -5.0), (3.0, 2.16, 1.6)),
                _wall("wall_back", 0.0, -6.0, 8.0, 0.1, 6.0),
                _wall("wall_left", -3.5, -2.0, 0.1, 8.0, 6.0),
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
            "office: a desk, filing cabinets, a wall of windows behind, a door right",
            (
                SetBox("desk", (0.0, 0.38, -1.2), (1.8, 0.76, 0.8)),
                SetBox("cabinets", (-3.8, 0.7, -2.5), (1.2, 1.4, 0.6)),
                *room(
                    ROOM_HALF_WIDTH_M,
                    -3.0,
                    ROOM_FRONT_Z,
                    (("back", window, -2.0), ("back", window, 2.0), ("right", door, -1.0)),
                ),
            ),
            walk_heading_deg=90.0,
            walk_room_m=4.0,
            entrance=(ENTRANCE_X, -1.0),
        ),
    )
}
INTERIORS = frozenset({"kitchen", "interior", "office"})

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


# A line of action's floor ends (x, z), where there is one (``line_of_action``).
Line = tuple[FloatArray, FloatArray] | None


def line_of_action(blocking: Blocking, frame: int, preset_name: str) -> Line:
    """The floor ends ``(x, z)`` of the line of action on ``frame``: from the first of the cast
    on stage to the second, the pair the 180° rule keeps the camera on one side of; None with
    fewer than two on stage (one waiting off stage for an entrance draws no line), or with both
    on one spot."""
    present = [
        track.position[frame][[0, 2]]
        for track in blocking.tracks.values()
        if on_stage(preset_name, track.position[frame])
    ]
    if len(present) < 2 or np.linalg.norm(present[1] - present[0]) < 1e-6:
        return None
    return present[0], present[1]


def preset_named(name: str) -> SetPreset:
    """The preset called ``name``; KeyError when there is none (callers word the error)."""
    return PRESETS[name]
