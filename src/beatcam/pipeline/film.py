"""The film of a screenplay: what ``shoot`` writes beside the scenes' folders (docs/design.md 6).

``write_film`` is one entry point over scenes already shot: ``storyboard.pdf`` (a title page
and a bookmarked chapter per scene), ``timeline.otio``/``.edl``/``.xml``/``.fcpxml`` (every
shot in order, media in the scenes' folders, a marker per scene) and ``contact_sheet.png``.
``index.json`` is the shoot engine's (``shooting.py``), which calls this once every scene of a
rendered screenplay is in its folder.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePath

from beatcam.errors import StageError
from beatcam.files import atomic_path, write_atomic
from beatcam.model import ShotPlan

CONTACT_SHEET_FILE = "contact_sheet.png"


def write_film(
    scenes: Sequence[tuple[ShotPlan, str | PurePath]], out_dir: Path, title: str
) -> list[Path]:
    """Write the film's files into ``out_dir``; return their paths.

    ``scenes`` are ``(plan, folder)`` in film order, each folder relative to ``out_dir`` and
    holding that scene's outputs (its ``storyboard.pdf`` is joined; its ``shots/*.mp4`` and
    ``score.wav`` are what the timelines point at). Every file is written to a temporary name
    and renamed into place.
    """
    from beatcam.export.timeline import SUFFIXES, film_cut, write_cut
    from beatcam.render.film import STORYBOARD_FILE, film_contact_sheet, film_storyboard

    out_dir = Path(out_dir)
    folders = [_relative(folder) for _, folder in scenes]
    plans = [plan for plan, _ in scenes]
    cut = film_cut(title, list(zip(plans, folders, strict=True)))
    pdf = film_storyboard(title, [(p, out_dir / f) for p, f in zip(plans, folders, strict=True)])
    written = [write_atomic(out_dir / STORYBOARD_FILE, pdf)]
    written += [write_cut(cut, out_dir, suffix) for suffix in SUFFIXES]
    sheet = film_contact_sheet(plans)
    with atomic_path(out_dir / CONTACT_SHEET_FILE) as temporary:
        sheet.save(temporary, format="PNG", optimize=False)
    written.append(out_dir / CONTACT_SHEET_FILE)
    return written


def _relative(folder: str | PurePath) -> str:
    """A scene folder as a POSIX path relative to the film's folder (the timelines' URLs)."""
    path = PurePath(folder)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise StageError("film", f"scene folder {str(folder)!r} must be a path inside the film's")
    return path.as_posix()
