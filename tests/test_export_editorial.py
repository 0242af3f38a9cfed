"""Editorial exports: timelines, shot list, trajectory and provenance, read back with each
format's own library and compared with the plan."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import socket
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import av
import jsonschema
import numpy as np
import opentimelineio as otio
import pytest
from pypdf import PdfReader
from pytest_socket import SocketBlockedError

from beatcam.errors import StageError
from beatcam.export import FORMATS, export_plan, writer_for
from beatcam.export import provenance as provenance_export
from beatcam.export.shotlist import COLUMNS as SHOTLIST_COLUMNS
from beatcam.model import Blocking, CameraTrack, CharacterTrack, PlannedBeat, ShotPlan
from beatcam.render import render_previs
from conftest import build_tiny_plan

TIMELINE_FORMATS = ("otio", "edl", "xml", "fcpxml")
EDITORIAL_FORMATS = (*TIMELINE_FORMATS, "shotlist", "shotlist_pdf", "trajectory", "provenance")
EDITORIAL_FILES = (
    "provenance.json",
    "shotlist.csv",
    "shotlist.pdf",
    "timeline.edl",
    "timeline.fcpxml",
    "timeline.otio",
    "timeline.xml",
    "trajectory.csv",
)
DISSOLVE_FRAMES = 12  # half a second at 24 fps


def _read_timeline(path: Path, fps: int) -> otio.schema.Timeline:
    options = {"rate": fps} if path.suffix == ".edl" else {}
    timeline: otio.schema.Timeline = otio.adapters.read_from_file(str(path), **options)
    return timeline


def _export(plan: ShotPlan, out_dir: Path, formats: tuple[str, ...] = EDITORIAL_FORMATS) -> None:
    export_plan(plan, out_dir, formats)


def _with_dissolve(plan: ShotPlan) -> ShotPlan:
    first, second = plan.shots
    return dataclasses.replace(
        plan, shots=(first, dataclasses.replace(second, transition="dissolve"))
    )


def _long_plan(tiny: ShotPlan, shots: int, frames_each: int = 12) -> ShotPlan:
    """A plan of many short static shots over many beats, with Unicode words, for paging."""
    total = shots * frames_each
    affect = tiny.beats[1].affect
    beats = tuple(
        PlannedBeat(
            i,
            f"Zoë wartet — beat {i} ängstlich am Fenster.",
            2 * i * frames_each,
            2 * frames_each,
            affect,
        )
        for i in range(shots // 2)
    )
    built = []
    for i in range(shots):
        eyes = np.tile([0.1 * i, 1.5, 4.0], (frames_each, 1))
        rotation = np.tile([1.0, 0.0, 0.0, 0.0], (frames_each, 1))
        camera = CameraTrack(eyes, rotation, np.full(frames_each, 35.0), np.full(frames_each, 3.0))
        built.append(
            dataclasses.replace(
                tiny.shots[0],
                id=f"S{i + 1:02d}",
                beat=i // 2,
                start_frame=i * frames_each,
                frames=frames_each,
                why=f"Shot {i + 1}: hold on Zoë's face → the dread grows. " * 3,
                camera=camera,
            )
        )
    mara = CharacterTrack("Mara", 1.68, np.zeros((total, 3)), np.zeros(total))
    return dataclasses.replace(
        tiny, beats=beats, shots=tuple(built), blocking=Blocking({"Mara": mara}, total)
    )


# ---- registry ----------------------------------------------------------------------------


def test_registry_names_every_editorial_format() -> None:
    for name in EDITORIAL_FORMATS:
        assert callable(writer_for(name))


def test_export_writes_every_editorial_file(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    _export(tiny_plan, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(EDITORIAL_FILES)


# ---- timelines ---------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", TIMELINE_FORMATS)
def test_timeline_round_trip_keeps_clips_durations_and_order(
    tiny_plan: ShotPlan, tmp_path: Path, suffix: str
) -> None:
    _export(tiny_plan, tmp_path, (suffix,))
    timeline = _read_timeline(tmp_path / f"timeline.{suffix}", tiny_plan.fps)
    (video,) = timeline.video_tracks()
    clips = list(video.find_clips())
    assert [c.name for c in clips] == [s.id for s in tiny_plan.shots]
    for clip, shot in zip(clips, tiny_plan.shots, strict=True):
        assert clip.duration() == otio.opentime.RationalTime(shot.frames, tiny_plan.fps)
        assert clip.media_reference.target_url == f"shots/{shot.id}.mp4"
        start = clip.range_in_parent().start_time
        assert start.to_frames() == shot.start_frame
    assert video.duration().to_frames() == tiny_plan.frames


@pytest.mark.parametrize("suffix", ["otio", "xml", "fcpxml"])
def test_timeline_carries_the_score_for_the_whole_scene(
    tiny_plan: ShotPlan, tmp_path: Path, suffix: str
) -> None:
    _export(tiny_plan, tmp_path, (suffix,))
    timeline = _read_timeline(tmp_path / f"timeline.{suffix}", tiny_plan.fps)
    (audio,) = timeline.audio_tracks()
    (score,) = list(audio.find_clips())
    assert score.media_reference.target_url == "score.wav"
    assert score.duration() == otio.opentime.RationalTime(tiny_plan.frames, tiny_plan.fps)


def test_edl_holds_video_only_with_reels_named_by_shot(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    """The CMX adapter writes the first video track only: documented, and held to here."""
    _export(tiny_plan, tmp_path, ("edl",))
    timeline = _read_timeline(tmp_path / "timeline.edl", tiny_plan.fps)
    assert timeline.audio_tracks() == []
    reels = [clip.metadata["cmx_3600"]["reel"] for clip in timeline.find_clips()]
    assert reels == [shot.id for shot in tiny_plan.shots]


@pytest.mark.parametrize("suffix", ["otio", "xml"])
def test_sequence_markers_mark_each_beat(tiny_plan: ShotPlan, tmp_path: Path, suffix: str) -> None:
    _export(tiny_plan, tmp_path, (suffix,))
    timeline = _read_timeline(tmp_path / f"timeline.{suffix}", tiny_plan.fps)
    markers = [(m.name, m.marked_range.start_time.to_frames()) for m in timeline.tracks.markers]
    assert markers == [
        ("B1 Mara opens the letter.", 0),
        ("B2 She realises it is forged; dread", 48),
    ]


@pytest.mark.parametrize("suffix", ["edl", "fcpxml"])
def test_clip_markers_mark_each_beat_where_sequences_cannot(
    tiny_plan: ShotPlan, tmp_path: Path, suffix: str
) -> None:
    _export(tiny_plan, tmp_path, (suffix,))
    timeline = _read_timeline(tmp_path / f"timeline.{suffix}", tiny_plan.fps)
    found = [
        (clip.name, marker.name.upper(), marker.marked_range.start_time.to_frames())
        for clip in timeline.find_clips()
        for marker in clip.markers
    ]
    assert found == [
        ("S01", "B1 MARA OPENS THE LETTER.", 0),
        ("S02", "B2 SHE REALISES IT IS FORGED; DREAD", 0),
    ]


def test_otio_keeps_plan_words_and_provenance(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    _export(tiny_plan, tmp_path, ("otio",))
    timeline = _read_timeline(tmp_path / "timeline.otio", tiny_plan.fps)
    facts = timeline.metadata["beatcam"]
    assert facts["input_sha256"] == tiny_plan.provenance.input_sha256
    assert facts["network"] == "none"
    assert facts["seed"] == tiny_plan.seed
    assert [dict(m) for m in facts["models"]] == [dict(m) for m in tiny_plan.provenance.models]
    for clip, shot in zip(timeline.find_clips(), tiny_plan.shots, strict=False):
        words = clip.metadata["beatcam"]
        assert (words["size"], words["angle"], words["movement"], words["why"]) == (
            shot.size,
            shot.angle,
            shot.movement,
            shot.why,
        )
        assert list(words["subjects"]) == list(shot.subjects)
        assert words["lens_mm"] == shot.lens_mm


def test_fcp_xml_logging_info_holds_the_why(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    _export(tiny_plan, tmp_path, ("xml",))
    timeline = _read_timeline(tmp_path / "timeline.xml", tiny_plan.fps)
    for clip, shot in zip(timeline.video_tracks()[0].find_clips(), tiny_plan.shots, strict=True):
        info = clip.metadata["fcp_xml"]["logginginfo"]
        assert info["description"] == shot.why
        assert info["shottake"] == shot.id


@pytest.mark.parametrize("suffix", ["otio", "edl", "xml"])
def test_dissolve_becomes_a_transition_starting_at_the_cut(
    tiny_plan: ShotPlan, tmp_path: Path, suffix: str
) -> None:
    plan = _with_dissolve(tiny_plan)
    _export(plan, tmp_path, (suffix,))
    timeline = _read_timeline(tmp_path / f"timeline.{suffix}", plan.fps)
    items = list(timeline.video_tracks()[0])
    kinds = [type(item).__name__ for item in items]
    assert kinds == ["Clip", "Transition", "Clip"]
    transition = items[1]
    assert transition.transition_type == otio.schema.TransitionTypes.SMPTE_Dissolve
    assert transition.in_offset.to_frames() == 0
    assert transition.out_offset.to_frames() == DISSOLVE_FRAMES
    assert [c.duration().to_frames() for c in items[::2]] == [s.frames for s in plan.shots]


@pytest.fixture(scope="module")
def rendered_cut(tmp_path_factory: pytest.TempPathFactory) -> tuple[ShotPlan, Path]:
    """The tiny plan with a dissolve, rendered small (its shots' clips) and exported to every
    timeline format in one folder."""
    plan = _with_dissolve(build_tiny_plan())
    out = tmp_path_factory.mktemp("cut")
    render_previs(plan, out, resolution=(320, 180), hud=False)
    _export(plan, out, TIMELINE_FORMATS)
    return plan, out


def _media_frames(path: Path) -> int:
    """Frames in a clip's file, counted by decoding it with PyAV."""
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


@pytest.mark.parametrize("suffix", TIMELINE_FORMATS)
def test_every_transition_plays_within_its_clips_media(
    rendered_cut: tuple[ShotPlan, Path], suffix: str
) -> None:
    plan, out = rendered_cut
    track = _read_timeline(out / f"timeline.{suffix}", plan.fps).video_tracks()[0]
    items = list(track)
    clips = [item for item in items if isinstance(item, otio.schema.Clip)]
    assert [clip.name for clip in clips] == [shot.id for shot in plan.shots]
    media = {clip.name: _media_frames(out / "shots" / f"{clip.name}.mp4") for clip in clips}
    for clip in clips:  # every clip inside its file, with handles to spare
        start = clip.source_range.start_time.to_frames()
        assert start > 0 and start + clip.source_range.duration.to_frames() < media[clip.name]
    transitions = [i for i, item in enumerate(items) if isinstance(item, otio.schema.Transition)]
    assert len(transitions) == (0 if suffix == "fcpxml" else 1)  # its adapter writes none
    for index in transitions:
        outgoing, transition, incoming = items[index - 1 : index + 2]
        needs_after = outgoing.source_range.end_time_exclusive() + transition.out_offset
        needs_before = incoming.source_range.start_time - transition.in_offset
        assert transition.out_offset.to_frames() > 0
        assert needs_after.to_frames() <= media[outgoing.name]
        assert needs_before.to_frames() >= 0


def test_fcpxml_dissolve_is_fcps_cross_dissolve_from_the_cut_over_the_handle(
    tiny_plan: ShotPlan, tmp_path: Path
) -> None:
    plan = _with_dissolve(tiny_plan)
    _export(plan, tmp_path, ("fcpxml",))
    root = ElementTree.parse(tmp_path / "timeline.fcpxml").getroot()
    spine = root.find(".//spine")
    assert spine is not None
    assert [item.tag for item in spine] == ["clip", "transition", "clip"]
    outgoing, transition, incoming = spine
    assert transition.get("offset") == incoming.get("offset")  # from the cut
    duration = Fraction(str(transition.get("duration")).removesuffix("s"))
    assert duration == Fraction(DISSOLVE_FRAMES, plan.fps)
    # the outgoing clip's tail handle covers it: its asset runs a handle past the clip's end
    start = Fraction(str(outgoing.get("start", "0s")).removesuffix("s"))
    end = start + Fraction(str(outgoing.get("duration")).removesuffix("s"))
    video = outgoing.find("video")
    assert video is not None
    assets = {asset.get("id"): asset for asset in root.iter("asset")}
    media = Fraction(str(assets[video.get("ref")].get("duration")).removesuffix("s"))
    assert end + duration <= media
    effect = transition.find("filter-video")
    assert effect is not None
    (declared,) = (e for e in root.iter("effect") if e.get("id") == effect.get("ref"))
    assert declared.get("uid") == "FxPlug:4731E73A-8DAC-4113-9A30-AE85B1761265"
    # and the adapter still reads the cut back, clip durations unchanged
    timeline = _read_timeline(tmp_path / "timeline.fcpxml", plan.fps)
    items = [item for item in timeline.video_tracks()[0] if isinstance(item, otio.schema.Clip)]
    assert [c.duration().to_frames() for c in items] == [s.frames for s in plan.shots]


def test_gap_between_shots_is_refused(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    first, second = tiny_plan.shots
    broken = dataclasses.replace(
        tiny_plan, shots=(first, dataclasses.replace(second, start_frame=50))
    )
    with pytest.raises(StageError, match=r"S02: .*frame 50, expected 48"):
        _export(broken, tmp_path, ("otio",))
    assert not (tmp_path / "timeline.otio").exists()


# ---- shot list ---------------------------------------------------------------------------


def test_shotlist_csv_has_one_row_per_shot_in_plan_words(
    tiny_plan: ShotPlan, tmp_path: Path
) -> None:
    first, second = tiny_plan.shots
    why = 'Zoë\'s dread, tight — "no way out", she thinks.'
    plan = dataclasses.replace(tiny_plan, shots=(first, dataclasses.replace(second, why=why)))
    _export(plan, tmp_path, ("shotlist",))
    raw = (tmp_path / "shotlist.csv").read_bytes()
    assert b"\r" not in raw
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8"), newline=""))
    assert tuple(reader.fieldnames or ()) == SHOTLIST_COLUMNS
    rows = list(reader)
    assert [r["id"] for r in rows] == ["S01", "S02"]
    assert rows[1]["why"] == why
    for row, shot in zip(rows, plan.shots, strict=True):
        assert int(row["beat"]) == shot.beat
        assert int(row["start_frame"]) == shot.start_frame
        assert int(row["frames"]) == shot.frames
        assert float(row["duration_s"]) == pytest.approx(shot.frames / plan.fps, abs=1e-5)
        assert (row["size"], row["end_size"], row["angle"], row["movement"]) == (
            shot.size,
            shot.end_size,
            shot.angle,
            shot.movement,
        )
        assert (row["framing"], row["transition"]) == (shot.framing, shot.transition)
        assert float(row["lens_mm"]) == shot.lens_mm
        assert float(row["dutch_deg"]) == shot.dutch_deg
        assert row["subjects"].split(";") == list(shot.subjects)


def test_shotlist_pdf_metadata_and_text(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    _export(tiny_plan, tmp_path, ("shotlist_pdf",))
    reader = PdfReader(tmp_path / "shotlist.pdf")
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Tiny — shot list"
    assert meta.creator == "beatcam 0.1.0"
    assert tiny_plan.provenance.input_sha256 in (meta.subject or "")
    assert str(meta["/Keywords"]) == "network: none"
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height
    text = reader.pages[0].extract_text()
    flowed = " ".join(text.split())  # the notes column wraps the why
    for shot in tiny_plan.shots:
        assert shot.id in text
        assert shot.why in flowed
    assert "MCU → CU" in text
    assert "push in" in text


def test_shotlist_pdf_repeats_headings_on_every_page(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    plan = _long_plan(tiny_plan, 40)
    _export(plan, tmp_path, ("shotlist_pdf",))
    reader = PdfReader(tmp_path / "shotlist.pdf")
    assert len(reader.pages) >= 2
    texts = [page.extract_text() for page in reader.pages]
    setups = next(i for i, text in enumerate(texts) if "Setups in shooting order" in text)
    for text in texts[:setups]:
        assert "Movement" in text
        assert "Notes" in text
    for text in texts[setups:]:  # the setups table (one setup per shot here) runs on too
        assert "Why this rig" in text
    everything = "\n".join(texts)
    assert "Zoë wartet" in everything
    assert all(shot.id in everything for shot in plan.shots)


def test_shotlist_pdf_is_byte_identical(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    _export(tiny_plan, tmp_path / "a", ("shotlist_pdf",))
    _export(tiny_plan, tmp_path / "b", ("shotlist_pdf",))
    assert (tmp_path / "a/shotlist.pdf").read_bytes() == (tmp_path / "b/shotlist.pdf").read_bytes()
    meta = PdfReader(tmp_path / "a/shotlist.pdf").metadata
    assert meta is not None
    assert meta.creation_date == datetime(2000, 1, 1, tzinfo=UTC)


# ---- trajectory --------------------------------------------------------------------------


def test_trajectory_matches_the_plan_on_every_frame(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    _export(tiny_plan, tmp_path, ("trajectory",))
    path = tmp_path / "trajectory.csv"
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == "frame,shot,x,y,z,qw,qx,qy,qz,focal_mm,focus_m"
    numbers = np.loadtxt(path, delimiter=",", skiprows=1, usecols=[0, *range(2, 11)])
    shots = np.loadtxt(path, delimiter=",", skiprows=1, usecols=[1], dtype=str)
    assert len(numbers) == tiny_plan.frames
    np.testing.assert_array_equal(numbers[:, 0], np.arange(tiny_plan.frames))
    expected_ids = np.repeat([s.id for s in tiny_plan.shots], [s.frames for s in tiny_plan.shots])
    np.testing.assert_array_equal(shots, expected_ids)
    for shot in tiny_plan.shots:
        rows = numbers[shot.start_frame : shot.start_frame + shot.frames]
        camera = shot.camera
        np.testing.assert_allclose(rows[:, 1:4], camera.position, atol=5e-6)
        np.testing.assert_allclose(rows[:, 4:8], camera.rotation, atol=5e-6)
        np.testing.assert_allclose(rows[:, 8], camera.focal_mm, atol=5e-6)
        np.testing.assert_allclose(rows[:, 9], camera.focus_m, atol=5e-6)


def test_trajectory_numbers_have_five_decimals(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    _export(tiny_plan, tmp_path, ("trajectory",))
    lines = (tmp_path / "trajectory.csv").read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        for field in line.split(",")[2:]:
            assert len(field.split(".")[1]) == 5
            assert field != "-0.00000"


# ---- provenance --------------------------------------------------------------------------


def test_provenance_validates_and_lists_the_folder(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    (tmp_path / "shots").mkdir()
    (tmp_path / "shots/S01.mp4").write_bytes(b"")
    (tmp_path / ".previs.mp4.part.mp4").write_bytes(b"")
    _export(tiny_plan, tmp_path)
    text = (tmp_path / "provenance.json").read_text(encoding="utf-8")
    document = json.loads(text)
    jsonschema.Draft202012Validator(provenance_export.schema()).validate(document)
    assert list(document) == sorted(document)
    assert document["network"] == "none"
    assert document["input_sha256"] == tiny_plan.provenance.input_sha256
    assert document["seed"] == tiny_plan.seed
    assert document["style"] == tiny_plan.style
    assert document["models"] == [{"name": "test", "licence": "MIT"}]
    expected = sorted([*EDITORIAL_FILES, "shots/S01.mp4"])
    expected.remove("provenance.json")
    assert document["files"] == expected
    assert str(tmp_path) not in text


def test_provenance_refuses_a_plan_that_used_the_network(
    tiny_plan: ShotPlan, tmp_path: Path
) -> None:
    made_by = dataclasses.replace(tiny_plan.provenance, network="huggingface.co")
    plan = dataclasses.replace(tiny_plan, provenance=made_by)
    with pytest.raises(StageError, match=r"provenance\.json fails its schema at network"):
        _export(plan, tmp_path, ("provenance",))
    assert not (tmp_path / "provenance.json").exists()


def test_every_editorial_file_is_byte_identical_for_the_same_plan(
    tiny_plan: ShotPlan, tmp_path: Path
) -> None:
    plan = _with_dissolve(tiny_plan)
    _export(plan, tmp_path / "a")
    _export(plan, tmp_path / "b")
    for name in EDITORIAL_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


# ---- offline -----------------------------------------------------------------------------


@pytest.mark.disable_socket
@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_editorial_exports_need_no_network(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    with pytest.raises(SocketBlockedError):
        socket.socket()
    _export(tiny_plan, tmp_path)
    assert len(list(tmp_path.iterdir())) == len(EDITORIAL_FILES)


def _other_formats() -> list[str]:
    return sorted(set(FORMATS) - set(EDITORIAL_FORMATS))


@pytest.mark.disable_socket
@pytest.mark.parametrize("name", _other_formats())
def test_other_exports_need_no_network(tiny_plan: ShotPlan, tmp_path: Path, name: str) -> None:
    assert writer_for(name)(tiny_plan, tmp_path)
