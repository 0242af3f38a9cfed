"""The previs video: every scene frame rendered from its shot's camera, transitions applied, the
HUD burned in, and encoded shot by shot into ``previs.mp4`` and ``shots/<id>.mp4``; a shot
the render cache holds (``render.keys``) is neither drawn nor encoded again."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

from beatcam.errors import StageError, UsageError
from beatcam.model.geometry import FloatArray, sight_blocked
from beatcam.model.plan import PlannedBeat, Shot, ShotPlan
from beatcam.model.sets import on_stage
from beatcam.model.vocab import EYE_HEIGHT_RATIO, handle_frames
from beatcam.render.hud import Hud, Labels
from beatcam.render.keys import PrevisCache
from beatcam.render.projection import PictureRect, picture_rect, to_pixels, view_projections
from beatcam.render.scene import SceneRenderer, cast_colours
from beatcam.render.video import Clip, PrevisWriter, read_audio
from beatcam.render.writing import Writing, draw_writing, sign_writing

TRANSITION_FRAMES: Final = 12
LABEL_LIFT_M: Final = 0.06
BODY_HALF_WIDTH_M: Final = 0.2
MIN_SIDE_PX: Final = 16
MAX_SIZE_PX: Final = (7680, 4320)  # 8K UHD, the largest frame the command line accepts

Progress = Callable[[int, int], None]
Frame = NDArray[np.uint8]


@dataclass(frozen=True)
class SceneCameras:
    """The cut camera over the whole scene, one row per scene frame: which shot, the frame
    within it, and the camera's position (n, 3), rotation (n, 4) and focal length (n,)."""

    shot: NDArray[np.int64]
    local: NDArray[np.int64]
    position: FloatArray
    rotation: FloatArray
    focal_mm: FloatArray


def check_plan(plan: ShotPlan) -> None:
    """A StageError unless the shots tile the scene's frames exactly, in order."""
    if not plan.shots:
        raise StageError("render", "the plan has no shots; plan the scene again")
    expected = 0
    for shot in plan.shots:
        if shot.start_frame != expected or shot.frames < 1:
            raise StageError(
                "render",
                f"starts at frame {shot.start_frame} with {shot.frames} frames, expected "
                f"{expected}; shots must be contiguous",
                shot.id,
            )
        expected += shot.frames
    if expected != plan.frames:
        raise StageError("render", f"shots cover {expected} frames but the scene has {plan.frames}")


def parse_resolution(text: str) -> tuple[int, int]:
    """``"WIDTHxHEIGHT"`` as (width, height), even sizes from 16x16 to MAX_SIZE_PX; a
    UsageError naming the option's form otherwise."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"resolution {text!r} is not WIDTHxHEIGHT, e.g. 1280x720") from None
    largest_w, largest_h = MAX_SIZE_PX
    fits = MIN_SIDE_PX <= width <= largest_w and MIN_SIDE_PX <= height <= largest_h
    if not fits or width % 2 or height % 2:
        raise UsageError(
            f"resolution {text} must be even sizes between {MIN_SIDE_PX}x{MIN_SIDE_PX} "
            f"and {largest_w}x{largest_h}"
        )
    return width, height


def check_resolution(size: tuple[int, int]) -> tuple[int, int]:
    """Even width and height of at least 16 px (H.264 in 4:2:0 needs even sides)."""
    width, height = size
    if width < MIN_SIDE_PX or height < MIN_SIDE_PX or width % 2 or height % 2:
        raise StageError("render", f"resolution {width}x{height} must be even and >= 16 px")
    return width, height


def scene_cameras(plan: ShotPlan) -> SceneCameras:
    """The shots' camera tracks laid end to end over the scene."""
    return SceneCameras(
        np.concatenate([np.full(s.frames, i) for i, s in enumerate(plan.shots)]),
        np.concatenate([np.arange(s.frames) for s in plan.shots]),
        np.concatenate([s.camera.position for s in plan.shots]),
        np.concatenate([s.camera.rotation for s in plan.shots]),
        np.concatenate([s.camera.focal_mm for s in plan.shots]),
    )


