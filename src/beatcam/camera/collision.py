"""Clearances between the camera and the set: boxes, characters' bodies and the ground.

A character's body is a vertical capsule as tall as the character with radius ``BODY_RADIUS_M``
standing on its blocking position; a set box is axis-aligned. Clearances are distances to the
surface in metres, ``(n,)`` per frame, negative inside.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from beatcam.model import Blocking, SetDesign
from beatcam.model.geometry import BODY_RADIUS_M, FloatArray, held_frames, lengths
from beatcam.model.setups import box_extents, lifted, rig_room

# The critic's limits; the camera aims for them plus a margin (see checks.py).
BOX_CLEARANCE_M = 0.25
BODY_CLEARANCE_M = 0.4
GROUND_CLEARANCE_M = 0.1


@dataclass(frozen=True)
class Body:
    """One character over the shot's frames: ground positions ``(n, 3)``, height (m) and the
    top of the head as posed ``(n, 3)`` (lower when they sit)."""

    name: str
    position: FloatArray
    height_m: float
    head_tops: FloatArray


@dataclass(frozen=True)
class Obstacles:
    """Everything the camera must keep clear of during one shot: the set's boxes as they hide
    things (``centers``, ``halves``), the room its rig needs round them (``room_centers``,
    ``room_halves``: ``setups.rig_room``) and the cast's bodies."""

    centers: FloatArray
    halves: FloatArray
    room_centers: FloatArray
    room_halves: FloatArray
    bodies: tuple[Body, ...]

    @staticmethod
    def for_shot(
        set_design: SetDesign, blocking: Blocking, start: int, frames: int, movement: str
    ) -> Obstacles:
        """The set's boxes, the room a rig doing ``movement`` needs round them, and every
        character's body over frames ``start .. start+frames-1``."""
        centers, halves = box_extents(set_design.boxes)
        room = rig_room(set_design.boxes, on_floor=not lifted(movement))
        bodies = tuple(
            Body(
                name,
                np.asarray(track.position[start : start + frames]),
                track.height_m,
                track.head_tops(start, frames),
            )
            for name, track in blocking.tracks.items()
        )
        return Obstacles(centers, halves, room.centers, room.halves, bodies)


def box_clearance(points: FloatArray, obstacles: Obstacles) -> FloatArray:
    """Distance ``(n,)`` from each point to the room the rig needs round the nearest set box
    (negative inside it); a point that repeats the one before (a camera held still) is
    measured once (``held_frames``)."""
    if not len(obstacles.room_centers):
        return np.full(len(points), np.inf)
    kept, run = held_frames(points)
    excess = (
        np.abs(points[kept, None, :] - obstacles.room_centers[None]) - obstacles.room_halves[None]
    )
    outside = lengths(np.maximum(excess, 0.0))
    # The largest of the three axes' excess by two maximums: the same number as ``max`` over
    # them (a NaN kept, and no -0.0 to order against 0.0: each is an absolute value less a
    # half size), without numpy's slow reduction over a row of three.
    largest = np.maximum(np.maximum(excess[..., 0], excess[..., 1]), excess[..., 2])
    inside = np.minimum(largest, 0.0)
    return np.asarray((outside + inside).min(axis=1)[run])


def body_clearance(points: FloatArray, body: Body) -> FloatArray:
    """Distance ``(n,)`` from each point to the surface of a character's capsule."""
    bottom = body.position[:, 1] + BODY_RADIUS_M
    top = body.position[:, 1] + max(body.height_m - BODY_RADIUS_M, BODY_RADIUS_M)
    nearest = np.array(body.position)
    nearest[:, 1] = np.clip(points[:, 1], bottom, top)
    return np.asarray(lengths(points - nearest) - BODY_RADIUS_M)
