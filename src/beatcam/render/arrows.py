"""Storyboard arrows: the camera move drawn over a shot's key frame, as a board artist would.

Arrows point the way the *camera* goes: converging for a push in, a frame inside the frame for
a zoom, a horizontal arrow for a pan or truck, a vertical one for a tilt, pedestal or crane,
a curve for an arc, the subject's screen path for a follow or lead, a zigzag for handheld.
"""

from __future__ import annotations

import math
from typing import Final

from PIL import ImageDraw

from beatcam.model.plan import Shot

ARROW: Final = (255, 214, 64)
OUTLINE: Final = (20, 20, 20)
ZOOM_FRAME: Final = (255, 255, 255)
Point = tuple[float, float]
Box = tuple[float, float, float, float]


def arrow(draw: ImageDraw.ImageDraw, start: Point, end: Point, width: int) -> None:
    """A straight arrow from ``start`` to ``end`` with a dark outline so it reads on any grey."""
    angle = math.atan2(end[1] - start[1], end[0] - start[0])
    head = width * 3.5
    back = (end[0] - head * math.cos(angle), end[1] - head * math.sin(angle))
    left = (back[0] + head * 0.6 * math.sin(angle), back[1] - head * 0.6 * math.cos(angle))
    right = (back[0] - head * 0.6 * math.sin(angle), back[1] + head * 0.6 * math.cos(angle))
    for colour, extra in ((OUTLINE, 2), (ARROW, 0)):
        draw.line([start, back], fill=colour, width=width + 2 * extra)
        draw.polygon([end, left, right], fill=colour, outline=OUTLINE)


def _polyline_arrow(draw: ImageDraw.ImageDraw, points: list[Point], width: int) -> None:
    draw.line(points[:-1], fill=OUTLINE, width=width + 4, joint="curve")
    draw.line(points[:-1], fill=ARROW, width=width, joint="curve")
    arrow(draw, points[-2], points[-1], width)


def _converge(draw: ImageDraw.ImageDraw, box: Box, centre: Point, inward: bool, width: int) -> None:
    x0, y0, x1, y1 = box
    for corner in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
        outer = (
            corner[0] + (centre[0] - corner[0]) * 0.1,
            corner[1] + (centre[1] - corner[1]) * 0.1,
        )
        inner = (
            corner[0] + (centre[0] - corner[0]) * 0.45,
            corner[1] + (centre[1] - corner[1]) * 0.45,
        )
        tail, tip = (outer, inner) if inward else (inner, outer)
        arrow(draw, tail, tip, width)


def _zoom(draw: ImageDraw.ImageDraw, box: Box, ratio: float, inward: bool, width: int) -> None:
    """Frame-in-frame: the tighter frame of the zoom drawn inside the picture."""
    x0, y0, x1, y1 = box
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_w, half_h = (x1 - x0) / 2 * ratio, (y1 - y0) / 2 * ratio
    inner = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
    draw.rectangle(inner, outline=OUTLINE, width=width + 2)
    draw.rectangle(inner, outline=ZOOM_FRAME, width=width)
    for ox, oy, ix, iy in (
        (x0, y0, inner[0], inner[1]),
        (x1, y0, inner[2], inner[1]),
        (x0, y1, inner[0], inner[3]),
        (x1, y1, inner[2], inner[3]),
    ):
        start = (ox + (ix - ox) * 0.25, oy + (iy - oy) * 0.25)
        end = (ox + (ix - ox) * 0.85, oy + (iy - oy) * 0.85)
        tail, tip = (start, end) if inward else (end, start)
        arrow(draw, tail, tip, width)


def draw_move(
    draw: ImageDraw.ImageDraw,
    shot: Shot,
    box: Box,
    subject: tuple[Point, Point] | None = None,
) -> None:
    """Draw ``shot``'s camera move over the picture ``box`` (x0, y0, x1, y1 in pixels).
    ``subject`` is the first subject's pixel position on the first and last frame, if known."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    width = max(2, round(h / 60))
    cx, cy = x0 + w / 2, y0 + h / 2
    move = shot.movement
    focal = shot.camera.focal_mm
    if move in ("push_in", "dolly_zoom_in", "pull_out", "dolly_zoom_out"):
        centre = subject[0] if subject else (cx, cy)
        _converge(draw, box, centre, move.endswith("in"), width)
    elif move in ("zoom_in", "zoom_out"):
        ratio = min(focal[0], focal[-1]) / max(focal[0], focal[-1])
        _zoom(draw, box, ratio, move == "zoom_in", width)
    elif move in ("pan_left", "pan_right", "whip_pan", "truck_left", "truck_right"):
        row = y0 + h * (0.78 if move.startswith("truck") else 0.22)
        sign = -1.0 if move.endswith("left") else 1.0
        ends = ((cx - sign * w * 0.3, row), (cx + sign * w * 0.3, row))
        arrow(draw, *ends, width * (2 if move == "whip_pan" else 1))
    elif move in ("tilt_up", "tilt_down", "pedestal_up", "pedestal_down", "crane_up", "crane_down"):
        column = x0 + w * (0.1 if move.startswith("tilt") else 0.9)
        sign = -1.0 if move.endswith("up") else 1.0
        arrow(draw, (column, cy - sign * h * 0.3), (column, cy + sign * h * 0.3), width)
    elif move in ("arc_left", "arc_right"):
        sign = -1.0 if move == "arc_left" else 1.0
        steps = [i / 12 for i in range(13)]
        points = [
            (
                cx + sign * w * 0.32 * math.sin(math.pi * (t - 0.5)),
                y0 + h * (0.88 - 0.1 * math.cos(math.pi * (t - 0.5))),
            )
            for t in steps
        ]
        _polyline_arrow(draw, points, width)
    elif move in ("follow", "lead"):
        if subject and math.dist(subject[0], subject[1]) > w * 0.05:
            arrow(draw, subject[0], subject[1], width)
        else:
            arrow(draw, (cx - w * 0.25, y0 + h * 0.85), (cx + w * 0.25, y0 + h * 0.85), width)
    elif move == "handheld":
        points = [
            (x0 + w * (0.3 + 0.04 * i), y0 + h * (0.85 + 0.03 * (-1) ** i)) for i in range(11)
        ]
        _polyline_arrow(draw, points, width)
