"""The content-hash cache: hits and misses, damaged entries, no usable home, concurrent
writers, the XDG folder; and the per-shot keys that let a re-run render only edited shots."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from beatcam import cache
from beatcam.model import ShotPlan
from beatcam.render.keys import previs_shot_keys

NAMESPACE = "test"
PAYLOAD = b"rendered frames \x00\xff" * 1000
SIZE = (320, 180)


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh XDG cache home with the cache switched on."""
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("BEATCAM_CACHE", raising=False)
    return home


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


# ---- the store -----------------------------------------------------------------------------


def test_a_stored_key_is_a_hit_under_xdg_cache_home_and_others_miss(xdg: Path) -> None:
    stored, other = cache.key("shot", "S01"), cache.key("shot", "S02")
    assert cache.get(NAMESPACE, stored) is None
    assert cache.put(NAMESPACE, stored, PAYLOAD)
    assert cache.get(NAMESPACE, stored) == PAYLOAD
    assert cache.get(NAMESPACE, other) is None
    assert _files(xdg) == [xdg / "beatcam" / NAMESPACE / stored[:2] / stored]


def test_cached_computes_once_then_reads_back(xdg: Path) -> None:
    calls: list[int] = []

    def compute() -> bytes:
        calls.append(1)
        return PAYLOAD

    assert cache.cached(NAMESPACE, ["plan", b"\x01"], compute) == PAYLOAD
    assert cache.cached(NAMESPACE, ["plan", b"\x01"], compute) == PAYLOAD
    assert len(calls) == 1
    assert cache.cached(NAMESPACE, ["plan", b"\x02"], compute) == PAYLOAD
    assert len(calls) == 2


def test_keys_separate_their_parts_and_include_the_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert cache.key("ab", "c") != cache.key("a", "bc")
    assert cache.key("a", b"b") == cache.key(b"a", "b")
    before = cache.key("same input")
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    assert cache.key("same input") != before


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[:-1],  # truncated
        lambda blob: blob[:10],  # cut inside the header
        lambda blob: blob[:-1] + bytes([blob[-1] ^ 1]),  # one bit flipped in the payload
        lambda blob: b"",  # empty file
        lambda blob: b"not an entry" + blob,  # foreign file
    ],
    ids=["truncated", "short-header", "bit-flip", "empty", "foreign"],
)
def test_a_damaged_entry_is_a_miss_and_is_recomputed(
    xdg: Path, damage: Callable[[bytes], bytes]
) -> None:
    entry = cache.key("damaged")
    cache.put(NAMESPACE, entry, PAYLOAD)
    (path,) = _files(xdg)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get(NAMESPACE, entry) is None
    assert cache.cached(NAMESPACE, ["damaged"], lambda: PAYLOAD) == PAYLOAD
    assert cache.get(NAMESPACE, entry) == PAYLOAD


