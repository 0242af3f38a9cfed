"""The storyboard: a printable PDF (floor plan, then six panels a page) and a contact sheet PNG.

Each panel is the shot's first frame, rendered, with its camera move drawn over it, the last
frame inset when the camera moves, and the shot's data, beat and reason beneath.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import numpy as np
from PIL import Image, ImageDraw

from beatcam.files import atomic_path
from beatcam.model.plan import Shot, ShotPlan
from beatcam.render.arrows import draw_move
from beatcam.render.floorplan import draw_floor_plan
from beatcam.render.hud import FONT_BOLD, FONT_DIR, FONT_REGULAR, font
from beatcam.render.previs import FrameMaker, check_plan, provenance_metadata, scene_cameras
from beatcam.render.projection import to_pixels

PANEL_SIZE: Final = (480, 270)
SHEET_COLUMNS: Final = 4
SHEET_LABEL_PX: Final = 46
SHEET_GAP_PX: Final = 12
PANELS_PER_PAGE: Final = 6
PAGE_COLUMNS: Final = 3
PAGE_MARGIN_MM: Final = 10.0
PANEL_GAP_MM: Final = 6.0
HEADER_MM: Final = 9.0
INSET_RATIO: Final = 0.36
FIXED_DATE: Final = datetime(2000, 1, 1, tzinfo=UTC)
BEAT_LINES: Final = 2
WHY_LINES: Final = 6

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Panel:
    """One shot's pictures: the first frame with its move drawn, and the last frame."""

    shot: Shot
    first: Image.Image
    last: Image.Image

    @property
    def moves(self) -> bool:
        return self.shot.movement != "static"


def shot_facts(shot: Shot, fps: int) -> str:
    """The shot's data on one line, as a panel caption."""
    sizes = shot.size if shot.size == shot.end_size else f"{shot.size}→{shot.end_size}"
    lens = f"{shot.camera.focal_mm[0]:.0f}"
    if abs(shot.camera.focal_mm[-1] - shot.camera.focal_mm[0]) >= 1.0:
        lens += f"→{shot.camera.focal_mm[-1]:.0f}"
    return (
        f"{shot.id} · {sizes} · {shot.angle} · {lens} mm · {shot.movement} · {shot.framing} · "
        f"{shot.frames / fps:.1f} s"
    )


def render_panels(plan: ShotPlan, progress: Progress | None = None) -> list[Panel]:
    """Render every shot's first and last frame with its move drawn."""
    cameras = scene_cameras(plan)
    maker = FrameMaker(plan, PANEL_SIZE)
    panels = []
    try:
        matrices = maker.matrices(cameras.position, cameras.rotation, cameras.focal_mm)
        rect = maker.rect
        box = (rect.x, rect.y, rect.x + rect.width, rect.y + rect.height)
        for done, shot in enumerate(plan.shots, start=1):
            ends = (shot.start_frame, shot.start_frame + shot.frames - 1)
            pictures = [
                Image.fromarray(maker.frame(f, matrices[f], cameras.position[f], done - 1).copy())
                for f in ends
            ]
            subject = None
            if shot.subjects and shot.subjects[0] in plan.blocking.tracks:
                track = plan.blocking[shot.subjects[0]]
                points = [to_pixels(track.eyes(f, 1), matrices[f], rect)[0] for f in ends]
                if all(np.isfinite(p).all() for p in points):
                    subject = ((points[0][0], points[0][1]), (points[1][0], points[1][1]))
            draw_move(ImageDraw.Draw(pictures[0]), shot, box, subject)
            panels.append(Panel(shot, pictures[0], pictures[1]))
            if progress is not None:
                progress(done, len(plan.shots))
    finally:
        maker.release()
    return panels


