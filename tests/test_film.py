"""The film of a screenplay: two short scenes planned and shot (storyboard and timelines) into
their folders, then the film's storyboard, timelines and contact sheet read back with
pypdf, OpenTimelineIO and Pillow and compared with the scenes' plans."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
from pathlib import Path

import numpy as np
import opentimelineio as otio
import pytest
from PIL import Image
from pypdf import PdfReader

from beatcam.errors import StageError
from beatcam.export import export_plan
from beatcam.model import ShotPlan
from beatcam.pipeline import plan_scene
from beatcam.pipeline.film import write_film
from beatcam.render import render_storyboard
from beatcam.render.film import (
    GAP_PX,
    LABEL_PX,
    THUMB_SIZE,
    TITLE_PX,
    film_sheet_size,
    film_storyboard,
)
from beatcam.script import read_scenes
from conftest import pdf_chapters

SCREENPLAY = b"""Title: Short Night

INT. KITCHEN - NIGHT

Mara opens the letter at the table.

She realises it is forged. Dread creeps in.

EXT. GARDEN - DAWN

Tom waits by the gate.

Mara runs out to him.

TOM
You read it.
"""
TITLE = "Short Night"
FILM_FILES = (
    "contact_sheet.png",
    "storyboard.pdf",
    "timeline.edl",
    "timeline.fcpxml",
    "timeline.otio",
    "timeline.xml",
)
Scenes = list[tuple[ShotPlan, str]]


@pytest.fixture(scope="module")
def shot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Scenes]:
    """The screenplay's scenes planned, each with its storyboard and timelines in its folder."""
    out = tmp_path_factory.mktemp("film")
    scenes: Scenes = []
    for number, scene in enumerate(read_scenes("short.fountain", SCREENPLAY), start=1):
        plan, _ = plan_scene(scene)
        folder = f"{number:02d}-{scene.slug}"
        render_storyboard(plan, out / folder)
        export_plan(plan, out / folder, ("otio",))
        scenes.append((plan, folder))
    write_film(scenes, out, TITLE)
    return out, scenes


def _starts(scenes: Scenes) -> list[int]:
    return list(np.cumsum([0] + [plan.frames for plan, _ in scenes[:-1]]))


def test_the_film_writes_its_files_beside_the_scene_folders(shot: tuple[Path, Scenes]) -> None:
    out, scenes = shot
    assert len(scenes) == 2
    assert sorted(p.name for p in out.iterdir() if p.is_file()) == sorted(FILM_FILES)
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [f for _, f in scenes]


def test_storyboard_has_a_title_page_and_a_bookmarked_chapter_per_scene(
    shot: tuple[Path, Scenes],
) -> None:
    out, scenes = shot
    reader = PdfReader(out / "storyboard.pdf")
    scene_pages = [len(PdfReader(out / f / "storyboard.pdf").pages) for _, f in scenes]
    assert len(reader.pages) == 1 + sum(scene_pages)
    assert TITLE in reader.pages[0].extract_text()
    outline = pdf_chapters(reader)
    assert [item.title for item in outline] == [plan.title for plan, _ in scenes]
    chapter_starts = [reader.get_destination_page_number(item) for item in outline]
    assert chapter_starts == [1, 1 + scene_pages[0]]
    first_scene = PdfReader(out / scenes[0][1] / "storyboard.pdf")
    assert reader.pages[1].extract_text() == first_scene.pages[0].extract_text()
    assert reader.metadata is not None and TITLE in str(reader.metadata.title)


def test_timeline_holds_every_shot_in_order_with_a_marker_per_scene(
    shot: tuple[Path, Scenes],
) -> None:
    out, scenes = shot
    timeline = otio.adapters.read_from_file(str(out / "timeline.otio"))
    (video,) = timeline.video_tracks()
    clips = list(video.find_clips())
    shots = [(folder, s) for plan, folder in scenes for s in plan.shots]
    assert len(clips) == len(shots)
    for clip, (folder, s) in zip(clips, shots, strict=True):
        assert clip.media_reference.target_url == f"{folder}/shots/{s.id}.mp4"
        assert clip.source_range.duration.value == s.frames
    total = sum(plan.frames for plan, _ in scenes)
    assert timeline.duration().value == total
    assert timeline.duration().rate == scenes[0][0].fps
    markers = list(timeline.tracks.markers)
    assert [m.name for m in markers] == [plan.title for plan, _ in scenes]
    assert [m.marked_range.start_time.value for m in markers] == _starts(scenes)
    (audio,) = timeline.audio_tracks()
    scores = [c.media_reference.target_url for c in audio.find_clips()]
    assert scores == [f"{folder}/score.wav" for _, folder in scenes]


def test_a_scenes_clips_in_the_film_are_the_clips_of_its_own_timeline(
    shot: tuple[Path, Scenes],
) -> None:
    out, scenes = shot
    film = otio.adapters.read_from_file(str(out / "timeline.otio"))
    film_urls = [c.media_reference.target_url for c in film.video_tracks()[0].find_clips()]
    own: list[str] = []
    for _, folder in scenes:
        scene = otio.adapters.read_from_file(str(out / folder / "timeline.otio"))
        own += [
            f"{folder}/{c.media_reference.target_url}" for c in scene.video_tracks()[0].find_clips()
        ]
        assert (out / folder).is_dir()
    assert film_urls == own


