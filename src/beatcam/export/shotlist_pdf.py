"""shotlist.pdf: a printed shot list for the set, in the manner of StudioBinder's.

Landscape A4, one table whose first column spans each beat's shots with the beat's number,
function and text (a spanned group never splits across pages), the heading row repeated on
every page, DejaVu Sans for any script the beats are written in. The PDF's creation date is
fixed, so the same plan gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from beatcam import __version__
from beatcam.errors import StageError
from beatcam.export.shotlist import warnings
from beatcam.files import write_atomic
from beatcam.model import PlannedBeat, Shot, ShotPlan
from beatcam.model.setups import (
    Setup,
    camera_height_m,
    rig_for,
    rig_rule,
    setup_of,
    tilt_deg,
)

FILE_NAME = "shotlist.pdf"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {"": "DejaVuSansCondensed.ttf", "B": "DejaVuSansCondensed-Bold.ttf"}
FONT = "DejaVu"
# fpdf2 stamps the creation date into the file; a fixed one keeps the output reproducible
CREATION_DATE = datetime(2000, 1, 1, tzinfo=UTC)
MARGIN_MM = 10.0
TITLE_PT, TEXT_PT, TABLE_PT, FOOTER_PT = 15.0, 9.0, 8.0, 7.0
BEAT_FILL = (225, 225, 225)
HEADING_FILL = (45, 45, 45)
MUTED = (100, 100, 100)
# a beat's cell spans at most this many shots, so a group always fits on one page
MAX_GROUP = 8
BEAT_TEXT_CHARS = 140
SHOOTING_ORDER_NOTE = (
    "Each setup is lit and marked once and all its shots are taken together, out of story "
    "order. The master (the setup of the widest shot) goes first; then the camera turns round "
    "the set one way, a quarter at a time, so each direction is lit once; within a direction, "
    "widest first. Floor marks are metres on the floor plan's grid (x across, z down the page); "
    "the camera column gives lens height and tilt."
)
COLUMNS: tuple[tuple[str, float], ...] = (
    ("Beat", 36.0),
    ("Shot", 10.0),
    ("Setup", 11.0),
    ("Size", 17.0),
    ("Type", 19.0),
    ("Angle", 18.0),
    ("Movement", 20.0),
    ("Lens", 12.0),
    ("Rig", 15.0),
    ("Camera", 17.0),
    ("Duration", 15.0),
    ("Subjects", 19.0),
    ("Notes", 68.0),
)
SETUP_COLUMNS: tuple[tuple[str, float], ...] = (
    ("Order", 13.0),
    ("Setup", 13.0),
    ("Shots", 40.0),
    ("Rig", 18.0),
    ("Lens", 15.0),
    ("Camera", 24.0),
    ("Floor mark", 34.0),
    ("Why this rig", 120.0),
)


def _words(term: str) -> str:
    return term.replace("_", " ")


def camera_cell(height_m: float, tilt: float) -> str:
    """Lens height and tilt as a crew says them: "1.40 m, 5° down"."""
    turn = round(tilt)
    tilted = "level" if not turn else f"{abs(turn)}° {'down' if turn > 0 else 'up'}"
    return f"{height_m:.2f} m, {tilted}"


def cells(shot: Shot, fps: int, setup: str, warning: str) -> tuple[str, ...]:
    """The printed cells of one shot, in the order of COLUMNS after the beat."""
    size = shot.size if shot.end_size == shot.size else f"{shot.size} → {shot.end_size}"
    angle = _words(shot.angle)
    if shot.dutch_deg:
        angle = f"{angle}, dutch {shot.dutch_deg:+.0f}°"
    notes = shot.why if shot.transition == "cut" else f"[{_words(shot.transition)}] {shot.why}"
    if warning:
        notes = f"⚠ {warning}\n{notes}"
    return (
        shot.id,
        setup,
        size,
        _words(shot.framing),
        angle,
        _words(shot.movement),
        f"{shot.lens_mm:.0f} mm",
        rig_for(shot),
        camera_cell(camera_height_m(shot), tilt_deg(shot)),
        f"{shot.frames / fps:.2f} s\n{shot.frames} fr",
        ", ".join(shot.subjects),
        notes,
    )


def beat_cell(beat: PlannedBeat) -> str:
    """Number, narrative function and (shortened) text of a beat."""
    text = beat.text
    if len(text) > BEAT_TEXT_CHARS:
        text = text[: BEAT_TEXT_CHARS - 1].rstrip() + "…"
    return f"{beat.index + 1} · {_words(beat.affect.function)}\n{text}"


def _document(plan: ShotPlan) -> bytes:
    from fpdf import FPDF, FontFace

    class ShotListPDF(FPDF):
        def footer(self) -> None:
            self.set_y(-MARGIN_MM)
            self.set_font(FONT, size=FOOTER_PT)
            self.set_text_color(*MUTED)
            self.cell(0, 4, f"{plan.title} · shot list · page {self.page_no()}/{{nb}}", align="R")

    made_by = plan.provenance
    pdf = ShotListPDF(orientation="landscape", format="A4")
    pdf.set_creation_date(CREATION_DATE)
    pdf.set_title(f"{plan.title} — shot list")
    pdf.set_creator(f"beatcam {__version__}")
    pdf.set_subject(f"input sha256 {made_by.input_sha256}; seed {plan.seed}; style {plan.style}")
    pdf.set_keywords(f"network: {made_by.network}")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=True, margin=MARGIN_MM + 4)
    for style, name in FONT_FILES.items():
        path = FONT_DIR / name
        if not path.is_file():
            raise StageError("export", f"font {path} is missing; install fonts-dejavu-core")
        pdf.add_font(FONT, style, str(path))
    pdf.add_page()

    seconds = plan.frames / plan.fps
    pdf.set_font(FONT, "B", TITLE_PT)
    pdf.cell(0, 8, f"Shot list — {plan.title}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=TEXT_PT)
    pdf.cell(
        0,
        5,
        f"Scene: {plan.title} · set: {plan.set.preset} · {len(plan.beats)} beats · "
        f"{len(plan.shots)} shots · {seconds:.1f} s at {plan.fps} fps · {plan.aspect} · "
        f"style: {plan.style}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(*MUTED)
    pdf.cell(
        0,
        5,
        f"Made by beatcam {made_by.beatcam_version} · input sha256 {made_by.input_sha256} · "
        f"seed {plan.seed} · network: {made_by.network}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)

    setups = plan.setups
    setup_ids = {shot: setup.id for shot, setup in setup_of(setups).items()}
    warned = warnings(plan)
    beat_style = FontFace(fill_color=BEAT_FILL)
    with _table(pdf, COLUMNS) as table:
        for beat in plan.beats:
            shots = [shot for shot in plan.shots if shot.beat == beat.index]
            for first in range(0, len(shots), MAX_GROUP):
                group = shots[first : first + MAX_GROUP]
                for position, shot in enumerate(group):
                    row = table.row()
                    if position == 0:
                        row.cell(beat_cell(beat), rowspan=len(group), style=beat_style)
                    for text in cells(shot, plan.fps, setup_ids[shot.id], warned.get(shot.id, "")):
                        row.cell(text)
    _setups_page(pdf, plan, setups)
    return bytes(pdf.output())


@contextmanager
def _table(pdf: Any, columns: tuple[tuple[str, float], ...]) -> Iterator[Any]:
    """A table of ``columns`` (heading, width in mm), its heading row in and repeated on every
    page."""
    from fpdf import FontFace

    pdf.set_font(FONT, size=TABLE_PT)
    with pdf.table(
        col_widths=[width for _, width in columns],
        width=sum(width for _, width in columns),
        headings_style=FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=HEADING_FILL),
        text_align="LEFT",
        v_align="TOP",
        line_height=1.3 * TABLE_PT * 25.4 / 72,
        padding=1,
    ) as table:
        table.row([name for name, _ in columns])
        yield table


def setup_cells(plan: ShotPlan, setup: Setup) -> tuple[str, ...]:
    """The printed cells of one setup, in the order of SETUP_COLUMNS."""
    first = plan.shot(setup.shots[0])
    x, height, z = setup.position
    return (
        str(setup.order),
        setup.id,
        ", ".join(setup.shots),
        setup.rig,
        f"{setup.lens_mm:.0f} mm",
        camera_cell(height, tilt_deg(first)),
        f"x {x:.2f} m, z {z:.2f} m",
        rig_rule(first).reason,
    )


def _setups_page(pdf: Any, plan: ShotPlan, setups: tuple[Setup, ...]) -> None:
    """The setups in shooting order, on a page of their own, with the rule of the order."""
    pdf.add_page()
    pdf.set_font(FONT, "B", TITLE_PT)
    pdf.cell(0, 8, f"Setups in shooting order — {plan.title}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=TEXT_PT)
    pdf.multi_cell(0, 5, SHOOTING_ORDER_NOTE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    with _table(pdf, SETUP_COLUMNS) as table:
        for setup in setups:
            table.row(setup_cells(plan, setup))


def write_pdf(plan: ShotPlan, out_dir: Path) -> Path:
    """Write shotlist.pdf into ``out_dir``; return its path."""
    return write_atomic(out_dir / FILE_NAME, _document(plan))


def write(plan: ShotPlan, out_dir: Path) -> list[Path]:
    """The registry's entry point: shotlist.pdf."""
    return [write_pdf(plan, out_dir)]
