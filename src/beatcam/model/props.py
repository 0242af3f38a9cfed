"""Grey-box props: each kind a few boxes in its own frame, which the render and every 3D
export draw alike.

A prop's frame has its origin at its ``Prop.position`` (the middle of the hand holding it, or
its base where it rests), +Y up and +Z its front, turned by ``Prop.facing_deg`` as a
character is. Sizes are metres, of the everyday object (an A4 page, a phone, a pistol, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import numpy as np

from beatcam.model.geometry import FloatArray
from beatcam.model.skeleton import BONE_INDEX, BONES, KNEE_RATIO
from beatcam.model.vocab import DEFAULT_HEIGHT_M

Box = tuple[tuple[float, float, float], tuple[float, float, float]]  # centre, size

# A chair's seat is under a default-height sitter's thighs (their centre line at knee height),
# 45 cm square and set forward under the thighs, with a back to shoulder-blade height (0.85 m).
SEAT_TOP_M: Final = (KNEE_RATIO - BONES[BONE_INDEX["l_thigh"]].radius) * DEFAULT_HEIGHT_M
SEAT_SIZE_M: Final = 0.45
SEAT_FORWARD_M: Final = 0.1
_BACK_Z: Final = SEAT_FORWARD_M - SEAT_SIZE_M / 2.0 - 0.025
_PAGE: Final[tuple[Box, ...]] = (((0.0, 0.15, 0.0), (0.21, 0.297, 0.004)),)  # A4, held upright
PROP_SHAPES: Final[Mapping[str, tuple[Box, ...]]] = {
    "letter": _PAGE,
    "photo": (((0.0, 0.075, 0.0), (0.15, 0.10, 0.004)),),
    "envelope": (((0.0, 0.06, 0.0), (0.22, 0.11, 0.01)),),
    "book": (((0.0, 0.12, 0.0), (0.16, 0.24, 0.04)),),
    "phone": (((0.0, 0.075, 0.0), (0.075, 0.15, 0.01)),),
    "gun": (((0.0, 0.02, 0.08), (0.03, 0.04, 0.2)), ((0.0, -0.03, 0.0), (0.03, 0.08, 0.04))),
    "knife": (((0.0, 0.0, 0.12), (0.02, 0.03, 0.26)),),
    "glass": (((0.0, 0.06, 0.0), (0.07, 0.12, 0.07)),),
    "bottle": (((0.0, 0.13, 0.0), (0.08, 0.26, 0.08)), ((0.0, 0.29, 0.0), (0.03, 0.06, 0.03))),
    "ring": (((0.0, 0.0, 0.0), (0.025, 0.025, 0.008)),),
    "key": (((0.0, 0.03, 0.0), (0.03, 0.07, 0.006)),),
    "bag": (((0.0, -0.15, 0.0), (0.35, 0.3, 0.15)),),
    "box": (((0.0, 0.12, 0.0), (0.3, 0.24, 0.3)),),
    "chair": (
        ((0.0, SEAT_TOP_M - 0.025, SEAT_FORWARD_M), (SEAT_SIZE_M, 0.05, SEAT_SIZE_M)),
        ((0.0, (SEAT_TOP_M - 0.05) / 2.0, SEAT_FORWARD_M), (0.36, SEAT_TOP_M - 0.05, 0.36)),
        ((0.0, 0.62, _BACK_Z), (SEAT_SIZE_M, 0.46, 0.05)),
    ),
}
PROP_KINDS: Final = tuple(PROP_SHAPES)


def prop_box_matrices(kind: str, position: FloatArray, facing_deg: FloatArray) -> FloatArray:
    """``(n, boxes, 4, 4)`` world-from-unit-cube matrices of a prop's boxes on ``n`` frames:
    placed at ``position`` (n, 3) and turned by ``facing_deg`` (n,)."""
    boxes = PROP_SHAPES[kind]
    theta = np.deg2rad(np.asarray(facing_deg, dtype=np.float64))
    turn = np.zeros((len(theta), 3, 3))
    turn[:, 0, 0], turn[:, 0, 2] = np.cos(theta), np.sin(theta)
    turn[:, 1, 1] = 1.0
    turn[:, 2, 0], turn[:, 2, 2] = -np.sin(theta), np.cos(theta)
    matrices = np.zeros((len(theta), len(boxes), 4, 4))
    for index, (centre, size) in enumerate(boxes):
        matrices[:, index, :3, :3] = turn * np.array(size)[None, None, :]
        matrices[:, index, :3, 3] = position + turn @ np.array(centre)
        matrices[:, index, 3, 3] = 1.0
    return matrices
