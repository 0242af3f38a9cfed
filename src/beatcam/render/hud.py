"""Text burned into previs frames: the shot's data band, the beat band and the cast's name labels.

Text is drawn by Pillow into small RGBA patches (cached where they do not change from frame to
frame) and laid over the frame with numpy, so a 720p frame costs a few small blends, not a
full-frame image conversion.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont

from beatcam.errors import StageError
from beatcam.model.plan import PlannedBeat, Shot

FONT_DIR: Final = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR: Final = "DejaVuSans.ttf"
FONT_BOLD: Final = "DejaVuSans-Bold.ttf"
FONT_MONO: Final = "DejaVuSansMono.ttf"
FONT_HEIGHT_RATIO: Final = 0.022
MIN_FONT_PX: Final = 8
BAND_ALPHA: Final = 150
LABEL_ALPHA: Final = 190
BEAT_LINES: Final = 2

Rgba = NDArray[np.uint8]
Frame = NDArray[np.uint8]


@lru_cache(maxsize=32)
def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """A DejaVu face at ``size`` pixels; a StageError naming the package when it is missing."""
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError as exc:
        raise StageError(
            "render", f"font {FONT_DIR / name} is missing; `apt-get install fonts-dejavu-core`"
        ) from exc


def font_px(frame_height: int) -> int:
    """HUD text size for a frame height: small but legible."""
    return max(MIN_FONT_PX, round(frame_height * FONT_HEIGHT_RATIO))


def timecode(frame: int, fps: int) -> str:
    """``HH:MM:SS:FF`` for a scene frame at an integer fps (non-drop)."""
    seconds, frames = divmod(frame, fps)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}:{frames:02d}"


def blend(frame: Frame, patch: Rgba, x: int, y: int) -> None:
    """Lay an RGBA ``patch`` over ``frame`` (h, w, 3) in place with its top-left at (x, y),
    clipped to the frame."""
    height, width = frame.shape[:2]
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + patch.shape[1], width), min(y + patch.shape[0], height)
    if x0 >= x1 or y0 >= y1:
        return
    part = patch[y0 - y : y1 - y, x0 - x : x1 - x]
    alpha = part[:, :, 3:4].astype(np.uint16)
    region = frame[y0:y1, x0:x1]
    mixed = region * (255 - alpha)
    mixed += part[:, :, :3] * alpha
    mixed += 127
    mixed //= 255
    region[...] = mixed


def _band(lines: list[str], width: int, size: int) -> Image.Image:
    """A dark translucent band with one left-aligned line of text per row."""
    regular = font(FONT_REGULAR, size)
    pad = _pad(size)
    row = size + pad
    image = Image.new("RGBA", (width, row * len(lines) + pad), (0, 0, 0, BAND_ALPHA))
    draw = ImageDraw.Draw(image)
    for index, text in enumerate(lines):
        draw.text((pad * 2, pad + index * row), text, font=regular, fill=(240, 240, 236, 255))
    return image


def _pad(size: int) -> int:
    return max(2, size // 3)


def _right_aligned(band: Image.Image, text: str, size: int) -> Image.Image:
    """A copy of ``band`` with ``text`` in the monospaced face at the right end of its first
    row: the timecode, the only text that changes every frame."""
    mono = font(FONT_MONO, size)
    pad = _pad(size)
    image = band.copy()
    draw = ImageDraw.Draw(image)
    text_width = draw.textlength(text, font=mono)
    draw.text((image.width - pad * 2 - text_width, pad), text, font=mono, fill=(255, 220, 120))
    return image


def _fit(text: str, max_px: float, face: ImageFont.FreeTypeFont, lines: int) -> list[str]:
    """Wrap ``text`` to at most ``lines`` lines of ``max_px`` pixels, ending in … if cut."""
    average = max(face.getlength("abcdefghij") / 10.0, 1.0)
    wrapped = textwrap.wrap(text, width=max(8, int(max_px / average))) or [""]
    kept = wrapped[:lines]
    if len(wrapped) > lines:
        kept[-1] = kept[-1].rstrip(" .,;:") + "…"
    return kept


def shot_line(shot: Shot, focal_mm: float) -> str:
    """The shot's data as one line: id, size→end size, angle, lens, movement, framing."""
    sizes = shot.size if shot.size == shot.end_size else f"{shot.size}→{shot.end_size}"
    angle = (
        shot.angle if abs(shot.dutch_deg) < 1e-6 else f"{shot.angle} dutch {shot.dutch_deg:+.0f}°"
    )
    return f"{shot.id}   {sizes}   {angle}   {focal_mm:.0f}mm   {shot.movement}   {shot.framing}"


