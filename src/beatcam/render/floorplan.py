"""The top-down floor plan a crew works from: set, everyone's path with entrances and marks,
the line of action per beat, each setup's camera position (lettered as in setups.csv) with its
moves and opening field of view, and warnings where a camera stands or travels through a set
piece.

Seen from above with +X to the right and +Z down the page, so the open front of a preset set
(where cameras mostly stand) is at the bottom, like a stage plan. Labels are placed last, each
at the first free spot round what it names, never over a person (``FloorPlan`` keeps the
drawing's own coordinates of both, so that can be checked).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from beatcam.model.geometry import BODY_RADIUS_M, FloatArray, camera_axes, floor_direction
from beatcam.model.plan import CharacterTrack, ShotPlan
from beatcam.model.sets import on_stage
from beatcam.model.setups import (
    STILL_M,
    Setup,
    crossings,
    path_of,
    piece_words,
    rig_for,
    setup_of,
)
from beatcam.render.hud import FONT_BOLD, FONT_REGULAR, font
from beatcam.render.scene import cast_colours

PLAN_SIZE: Final = (1800, 1100)
MARGIN_PX: Final = 60
MARGIN_M: Final = 1.0
SET_RANGE_M: Final = 12.0
FACING_ARROW_M: Final = 0.6
FRUSTUM_M: Final = 1.2
# A stop this far from the last one is a new mark (an actor's tape mark); nearer is a shuffle.
MARK_MOVE_M: Final = 0.3
# Beats whose line of action turns less than this, or shifts less than MARK_MOVE_M, share it.
LINE_TURN_DEG: Final = 10.0
# The line of action is drawn this far past each of the two people it joins.
LINE_PAST_M: Final = 1.5
# Labels keep this clear of people and of each other.
LABEL_GAP_PX: Final = 4.0
# A label this much further from what it names than its rim gets a leader line to it.
LEADER_FROM_PX: Final = 24.0
# Labels sit on a pale ground this opaque (of 255): legible over lines, which still show.
LABEL_GROUND_ALPHA: Final = 190
# Camera marks are squares this many pixels from centre to side; labels keep off them too.
CAMERA_MARK_PX: Final = 8
WARNING_MARK_PX: Final = 12
# Free spots for a label are tried on rings this far apart round what it names, in this many
# directions, out to the far corner of the canvas.
RING_STEP_PX: Final = 14.0
RING_DIRECTIONS: Final = 16
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
LINE_INK: Final = (190, 40, 40)
WARNING_INK: Final = (200, 0, 0)
PAPER: Final = (250, 250, 247)

ToPixels = Callable[[float, float], tuple[float, float]]
Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels


@dataclass(frozen=True)
class Disc:
    """A person drawn on the plan: centre and radius in pixels, and who."""

    name: str
    centre: tuple[float, float]
    radius: float


@dataclass(frozen=True)
class Label:
    """A label drawn on the plan: its text and its box in pixels."""

    text: str
    box: Box


@dataclass(frozen=True)
class FloorPlan:
    """The drawn plan and, in its pixels, the people on it and every label."""

    image: Image.Image
    discs: tuple[Disc, ...]
    labels: tuple[Label, ...]


@dataclass(frozen=True)
class Mark:
    """Where someone stands still: floor point (x, z), heading, the beat they reach it in and
    whether it is where they wait to enter."""

    point: tuple[float, float]
    facing_deg: float
    beat: int
    entrance: bool


def marks(plan: ShotPlan, track: CharacterTrack) -> list[Mark]:
    """A character's marks: where they stand at the start and at the end of each beat they
    move in (a stop MARK_MOVE_M or more from the last). Someone who waits off stage for an
    entrance has that spot as their first mark, flagged."""
    present = on_stage(plan.set.preset, track.position)
    found: list[Mark] = []
    for beat in plan.beats:
        for frame in (beat.start_frame, beat.start_frame + beat.frames - 1):
            x, _, z = track.position[frame]
            if found and math.dist(found[-1].point, (x, z)) < MARK_MOVE_M:
                continue
            entrance = not bool(present[frame])
            found.append(
                Mark((float(x), float(z)), float(track.facing_deg[frame]), beat.index, entrance)
            )
    return found


@dataclass(frozen=True)
class ActionLine:
    """The line of action of a run of beats: the two people it joins (floor points)."""

    first_beat: int
    last_beat: int
    a: FloatArray
    b: FloatArray


def action_lines(plan: ShotPlan) -> list[ActionLine]:
    """The line of action of each beat, between the beat's first two subjects (or the first
    two people on stage) at its middle frame; beats whose line barely moves share one."""
    lines: list[ActionLine] = []
    cast = [name for name, _ in plan.cast]
    for beat in plan.beats:
        middle = beat.start_frame + beat.frames // 2
        named = [name for shot in plan.shots if shot.beat == beat.index for name in shot.subjects]
        present = [
            name for name in cast if on_stage(plan.set.preset, plan.blocking[name].position[middle])
        ]
        pair = list(dict.fromkeys(name for name in named if name in present))[:2]
        pair += [name for name in present if name not in pair][: 2 - len(pair)]
        if len(pair) < 2:
            continue
        a, b = (plan.blocking[name].position[middle, [0, 2]] for name in pair)
        if float(np.linalg.norm(b - a)) < 1e-6:
            continue
        if lines and _same_line(lines[-1], a, b):
            lines[-1] = ActionLine(lines[-1].first_beat, beat.index, lines[-1].a, lines[-1].b)
        else:
            lines.append(ActionLine(beat.index, beat.index, a, b))
    return lines


def _same_line(line: ActionLine, a: FloatArray, b: FloatArray) -> bool:
    old, new = line.b - line.a, b - a
    cosine = abs(float(old @ new)) / float(np.linalg.norm(old) * np.linalg.norm(new))
    shift = min(
        float(np.linalg.norm(line.a - a)) + float(np.linalg.norm(line.b - b)),
        float(np.linalg.norm(line.a - b)) + float(np.linalg.norm(line.b - a)),
    )
    return cosine >= math.cos(math.radians(LINE_TURN_DEG)) and shift < 2 * MARK_MOVE_M


def _points_of_interest(plan: ShotPlan) -> FloatArray:
    """Everyone's marks and every camera path (x, z): what the plan must show."""
    points = [
        np.array([mark.point for mark in marks(plan, track)])
        for track in plan.blocking.tracks.values()
    ]
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


