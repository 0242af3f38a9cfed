"""The render stage from the outside: MP4s read back with PyAV, the matte pass checked against an
independent pinhole projection, the storyboard read back with pypdf and Pillow."""

from __future__ import annotations

import dataclasses
import itertools
import math
import os
import signal
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import soundfile
from PIL import Image
from pypdf import PdfReader

from beatcam.errors import StageError
from beatcam.model import Blocking, CameraTrack, CharacterTrack, ShotPlan
from beatcam.model.geometry import hands_point, look_at
from beatcam.model.sets import preset_named
from beatcam.model.vocab import ASPECTS, handle_frames
from beatcam.render import render_previs, render_storyboard
from beatcam.render.hud import Hud
from beatcam.render.projection import picture_rect, view_projections
from beatcam.render.scene import HEAD_RADII_RATIO, SceneRenderer, matte_colour, prop_matrices
from beatcam.render.storyboard import contact_sheet_size
from beatcam.render.video import Clip, PrevisWriter

SMALL = (320, 180)


def _decode(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def test_previs_reads_back_with_exact_frames_fps_and_audio(
    tiny_plan: ShotPlan, tmp_path: Path
) -> None:
    seconds = tiny_plan.frames / tiny_plan.fps
    wav = tmp_path / "score.wav"
    t = np.arange(int(seconds * 48_000)) / 48_000
    soundfile.write(wav, np.stack([np.sin(2 * np.pi * 220 * t)] * 2, axis=1) * 0.2, 48_000)
    done: list[int] = []
    paths = render_previs(
        tiny_plan,
        tmp_path / "out",
        resolution=SMALL,
        audio=wav,
        progress=lambda d, total: done.append(d),
    )
    assert [p.name for p in paths] == ["previs.mp4", "S01.mp4", "S02.mp4"]
    assert done == list(range(1, tiny_plan.frames + 1))
    handles = 2 * handle_frames(tiny_plan.fps)  # a shot's clip has handles at both ends
    expected = {"previs.mp4": tiny_plan.frames, "S01.mp4": 48 + handles, "S02.mp4": 72 + handles}
    for path in paths:
        with av.open(str(path)) as container:
            video = container.streams.video[0]
            assert video.codec_context.name == "h264"
            assert (video.width, video.height) == SMALL
            assert video.average_rate == Fraction(24)
            frames = expected[path.name]
            assert video.frames == frames
            assert sum(1 for _ in container.decode(video)) == frames
            assert video.duration is not None and video.time_base is not None
            assert float(video.duration * video.time_base) == pytest.approx(frames / 24)
            (audio,) = container.streams.audio
            assert audio.codec_context.name == "aac" and audio.rate == 48_000
            assert audio.duration is not None and audio.time_base is not None
            assert float(audio.duration * audio.time_base) == pytest.approx(frames / 24, abs=0.03)
            assert tiny_plan.provenance.input_sha256 in container.metadata["comment"]
            assert "network none" in container.metadata["description"]


def test_previs_without_audio_has_video_only_and_fades_in_from_black(
    tiny_plan: ShotPlan, tmp_path: Path
) -> None:
    render_previs(tiny_plan, tmp_path, resolution=SMALL, hud=False)
    with av.open(str(tmp_path / "previs.mp4")) as container:
        assert not container.streams.audio
    frames = _decode(tmp_path / "previs.mp4")
    assert frames[0].mean() < 3.0  # S01 fades in
    assert frames[20].mean() > 60.0


def _one_shot_plan(tiny_plan: ShotPlan, aspect: str, frames: int = 12) -> ShotPlan:
    """Mara off-centre, a camera circling her at 3.5 m, looking past her, rolled 8 degrees."""
    position = np.tile([0.7, 0.0, -0.4], (frames, 1))
    mara = CharacterTrack("Mara", 1.68, position, np.full(frames, 30.0))
    angle = np.linspace(0.2, 0.9, frames)
    eyes = np.stack([0.7 + 3.5 * np.sin(angle), 1.1 + 0.3 * angle, -0.4 + 3.5 * np.cos(angle)], 1)
    aim = np.array([0.1, 1.2, -0.9])
    focal = np.linspace(32.0, 40.0, frames)
    camera = CameraTrack(eyes, look_at(eyes, aim, 8.0), focal, np.full(frames, 3.5))
    shot = dataclasses.replace(tiny_plan.shots[0], frames=frames, transition="cut", camera=camera)
    return dataclasses.replace(
        tiny_plan,
        aspect=aspect,
        sensor_mm=ASPECTS[aspect],
        blocking=Blocking({"Mara": mara}, frames),
        shots=(shot,),
    )


def _pinhole(
    point: np.ndarray,
    eye: np.ndarray,
    quat: np.ndarray,
    focal: float,
    sensor_h: float,
    size: tuple[int, int],
    aspect: float,
) -> tuple[float, float, float]:
    """Pixel x, y and depth of a world point, from the quaternion by hand."""
    w, x, y, z = quat / np.linalg.norm(quat)
    rotation = np.array(
        [
            [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
            [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
            [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
        ]
    )
    local = rotation.T @ (point - eye)
    depth = -local[2]
    half_h = sensor_h / 2.0
    width, height = size
    picture_h = min(height, 2 * round(width / aspect / 2))
    picture_w = min(width, 2 * round(height * aspect / 2))
    top, left = (height - picture_h) / 2, (width - picture_w) / 2
    v = local[1] / depth * focal / half_h
    u = local[0] / depth * focal / (half_h * aspect)
    return left + (u + 1) / 2 * picture_w, top + (1 - v) / 2 * picture_h, depth


@pytest.mark.parametrize(("aspect", "ratio"), [("16:9", 16 / 9), ("2.39", 2.39), ("4:3", 4 / 3)])
def test_matte_head_lands_where_the_camera_track_projects_it(
    tiny_plan: ShotPlan, aspect: str, ratio: float
) -> None:
    plan = _one_shot_plan(tiny_plan, aspect)
    camera = plan.shots[0].camera
    rect = picture_rect(SMALL, aspect)
    matrices = view_projections(
        camera.position, camera.rotation, camera.focal_mm, plan.sensor_mm[1], rect.aspect
    )
    head = np.array(matte_colour(0, head=True), dtype=np.uint8)
    eye_point = np.array([0.7, 0.92 * 1.68, -0.4])
    with SceneRenderer(plan, SMALL) as renderer:
        for frame in (0, 5, 11):
            image = renderer.render(
                frame,
                matrices[frame],
                camera.position[frame],
                (rect.x, rect.y, rect.width, rect.height),
                matte=True,
            )
            rows, cols = np.nonzero(np.all(image == head, axis=2))
            assert len(rows) > 20
            x, y, depth = _pinhole(
                eye_point,
                camera.position[frame],
                camera.rotation[frame],
                camera.focal_mm[frame],
                plan.sensor_mm[1],
                SMALL,
                ratio,
            )
            assert math.dist((x, y), (SMALL[0] / 2, SMALL[1] / 2)) > 20  # a wrong lens would show
            assert cols.mean() + 0.5 == pytest.approx(x, abs=0.75)
            assert rows.mean() + 0.5 == pytest.approx(y, abs=0.75)
            radius = HEAD_RADII_RATIO[1] * 1.68
            expected_height = 2 * radius * camera.focal_mm[frame] / depth / plan.sensor_mm[1]
            expected_px = expected_height * rect.height
            # Counted pixel rows of a tessellated head come out up to a pixel and a few per
            # cent short of the true ellipsoid's extent, never longer.
            counted = rows.max() - rows.min() + 1
            assert expected_px * 0.95 - 1.0 <= counted <= expected_px + 1.0
            outside = np.ones(SMALL[::-1], dtype=bool)
            outside[rect.y : rect.y + rect.height, rect.x : rect.x + rect.width] = False
            assert not image[outside].any()


def test_push_in_subject_grows_frame_over_frame(tiny_plan: ShotPlan) -> None:
    shot = tiny_plan.shots[1]
    rect = picture_rect(SMALL, tiny_plan.aspect)
    camera = shot.camera
    matrices = view_projections(
        camera.position, camera.rotation, camera.focal_mm, tiny_plan.sensor_mm[1], rect.aspect
    )
    body = np.array(matte_colour(0, head=False), dtype=np.uint8)
    head = np.array(matte_colour(0, head=True), dtype=np.uint8)
    areas = []
    with SceneRenderer(tiny_plan, SMALL) as renderer:
        for local in range(0, shot.frames, 10):
            image = renderer.render(
                shot.start_frame + local,
                matrices[local],
                camera.position[local],
                (rect.x, rect.y, rect.width, rect.height),
                matte=True,
            )
            areas.append(
                int(np.all(image == head, axis=2).sum() + np.all(image == body, axis=2).sum())
            )
    assert all(b > a for a, b in itertools.pairwise(areas)), areas


def test_dissolve_blends_without_changing_the_frame_count(
    tiny_plan: ShotPlan, tmp_path: Path
) -> None:
    shots = (tiny_plan.shots[0], dataclasses.replace(tiny_plan.shots[1], transition="dissolve"))
    dissolving = dataclasses.replace(tiny_plan, shots=shots)
    render_previs(tiny_plan, tmp_path / "cut", resolution=SMALL, hud=False)
    render_previs(dissolving, tmp_path / "dissolve", resolution=SMALL, hud=False)
    cut = _decode(tmp_path / "cut" / "previs.mp4")
    mixed = _decode(tmp_path / "dissolve" / "previs.mp4")
    assert len(mixed) == len(cut) == tiny_plan.frames
    difference = [
        np.abs(a.astype(int) - b.astype(int)).mean() for a, b in zip(cut, mixed, strict=True)
    ]
    assert max(difference[:48]) < 2.0
    assert difference[48] > 10.0  # mostly the outgoing wide shot
    assert difference[48] > difference[54] > difference[58]
    assert max(difference[62:]) < 3.0
    # The shots' own clips hold no dissolve: the incoming clip is the cut's picture, whole,
    # between handles that hold its camera's first and last pose; the editor dissolves.
    handle = handle_frames(tiny_plan.fps)
    for shot in dissolving.shots:
        clip = _decode(tmp_path / "dissolve" / "shots" / f"{shot.id}.mp4")
        assert len(clip) == shot.frames + 2 * handle
        body = clip[handle : handle + shot.frames]
        shown = cut[shot.start_frame : shot.start_frame + shot.frames]
        assert (
            max(
                np.abs(a.astype(int) - b.astype(int)).mean()
                for a, b in zip(body, shown, strict=True)
            )
            < 2.0
        )
        head_change = np.abs(clip[handle - 1].astype(int) - body[0].astype(int)).mean()
        tail_change = np.abs(clip[handle + shot.frames].astype(int) - body[-1].astype(int)).mean()
        assert head_change < 3.0 and tail_change < 3.0  # the same camera held, no cut


def test_a_handle_names_the_lens_of_the_pose_it_holds(
    tiny_plan: ShotPlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clip's handles hold its first and last pose, so their HUD gives that pose's focal
    length, not the one the scene's next shot has reached by then."""
    first, second = tiny_plan.shots
    held = float(first.camera.focal_mm[-1])
    longer = dataclasses.replace(second.camera, focal_mm=np.full(second.frames, held * 2.0))
    plan = dataclasses.replace(tiny_plan, shots=(first, dataclasses.replace(second, camera=longer)))
    drawn: dict[tuple[str, int], float] = {}
    original = Hud.draw

    def recording(self: Hud, frame: np.ndarray, scene_frame: int, shot: Any, focal_mm: float,
                  beat: Any) -> None:  # fmt: skip
        drawn.setdefault((shot.id, scene_frame), focal_mm)
        original(self, frame, scene_frame, shot, focal_mm, beat)

    monkeypatch.setattr(Hud, "draw", recording)
    render_previs(plan, tmp_path, resolution=SMALL)
    end = first.start_frame + first.frames
    tail = [drawn[(first.id, f)] for f in range(end, end + handle_frames(plan.fps))]
    assert tail and tail == [pytest.approx(held)] * len(tail)
    assert drawn[(second.id, end)] == pytest.approx(held * 2.0)  # the next shot's own lens


def test_storyboard_has_floor_plan_page_panels_and_contact_sheet(
    tiny_plan: ShotPlan, tmp_path: Path
) -> None:
    many = tuple(dataclasses.replace(tiny_plan.shots[i % 2], id=f"S{i + 1:02d}") for i in range(7))
    plan = dataclasses.replace(tiny_plan, shots=many)
    with pytest.raises(StageError, match="contiguous"):
        render_storyboard(plan, tmp_path)
    pdf_path, png_path = render_storyboard(tiny_plan, tmp_path)
    reader = PdfReader(pdf_path)
    assert len(reader.pages) == 2
    assert "floor plan" in reader.pages[0].extract_text()
    panels_text = reader.pages[1].extract_text()
    assert panels_text.count("S01 ·") == 1 and panels_text.count("S02 ·") == 1
    assert "push_in" in panels_text and "Why:" in panels_text
    assert reader.metadata is not None
    assert "Tiny" in str(reader.metadata.title)
    assert tiny_plan.provenance.input_sha256 in str(reader.metadata.subject)
    with Image.open(png_path) as sheet:
        assert sheet.size == contact_sheet_size(2)


def test_storyboard_paginates_six_panels_a_page(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    frames = 8
    shots = tuple(
        dataclasses.replace(
            tiny_plan.shots[0],
            id=f"S{i + 1:02d}",
            start_frame=i * frames,
            frames=frames,
            camera=CameraTrack(
                *(
                    np.asarray(a)[:frames]
                    for a in (
                        tiny_plan.shots[0].camera.position,
                        tiny_plan.shots[0].camera.rotation,
                        tiny_plan.shots[0].camera.focal_mm,
                        tiny_plan.shots[0].camera.focus_m,
                    )
                )
            ),
        )
        for i in range(7)
    )
    plan = dataclasses.replace(
        tiny_plan, shots=shots, blocking=Blocking(tiny_plan.blocking.tracks, 7 * frames)
    )
    pdf_path, _ = render_storyboard(plan, tmp_path)
    reader = PdfReader(pdf_path)
    assert len(reader.pages) == 1 + math.ceil(7 / 6)
    texts = [page.extract_text() for page in reader.pages[1:]]
    assert [sum(t.count(f"S{i:02d} ·") for i in range(1, 8)) for t in texts] == [6, 1]


def test_a_render_stopped_midway_leaves_no_previs(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    def stop(done: int, total: int) -> None:
        if done == 30:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_previs(tiny_plan, tmp_path, resolution=SMALL, progress=stop)
    assert not (tmp_path / "previs.mp4").exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_a_killed_render_process_leaves_no_previs(tmp_path: Path) -> None:
    script = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from pathlib import Path\n"
        "from conftest import build_tiny_plan\n"
        "from beatcam.render import render_previs\n"
        "def tell(done, total):\n"
        "    print(done, flush=True)\n"
        f"render_previs(build_tiny_plan(), Path({str(tmp_path)!r}), resolution=(320, 180),"
        " progress=tell)\n"
    )
    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen(
        [sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    for line in process.stdout:
        if int(line) >= 20 or time.monotonic() > deadline:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not (tmp_path / "previs.mp4").exists()
    assert not list(tmp_path.glob("shots/S0*.mp4"))


def test_missing_egl_names_the_packages(
    tiny_plan: ShotPlan, monkeypatch: pytest.MonkeyPatch
) -> None:
    import moderngl

    def no_egl(**kwargs: object) -> None:
        raise Exception("eglGetDisplay failed")

    monkeypatch.setattr(moderngl, "create_standalone_context", no_egl)
    with pytest.raises(StageError, match="libegl1"):
        SceneRenderer(tiny_plan, SMALL)


def test_odd_resolution_and_broken_plans_are_stage_errors(
    tiny_plan: ShotPlan, tmp_path: Path
) -> None:
    with pytest.raises(StageError, match="even"):
        render_previs(tiny_plan, tmp_path, resolution=(321, 180))
    short = dataclasses.replace(tiny_plan, shots=tiny_plan.shots[:1])
    with pytest.raises(StageError, match="cover 48 frames"):
        render_previs(short, tmp_path)
    assert not list(tmp_path.iterdir())


def test_same_plan_gives_identical_bytes(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    short = dataclasses.replace(
        tiny_plan, shots=tiny_plan.shots[:1], blocking=Blocking(tiny_plan.blocking.tracks, 48)
    )
    first = render_previs(short, tmp_path / "a", resolution=SMALL)
    second = render_previs(short, tmp_path / "b", resolution=SMALL)
    assert first[0].read_bytes() == second[0].read_bytes()


def test_sky_and_ground_meet_at_a_rolled_horizon_without_a_seam(tiny_plan: ShotPlan) -> None:
    """Sky and ground are drawn by two passes split along the horizon: every pixel of an
    empty set, seen through a rolled camera, must come from one of them (a missed pixel would
    stay black), and nothing steps harder than the hazy ground meeting the pale sky. Bars
    around a letterboxed picture are black even after a full-frame one."""
    frames = 3
    eyes = np.tile([0.0, 1.6, 0.0], (frames, 1))
    aims = np.array([[10.0, 1.2, 10.0], [-8.0, 1.7, 6.0], [3.0, 1.5, -9.0]])
    rotation = np.concatenate([look_at(eyes[i : i + 1], aims[i], 8.0 * (i - 1)) for i in range(3)])
    empty = dataclasses.replace(
        tiny_plan,
        set=dataclasses.replace(tiny_plan.set, boxes=()),
        cast=(),
        blocking=Blocking({}, frames),
    )
    rect = picture_rect(SMALL, empty.aspect)
    matrices = view_projections(
        eyes, rotation, np.full(frames, 35.0), empty.sensor_mm[1], rect.aspect
    )
    with SceneRenderer(empty, SMALL) as renderer:
        for frame in range(frames):
            image = renderer.render(
                frame, matrices[frame], eyes[frame], (rect.x, rect.y, rect.width, rect.height)
            ).astype(int)
            assert image.min() > 60
            assert np.abs(np.diff(image, axis=0)).max() < 48
            assert np.abs(np.diff(image, axis=1)).max() < 48
        wide = picture_rect(SMALL, "2.39")
        letterboxed = renderer.render(0, matrices[0], eyes[0], (0, wide.y, SMALL[0], wide.height))
        assert wide.y > 0 and not letterboxed[: wide.y].any() and not letterboxed[-wide.y :].any()
        assert letterboxed[wide.y : -wide.y].min() > 60


def test_hud_bands_cached_per_shot_match_a_fresh_drawing(tiny_plan: ShotPlan) -> None:
    """The shot band is drawn once per shot and only the timecode is added per frame: frames
    of one shot differ only at the timecode, and a band kept from another shot never shows."""
    size = (640, 360)
    first, second = tiny_plan.shots
    beat = tiny_plan.beats[0]
    hud = Hud(size, tiny_plan.fps)
    drawn = []
    for scene_frame, shot in ((0, first), (1, first), (60, second)):
        frame = np.full((size[1], size[0], 3), 90, dtype=np.uint8)
        hud.draw(frame, scene_frame, shot, 35.0, beat)
        drawn.append(frame)
    fresh = np.full((size[1], size[0], 3), 90, dtype=np.uint8)
    Hud(size, tiny_plan.fps).draw(fresh, 60, second, 35.0, beat)
    assert np.array_equal(drawn[2], fresh)
    changed = np.nonzero(np.any(drawn[0] != drawn[1], axis=2))
    assert changed[0].size and changed[1].min() > size[0] * 0.75  # the timecode, right-aligned
    assert np.any(drawn[1] != drawn[2])


def test_writer_encodes_every_frame_it_was_given_in_order(tmp_path: Path) -> None:
    """Frames queue through a ring of reused buffers; each must be encoded before its buffer
    comes round again, so flat frames written as fast as possible read back at their level."""
    count, size = 40, (64, 48)
    levels = (np.arange(count) * 37 % 200 + 30).astype(np.uint8)
    clips = [Clip(tmp_path / "shots" / "S01.mp4", 0, count)]
    with PrevisWriter(tmp_path / "previs.mp4", clips, size, 24, {}) as writer:
        frame = np.empty((size[1], size[0], 3), dtype=np.uint8)
        for level in levels:
            frame[...] = level
            writer.write(frame)
    means = [decoded.mean() for decoded in _decode(tmp_path / "previs.mp4")]
    assert np.abs(np.array(means) - levels).max() < 3.0


def test_a_name_tag_is_hidden_behind_another_body(tiny_plan: ShotPlan) -> None:
    from beatcam.render.previs import hidden_heads

    plan = tiny_plan
    camera = np.array([0.0, 1.6, 6.0])
    feet = np.array([[0.0, 0.0, 1.0], [0.0, 0.0, 3.0]])  # the second stands in front of the first
    heights = np.array([1.68, 1.8])
    heads = feet + np.outer(0.92 * heights, [0.0, 1.0, 0.0])
    assert hidden_heads(camera, heads, feet, heights, plan).tolist() == [True, False]
    aside = feet + [[0.0, 0.0, 0.0], [2.0, 0.0, 0.0]]
    assert not hidden_heads(camera, heads - feet + aside, aside, heights, plan).any()


@pytest.mark.parametrize(("offset_m", "drawn"), [(0.0, False), (1.0, True)])
def test_someone_waiting_at_the_entrance_is_not_drawn(
    tiny_plan: ShotPlan, offset_m: float, drawn: bool
) -> None:
    plan = _one_shot_plan(tiny_plan, "16:9")
    entrance = preset_named(plan.set.preset).entrance
    frames = plan.frames
    ground = np.tile([entrance[0] + offset_m, 0.0, entrance[1]], (frames, 1))
    waiting = CharacterTrack("Mara", 1.68, ground, np.zeros(frames))
    plan = dataclasses.replace(plan, blocking=Blocking({"Mara": waiting}, frames))
    rect = picture_rect(SMALL, plan.aspect)
    eye = np.array([[entrance[0] + offset_m, 1.5, entrance[1] + 4.0]])
    aim = np.array([entrance[0] + offset_m, 1.2, entrance[1]])
    rotation = look_at(eye, aim, 0.0)
    matrices = view_projections(eye, rotation, np.array([35.0]), plan.sensor_mm[1], rect.aspect)
    head = np.array(matte_colour(0, head=True), dtype=np.uint8)
    with SceneRenderer(plan, SMALL) as renderer:
        image = renderer.render(
            0, matrices[0], eye[0], (rect.x, rect.y, rect.width, rect.height), matte=True
        )
        assert (np.all(image == head, axis=2).sum() > 20) == drawn


def test_an_insert_shows_a_page_in_its_subjects_hands_facing_the_camera(
    tiny_plan: ShotPlan,
) -> None:
    plan = _one_shot_plan(tiny_plan, "16:9")
    plan = dataclasses.replace(plan, shots=(dataclasses.replace(plan.shots[0], framing="insert"),))
    pages = prop_matrices(plan)
    track = plan.blocking["Mara"]
    hands = hands_point(track.position, track.facing_deg, track.height_m)
    np.testing.assert_allclose(pages[:, :3, 3], hands)
    normals = pages[:, :3, 2] / np.linalg.norm(pages[:, :3, 2], axis=1, keepdims=True)
    toward = plan.shots[0].camera.position - hands
    toward[:, 1] = 0.0
    toward /= np.linalg.norm(toward, axis=1, keepdims=True)
    # Facing the camera across the floor, tilted back to catch the light from above.
    assert np.all(np.sum(normals * toward, axis=1) > 0.8)
    assert np.all(normals[:, 1] > 0.5)
    plain = prop_matrices(dataclasses.replace(plan, shots=(tiny_plan.shots[0],)))
    assert not plain[: tiny_plan.shots[0].frames].any()