def contact_sheet_size(shots: int) -> tuple[int, int]:
    """Pixel size of the contact sheet for ``shots`` panels."""
    columns = min(SHEET_COLUMNS, max(shots, 1))
    rows = math.ceil(shots / columns)
    width = columns * PANEL_SIZE[0] + (columns + 1) * SHEET_GAP_PX
    height = rows * (PANEL_SIZE[1] + SHEET_LABEL_PX) + (rows + 1) * SHEET_GAP_PX
    return width, height


def contact_sheet(panels: list[Panel], fps: int) -> Image.Image:
    """All panels in a grid, each labelled with its shot's data."""
    sheet = Image.new("RGB", contact_sheet_size(len(panels)), (245, 245, 242))
    draw = ImageDraw.Draw(sheet)
    bold, regular = font(FONT_BOLD, 13), font(FONT_REGULAR, 12)
    columns = min(SHEET_COLUMNS, max(len(panels), 1))
    for index, panel in enumerate(panels):
        row, column = divmod(index, columns)
        x = SHEET_GAP_PX + column * (PANEL_SIZE[0] + SHEET_GAP_PX)
        y = SHEET_GAP_PX + row * (PANEL_SIZE[1] + SHEET_LABEL_PX + SHEET_GAP_PX)
        sheet.paste(_with_inset(panel), (x, y))
        facts = shot_facts(panel.shot, fps)
        draw.text((x, y + PANEL_SIZE[1] + 4), facts, font=bold, fill=(30, 30, 30))
        why = panel.shot.why
        limit = int(PANEL_SIZE[0] / max(regular.getlength("abcdefghij") / 10.0, 1.0))
        if len(why) > limit:
            why = why[: limit - 1].rstrip() + "…"
        draw.text((x, y + PANEL_SIZE[1] + 25), why, font=regular, fill=(80, 80, 80))
    return sheet


def _with_inset(panel: Panel) -> Image.Image:
    """The first frame, with the last frame inset in the lower right when the camera moves."""
    picture = panel.first.copy()
    if panel.moves:
        width, height = picture.size
        inset = panel.last.resize((round(width * INSET_RATIO), round(height * INSET_RATIO)))
        border = Image.new("RGB", (inset.width + 4, inset.height + 4), (255, 255, 255))
        border.paste(inset, (2, 2))
        ImageDraw.Draw(border).text((6, 4), "END", font=font(FONT_BOLD, 12), fill=(255, 214, 64))
        picture.paste(border, (width - border.width - 4, height - border.height - 4))
    return picture


def _lines(pdf: Any, text: str, width: float, limit: int) -> str:
    lines: list[str] = pdf.multi_cell(width, 3, text, dry_run=True, output="LINES")
    if len(lines) > limit:
        lines = lines[:limit]
        lines[-1] = lines[-1].rstrip(" .,;:") + "…"
    return "\n".join(lines)