@pytest.mark.parametrize("suffix", ["edl", "xml", "fcpxml"])
def test_other_timeline_formats_read_back_with_every_shot_and_the_length(
    shot: tuple[Path, Scenes], suffix: str
) -> None:
    out, scenes = shot
    fps = scenes[0][0].fps
    options = {"rate": fps} if suffix == "edl" else {}
    timeline = otio.adapters.read_from_file(str(out / f"timeline.{suffix}"), **options)
    clips = list(timeline.video_tracks()[0].find_clips())
    names = [f"{n:02d}-{s.id}" for n, (plan, _) in enumerate(scenes, start=1) for s in plan.shots]
    assert [c.name for c in clips] == names
    assert timeline.video_tracks()[0].duration().value == sum(p.frames for p, _ in scenes)
    text = (out / f"timeline.{suffix}").read_text(encoding="utf-8")
    for plan, _ in scenes:  # the scene markers, upper-cased in an EDL
        assert plan.title.upper() in text.upper()


def test_contact_sheet_is_a_grid_of_thumbnails_a_row_per_scene(shot: tuple[Path, Scenes]) -> None:
    out, scenes = shot
    counts = [len(plan.shots) for plan, _ in scenes]
    columns = max(counts)
    with Image.open(out / "contact_sheet.png") as image:
        sheet = np.asarray(image.convert("RGB"))
    width = columns * THUMB_SIZE[0] + (columns + 1) * GAP_PX
    height = 2 * TITLE_PX + 2 * (THUMB_SIZE[1] + LABEL_PX) + GAP_PX
    assert (sheet.shape[1], sheet.shape[0]) == film_sheet_size(counts) == (width, height)
    background = sheet[-1, -1]
    for row, count in enumerate(counts):
        top = (row + 1) * TITLE_PX + row * (THUMB_SIZE[1] + LABEL_PX)
        for column in range(columns):
            left = GAP_PX + column * (THUMB_SIZE[0] + GAP_PX)
            cell = sheet[top : top + THUMB_SIZE[1], left : left + THUMB_SIZE[0]]
            filled = bool((cell != background).any(axis=2).mean() > 0.5)
            assert filled == (column < count), (row, column)


def test_a_second_run_gives_the_same_bytes(shot: tuple[Path, Scenes], tmp_path: Path) -> None:
    out, scenes = shot
    for _, folder in scenes:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "storyboard.pdf").write_bytes(
            (out / folder / "storyboard.pdf").read_bytes()
        )
    write_film(scenes, tmp_path, TITLE)
    for name in FILM_FILES:
        digest = hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        assert digest == hashlib.sha256((out / name).read_bytes()).hexdigest(), name


def test_long_scenes_wrap_onto_more_rows() -> None:
    narrow = film_sheet_size([3, 2])
    wide = film_sheet_size([10, 3])
    assert narrow[0] < wide[0] == film_sheet_size([8])[0]
    assert wide[1] - film_sheet_size([8, 3])[1] == THUMB_SIZE[1] + LABEL_PX


def test_bad_scenes_fail_before_any_film_file_is_written(
    shot: tuple[Path, Scenes], tmp_path: Path
) -> None:
    _, scenes = shot
    with pytest.raises(StageError, match="storyboard first"):
        write_film(scenes, tmp_path, TITLE)
    with pytest.raises(StageError, match="inside the film"):
        write_film([(scenes[0][0], "../elsewhere")], tmp_path, TITLE)
    faster = dataclasses.replace(scenes[1][0], fps=25)
    with pytest.raises(StageError, match="different fps"):
        write_film([scenes[0], (faster, scenes[1][1])], tmp_path, TITLE)
    assert list(tmp_path.iterdir()) == []


def test_a_long_film_lists_its_scenes_on_as_many_pages_as_it_needs(
    shot: tuple[Path, Scenes], tmp_path: Path
) -> None:
    out, scenes = shot
    plan, folder = scenes[0]
    many = []
    for number in range(1, 41):
        scene_folder = tmp_path / f"{number:02d}"
        scene_folder.mkdir()
        (scene_folder / "storyboard.pdf").write_bytes(
            (out / folder / "storyboard.pdf").read_bytes()
        )
        many.append((dataclasses.replace(plan, title=f"Scene {number}"), scene_folder))
    reader = PdfReader(io.BytesIO(film_storyboard(TITLE, many)))
    starts = [reader.get_destination_page_number(item) for item in pdf_chapters(reader)]
    scene_pages = len(PdfReader(out / folder / "storyboard.pdf").pages)
    contents_pages = len(reader.pages) - 40 * scene_pages
    assert contents_pages > 1
    assert starts == [contents_pages + n * scene_pages for n in range(40)]
    contents = "\n".join(reader.pages[i].extract_text() for i in range(contents_pages))
    listed = [int(page) - 1 for page in re.findall(r"p\. (\d+)", contents)]
    assert listed == starts
