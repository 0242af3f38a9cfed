"""The top-down floor plan a DP draws by hand: set, cast with facing and walks, the line of
action, and every shot's camera path with its opening frustum.

Seen from above with +X to the right and +Z down the page, so the open front of a preset set
(where cameras mostly stand) is at the bottom, like a stage plan.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from beatcam.model.geometry import BODY_RADIUS_M, FloatArray, camera_axes
from beatcam.model.plan import ShotPlan
from beatcam.render.hud import FONT_BOLD, FONT_REGULAR, font
from beatcam.render.scene import cast_colours

PLAN_SIZE: Final = (1800, 1100)
MARGIN_PX: Final = 60
MARGIN_M: Final = 1.0
SET_RANGE_M: Final = 12.0
FACING_ARROW_M: Final = 0.6
FRUSTUM_M: Final = 1.2
CAMERA_COLOURS: Final = (
    (31, 78, 121),
    (156, 62, 43),
    (46, 110, 64),
    (110, 64, 140),
    (170, 110, 20),
    (30, 120, 130),
)
GRID: Final = (232, 232, 228)
BOX_FILL: Final = (205, 203, 198)
BOX_EDGE: Final = (110, 110, 105)
INK: Final = (40, 40, 40)

ToPixels = Callable[[float, float], tuple[float, float]]


def _points_of_interest(plan: ShotPlan) -> FloatArray:
    """Cast and camera positions (x, z): what the plan must show."""
    points = [track.position[:, [0, 2]] for track in plan.blocking.tracks.values()]
    points.extend(shot.camera.position[:, [0, 2]] for shot in plan.shots)
    return np.concatenate(points) if points else np.zeros((1, 2))


def _view(plan: ShotPlan) -> tuple[float, float, float]:
    """Scale (px per metre) and the world (x, z) at the canvas's top-left corner."""
    points = _points_of_interest(plan)
    centre = points.mean(axis=0)
    corners = [points]
    for box in plan.set.boxes:
        if math.dist((box.center[0], box.center[2]), centre) < SET_RANGE_M:
            half = np.array([box.size[0], box.size[2]]) / 2
            middle = np.array([box.center[0], box.center[2]])
            corners.append(np.stack([middle - half, middle + half]))
    everything = np.concatenate(corners)
    low, high = everything.min(axis=0) - MARGIN_M, everything.max(axis=0) + MARGIN_M
    span = np.maximum(high - low, 1.0)
    usable = np.array(PLAN_SIZE) - 2 * MARGIN_PX
    scale = float(min(usable / span))
    origin = (low + high) / 2 - usable / scale / 2
    return scale, float(origin[0]), float(origin[1])


