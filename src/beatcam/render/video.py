"""Encoding and muxing: H.264 (libx264) video and AAC audio in MP4, through PyAV.

The scene is encoded once. Every shot starts on an IDR frame and the encoder makes no
B-frames, so each packet is one frame in display order and a shot's packets, copied as they
are into their own MP4, make a clip that decodes on its own: the clips in ``shots/`` cost no
second encode. Audio is encoded per file from the same samples, cut to each file's frames.

Every file is written under a temporary name and renamed into place only when the whole
scene succeeded (``beatcam.files.atomic_path``), so an interrupted render leaves none of them.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from beatcam.errors import StageError
from beatcam.files import atomic_path

AUDIO_RATE: Final = 48_000
AAC_FRAME: Final = 1024
AUDIO_BITRATE: Final = 160_000
X264_CRF: Final = "20"
# The fastest preset: on two cores the encoder shares the CPU with the renderer, and grey-box
# frames come out visually lossless at this CRF either way (PSNR over 50 dB against the
# yuv420p source), only in files about three times veryfast's size.
X264_PRESET: Final = "ultrafast"
QUEUE_FRAMES: Final = 4
# Frames are copied into a ring of reused buffers that PyAV wraps without copying: a slot comes
# round again only after the queue (QUEUE_FRAMES) and the frame being encoded have moved on.
RING_FRAMES: Final = QUEUE_FRAMES + 2

Audio = NDArray[np.float32]


@dataclass(frozen=True)
class Clip:
    """A file to write: the scene frames ``start .. start + frames`` go into ``path``."""

    path: Path
    start: int
    frames: int


def read_audio(path: Path, frames: int, fps: int) -> Audio:
    """The WAV at ``path`` as float32 planar samples ``(channels, n)`` at 48 kHz, trimmed or
    padded with silence to exactly ``frames / fps`` seconds."""
    import av

    wanted = frames * AUDIO_RATE // fps
    try:
        with av.open(str(path)) as container:
            stream = container.streams.audio[0]
            layout = "mono" if stream.channels == 1 else "stereo"
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=AUDIO_RATE)
            chunks = [
                out.to_ndarray()
                for frame in container.decode(stream)
                for out in resampler.resample(frame)
            ]
            chunks.extend(out.to_ndarray() for out in resampler.resample(None))
    except (OSError, IndexError, av.FFmpegError) as exc:
        raise StageError("render", f"cannot read audio {path}: {exc}; give a 48 kHz WAV") from exc
    channels = 1 if layout == "mono" else 2
    samples = np.concatenate(chunks, axis=1) if chunks else np.zeros((channels, 0), np.float32)
    fitted = np.zeros((channels, wanted), dtype=np.float32)
    fitted[:, : min(wanted, samples.shape[1])] = samples[:, :wanted]
    return fitted


def _encode_audio(container: Any, samples: Audio) -> None:
    import av

    layout = "mono" if samples.shape[0] == 1 else "stereo"
    stream = container.add_stream("aac", rate=AUDIO_RATE, layout=layout)
    stream.bit_rate = AUDIO_BITRATE
    for start in range(0, samples.shape[1], AAC_FRAME):
        chunk = np.ascontiguousarray(samples[:, start : start + AAC_FRAME])
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
        frame.sample_rate = AUDIO_RATE
        frame.pts = start
        frame.time_base = Fraction(1, AUDIO_RATE)
        for packet in stream.encode(frame):
            container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)


class PrevisWriter:
    """Encodes frames into the scene's MP4 and copies each shot's packets into its clip.

    Encoding and muxing run on a worker thread fed through a short queue, so libx264 works
    while the caller renders the next frame (PyAV releases the GIL inside the encoder).
    """

    def __init__(
        self,
        scene: Path,
        clips: Sequence[Clip],
        size: tuple[int, int],
        fps: int,
        metadata: Mapping[str, str],
        audio: Audio | None = None,
    ):
        import av

        self._fps = fps
        self._clips = list(clips)
        self._metadata = dict(metadata)
        self._audio = audio
        self._stack = ExitStack()
        self._containers: list[Any] = []
        self._clip_streams: dict[int, Any] = {}
        try:
            self._scene = self._open(scene)
            self._clip_containers = [self._open(clip.path) for clip in self._clips]
            stream = self._scene.add_stream("libx264", rate=Fraction(fps))
            stream.width, stream.height = size
            stream.pix_fmt = "yuv420p"
            stream.time_base = Fraction(1, fps)
            stream.codec_context.time_base = Fraction(1, fps)
            stream.options = {
                "crf": X264_CRF,
                "preset": X264_PRESET,
                "bf": "0",
                "forced-idr": "1",
            }
            self._video = stream
            if audio is not None:
                _encode_audio(self._scene, audio)
        except BaseException as exc:
            self._abort(exc)
            raise
        self._frame_pts = 0
        self._picture_type = av.video.frame.PictureType
        width, height = size
        self._ring = np.empty((RING_FRAMES, height, width, 3), dtype=np.uint8)
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_FRAMES)
        self._failure: BaseException | None = None
        self._worker = threading.Thread(target=self._encode_loop, daemon=True)
        self._worker.start()

    def _encode_loop(self) -> None:
        """Encode queued frames until ``None`` arrives, then flush; keep the first error."""
        while True:
            frame = self._queue.get()
            if self._failure is None:
                try:
                    self._route(self._video.encode(frame))
                except BaseException as exc:  # handed to the caller's thread
                    self._failure = exc
            if frame is None:
                return

    def _check(self) -> None:
        if self._failure is not None:
            raise self._failure

    def _open(self, path: Path) -> Any:
        import av

        temporary = self._stack.enter_context(atomic_path(path))
        container = av.open(str(temporary), mode="w", format="mp4")
        container.metadata.update(self._metadata)
        self._containers.append(container)
        return container

    def _clip_for(self, pts: int) -> int:
        for index, clip in enumerate(self._clips):
            if clip.start <= pts < clip.start + clip.frames:
                return index
        raise StageError("render", f"encoded frame {pts} lies outside every shot")

    def _route(self, packets: Sequence[Any]) -> None:
        import av

        for packet in packets:
            pts, dts = int(packet.pts), int(packet.dts)
            index = self._clip_for(pts)
            clip, container = self._clips[index], self._clip_containers[index]
            if index not in self._clip_streams:
                self._clip_streams[index] = container.add_stream_from_template(self._video)
                if self._audio is not None:
                    first = clip.start * AUDIO_RATE // self._fps
                    last = (clip.start + clip.frames) * AUDIO_RATE // self._fps
                    _encode_audio(container, self._audio[:, first:last])
            copy = av.Packet(bytes(packet))
            copy.pts, copy.dts = pts - clip.start, dts - clip.start
            copy.time_base = packet.time_base
            copy.is_keyframe = packet.is_keyframe
            copy.stream = self._clip_streams[index]
            self._scene.mux(packet)
            container.mux(copy)

    def write(self, rgb: NDArray[np.uint8], keyframe: bool = False) -> None:
        """Encode the next frame (``(h, w, 3)`` uint8); ``keyframe`` starts a new shot."""
        import av

        slot = self._ring[self._frame_pts % RING_FRAMES]
        np.copyto(slot, rgb)
        frame = av.VideoFrame.from_numpy_buffer(slot, format="rgb24")
        frame.pts = self._frame_pts
        frame.time_base = Fraction(1, self._fps)
        if keyframe:
            frame.pict_type = self._picture_type.I
        self._frame_pts += 1
        self._check()
        self._queue.put(frame)

    def _finish_worker(self) -> None:
        if self._worker.is_alive():
            self._queue.put(None)
            self._worker.join()

    def close(self) -> None:
        """Flush the encoder, finish every file and rename them all into place."""
        self._finish_worker()
        self._check()
        for container in self._containers:
            container.close()
        self._stack.close()

    def _abort(self, error: BaseException) -> None:
        """Close what is open and delete every temporary file; nothing is renamed."""
        worker = getattr(self, "_worker", None)
        if worker is not None:
            self._failure = self._failure or error
            self._finish_worker()
        for container in self._containers:
            try:
                container.close()
            except Exception:  # the temporary files are deleted next either way
                continue
        self._stack.__exit__(type(error), error, error.__traceback__)

    def __enter__(self) -> PrevisWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: object
    ) -> None:
        if error is None:
            self.close()
        else:
            self._abort(error)