def test_switched_off_it_stores_nothing(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEATCAM_CACHE", "0")
    entry = cache.key("off")
    assert not cache.put(NAMESPACE, entry, PAYLOAD)
    assert cache.get(NAMESPACE, entry) is None
    assert cache.cached(NAMESPACE, ["off"], lambda: PAYLOAD) == PAYLOAD
    assert _files(xdg) == []


def test_without_xdg_it_lives_in_the_home_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BEATCAM_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    for unset in ("", "relative/cache"):  # the XDG spec ignores a relative path
        monkeypatch.setenv("XDG_CACHE_HOME", unset)
        assert cache.root() == tmp_path / ".cache" / "beatcam"
    assert cache.put(NAMESPACE, cache.key("home"), PAYLOAD)
    assert len(_files(tmp_path / ".cache" / "beatcam")) == 1


def test_an_unusable_cache_home_is_silently_no_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    monkeypatch.delenv("BEATCAM_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(not_a_folder / "cache"))
    entry = cache.key("nowhere")
    assert not cache.put(NAMESPACE, entry, PAYLOAD)
    assert cache.get(NAMESPACE, entry) is None
    assert cache.cached(NAMESPACE, ["nowhere"], lambda: PAYLOAD) == PAYLOAD


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_cache_folder_is_silently_no_cache(xdg: Path) -> None:
    xdg.mkdir()
    xdg.chmod(0o555)
    try:
        assert not cache.put(NAMESPACE, cache.key("read-only"), PAYLOAD)
        assert cache.cached(NAMESPACE, ["read-only"], lambda: PAYLOAD) == PAYLOAD
    finally:
        xdg.chmod(0o755)
    assert _files(xdg) == []


def test_names_that_are_not_file_names_are_refused(xdg: Path) -> None:
    with pytest.raises(ValueError, match="namespace"):
        cache.get("../escape", cache.key("x"))
    with pytest.raises(ValueError, match="hex SHA-256"):
        cache.put(NAMESPACE, "../../etc/passwd", PAYLOAD)


_WRITER = """
import sys
from beatcam import cache
payload = bytes(range(256)) * 4096
entry = cache.key("contended")
for _ in range(int(sys.argv[1])):
    assert cache.put("test", entry, payload)
    seen = cache.get("test", entry)
    if seen != payload:
        sys.exit(f"read {None if seen is None else len(seen)} bytes, not the payload")
"""


def test_two_processes_writing_one_key_never_expose_half_an_entry(xdg: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, "60"], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    errors = [writer.communicate(timeout=60)[1].decode() for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], errors
    assert cache.get(NAMESPACE, cache.key("contended")) == bytes(range(256)) * 4096
    assert len(_files(xdg)) == 1  # no temporary file left behind


# ---- per-shot previs keys ------------------------------------------------------------------


def _keys(plan: ShotPlan, size: tuple[int, int] = SIZE, hud: bool = True) -> dict[str, str]:
    return previs_shot_keys(plan, resolution=size, hud=hud)


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    assert list(before) == list(after)
    return [shot for shot in before if before[shot] != after[shot]]


def test_editing_a_beat_changes_only_its_shots_keys(tiny_plan: ShotPlan) -> None:
    before = _keys(tiny_plan)
    assert len(set(before.values())) == len(tiny_plan.shots)
    assert _keys(tiny_plan) == before
    beats = list(tiny_plan.beats)
    beats[1] = dataclasses.replace(beats[1], text="She realises it is real; relief.")
    edited = dataclasses.replace(tiny_plan, beats=tuple(beats))
    affected = [shot.id for shot in tiny_plan.shots if shot.beat == 1]
    assert _changed(before, _keys(edited)) == affected == ["S02"]


def test_a_shots_camera_changes_its_key_and_a_dissolve_into_the_next(
    tiny_plan: ShotPlan,
) -> None:
    first, second = tiny_plan.shots
    moved = dataclasses.replace(
        first.camera, position=first.camera.position + np.array([0.0, 0.1, 0.0])
    )
    edited = dataclasses.replace(
        tiny_plan, shots=(dataclasses.replace(first, camera=moved), second)
    )
    before = _keys(tiny_plan)
    assert _changed(before, _keys(edited)) == ["S01"]
    dissolving = dataclasses.replace(second, transition="dissolve")
    plain = dataclasses.replace(tiny_plan, shots=(first, dissolving))
    moved_plain = dataclasses.replace(edited, shots=(edited.shots[0], dissolving))
    assert _changed(_keys(plain), _keys(moved_plain)) == ["S01", "S02"]


def test_blocking_counts_only_over_the_shots_own_frames(tiny_plan: ShotPlan) -> None:
    track = tiny_plan.blocking["Mara"]
    position = track.position.copy()
    last = tiny_plan.shots[-1]
    position[last.start_frame + 5, 0] += 0.3  # Mara steps aside during the last shot
    moved = dataclasses.replace(track, position=position)
    blocking = dataclasses.replace(tiny_plan.blocking, tracks={"Mara": moved})
    edited = dataclasses.replace(tiny_plan, blocking=blocking)
    before = _keys(tiny_plan)
    assert _changed(before, _keys(edited)) == [last.id]


def test_render_settings_change_every_key(tiny_plan: ShotPlan) -> None:
    before = _keys(tiny_plan)
    assert _changed(before, _keys(tiny_plan, size=(640, 360))) == ["S01", "S02"]
    assert _changed(before, _keys(tiny_plan, hud=False)) == ["S01", "S02"]
