"""Encoding and muxing: H.264 (libx264) video and AAC audio in MP4, through PyAV.

Each shot is encoded on its own, by a fresh encoder that starts on an IDR frame and makes no
B-frames, so a shot's packets (an ``EncodedShot``) depend on nothing but the shot's frames:
they are what the render cache keeps (``render.keys``), and a shot found there is muxed without
being rendered or encoded again, in the same bytes. The packets go as they are into the scene's
``previs.mp4`` and into the shot's own clip in ``shots/``, which decodes on its own. Audio is
encoded per file from the same samples, cut to each file's frames; its AAC packets
(``EncodedAudio``) depend on nothing but those samples, so the render cache keeps them too:
encoding them again was most of a re-shoot whose shots all came from the cache.

Every file is written under a temporary name and renamed into place only when the whole
scene succeeded (``beatcam.files.atomic_path``), so an interrupted render leaves none of them.
"""

from __future__ import annotations

import queue
import struct
import threading
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, Final, Protocol

import numpy as np
from numpy.typing import NDArray

from beatcam.errors import StageError
from beatcam.files import atomic_path

AUDIO_RATE: Final = 48_000
AAC_FRAME: Final = 1024
AUDIO_BITRATE: Final = 160_000
ENCODER: Final = "libx264"
X264_CRF: Final = "20"
# The fastest preset: on two cores the encoder shares the CPU with the renderer, and grey-box
# frames come out visually lossless at this CRF either way (PSNR over 50 dB against the
# yuv420p source), only in files about three times veryfast's size.
X264_PRESET: Final = "ultrafast"
# Whatever else changes an encoded shot's bytes besides its frames is in here (render.keys).
ENCODER_OPTIONS: Final = {"crf": X264_CRF, "preset": X264_PRESET, "bf": "0", "forced-idr": "1"}
QUEUE_FRAMES: Final = 4
# Frames are copied into a ring of reused buffers that PyAV wraps without copying: a slot comes
# round again only after the queue (QUEUE_FRAMES) and the frame being encoded have moved on.
RING_FRAMES: Final = QUEUE_FRAMES + 2

Audio = NDArray[np.float32]
_PACKET_HEAD = struct.Struct(">q?I")
_PARTS_HEAD = struct.Struct(">4Q")
_AUDIO_HEAD = struct.Struct(">qqq?I")


@dataclass(frozen=True)
class Clip:
    """A shot's file: the scene frames ``start .. start + frames`` go into the scene's file
    and, with ``handle`` frames more at each end, into ``path``. The first ``mixed`` frames of
    the scene's copy have a transition in them (a dissolve from the shot before); the clip
    gets them clean, so an editor's own transition finds untouched media."""

    path: Path
    start: int
    frames: int
    handle: int = 0
    mixed: int = 0

    def segments(self) -> list[tuple[str, int]]:
        """(part, frames) in the order frames are given, each part encoded on its own from an
        IDR frame: head handle, mixed start, its clean twin, the rest, tail handle."""
        parts = [
            ("head", self.handle),
            ("mixed", self.mixed),
            ("clean", self.mixed),
            ("rest", self.frames - self.mixed),
            ("tail", self.handle),
        ]
        return [(part, count) for part, count in parts if count > 0]


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


@dataclass(frozen=True)
class EncodedAudio:
    """One file's AAC packets in order, as ``(pts, dts, duration, keyframe, data)`` with times
    in samples at ``AUDIO_RATE``."""

    packets: tuple[tuple[int, int, int, bool, bytes], ...]

    def to_bytes(self) -> bytes:
        """A flat record: per packet its pts, dts, duration, keyframe flag and length, then
        its data."""
        return _pack(_AUDIO_HEAD, self.packets)

    @classmethod
    def from_bytes(cls, blob: bytes) -> EncodedAudio:
        """The audio ``to_bytes`` wrote; a ValueError for anything else."""
        return cls(tuple(_unpack(_AUDIO_HEAD, blob, "encoded audio")))


def _pack(head: struct.Struct, packets: Sequence[tuple[Any, ...]]) -> bytes:
    """Per packet its fields but the last (its data) and the data's length packed by ``head``,
    then the data."""
    parts = []
    for *fields, data in packets:
        parts.append(head.pack(*fields, len(data)))
        parts.append(data)
    return b"".join(parts)