class _Labeller:
    """Places labels where they cover no person and no other label."""

    def __init__(self, size: tuple[int, int], discs: list[Disc], keep_clear: list[Disc]) -> None:
        """Labels go on a see-through layer over the drawing (``layer``), on a pale ground so
        they read over lines; they avoid the people (``discs``) and what else must show
        (``keep_clear``: camera marks, warnings)."""
        self.layer = Image.new("RGBA", size, (0, 0, 0, 0))
        self.draw = ImageDraw.Draw(self.layer)
        self.discs = [*discs, *keep_clear]
        self.placed: list[Label] = []

    def _free(self, box: Box) -> bool:
        left, top, right, bottom = box
        if left < 0 or top < 0 or right > PLAN_SIZE[0] or bottom > PLAN_SIZE[1]:
            return False
        for disc in self.discs:
            nearest_x = min(max(disc.centre[0], left), right)
            nearest_y = min(max(disc.centre[1], top), bottom)
            reach = disc.radius + LABEL_GAP_PX
            if math.hypot(disc.centre[0] - nearest_x, disc.centre[1] - nearest_y) < reach:
                return False
        return not any(
            left < other[2] + LABEL_GAP_PX
            and other[0] < right + LABEL_GAP_PX
            and top < other[3] + LABEL_GAP_PX
            and other[1] < bottom + LABEL_GAP_PX
            for other in (label.box for label in self.placed)
        )

    def _spots(self, anchor: tuple[float, float], width: float, height: float) -> Iterator[Box]:
        yield (
            anchor[0] - width / 2,
            anchor[1] - height / 2,
            anchor[0] + width / 2,
            anchor[1] + height / 2,
        )
        for ring in range(1, math.ceil(math.hypot(*PLAN_SIZE) / RING_STEP_PX) + 1):
            for step in range(RING_DIRECTIONS):
                turn = 2 * math.pi * step / RING_DIRECTIONS
                cx = anchor[0] + ring * RING_STEP_PX * math.cos(turn) + math.cos(turn) * width / 2
                cy = anchor[1] + ring * RING_STEP_PX * math.sin(turn) + math.sin(turn) * height / 2
                yield (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)

    def place(
        self,
        text: str,
        anchor: tuple[float, float],
        face: ImageFont.FreeTypeFont,
        colour: tuple[int, int, int],
        *,
        centred: bool = False,
        clear_px: float = 0.0,
    ) -> None:
        """Draw ``text`` at the first free spot round ``anchor`` (on it when ``centred`` and
        free), with a leader back to the anchor when it had to move away (from ``clear_px``
        out: the rim of what it names)."""
        left, top, right, bottom = self.draw.textbbox((0, 0), text, font=face)
        width, height = right - left, bottom - top
        spots = self._spots(anchor, width, height)
        if not centred:
            next(spots)
        box = next((spot for spot in spots if self._free(spot)), None)
        if box is None:
            return  # nowhere free on the canvas: better no label than one over a person
        edge = (min(max(anchor[0], box[0]), box[2]), min(max(anchor[1], box[1]), box[3]))
        away = math.dist(edge, anchor)
        if away > clear_px + LEADER_FROM_PX:
            start = (
                anchor[0] + (edge[0] - anchor[0]) * clear_px / away,
                anchor[1] + (edge[1] - anchor[1]) * clear_px / away,
            )
            self.draw.line([start, edge], fill=(*colour, 255), width=2)
        ground = (box[0] - 2, box[1] - 2, box[2] + 2, box[3] + 2)
        self.draw.rectangle(ground, fill=(*PAPER, LABEL_GROUND_ALPHA))
        self.draw.text((box[0] - left, box[1] - top), text, font=face, fill=(*colour, 255))
        self.placed.append(Label(text, box))