def draw_floor_plan(plan: ShotPlan) -> Image.Image:
    """The floor plan of ``plan`` as an RGB image of ``PLAN_SIZE``."""
    scale, left, top = _view(plan)

    def px(x: float, z: float) -> tuple[float, float]:
        return (MARGIN_PX + (x - left) * scale, MARGIN_PX + (z - top) * scale)

    image = Image.new("RGB", PLAN_SIZE, (250, 250, 247))
    draw = ImageDraw.Draw(image)
    small, label, bold = font(FONT_REGULAR, 18), font(FONT_REGULAR, 22), font(FONT_BOLD, 24)
    width_m, height_m = (np.array(PLAN_SIZE) - MARGIN_PX) / scale
    for x in range(math.floor(left), math.ceil(left + width_m) + 1):
        draw.line([px(x, top - 1), px(x, top + height_m + 1)], fill=GRID)
    for z in range(math.floor(top), math.ceil(top + height_m) + 1):
        draw.line([px(left - 1, z), px(left + width_m + 1, z)], fill=GRID)
    for box in plan.set.boxes:
        cx, cz, sx, sz = box.center[0], box.center[2], box.size[0] / 2, box.size[2] / 2
        corner_a, corner_b = px(cx - sx, cz - sz), px(cx + sx, cz + sz)
        draw.rectangle([corner_a, corner_b], fill=BOX_FILL, outline=BOX_EDGE, width=2)
        draw.text(px(cx, cz), box.name, font=small, fill=INK, anchor="mm")
    tracks = [plan.blocking[name] for name, _ in plan.cast]
    if len(tracks) >= 2:
        a, b = tracks[0].position[0, [0, 2]], tracks[1].position[0, [0, 2]]
        direction = (b - a) / max(float(np.linalg.norm(b - a)), 1e-9)
        reach = (PLAN_SIZE[0] + PLAN_SIZE[1]) / scale
        far_a, far_b = a - direction * reach, b + direction * reach
        _dashed(draw, px(*far_a), px(*far_b), (190, 40, 40))
        mid = px(*((a + b) / 2))
        draw.text(
            (mid[0], mid[1] - 28), "line of action", font=small, fill=(190, 40, 40), anchor="mm"
        )
    for track, costume in zip(tracks, cast_colours([t.name for t in tracks]), strict=True):
        colour = tuple(int(255 * c) for c in costume)
        path = [px(x, z) for x, z in track.position[:, [0, 2]]]
        if np.ptp(track.position[:, [0, 2]], axis=0).max() > 0.05:
            draw.line(path, fill=colour, width=4)
        x, z = track.position[0, [0, 2]]
        heading = math.radians(track.facing_deg[0])
        tip = px(x + FACING_ARROW_M * math.sin(heading), z + FACING_ARROW_M * math.cos(heading))
        draw.line([px(x, z), tip], fill=INK, width=4)
        r = BODY_RADIUS_M * scale
        cx, cy = px(x, z)
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour, outline=INK, width=3)
        draw.text((cx, cy + r + 16), track.name, font=bold, fill=INK, anchor="mm")
    labelled: list[tuple[float, float]] = []  # shots starting on one spot stack their labels
    for index, shot in enumerate(plan.shots):
        colour = CAMERA_COLOURS[index % len(CAMERA_COLOURS)]
        positions = shot.camera.position[:, [0, 2]]
        draw.line([px(x, z) for x, z in positions], fill=colour, width=3)
        _frustum(
            draw,
            px,
            shot.camera.position[0],
            shot.camera.rotation[0],
            float(shot.camera.focal_mm[0]),
            plan.sensor_mm[0],
            colour,
        )
        spot = (round(positions[0, 0], 1), round(positions[0, 1], 1))
        stacked = labelled.count(spot)
        labelled.append(spot)
        sx, sy = px(*positions[0])
        draw.text((sx + 10, sy + 10 + 26 * stacked), shot.id, font=label, fill=colour, anchor="la")
    _scale_bar(draw, scale, small)
    draw.text(
        (MARGIN_PX, 20), f"{plan.title} — floor plan (top view, 1 m grid)", font=bold, fill=INK
    )
    return image


def _frustum(
    draw: ImageDraw.ImageDraw,
    px: object,
    position: FloatArray,
    rotation: FloatArray,
    focal: float,
    sensor_w: float,
    colour: tuple[int, int, int],
) -> None:
    """The camera's horizontal field of view at its first frame, as a wedge on the floor."""
    assert callable(px)
    _right, up, forward = (axis[0] for axis in camera_axes(rotation[None, :]))
    flat = forward[[0, 2]] if np.linalg.norm(forward[[0, 2]]) > 0.2 else up[[0, 2]]
    flat = flat / max(float(np.linalg.norm(flat)), 1e-9)
    half = math.atan(sensor_w / (2.0 * focal))
    side = np.array([-flat[1], flat[0]])
    eye = position[[0, 2]]
    ends = [eye + FRUSTUM_M * (flat + sign * math.tan(half) * side) for sign in (-1, 1)]
    draw.polygon([px(*eye), px(*ends[0]), px(*ends[1])], outline=colour, width=3)
    r = 8
    cx, cy = px(*eye)
    draw.rectangle([cx - r, cy - r, cx + r, cy + r], fill=colour)


def _dashed(
    draw: ImageDraw.ImageDraw,
    start: tuple[float, float],
    end: tuple[float, float],
    colour: tuple[int, int, int],
    dash: float = 18.0,
) -> None:
    length = math.dist(start, end)
    steps = int(length // dash)
    for i in range(0, steps, 2):
        a, b = i / steps, min((i + 1) / steps, 1.0)
        draw.line(
            [
                (start[0] + (end[0] - start[0]) * a, start[1] + (end[1] - start[1]) * a),
                (start[0] + (end[0] - start[0]) * b, start[1] + (end[1] - start[1]) * b),
            ],
            fill=colour,
            width=3,
        )


def _scale_bar(draw: ImageDraw.ImageDraw, scale: float, face: ImageFont.FreeTypeFont) -> None:
    x, y = PLAN_SIZE[0] - MARGIN_PX - scale, PLAN_SIZE[1] - 30
    draw.line([(x, y), (x + scale, y)], fill=INK, width=4)
    draw.text((x + scale / 2, y - 14), "1 m", font=face, fill=INK, anchor="mm")