def _unpack(head: struct.Struct, blob: bytes, what: str) -> list[tuple[Any, ...]]:
    """The packets ``_pack`` wrote with ``head``; a ValueError naming ``what`` for anything
    else."""
    packets = []
    offset = 0
    while offset < len(blob):
        if offset + head.size > len(blob):
            raise ValueError(f"{what} ends inside a packet header")
        *fields, length = head.unpack_from(blob, offset)
        offset += head.size
        if offset + length > len(blob):
            raise ValueError(f"{what} ends inside a packet")
        packets.append((*fields, blob[offset : offset + length]))
        offset += length
    return packets


class AudioStore(Protocol):
    """Where encoded audio is kept between runs (``render.keys.PrevisCache``)."""

    def get_audio(self, samples: Audio) -> EncodedAudio | None: ...

    def put_audio(self, samples: Audio, encoded: EncodedAudio) -> None: ...


def _encode_audio(container: Any, samples: Audio, store: AudioStore | None = None) -> None:
    """Add an AAC stream of ``samples`` to ``container``: its packets from ``store`` where it
    has them (muxed as they were, so the file is the same bytes), else encoded here and kept
    there."""
    import av

    layout = "mono" if samples.shape[0] == 1 else "stereo"
    stream = container.add_stream("aac", rate=AUDIO_RATE, layout=layout)
    stream.bit_rate = AUDIO_BITRATE
    found = None if store is None else store.get_audio(samples)
    if found is not None:
        for pts, dts, duration, keyframe, data in found.packets:
            packet = av.Packet(data)
            packet.pts, packet.dts, packet.duration = pts, dts, duration
            packet.is_keyframe = keyframe
            packet.time_base = Fraction(1, AUDIO_RATE)
            packet.stream = stream
            container.mux(packet)
        return
    made: list[tuple[int, int, int, bool, bytes]] = []

    def mux(packets: Sequence[Any]) -> None:
        for packet in packets:
            times = (int(packet.pts), int(packet.dts), int(packet.duration))
            made.append((*times, bool(packet.is_keyframe), bytes(packet)))
            container.mux(packet)

    for start in range(0, samples.shape[1], AAC_FRAME):
        chunk = np.ascontiguousarray(samples[:, start : start + AAC_FRAME])
        frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
        frame.sample_rate = AUDIO_RATE
        frame.pts = start
        frame.time_base = Fraction(1, AUDIO_RATE)
        mux(stream.encode(frame))
    mux(stream.encode(None))
    if store is not None:
        store.put_audio(samples, EncodedAudio(tuple(made)))


Packets = tuple[tuple[int, bool, bytes], ...]


@dataclass(frozen=True)
class EncodedShot:
    """One shot's H.264 packets in display order, as ``(pts, keyframe, data)`` (no B-frames:
    decode order is display order). ``packets`` are the shot's frames as the scene's file
    shows them, pts from its first frame; ``head`` and ``tail`` its clip's handles and
    ``clean`` the clean twin of its first (mixed) frames, each with pts from its own start."""

    packets: Packets
    head: Packets = ()
    tail: Packets = ()
    clean: Packets = ()

    def clip_packets(self) -> Packets:
        """The clip's packets, pts from its first frame: head, clean body, tail."""
        body = self.clean + self.packets[len(self.clean) :]
        parts = [(0, self.head), (len(self.head), body), (len(self.head) + len(body), self.tail)]
        return tuple(
            (pts + offset, keyframe, data)
            for offset, packets in parts
            for pts, keyframe, data in packets
        )

    def to_bytes(self) -> bytes:
        """Four packed parts (per packet its pts, keyframe flag and length, then its data),
        after a header of their lengths in bytes."""
        parts = [_pack(_PACKET_HEAD, p) for p in (self.packets, self.head, self.tail, self.clean)]
        return _PARTS_HEAD.pack(*(len(part) for part in parts)) + b"".join(parts)

    @classmethod
    def from_bytes(cls, blob: bytes) -> EncodedShot:
        """The shot ``to_bytes`` wrote; a ValueError for anything else."""
        if len(blob) < _PARTS_HEAD.size:
            raise ValueError("an encoded shot ends inside its header")
        sizes = _PARTS_HEAD.unpack_from(blob)
        if _PARTS_HEAD.size + sum(sizes) != len(blob):
            raise ValueError("an encoded shot is not as long as its header says")
        parts = []
        offset = _PARTS_HEAD.size
        for size in sizes:
            parts.append(tuple(_unpack(_PACKET_HEAD, blob[offset : offset + size], "a shot")))
            offset += size
        packets, head, tail, clean = parts
        return cls(packets, head, tail, clean)