class Hud:
    """Draws the top band (shot data, timecode) and bottom band (beat) onto frames of one size.

    Bands are drawn by Pillow once per distinct text and kept; each frame only adds the
    timecode to a copy of its shot's band.
    """

    def __init__(self, size: tuple[int, int], fps: int):
        self.width, self.height = size
        self.fps = fps
        self.size = font_px(self.height)
        self._beat_bands: dict[int, Rgba] = {}
        self._shot_band: tuple[str, Image.Image] | None = None

    def _beat_band(self, beat: PlannedBeat) -> Rgba:
        if beat.index not in self._beat_bands:
            face = font(FONT_REGULAR, self.size)
            text = _fit(f"B{beat.index + 1}  {beat.text}", self.width * 0.94, face, BEAT_LINES)
            self._beat_bands[beat.index] = np.asarray(_band(text, self.width, self.size))
        return self._beat_bands[beat.index]

    def _top_band(self, line: str, scene_frame: int) -> Rgba:
        if self._shot_band is None or self._shot_band[0] != line:
            self._shot_band = (line, _band([line], self.width, self.size))
        stamped = _right_aligned(self._shot_band[1], timecode(scene_frame, self.fps), self.size)
        return np.asarray(stamped)

    def draw(
        self, frame: Frame, scene_frame: int, shot: Shot, focal_mm: float, beat: PlannedBeat | None
    ) -> None:
        """Burn the HUD for ``scene_frame`` of ``shot`` into ``frame`` in place."""
        blend(frame, self._top_band(shot_line(shot, focal_mm), scene_frame), 0, 0)
        if beat is not None:
            band = self._beat_band(beat)
            blend(frame, band, 0, self.height - band.shape[0])


class Labels:
    """Name tags drawn over the cast's heads: the costume colour as a bar under white text."""

    def __init__(
        self, names: list[str], colours: list[tuple[float, float, float]], frame_height: int
    ):
        size = max(MIN_FONT_PX, round(font_px(frame_height) * 0.9))
        self._patches = [self._patch(n, c, size) for n, c in zip(names, colours, strict=True)]

    @staticmethod
    def _patch(name: str, colour: tuple[float, float, float], size: int) -> Rgba:
        face = font(FONT_BOLD, size)
        pad = max(2, size // 4)
        width = int(face.getlength(name)) + 2 * pad
        bar = max(3, size // 3)
        image = Image.new("RGBA", (width, size + 2 * pad + bar), (20, 20, 22, LABEL_ALPHA))
        draw = ImageDraw.Draw(image)
        draw.text((pad, pad), name, font=face, fill=(255, 255, 255, 255))
        rgb = tuple(int(255 * c) for c in colour)
        draw.rectangle((0, size + 2 * pad, width, size + 2 * pad + bar), fill=(*rgb, 255))
        return np.asarray(image, dtype=np.uint8)

    def draw(self, frame: Frame, anchors: NDArray[np.float64]) -> None:
        """Draw each name centred above its anchor pixel ``(c, 2)``; NaN anchors are skipped."""
        for patch, (x, y) in zip(self._patches, anchors, strict=True):
            if not (np.isfinite(x) and np.isfinite(y)):
                continue
            blend(frame, patch, round(x - patch.shape[1] / 2), round(y - patch.shape[0]))