def draw_floor_plan(plan: ShotPlan) -> FloorPlan:
    """The floor plan of ``plan``: an RGB image of ``PLAN_SIZE`` and, in its pixels, the
    people drawn on it and every label."""
    scale, left, top = _view(plan)

    def px(x: float, z: float) -> tuple[float, float]:
        return (MARGIN_PX + (x - left) * scale, MARGIN_PX + (z - top) * scale)

    image = Image.new("RGB", PLAN_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    small, label, bold = font(FONT_REGULAR, 18), font(FONT_REGULAR, 22), font(FONT_BOLD, 24)
    _grid(draw, px, scale, left, top)
    for box in plan.set.boxes:
        cx, cz, sx, sz = box.center[0], box.center[2], box.size[0] / 2, box.size[2] / 2
        corner_a, corner_b = px(cx - sx, cz - sz), px(cx + sx, cz + sz)
        draw.rectangle([corner_a, corner_b], fill=BOX_FILL, outline=BOX_EDGE, width=2)

    cast = [plan.blocking[name] for name, _ in plan.cast]
    colours = [
        (int(255 * red), int(255 * green), int(255 * blue))
        for red, green, blue in cast_colours([track.name for track in cast])
    ]
    stops = {track.name: marks(plan, track) for track in cast}
    radius = BODY_RADIUS_M * scale
    discs = [
        Disc(track.name, px(*mark.point), radius) for track in cast for mark in stops[track.name]
    ]
    warnings = crossings(plan)
    plan_setups = plan.setups
    keep_clear = [
        Disc(setup.id, px(setup.position[0], setup.position[2]), CAMERA_MARK_PX * math.sqrt(2))
        for setup in plan_setups
    ]
    keep_clear += [Disc(c.shot, px(*c.point), WARNING_MARK_PX * math.sqrt(2)) for c in warnings]
    labeller = _Labeller(PLAN_SIZE, discs, keep_clear)

    lines = action_lines(plan)
    for line in lines:
        direction = (line.b - line.a) / float(np.linalg.norm(line.b - line.a))
        far_a, far_b = line.a - direction * LINE_PAST_M, line.b + direction * LINE_PAST_M
        _dashed(draw, px(*far_a), px(*far_b), LINE_INK)

    by_shot = setup_of(plan_setups)
    setup_colour = {
        setup.id: CAMERA_COLOURS[index % len(CAMERA_COLOURS)]
        for index, setup in enumerate(sorted(plan_setups, key=lambda s: s.id))
    }
    for shot in plan.shots:
        colour = setup_colour[by_shot[shot.id].id]
        path = [px(x, z) for x, z in shot.camera.position[:, [0, 2]]]
        if path_of(shot).length_m >= STILL_M:
            draw.line(path, fill=colour, width=3)
            _arrow_head(draw, path, colour)
    for setup in plan_setups:
        first = plan.shot(setup.shots[0])
        _frustum(
            draw,
            px,
            first.camera.position[0],
            first.camera.rotation[0],
            float(first.camera.focal_mm[0]),
            plan.sensor_mm[0],
            setup_colour[setup.id],
        )

    for track, costume in zip(cast, colours, strict=True):
        walk = [px(x, z) for x, z in track.position[:, [0, 2]]]
        if np.ptp(track.position[:, [0, 2]], axis=0).max() > STILL_M:
            draw.line(walk, fill=costume, width=4)
        for mark in stops[track.name]:
            heading = floor_direction(mark.facing_deg) * FACING_ARROW_M
            tip = px(mark.point[0] + heading[0], mark.point[1] + heading[1])
            draw.line([px(*mark.point), tip], fill=INK, width=4)
            cx, cy = px(*mark.point)
            outline = WARNING_INK if mark.entrance else INK
            draw.ellipse(
                [cx - radius, cy - radius, cx + radius, cy + radius],
                fill=costume,
                outline=outline,
                width=3,
            )

    for crossing in warnings:
        cx, cy = px(*crossing.point)
        r = WARNING_MARK_PX
        draw.line([(cx - r, cy - r), (cx + r, cy + r)], fill=WARNING_INK, width=4)
        draw.line([(cx - r, cy + r), (cx + r, cy - r)], fill=WARNING_INK, width=4)

    # Labels last, people first among them: each takes the first free spot.
    for track in cast:
        for number, mark in enumerate(stops[track.name], start=1):
            if mark.entrance:
                text = f"{track.name} enters (beat {_entrance_beat(plan, track) + 1})"
            elif len(stops[track.name]) == 1:
                text = track.name
            else:
                text = f"{track.name} {number} (beat {mark.beat + 1})"
            labeller.place(text, px(*mark.point), bold, INK, clear_px=radius)
    for setup in plan_setups:
        x, _, z = setup.position
        labeller.place(
            _setup_label(setup), px(x, z), label, setup_colour[setup.id], clear_px=CAMERA_MARK_PX
        )
    for crossing in warnings:
        labeller.place(f"⚠ {crossing.shot}", px(*crossing.point), small, WARNING_INK)
    for line in lines:
        beats = (
            f"beat {line.first_beat + 1}"
            if line.first_beat == line.last_beat
            else f"beats {line.first_beat + 1}–{line.last_beat + 1}"
        )
        labeller.place(f"line of action, {beats}", px(*((line.a + line.b) / 2)), small, LINE_INK)
    for row, crossing in enumerate(reversed(warnings)):
        text = f"⚠ {crossing.shot}: {crossing.words(rig_for(plan.shot(crossing.shot)))}"
        width = draw.textlength(text, font=small)
        anchor = (MARGIN_PX + width / 2, PLAN_SIZE[1] - 40 - 26 * row)
        labeller.place(text, anchor, small, WARNING_INK, centred=True)
    named: set[tuple[str, int, int]] = set()
    for box in plan.set.boxes:
        words = piece_words(box.name)
        if "wall" in words:
            continue
        spot = (words, round(box.center[0]), round(box.center[2]))
        if spot not in named:
            named.add(spot)
            labeller.place(words, px(box.center[0], box.center[2]), small, INK, centred=True)

    image.paste(labeller.layer, (0, 0), labeller.layer)
    _scale_bar(draw, scale, small)
    title = f"{plan.title} — floor plan (top view, 1 m grid; cameras lettered by setup)"
    draw.text((MARGIN_PX, 20), title, font=bold, fill=INK)
    return FloorPlan(image, tuple(discs), tuple(labeller.placed))


def _entrance_beat(plan: ShotPlan, track: CharacterTrack) -> int:
    """The beat in which someone waiting off stage comes on."""
    present = on_stage(plan.set.preset, track.position)
    frame = int(np.argmax(present))
    return next(beat.index for beat in reversed(plan.beats) if beat.start_frame <= frame)


def _setup_label(setup: Setup) -> str:
    shots = ", ".join(setup.shots)
    return f"{setup.id}: {shots} · {setup.rig}, {setup.lens_mm:.0f} mm"


def _grid(draw: ImageDraw.ImageDraw, px: ToPixels, scale: float, left: float, top: float) -> None:
    width_m, height_m = (np.array(PLAN_SIZE) - MARGIN_PX) / scale
    for x in range(math.floor(left), math.ceil(left + width_m) + 1):
        draw.line([px(x, top - 1), px(x, top + height_m + 1)], fill=GRID)
    for z in range(math.floor(top), math.ceil(top + height_m) + 1):
        draw.line([px(left - 1, z), px(left + width_m + 1, z)], fill=GRID)


def _arrow_head(
    draw: ImageDraw.ImageDraw, path: list[tuple[float, float]], colour: tuple[int, int, int]
) -> None:
    """An arrow head at the end of a camera move, pointing the way it went."""
    end = np.array(path[-1])
    back = next((np.array(p) for p in reversed(path) if math.dist(p, path[-1]) > 8), None)
    if back is None:
        return
    along = (end - back) / float(np.linalg.norm(end - back))
    side = np.array([-along[1], along[0]])
    wings = [end - 16 * along + 8 * sign * side for sign in (-1, 1)]
    draw.polygon([tuple(end), tuple(wings[0]), tuple(wings[1])], fill=colour)


def _frustum(
    draw: ImageDraw.ImageDraw,
    px: ToPixels,
    position: FloatArray,
    rotation: FloatArray,
    focal: float,
    sensor_w: float,
    colour: tuple[int, int, int],
) -> None:
    """The camera's horizontal field of view at its first frame, as a wedge on the floor."""
    _right, up, forward = (axis[0] for axis in camera_axes(rotation[None, :]))
    flat = forward[[0, 2]] if np.linalg.norm(forward[[0, 2]]) > 0.2 else up[[0, 2]]
    flat = flat / max(float(np.linalg.norm(flat)), 1e-9)
    half = math.atan(sensor_w / (2.0 * focal))
    side = np.array([-flat[1], flat[0]])
    eye = position[[0, 2]]
    ends = [eye + FRUSTUM_M * (flat + sign * math.tan(half) * side) for sign in (-1, 1)]
    draw.polygon([px(*eye), px(*ends[0]), px(*ends[1])], outline=colour, width=3)
    cx, cy = px(*eye)
    r = CAMERA_MARK_PX
    draw.rectangle([cx - r, cy - r, cx + r, cy + r], fill=colour)


def _dashed(
    draw: ImageDraw.ImageDraw,
    start: tuple[float, float],
    end: tuple[float, float],
    colour: tuple[int, int, int],
    dash: float = 18.0,
) -> None:
    length = math.dist(start, end)
    steps = max(int(length // dash), 1)
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