def _configure(context: Any, size: tuple[int, int], fps: int) -> None:
    """The one encoder set-up of the scene's stream and of every shot's encoder, so shots
    encoded apart share the stream's parameters (SPS and PPS)."""
    context.width, context.height = size
    context.pix_fmt = "yuv420p"
    context.time_base = Fraction(1, fps)
    context.options = dict(ENCODER_OPTIONS)


def _end(clip: Clip) -> int:
    return clip.start + clip.frames


def _window(audio: Audio, first: int, last: int) -> Audio:
    """Samples ``first .. last`` of planar ``audio``, silent where they fall outside it."""
    window = np.zeros((audio.shape[0], last - first), dtype=np.float32)
    start, stop = max(first, 0), min(last, audio.shape[1])
    if stop > start:
        window[:, start - first : stop - first] = audio[:, start:stop]
    return window


def _shot_encoder(size: tuple[int, int], fps: int) -> Any:
    import av

    context = av.CodecContext.create(ENCODER, "w")
    _configure(context, size, fps)
    context.framerate = Fraction(fps)
    # As the MP4 muxer asks of the scene's stream: parameter sets in the stream header.
    context.flags |= av.codec.context.Flags.global_header
    return context


class PrevisWriter:
    """Encodes frames shot by shot into the scene's MP4 and each shot's clip.

    ``clips`` are the shots in order. Frames come through ``write``, or a whole shot already
    encoded through ``write_encoded``; a shot encoded here is handed to ``on_encoded(index,
    shot)`` once complete (the render cache stores it); ``audio_store`` keeps and gives the
    files' encoded audio. Encoding and muxing run on a worker
    thread fed through a short queue, so libx264 works while the caller renders the next frame
    (PyAV releases the GIL inside the encoder).
    """

    def __init__(
        self,
        scene: Path,
        clips: Sequence[Clip],
        size: tuple[int, int],
        fps: int,
        metadata: Mapping[str, str],
        audio: Audio | None = None,
        on_encoded: Callable[[int, EncodedShot], None] | None = None,
        audio_store: AudioStore | None = None,
    ):
        self._fps = fps
        self._size = size
        self._clips = list(clips)
        self._metadata = dict(metadata)
        self._audio = audio
        self._on_encoded = on_encoded
        self._audio_store = audio_store
        self._stack = ExitStack()
        self._containers: list[Any] = []
        try:
            self._scene = self._open(scene)
            self._clip_containers = [self._open(clip.path) for clip in self._clips]
            stream = self._scene.add_stream(ENCODER, rate=Fraction(fps))
            _configure(stream.codec_context, size, fps)
            stream.time_base = Fraction(1, fps)
            self._video = stream
            if audio is not None:
                _encode_audio(self._scene, audio, audio_store)
        except BaseException as exc:
            self._abort(exc)
            raise
        self._segments = [clip.segments() for clip in self._clips]
        self._next = (0, 0, 0)  # clip, part and frame within the part of the next frame
        self._given = 0  # frames given so far (they take turns in the ring of buffers)
        width, height = size
        self._ring = np.empty((RING_FRAMES, height, width, 3), dtype=np.uint8)
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=QUEUE_FRAMES)
        self._failure: BaseException | None = None
        self._encoder: Any = None
        self._packets: list[tuple[int, bool, bytes]] = []
        self._parts: dict[str, Packets] = {}
        self._worker = threading.Thread(target=self._encode_loop, daemon=True)
        self._worker.start()

    def _encode_loop(self) -> None:
        """Encode queued frames and mux finished shots until ``None`` arrives; keep the first
        error."""
        while True:
            item = self._queue.get()
            if self._failure is None and item is not None:
                try:
                    self._take(*item)
                except BaseException as exc:  # handed to the caller's thread
                    self._failure = exc
            if item is None:
                return

    def _take(self, index: int, part: str, local: int, count: int, item: Any) -> None:
        """Frame ``local`` of ``count`` in ``part`` of clip ``index`` (an av.VideoFrame), or
        the clip's whole EncodedShot."""
        if isinstance(item, EncodedShot):
            self._mux(index, item)
            return
        if local == 0:
            self._encoder = _shot_encoder(self._size, self._fps)
            self._packets = []
        self._collect(self._encoder.encode(item))
        if local < count - 1:
            return
        self._collect(self._encoder.encode(None))
        self._encoder = None
        self._parts[part] = tuple(self._packets)
        if part != self._segments[index][-1][0]:
            return
        parts, self._parts = self._parts, {}
        mixed = parts.get("mixed", ())
        rest = tuple((pts + len(mixed), keyframe, data) for pts, keyframe, data in parts["rest"])
        shot = EncodedShot(
            mixed + rest, parts.get("head", ()), parts.get("tail", ()), parts.get("clean", ())
        )
        if self._on_encoded is not None:
            self._on_encoded(index, shot)
        self._mux(index, shot)

    def _collect(self, packets: Sequence[Any]) -> None:
        self._packets.extend((int(p.pts), bool(p.is_keyframe), bytes(p)) for p in packets)

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

    def _mux(self, index: int, shot: EncodedShot) -> None:
        """One shot's packets into the scene's MP4 (at its place) and into its clip."""
        clip, container = self._clips[index], self._clip_containers[index]
        counts = (len(shot.packets), len(shot.head), len(shot.tail), len(shot.clean))
        if counts != (clip.frames, clip.handle, clip.handle, clip.mixed):
            raise StageError(
                "render", f"packets {counts} for frames, handles and clean start of {clip}"
            )
        for pts, keyframe, data in shot.packets:
            self._scene.mux(self._packet(data, pts + clip.start, keyframe, self._video))
        # The scene's stream opens with its first packet: only then does it hold the
        # parameter sets that a clip's stream copies.
        clip_stream = self._clip_stream(index)
        for pts, keyframe, data in shot.clip_packets():
            container.mux(self._packet(data, pts, keyframe, clip_stream))

    def _packet(self, data: bytes, pts: int, keyframe: bool, stream: Any) -> Any:
        import av

        packet = av.Packet(data)
        packet.pts = packet.dts = pts
        packet.time_base = Fraction(1, self._fps)
        packet.is_keyframe = keyframe
        packet.stream = stream
        return packet

    def _clip_stream(self, index: int) -> Any:
        clip, container = self._clips[index], self._clip_containers[index]
        stream = container.add_stream_from_template(self._video)
        if self._audio is not None:
            first = (clip.start - clip.handle) * AUDIO_RATE // self._fps
            last = (_end(clip) + clip.handle) * AUDIO_RATE // self._fps
            _encode_audio(container, _window(self._audio, first, last), self._audio_store)
        return stream

    def _place(self) -> tuple[int, str, int, int]:
        """(clip, part, frame within it, frames in it) of the next frame; a StageError past
        the last clip."""
        index, segment, local = self._next
        if index == len(self._clips):
            raise StageError("render", f"frame {self._given} given after the last shot's")
        part, count = self._segments[index][segment]
        return index, part, local, count

    def _advance(self) -> None:
        index, segment, local = self._next
        local += 1
        if local == self._segments[index][segment][1]:
            segment, local = segment + 1, 0
            if segment == len(self._segments[index]):
                index, segment = index + 1, 0
        self._next = (index, segment, local)

    def write(self, rgb: NDArray[np.uint8]) -> None:
        """Encode the next frame (``(h, w, 3)`` uint8), in the order of ``Clip.segments``."""
        import av

        index, part, local, count = self._place()
        slot = self._ring[self._given % RING_FRAMES]
        np.copyto(slot, rgb)
        frame = av.VideoFrame.from_numpy_buffer(slot, format="rgb24")
        frame.pts = local
        frame.time_base = Fraction(1, self._fps)
        if local == 0:
            frame.pict_type = av.video.frame.PictureType.I
        self._given += 1
        self._advance()
        self._check()
        self._queue.put((index, part, local, count, frame))

    def write_encoded(self, shot: EncodedShot) -> None:
        """Add the next clip's shot, already encoded, in place of its frames."""
        index, _, local, _ = self._place()
        if self._next[1:] != (0, 0):
            raise StageError("render", f"an encoded shot given at frame {local} of a shot")
        self._next = (index + 1, 0, 0)
        self._check()
        self._queue.put((index, "", 0, 0, shot))

    def _finish_worker(self) -> None:
        if self._worker.is_alive():
            self._queue.put(None)
            self._worker.join()

    def close(self) -> None:
        """Flush the encoder, finish every file and rename them all into place."""
        self._finish_worker()
        self._check()
        if self._next[0] != len(self._clips):
            raise StageError("render", f"shot {self._next[0] + 1} of {len(self._clips)} unfinished")
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
            try:
                self.close()
            except BaseException as failure:
                self._abort(failure)
                raise
        else:
            self._abort(error)