def transition_frames(frames: int) -> int:
    """Length of a fade or dissolve in a shot of ``frames`` frames: ~half a second, at most
    half the shot."""
    return min(TRANSITION_FRAMES, frames // 2)


def fade_gains(plan: ShotPlan) -> FloatArray:
    """``(n,)`` brightness per scene frame: 0 is black; ramps for fade_in / fade_out shots."""
    gains = np.ones(plan.frames)
    for shot in plan.shots:
        length = transition_frames(shot.frames)
        if not length:
            continue
        ramp = np.arange(length) / length
        start, end = shot.start_frame, shot.start_frame + shot.frames
        if shot.transition == "fade_in":
            gains[start : start + length] = ramp
        elif shot.transition == "fade_out":
            gains[end - length : end] = ramp[::-1]
    return gains


def continued_camera(
    position: FloatArray, rotation: FloatArray, focal_mm: FloatArray, steps: int
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """An outgoing shot's camera carried ``steps`` frames past its end (for a dissolve): the
    last velocity continues, orientation and focal length hold."""
    last = position[-1]
    velocity = position[-1] - position[-2] if len(position) > 1 else np.zeros(3)
    ahead = np.arange(1, steps + 1)[:, None]
    return (
        last + velocity * ahead,
        np.tile(rotation[-1], (steps, 1)),
        np.full(steps, focal_mm[-1]),
    )


def head_tops(plan: ShotPlan) -> FloatArray:
    """``(n, c, 3)`` a point just above each cast member's head on every scene frame."""
    tops = np.zeros((plan.frames, len(plan.cast), 3))
    for index, (name, _) in enumerate(plan.cast):
        track = plan.blocking[name]
        tops[:, index] = track.head_tops(0, plan.frames)
        tops[:, index, 1] += LABEL_LIFT_M
    return tops


def hidden_heads(
    eye: FloatArray, heads: FloatArray, feet: FloatArray, heights: FloatArray, plan: ShotPlan
) -> NDArray[np.bool_]:
    """``(c,)`` True where a set box or another character's body stands between the camera
    and a character's head, so their name tag is not painted over whoever hides them.

    Bodies are boxes ``BODY_HALF_WIDTH_M`` wide around each character's feet, as tall as them.
    """
    half = np.array([BODY_HALF_WIDTH_M, 0.0, BODY_HALF_WIDTH_M])
    body_low = feet - half
    body_high = feet + half
    body_high[:, 1] = feet[:, 1] + heights
    set_low = np.array([np.subtract(b.center, np.divide(b.size, 2)) for b in plan.set.boxes])
    set_high = np.array([np.add(b.center, np.divide(b.size, 2)) for b in plan.set.boxes])
    hidden = np.zeros(len(heads), dtype=bool)
    for index in range(len(heads)):
        others = np.arange(len(heads)) != index
        low = np.concatenate([set_low.reshape(-1, 3), body_low[others]])
        high = np.concatenate([set_high.reshape(-1, 3), body_high[others]])
        hidden[index] = bool(sight_blocked(eye[None], heads[index : index + 1], low, high)[0])
    return hidden


class FrameMaker:
    """Renders labelled frames of one plan at one size: the renderer, its labels, and the
    matrices of the cut camera, shared by the previs and the storyboard.

    A frame whose camera and cast are, in the plan's numbers, exactly those of the frame made
    last (a static shot of people standing still: about half a scene's frames) is that frame's
    picture again, copied rather than drawn: the same inputs give the same pixels, and the GL
    draw is nearly all of a frame's time.
    """

    def __init__(self, plan: ShotPlan, size: tuple[int, int]):
        self.plan = plan
        self.size = check_resolution(size)
        self.rect: PictureRect = picture_rect(size, plan.aspect)
        self.viewport = (self.rect.x, self.rect.y, self.rect.width, self.rect.height)
        self.renderer = SceneRenderer(plan, size)
        names = [name for name, _ in plan.cast]
        self.labels = Labels(names, cast_colours(names), size[1])
        self.tops = head_tops(plan)
        self.writing = sign_writing(plan)
        self.heights = np.array([height for _, height in plan.cast])
        width, height = self.size
        self._kept: Frame = np.empty((height, width, 3), dtype=np.uint8)
        self._kept_key: bytes | None = None
        self._copy: Frame = np.empty_like(self._kept)

    def matrices(self, position: FloatArray, rotation: FloatArray, focal: FloatArray) -> FloatArray:
        """Clip-from-world matrices for a camera track under this plan's sensor and aspect."""
        return view_projections(position, rotation, focal, self.plan.sensor_mm[1], self.rect.aspect)

    def frame(
        self, scene_frame: int, view_projection: FloatArray, eye: FloatArray, shot: int
    ) -> Frame:
        """One labelled frame (a view of a reused buffer, free to draw on) through the camera of
        shot ``shot`` (its own frames, a handle, its part of a dissolve): drawn, or the last one
        made again when it would read the same plan data through the same camera."""
        key = b"".join(
            (
                self.renderer.frame_key(scene_frame),
                self.tops[self._clamped(scene_frame)].tobytes(),
                _lettering_key(self.writing.get(shot)),
                np.ascontiguousarray(view_projection, dtype=np.float64).tobytes(),
                np.ascontiguousarray(eye, dtype=np.float64).tobytes(),
            )
        )
        if key == self._kept_key:
            np.copyto(self._copy, self._kept)
            return self._copy
        image = self.draw(scene_frame, view_projection, eye, shot)
        np.copyto(self._kept, image)
        self._kept_key = key
        return image

    def _clamped(self, scene_frame: int) -> int:
        return min(max(scene_frame, 0), len(self.tops) - 1)

    def draw(
        self, scene_frame: int, view_projection: FloatArray, eye: FloatArray, shot: int
    ) -> Frame:
        """One frame drawn and labelled whatever came before (a view of the renderer's
        buffer, which the next draw overwrites), lettered where shot ``shot`` is an insert of a
        sign (``render/writing.py``)."""
        image = self.renderer.render(scene_frame, view_projection, eye, self.viewport)
        words = self.writing.get(shot)
        if words is not None:
            draw_writing(image, words, view_projection, eye, self.rect)
        frame = self._clamped(scene_frame)
        anchors = to_pixels(self.tops[frame], view_projection, self.rect)
        feet = self.tops[frame].copy()
        feet[:, 1] -= self.heights + LABEL_LIFT_M
        heads = feet + np.outer(EYE_HEIGHT_RATIO * self.heights, [0.0, 1.0, 0.0])
        anchors[hidden_heads(eye, heads, feet, self.heights, self.plan)] = np.nan
        anchors[~on_stage(self.plan.set.preset, feet)] = np.nan
        self.labels.draw(image, anchors)
        return image

    def release(self) -> None:
        self.renderer.release()


def _lettering_key(words: Writing | None) -> bytes:
    """What a camera letters on a sign, as bytes for a frame's reuse key."""
    return b"" if words is None else words.text.encode("utf-8") + words.corners.tobytes()


def provenance_metadata(plan: ShotPlan) -> dict[str, str]:
    """Container metadata naming what made the file."""
    p = plan.provenance
    line = (
        f"beatcam {p.beatcam_version}; input sha256 {p.input_sha256}; seed {plan.seed}; "
        f"network {p.network}"
    )
    return {"title": plan.title, "comment": line, "description": line}


def render_previs(
    plan: ShotPlan,
    out_dir: Path,
    *,
    resolution: tuple[int, int] | None = None,
    hud: bool = True,
    audio: Path | None = None,
    progress: Progress | None = None,
    cache: PrevisCache | None = None,
) -> list[Path]:
    """Render ``out_dir/previs.mp4`` and ``out_dir/shots/<id>.mp4``; return their paths.

    ``audio`` (a WAV of the scene's length) is muxed as AAC into every file, cut to each
    shot. ``progress(done, total)`` is called after each frame (after each shot the cache
    gave). With a ``cache`` of this plan at this size, a shot whose frames an earlier run
    encoded is taken from it and a shot drawn here is stored in it, and it records which was
    which; so is each file's encoded audio. The files are the same bytes either way.
    """
    check_plan(plan)
    size = check_resolution(resolution or plan.resolution)
    if cache is not None and (
        cache.plan is not plan or (cache.resolution, cache.hud) != (size, hud)
    ):
        raise ValueError("the previs cache is of another plan or render setting")
    out_dir = Path(out_dir)
    samples = read_audio(audio, plan.frames, plan.fps) if audio is not None else None
    handle = handle_frames(plan.fps)
    clips = [
        Clip(
            out_dir / "shots" / f"{shot.id}.mp4",
            shot.start_frame,
            shot.frames,
            handle,
            transition_frames(shot.frames) if _dissolves(plan, index) else 0,
        )
        for index, shot in enumerate(plan.shots)
    ]
    store = cache
    cameras = scene_cameras(plan)
    gains = fade_gains(plan)
    beats = {beat.index: beat for beat in plan.beats}
    overlay = Hud(size, plan.fps) if hud else None
    maker: FrameMaker | None = None
    try:
        with PrevisWriter(
            out_dir / "previs.mp4",
            clips,
            size,
            plan.fps,
            provenance_metadata(plan),
            samples,
            on_encoded=None if store is None else lambda i, shot: store.put(plan.shots[i], shot),
            audio_store=store,
        ) as writer:
            for index, shot in enumerate(plan.shots):
                found = None if store is None else store.get(shot)
                if found is not None:
                    writer.write_encoded(found)
                    if progress is not None:
                        progress(shot.start_frame + shot.frames, plan.frames)
                    continue
                if maker is None:  # the GL context only when a shot has to be drawn
                    maker = FrameMaker(plan, size)
                    matrices = maker.matrices(cameras.position, cameras.rotation, cameras.focal_mm)
                outgoing = _outgoing(maker, plan, index) if clips[index].mixed else None

                finished = functools.partial(
                    _finished,
                    overlay=overlay,
                    shot=shot,
                    beat=beats.get(shot.beat),
                    focal_mm=cameras.focal_mm,
                )
                start, end = shot.start_frame, shot.start_frame + shot.frames
                for scene_frame in range(start - handle, start):  # first pose and fade level held
                    held = max(scene_frame, 0)
                    image = maker.frame(held, matrices[start], cameras.position[start], index)
                    writer.write(finished(image, held, gains[start]))
                clean: list[Frame] = []
                for local in range(shot.frames):
                    scene_frame = start + local
                    image = maker.frame(
                        scene_frame, matrices[scene_frame], cameras.position[scene_frame], index
                    )
                    frame: Frame = image
                    if outgoing is not None and local < len(outgoing[0]):
                        incoming = image.copy()
                        clean.append(finished(incoming.copy(), scene_frame, gains[scene_frame]))
                        before = maker.frame(
                            scene_frame, outgoing[0][local], outgoing[1][local], index - 1
                        )
                        weight = (local + 1) / (len(outgoing[0]) + 1)
                        frame = _mix(before, incoming, weight)
                    writer.write(finished(frame, scene_frame, gains[scene_frame]))
                    if local + 1 == clips[index].mixed:  # the mixed start done: its clean twin next
                        for twin in clean:
                            writer.write(twin)
                    if progress is not None:
                        progress(scene_frame + 1, plan.frames)
                for scene_frame in range(end, end + handle):  # last pose and fade level held
                    held = min(scene_frame, plan.frames - 1)
                    image = maker.frame(held, matrices[end - 1], cameras.position[end - 1], index)
                    writer.write(finished(image, held, gains[end - 1]))
    finally:
        if maker is not None:
            maker.release()
    return [out_dir / "previs.mp4", *(clip.path for clip in clips)]


def _finished(
    frame: Frame,
    scene_frame: int,
    gain: float = 1.0,
    *,
    overlay: Hud | None,
    shot: Shot,
    beat: PlannedBeat | None,
    focal_mm: FloatArray,
) -> Frame:
    """A frame of ``shot`` with its fade (``gain``) and HUD, as the files show it. A handle
    frame (before or after the shot) is seen through the shot's first or last pose held, so
    the HUD gives that pose's lens, not the one the next shot has by then."""
    if gain < 1.0:
        frame = (frame * gain).astype(np.uint8)
    if overlay is not None:
        held = min(max(scene_frame, shot.start_frame), shot.start_frame + shot.frames - 1)
        overlay.draw(frame, scene_frame, shot, float(focal_mm[held]), beat)
    return frame


def _dissolves(plan: ShotPlan, index: int) -> bool:
    """Whether shot ``index`` dissolves from the shot before it."""
    return index > 0 and plan.shots[index].transition == "dissolve"


def _outgoing(maker: FrameMaker, plan: ShotPlan, index: int) -> tuple[FloatArray, FloatArray]:
    """Matrices and eye points of the previous shot's camera continued into a dissolve."""
    camera = plan.shots[index - 1].camera
    steps = transition_frames(plan.shots[index].frames)
    position, rotation, focal = continued_camera(
        camera.position, camera.rotation, camera.focal_mm, steps
    )
    return maker.matrices(position, rotation, focal), position


def _mix(before: Frame, after: Frame, weight: float) -> Frame:
    """Cross-fade: ``weight`` of ``after`` over ``before``."""
    mixed = before * (1.0 - weight) + after * weight + 0.5
    return mixed.astype(np.uint8)
