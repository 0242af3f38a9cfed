"""Frame reuse: a frame whose camera and cast did not change since the last one is that
frame's picture again, not a new draw, and the previs comes out in the same bytes as when
every frame is drawn. Audio reuse: a re-render takes each file's AAC packets from the cache."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import soundfile

from beatcam.model import Blocking, CharacterTrack, ShotPlan
from beatcam.render import render_previs
from beatcam.render.keys import PrevisCache
from beatcam.render.previs import FrameMaker, scene_cameras
from beatcam.render.video import AUDIO_RATE

SMALL = (320, 180)
STILL_FRAMES = 48  # the fixture's first shot: a static camera on Mara standing still
CHANGED_FRAME = 20
STEP_M = 0.001  # a millimetre: a move no pixel may show, which still counts as a change


def _first_shot(plan: ShotPlan, mara: CharacterTrack | None = None) -> ShotPlan:
    """The fixture's static first shot alone, with Mara's track replaced if given."""
    track = mara or plan.blocking["Mara"]
    window = slice(0, STILL_FRAMES)
    cut = CharacterTrack(
        "Mara",
        track.height_m,
        track.position[window],
        track.facing_deg[window],
        track.pose[window],
        track.look_at[window],
        track.fps,
    )
    return dataclasses.replace(
        plan, shots=plan.shots[:1], blocking=Blocking({"Mara": cut}, STILL_FRAMES)
    )


def _made(plan: ShotPlan) -> tuple[list[np.ndarray], list[np.ndarray], list[int]]:
    """Every frame as ``FrameMaker.frame`` makes it, the same frame drawn afresh by another
    renderer, and the frames the first one drew."""
    cameras = scene_cameras(plan)
    maker, fresh = FrameMaker(plan, SMALL), FrameMaker(plan, SMALL)
    drawn: list[int] = []
    render: Callable[..., Any] = maker.renderer.render

    def counting(frame: int, *args: Any, **kwargs: Any) -> Any:
        drawn.append(frame)
        return render(frame, *args, **kwargs)

    maker.renderer.render = counting  # type: ignore[method-assign]
    try:
        matrices = maker.matrices(cameras.position, cameras.rotation, cameras.focal_mm)
        made, independent = [], []
        for frame in range(plan.frames):
            eye, shot = cameras.position[frame], int(cameras.shot[frame])
            made.append(maker.frame(frame, matrices[frame], eye, shot).copy())
            independent.append(fresh.draw(frame, matrices[frame], eye, shot).copy())
    finally:
        maker.release()
        fresh.release()
    return made, independent, drawn


def test_a_static_shot_of_a_still_cast_is_drawn_once_in_the_same_pixels(
    tiny_plan: ShotPlan,
) -> None:
    made, independent, drawn = _made(_first_shot(tiny_plan))
    assert drawn == [0]
    for frame, (mine, theirs) in enumerate(zip(made, independent, strict=True)):
        assert np.array_equal(mine, theirs), f"frame {frame} differs from a fresh draw"


def test_a_single_changed_frame_is_drawn_again(tiny_plan: ShotPlan) -> None:
    mara = tiny_plan.blocking["Mara"]
    position = mara.position.copy()
    position[CHANGED_FRAME, 0] += STEP_M
    moved = dataclasses.replace(mara, position=position)
    made, independent, drawn = _made(_first_shot(tiny_plan, moved))
    # Drawn at the start, where she steps aside and where she is back.
    assert drawn == [0, CHANGED_FRAME, CHANGED_FRAME + 1]
    for mine, theirs in zip(made, independent, strict=True):
        assert np.array_equal(mine, theirs)


def test_a_pose_blend_is_drawn_frame_by_frame_then_held(tiny_plan: ShotPlan) -> None:
    mara = tiny_plan.blocking["Mara"]
    pose = ("stand",) * CHANGED_FRAME + ("reach",) * (len(mara.pose) - CHANGED_FRAME)
    reaching = dataclasses.replace(mara, pose=pose)
    plan = _first_shot(tiny_plan, reaching)
    made, independent, drawn = _made(plan)
    bones = plan.figure("Mara").rotations
    changing = [f for f in range(1, plan.frames) if not np.array_equal(bones[f], bones[f - 1])]
    assert changing, "the pose does not blend"
    assert CHANGED_FRAME in drawn
    assert drawn == [0, *changing]
    assert drawn[-1] < plan.frames - 1, "the reach should be held still at the end"
    for mine, theirs in zip(made, independent, strict=True):
        assert np.array_equal(mine, theirs)


@pytest.mark.parametrize("hud", [True, False])
def test_the_previs_is_the_same_bytes_as_drawing_every_frame(
    tiny_plan: ShotPlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hud: bool
) -> None:
    reused = render_previs(tiny_plan, tmp_path / "reused", resolution=SMALL, hud=hud)
    monkeypatch.setattr(FrameMaker, "frame", FrameMaker.draw)
    every = render_previs(tiny_plan, tmp_path / "every", resolution=SMALL, hud=hud)
    for mine, theirs in zip(reused, every, strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name


def test_a_rendered_scenes_audio_comes_back_from_the_cache_in_the_same_bytes(
    tiny_plan: ShotPlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seconds = tiny_plan.frames / tiny_plan.fps
    wav = tmp_path / "score.wav"
    t = np.arange(int(seconds * AUDIO_RATE)) / AUDIO_RATE
    soundfile.write(wav, np.stack([np.sin(2 * np.pi * 220 * t)] * 2, axis=1) * 0.2, AUDIO_RATE)

    def render(name: str, cache: PrevisCache | None) -> dict[str, bytes]:
        paths = render_previs(tiny_plan, tmp_path / name, resolution=SMALL, audio=wav, cache=cache)
        return {path.name: path.read_bytes() for path in paths}

    uncached = render("uncached", None)
    first = render("first", PrevisCache(tiny_plan, SMALL, True))
    encoded: list[int] = []
    encode = av.audio.stream.AudioStream.encode

    def counting(self: Any, frame: Any = None) -> Any:
        encoded.append(1)
        return encode(self, frame)

    monkeypatch.setattr(av.audio.stream.AudioStream, "encode", counting)
    again = PrevisCache(tiny_plan, SMALL, True)
    second = render("second", again)
    assert again.reused == [shot.id for shot in tiny_plan.shots]
    assert not encoded, "the audio was encoded again"
    assert first == uncached
    assert second == uncached
