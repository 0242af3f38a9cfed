"""The film's storyboard and contact sheet, made from its scenes' plans and folders.

``film_storyboard`` joins the scenes' own ``storyboard.pdf`` files behind a title page, with
a bookmark per scene, so no panel is drawn twice. ``film_contact_sheet`` shows every shot as
one thumbnail, a row (or rows) per scene under its title. No scene output holds a still per
shot (``storyboard.png`` is a grid, ``shots/*.mp4`` carry the HUD and may not be rendered),
so each thumbnail is the shot's middle frame (where docs/design.md 3 measures the angle) rendered
by the previs renderer at thumbnail size.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw

from beatcam import __version__
from beatcam.errors import StageError
from beatcam.model.plan import ShotPlan
from beatcam.render.hud import FONT_BOLD, FONT_REGULAR, font
from beatcam.render.previs import FrameMaker, check_plan
from beatcam.render.storyboard import PAGE_MARGIN_MM, new_pdf

STORYBOARD_FILE: Final = "storyboard.pdf"
THUMB_SIZE: Final = (256, 144)  # 16:9 and even, as the renderer needs
SHEET_COLUMNS: Final = 8  # a scene with more shots wraps onto further rows
GAP_PX: Final = 10
TITLE_PX: Final = 30
LABEL_PX: Final = 20
BACKGROUND: Final = (245, 245, 242)
TITLE_TOP_MM: Final = 40.0
CONTENTS_ROW_MM: Final = 7.0

Scenes = Sequence[tuple[ShotPlan, Path]]


def film_storyboard(title: str, scenes: Scenes) -> bytes:
    """The film's storyboard PDF: a title page listing the scenes, then each scene's own
    ``storyboard.pdf`` (from its folder) under a bookmark named by the scene's title."""
    from pypdf import PdfReader, PdfWriter

    readers = []
    for plan, folder in scenes:
        path = folder / STORYBOARD_FILE
        if not path.is_file():
            raise StageError("film", f"{path} is missing; render {plan.title!r}'s storyboard first")
        readers.append(PdfReader(path))
    writer = PdfWriter()
    writer.append(io.BytesIO(_title_page(title, scenes, [len(r.pages) for r in readers])))
    for (plan, _), reader in zip(scenes, readers, strict=True):
        writer.append(reader, outline_item=plan.title)
    writer.add_metadata(
        {
            "/Title": f"{title} — storyboard",
            "/Subject": f"Film: {title}, {len(scenes)} scenes",
            "/Author": "beatcam",
            "/Creator": f"beatcam {__version__}",
        }
    )
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _title_page(title: str, scenes: Scenes, pages: list[int]) -> bytes:
    """The film's title and length, then the scenes with the page each starts on, running
    onto further pages for a long screenplay."""
    pdf = new_pdf()
    pdf.add_page()
    width = pdf.w - 2 * PAGE_MARGIN_MM
    shots = sum(len(plan.shots) for plan, _ in scenes)
    seconds = sum(plan.frames / plan.fps for plan, _ in scenes)
    pdf.set_xy(PAGE_MARGIN_MM, TITLE_TOP_MM)
    pdf.set_font("DejaVu", "B", 28)
    pdf.multi_cell(width, 12, title, align="C")
    pdf.set_font("DejaVu", "", 11)
    pdf.set_x(PAGE_MARGIN_MM)
    summary = f"storyboard · {len(scenes)} scenes · {shots} shots · {_clock(seconds)}"
    pdf.multi_cell(width, 8, summary, align="C")
    pdf.ln(8)
    bottom = pdf.h - PAGE_MARGIN_MM
    first_rows = int((bottom - pdf.get_y()) // CONTENTS_ROW_MM)
    later_rows = int((bottom - PAGE_MARGIN_MM) // CONTENTS_ROW_MM)
    spill = max(0, len(scenes) - first_rows)
    next_page = 2 + math.ceil(spill / later_rows)  # after the contents' own pages
    for number, ((plan, _), count) in enumerate(zip(scenes, pages, strict=True), start=1):
        if pdf.get_y() + CONTENTS_ROW_MM > bottom:
            pdf.add_page()
            pdf.set_y(PAGE_MARGIN_MM)
        pdf.set_x(PAGE_MARGIN_MM + width / 4)
        pdf.cell(width / 2 - 20, CONTENTS_ROW_MM, f"{number:02d}  {plan.title}")
        pdf.cell(20, CONTENTS_ROW_MM, f"p. {next_page}", align="R", new_x="LMARGIN", new_y="NEXT")
        next_page += count
    return bytes(pdf.output())


def _clock(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def film_sheet_size(shot_counts: Sequence[int]) -> tuple[int, int]:
    """Pixel size of the film's contact sheet for scenes of ``shot_counts`` shots."""
    columns = min(SHEET_COLUMNS, max(shot_counts, default=1))
    rows = sum(math.ceil(count / columns) for count in shot_counts)
    width = columns * THUMB_SIZE[0] + (columns + 1) * GAP_PX
    height = len(shot_counts) * TITLE_PX + rows * (THUMB_SIZE[1] + LABEL_PX) + GAP_PX
    return width, height


def middle_frames(plan: ShotPlan) -> list[Image.Image]:
    """Each shot's middle frame, rendered at ``THUMB_SIZE`` without the HUD."""
    check_plan(plan)
    maker = FrameMaker(plan, THUMB_SIZE)
    try:
        thumbs = []
        for index, shot in enumerate(plan.shots):
            middle, camera = shot.frames // 2, shot.camera
            at = slice(middle, middle + 1)
            (matrix,) = maker.matrices(
                camera.position[at], camera.rotation[at], camera.focal_mm[at]
            )
            frame = maker.frame(shot.start_frame + middle, matrix, camera.position[middle], index)
            thumbs.append(Image.fromarray(frame.copy()))
        return thumbs
    finally:
        maker.release()


def film_contact_sheet(scenes: Sequence[ShotPlan]) -> Image.Image:
    """Every shot's thumbnail with its id, size and move beneath; a scene's row(s) under its
    number and title."""
    counts = [len(plan.shots) for plan in scenes]
    sheet = Image.new("RGB", film_sheet_size(counts), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    heading, label = font(FONT_BOLD, 16), font(FONT_REGULAR, 12)
    columns = min(SHEET_COLUMNS, max(counts, default=1))
    y = 0
    for number, plan in enumerate(scenes, start=1):
        seconds = _clock(plan.frames / plan.fps)
        line = f"{number:02d}  {plan.title}  ·  {len(plan.shots)} shots · {seconds}"
        draw.text((GAP_PX, y + GAP_PX), line, font=heading, fill=(20, 20, 20))
        y += TITLE_PX
        for index, (shot, thumb) in enumerate(zip(plan.shots, middle_frames(plan), strict=True)):
            row, column = divmod(index, columns)
            x = GAP_PX + column * (THUMB_SIZE[0] + GAP_PX)
            top = y + row * (THUMB_SIZE[1] + LABEL_PX)
            sheet.paste(thumb, (x, top))
            caption = f"{shot.id} · {shot.size} · {shot.movement}"
            draw.text((x, top + THUMB_SIZE[1] + 3), caption, font=label, fill=(60, 60, 60))
        y += math.ceil(len(plan.shots) / columns) * (THUMB_SIZE[1] + LABEL_PX)
    return sheet