def new_pdf() -> Any:
    """An empty fpdf2 document as every storyboard page is laid out: A4 landscape in mm, the
    HUD's fonts as "DejaVu", and a fixed creation date so that the same input gives the same
    bytes."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(FIXED_DATE)
    pdf.add_font("DejaVu", "", str(FONT_DIR / FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / FONT_BOLD))
    return pdf


def storyboard_pdf(plan: ShotPlan, panels: list[Panel], floor_plan: Image.Image) -> Any:
    """The storyboard as an fpdf2 document: the floor plan page, then the panels."""
    pdf = new_pdf()
    meta = provenance_metadata(plan)
    pdf.set_title(f"{plan.title} — storyboard")
    pdf.set_subject(f"Scene: {plan.title}. {meta['comment']}")
    pdf.set_author("beatcam")
    pdf.set_creator(f"beatcam {plan.provenance.beatcam_version}")
    pdf.set_keywords(f"storyboard previs {plan.provenance.input_sha256}")
    p = plan.provenance
    short_provenance = (
        f"beatcam {p.beatcam_version} · input {p.input_sha256[:12]} · seed {plan.seed} · "
        f"network {p.network}"
    )
    page_w, page_h = pdf.w, pdf.h
    inner_w = page_w - 2 * PAGE_MARGIN_MM

    def header(text: str) -> None:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 11)
        pdf.set_xy(PAGE_MARGIN_MM, PAGE_MARGIN_MM)
        pdf.cell(inner_w * 0.7, 6, text)
        pdf.set_font("DejaVu", "", 7)
        pdf.set_xy(PAGE_MARGIN_MM + inner_w * 0.5, PAGE_MARGIN_MM)
        pdf.cell(inner_w * 0.5, 6, short_provenance, align="R")

    header(f"{plan.title} — floor plan, {len(plan.shots)} shots")
    plan_h = page_h - 2 * PAGE_MARGIN_MM - HEADER_MM
    plan_w = min(inner_w, plan_h * floor_plan.width / floor_plan.height)
    pdf.image(
        floor_plan,
        x=PAGE_MARGIN_MM + (inner_w - plan_w) / 2,
        y=PAGE_MARGIN_MM + HEADER_MM,
        w=plan_w,
    )
    rows = PANELS_PER_PAGE // PAGE_COLUMNS
    cell_w = (inner_w - (PAGE_COLUMNS - 1) * PANEL_GAP_MM) / PAGE_COLUMNS
    cell_h = (page_h - 2 * PAGE_MARGIN_MM - HEADER_MM - (rows - 1) * PANEL_GAP_MM) / rows
    image_h = cell_w * PANEL_SIZE[1] / PANEL_SIZE[0]
    for index, panel in enumerate(panels):
        slot = index % PANELS_PER_PAGE
        if slot == 0:
            page = index // PANELS_PER_PAGE + 1
            pages = math.ceil(len(panels) / PANELS_PER_PAGE)
            header(f"{plan.title} — storyboard {page}/{pages}")
        row, column = divmod(slot, PAGE_COLUMNS)
        x = PAGE_MARGIN_MM + column * (cell_w + PANEL_GAP_MM)
        y = PAGE_MARGIN_MM + HEADER_MM + row * (cell_h + PANEL_GAP_MM)
        pdf.image(_with_inset(panel), x=x, y=y, w=cell_w, h=image_h)
        pdf.rect(x, y, cell_w, image_h)
        pdf.set_xy(x, y + image_h + 1.5)
        pdf.set_font("DejaVu", "B", 7)
        pdf.multi_cell(cell_w, 3.4, shot_facts(panel.shot, plan.fps))
        beat = next((b for b in plan.beats if b.index == panel.shot.beat), None)
        if beat is not None:
            pdf.set_x(x)
            pdf.set_font("DejaVu", "", 7)
            pdf.set_text_color(60, 60, 60)
            pdf.multi_cell(
                cell_w, 3.2, _lines(pdf, f"B{beat.index + 1}: {beat.text}", cell_w, BEAT_LINES)
            )
        pdf.set_x(x)
        pdf.set_font("DejaVu", "", 6.5)
        pdf.set_text_color(100, 100, 100)
        pdf.multi_cell(cell_w, 3.0, _lines(pdf, f"Why: {panel.shot.why}", cell_w, WHY_LINES))
        pdf.set_text_color(0, 0, 0)
    return pdf


def render_storyboard(
    plan: ShotPlan, out_dir: Path, progress: Progress | None = None
) -> list[Path]:
    """Write ``out_dir/storyboard.pdf`` and ``out_dir/storyboard.png``; return their paths."""
    check_plan(plan)
    out_dir = Path(out_dir)
    panels = render_panels(plan, progress)
    pdf = storyboard_pdf(plan, panels, draw_floor_plan(plan).image)
    pdf_path, png_path = out_dir / "storyboard.pdf", out_dir / "storyboard.png"
    with atomic_path(pdf_path) as temporary_pdf, atomic_path(png_path) as temporary_png:
        pdf.output(str(temporary_pdf))
        contact_sheet(panels, plan.fps).save(temporary_png, format="PNG", optimize=False)
    return [pdf_path, png_path]
