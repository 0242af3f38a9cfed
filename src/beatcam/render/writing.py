"""Words on a sign: an insert of a sign (``Shot.shows``) shows the words its beat quotes
(``model/scene.shown_in``) lettered on the board's face, so the storyboard and the previs
read "YES, SERIOUSLY" where the grey box stands.

The lettering is drawn once per text by Pillow, dark on a painted board's light grey, and laid
onto the face's four corners as the camera sees them (a perspective warp), only in what the
insert's own camera draws (its frames, its handles, its part of a dissolve) and only from in
front of the board: there nothing stands between the lens and the board, so no depth test is
needed, and every other shot keeps the plain grey box.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

import numpy as np
from PIL import Image, ImageDraw

from beatcam.model import ShotPlan
from beatcam.model.geometry import FloatArray
from beatcam.model.scene import shown_in
from beatcam.model.set_kit import face_of
from beatcam.render.hud import FONT_BOLD, Frame, Rgba, blend, font
from beatcam.render.projection import PictureRect, to_pixels

LETTERING_PX: Final = (480, 270)  # the lettering's own image, about the board's 0.45 x 0.25 m
BOARD_RGB: Final = (214, 210, 196)  # a painted board, lighter than the set's grey
INK_RGB: Final = (28, 28, 28)
MARGIN: Final = 0.08  # of the lettering's width, kept clear all round
WRAP_CHARACTERS: Final = 18  # a sign's line, as painted signs keep them short
SMALLEST_LETTER_PX: Final = 12  # below this the lettering would not read: lines are cut instead
LINE_SPACING: Final = 1.2
ELLIPSIS: Final = "…"
QUOTES: Final = "\"“”'‘’«»「」"
# The largest warped lettering drawn, per side, as a multiple of the frame's (a lens pressed to
# the board): beyond it the board fills the frame and its lettering is mostly off screen.
LARGEST_QUAD: Final = 4


@dataclass(frozen=True)
class Writing:
    """Words lettered on a face: its corners ``(4, 3)`` (top left, top right, bottom right,
    bottom left, seen from in front), the way it looks, and the words."""

    corners: FloatArray
    normal: FloatArray
    text: str


def shot_writing(plan: ShotPlan, index: int) -> Writing | None:
    """The words shot ``index`` letters on a sign's face (None: it is no insert of a sign)."""
    shot = plan.shots[index]
    face = face_of(plan.set.boxes, shot.shows) if shot.shows else None
    shown = shown_in(plan.beats, shot.beat) if face else None
    if face is None or shown is None:
        return None
    words = plan.beats[shot.beat].text[shown].strip(QUOTES).strip()
    return Writing(face.corners(), face.normal, words)


def sign_writing(plan: ShotPlan) -> dict[int, Writing]:
    """By the index of each insert of a sign, the words it shows on that sign's face."""
    found = {index: shot_writing(plan, index) for index in range(len(plan.shots))}
    return {index: words for index, words in found.items() if words is not None}


@lru_cache(maxsize=16)
def lettering(text: str) -> Image.Image:
    """``text`` painted on a board-coloured card, in the largest bold size that fits."""
    width, height = LETTERING_PX
    card = Image.new("RGB", (width, height), BOARD_RGB)
    room_w, room_h = width * (1 - 2 * MARGIN), height - 2 * MARGIN * width
    lines = textwrap.wrap(text, WRAP_CHARACTERS) or [""]
    most = int(room_h // (LINE_SPACING * SMALLEST_LETTER_PX))
    if len(lines) > most:  # more words than the board holds legibly: as many as it does
        lines = [*lines[: most - 1], lines[most - 1] + ELLIPSIS]
    size = max(SMALLEST_LETTER_PX, int(room_h / (LINE_SPACING * len(lines))))
    face = font(FONT_BOLD, size)
    while size > SMALLEST_LETTER_PX and max(face.getlength(line) for line in lines) > room_w:
        size -= 1
        face = font(FONT_BOLD, size)
    draw = ImageDraw.Draw(card)
    top = (height - LINE_SPACING * size * len(lines)) / 2
    for number, line in enumerate(lines):
        left = (width - face.getlength(line)) / 2
        draw.text((left, top + LINE_SPACING * size * number), line, font=face, fill=INK_RGB)
    return card


def _perspective(quad: FloatArray) -> tuple[float, ...]:
    """Pillow's PERSPECTIVE coefficients taking each output pixel of ``quad``'s bounding box
    (corners relative to it, top left first, clockwise) back to the lettering's pixels."""
    width, height = LETTERING_PX
    source = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float64)
    rows = []
    for (x, y), (u, v) in zip(quad, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    return tuple(float(c) for c in np.linalg.solve(np.array(rows), source.reshape(-1)))


def draw_writing(
    frame: Frame,
    words: Writing,
    view_projection: FloatArray,
    eye: FloatArray,
    rect: PictureRect,
) -> None:
    """Letter ``words`` in place on the picture, where a camera at ``eye`` sees the face from
    in front with every corner ahead of the lens."""
    if float((eye - words.corners.mean(axis=0)) @ words.normal) <= 0.0:
        return  # the board's back, or edge on
    quad = to_pixels(words.corners, view_projection, rect)
    if not np.isfinite(quad).all():
        return  # a corner behind the lens
    low = np.floor(quad.min(axis=0)).astype(int)
    size = np.ceil(quad.max(axis=0)).astype(int) - low + 1
    if (size <= 1).any() or (size > LARGEST_QUAD * np.array([rect.width, rect.height])).any():
        return
    card = lettering(words.text).convert("RGBA")
    warped = card.transform(
        (int(size[0]), int(size[1])),
        Image.Transform.PERSPECTIVE,
        _perspective(quad - low),
        Image.Resampling.BILINEAR,
    )
    patch: Rgba = np.asarray(warped, dtype=np.uint8)
    picture = frame[rect.y : rect.y + rect.height, rect.x : rect.x + rect.width]
    blend(picture, patch, int(low[0]) - rect.x, int(low[1]) - rect.y)
