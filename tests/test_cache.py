"""The content-hash cache: hits and misses, damaged entries, no usable home, concurrent
writers, the XDG folder; and the per-shot keys that let a re-run render only edited shots."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import pickle
import py_compile
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beatcam import cache, files
from beatcam.model import CharacterTrack, SetBox, SetDesign, ShotPlan
from beatcam.model.vocab import handle_frames
from beatcam.render.keys import previs_shot_keys

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
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
    assert _files(xdg / "beatcam" / NAMESPACE) == [xdg / "beatcam" / NAMESPACE / stored]


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
    (path,) = _files(xdg / "beatcam" / NAMESPACE)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get(NAMESPACE, entry) is None
    assert cache.cached(NAMESPACE, ["damaged"], lambda: PAYLOAD) == PAYLOAD
    assert cache.get(NAMESPACE, entry) == PAYLOAD


def test_a_stored_value_comes_back_with_the_same_bytes_and_repeated_rows_take_one(
    xdg: Path,
) -> None:
    """Values are pickled straight into their entry, and an array whose rows are all one row
    (a chair on every frame) is stored as that row: each comes back as the same bytes, a
    writeable array, shared where the value shared it; -0.0 and 0.0 stay apart."""
    still = np.tile([1.5, -0.0, 2.25], (100_000, 1))
    values: list[np.ndarray] = [
        still,
        np.array([[0.0], [-0.0]]),
        np.arange(12.0).reshape(4, 3),
        np.asfortranarray(np.tile([1.0, 2.0], (4, 1))),
        np.zeros((0, 3)),
        np.full((3, 2, 2), 7, dtype=np.int32),
        np.array(5.0),
    ]
    entry = cache.key("arrays")
    assert cache.put_object(NAMESPACE, entry, (values, still, ["words", None]))
    back = cache.get_object(NAMESPACE, entry)
    assert isinstance(back, tuple)
    arrays, shared, words = back
    assert words == ["words", None] and shared is arrays[0]
    for stored, made in zip(arrays, values, strict=True):
        assert (stored.dtype, stored.shape) == (made.dtype, made.shape)
        assert np.ascontiguousarray(stored).tobytes() == np.ascontiguousarray(made).tobytes()
        assert stored.flags.writeable
    (path,) = _files(xdg / "beatcam" / NAMESPACE)
    assert path.stat().st_size < still.nbytes // 1000


def test_switched_off_it_stores_nothing(xdg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BEATCAM_CACHE", "0")
    entry = cache.key("off")
    assert not cache.put(NAMESPACE, entry, PAYLOAD)
    assert cache.get(NAMESPACE, entry) is None
    assert cache.cached(NAMESPACE, ["off"], lambda: PAYLOAD) == PAYLOAD
    assert _files(xdg) == []


def test_switched_off_a_plan_makes_no_key(
    xdg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key digests beatcam's files (~0.009 s of a cold plan): with nothing to look up or
    store, a plan and its files are made without one."""
    from beatcam.pipeline import ShootOptions, shoot

    def no_key(*parts: bytes | str) -> str:
        raise AssertionError(f"a key was made with the cache off: {parts!r:.80}")

    monkeypatch.setenv("BEATCAM_CACHE", "0")
    monkeypatch.setattr(cache, "key", no_key)
    scene = tmp_path / "scene.txt"
    scene.write_text("Cast: Mara\nMara reads the letter twice and sits down.\n", encoding="utf-8")
    result = shoot(scene, tmp_path / "out", ShootOptions(stages=("plan",)))
    assert result.cache is None and (tmp_path / "out" / "plan.json").is_file()
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
    assert len(_files(tmp_path / ".cache" / "beatcam" / NAMESPACE)) == 1


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
from beatcam import cache, files
payload = bytes(range(256)) * 4096
entry = cache.key("contended")
for _ in range(int(sys.argv[1])):
    assert cache.put("test", entry, payload)
    seen = cache.get("test", entry)
    if seen != payload:
        sys.exit(f"read {None if seen is None else len(seen)} bytes, not the payload")
"""


def test_the_code_digest_is_every_file_of_the_package_by_path_but_bytecode() -> None:
    package = Path(cache.__file__).resolve().parent
    # Bytecode to leave out, wherever this interpreter keeps its own (PYTHONPYCACHEPREFIX, -B).
    bytecode = package / "__pycache__" / "cache.digest-test.pyc"
    py_compile.compile(cache.__file__, cfile=str(bytecode), doraise=True)
    try:
        expected = hashlib.sha256()
        for path in sorted(package.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                expected.update(path.relative_to(package).as_posix().encode() + b"\0")
                expected.update(hashlib.sha256(path.read_bytes()).digest())
        assert cache.code_digest() == expected.hexdigest()
    finally:
        bytecode.unlink()


def test_the_code_digest_is_kept_under_the_files_signature_and_made_again_on_an_edit(
    xdg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "package"
    (package / "data").mkdir(parents=True)
    rules, words = package / "rules.py", package / "data" / "words.yaml"
    rules.write_text("SIZE = 1\n")
    words.write_text("joy: 1.0\n")
    an_hour_ago = rules.stat().st_mtime_ns - 3600 * 10**9
    os.utime(rules, ns=(an_hour_ago, an_hour_ago))
    first = cache.package_digest(package)
    real = cache._content_digest
    made: list[Path] = []

    def counted(folder: Path, files: Any) -> str:
        made.append(folder)
        return real(folder, files)

    monkeypatch.setattr(cache, "_content_digest", counted)
    assert cache.package_digest(package) == first and made == []  # read back, not made
    rules.write_text("SIZE = 2\n")  # the same size
    edited = cache.package_digest(package)
    assert made == [package] and edited != first
    assert edited == real(package, cache._package_files(package))
    (package / "data" / "words.yaml.new").write_text("joy: 0.5\n")
    (package / "data" / "words.yaml.new").replace(words)  # copied over: the same size again
    assert cache.package_digest(package) not in (first, edited) and len(made) == 2


def test_installed_versions_are_what_importlib_metadata_reads() -> None:
    """The keys and provenance name versions without importing importlib.metadata; they must
    be its versions, of every installed distribution, however its name is spelt."""
    names = sorted({dist.metadata["Name"] for dist in metadata.distributions()})
    assert len(names) > 10
    for name in names:
        expected = metadata.version(name)
        for spelling in (name, name.upper(), name.replace("-", "_"), name.replace("_", ".")):
            assert cache.installed_version(spelling) == expected, spelling
    assert cache.installed_version("no-such-distribution") is None
    assert cache.libraries("numpy", "no-such-distribution") == (
        f"numpy=={metadata.version('numpy')},no-such-distribution missing"
    )


@pytest.mark.parametrize(
    ("folder", "file"),
    [("demo_pkg-2.0.dist-info", "METADATA"), ("Demo.Pkg-2.0.egg-info", "PKG-INFO")],
)
def test_a_version_is_read_from_the_metadata_header_only(
    folder: str, file: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folded line or the description may say "Version:" too; only the header's field counts,
    as importlib.metadata reads it, and the first folder on sys.path wins."""
    header = "Metadata-Version: 2.1\nName: demo-pkg\nLicense: MIT\n  Version: 9 (folded)\n"
    for entry, version in (("first", "2.0"), ("second", "3.0")):
        (tmp_path / entry / folder).mkdir(parents=True)
        text = f"{header}version:  {version}\n\nVersion: 7 (the description)\n"
        (tmp_path / entry / folder / file).write_text(text, encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "first"), str(tmp_path / "second")])
    monkeypatch.setattr(cache, "_metadata_folders", cache._metadata_folders.__wrapped__)
    assert cache.installed_version("demo-pkg") == metadata.version("demo-pkg") == "2.0"


def test_two_processes_writing_one_key_never_expose_half_an_entry(xdg: Path) -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, "60"], env=env, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    errors = [writer.communicate(timeout=60)[1].decode() for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], errors
    assert cache.get(NAMESPACE, cache.key("contended")) == bytes(range(256)) * 4096
    assert len(_files(xdg / "beatcam" / NAMESPACE)) == 1  # no temporary file left behind
    assert not [path for path in _files(xdg) if ".part" in path.name]  # nor beside the digest


def test_a_write_that_fails_leaves_the_entry_before_it_and_no_temporary_file(xdg: Path) -> None:
    entry = cache.key("failing")
    assert cache.put(NAMESPACE, entry, PAYLOAD)
    path = cache.entry_path(NAMESPACE, entry)
    assert path is not None and path.stat().st_mode & 0o777 == 0o644

    def half_then_full_disk(payload: Any) -> None:
        payload.write(b"half an entry")
        raise OSError("no space left on device")

    assert not cache._store(NAMESPACE, entry, half_then_full_disk)
    assert cache.get(NAMESPACE, entry) == PAYLOAD
    assert _files(xdg / "beatcam" / NAMESPACE) == [path]


def test_an_atomic_write_is_whole_or_absent(tmp_path: Path) -> None:
    target = tmp_path / "out" / "plan.json"
    assert files.write_atomic(target, "line\nnext\r\n") == target
    assert target.read_bytes() == b"line\nnext\r\n"  # written as given, no newline turned
    assert target.stat().st_mode & 0o777 == 0o644
    with pytest.raises(KeyboardInterrupt), files.atomic_file(target) as handle:
        handle.write(b"half")
        raise KeyboardInterrupt
    assert target.read_bytes() == b"line\nnext\r\n"
    assert _files(tmp_path) == [target]


_PIECES = st.lists(
    st.one_of(
        st.text(alphabet="ab \u00e9\n", max_size=6),
        st.tuples(st.text(alphabet="ab \u00e9\n", min_size=1, max_size=5), st.integers(0, 40)),
    ),
    max_size=8,
)


@given(pieces=_PIECES, long_run=st.integers(1, 30), block=st.integers(1, 20))
@settings(max_examples=300, deadline=None)
def test_runs_are_the_bytes_their_pieces_spell_and_are_written_so(
    pieces: list[str | tuple[str, int]], long_run: int, block: int
) -> None:
    """A file made as runs (a long plan.json) spells, writes and reads back as the one-piece
    bytes, whichever repeats stay runs and however a run is cut into blocks when written."""
    spelled = "".join(p if isinstance(p, str) else p[0] * p[1] for p in pieces).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files, "LONG_RUN", long_run)
        patch.setattr(files, "WRITE_BLOCK", block)
        runs = files.Runs.of_text(pieces)
        handle = io.BytesIO()
        runs.write_to(handle)
    assert bytes(runs) == handle.getvalue() == spelled
    assert all(data and times for data, times in runs.runs)


@given(pieces=_PIECES, old=st.text(alphabet="ab", min_size=1, max_size=3), new=st.text("xy"))
@settings(max_examples=300, deadline=None)
def test_runs_replace_as_their_bytes_do_even_across_pieces(
    pieces: list[str | tuple[str, int]], old: str, new: str
) -> None:
    """plan.json's input hash is put in its runs in place: the same bytes as replacing it in
    the whole text, also where what is replaced crosses from one piece into the next."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(files, "LONG_RUN", 1)  # every repeat a run: as many seams as can be
        runs = files.Runs.of_text(pieces)
    replaced = runs.replace(old.encode(), new.encode())
    assert bytes(replaced) == bytes(runs).replace(old.encode(), new.encode())


def test_runs_are_written_atomically_like_bytes(tmp_path: Path) -> None:
    runs = files.Runs(((b"[1.5, 2.0],\n  ", 300_000), (b"end\n", 1)))
    target = files.write_atomic(tmp_path / "plan.json", runs)
    assert target.read_bytes() == bytes(runs) == b"[1.5, 2.0],\n  " * 300_000 + b"end\n"
    assert _files(tmp_path) == [target]


def test_a_plans_files_come_from_the_cache_as_runs_and_a_damaged_entry_is_made_again(
    xdg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan files are cached with plan.json as runs (its repeated rows not spelled out);
    written from the cache, or made again where the entry is damaged, they are the bytes of a
    plan made with the cache off."""
    from beatcam.pipeline import ShootOptions, shoot
    from beatcam.pipeline.shooting import PLAN_FILES_NAMESPACE

    monkeypatch.setattr(files, "LONG_RUN", 64)  # runs in a short scene's plan.json too
    scene, options = EXAMPLES / "the-letter.yaml", ShootOptions(stages=("plan",))
    made = {}
    for run in ("fresh", "from the cache", "damaged"):
        if run == "damaged":
            (entry,) = _files(xdg / "beatcam" / PLAN_FILES_NAMESPACE)
            entry.write_bytes(entry.read_bytes()[:-1] + b"!")
        made[run] = _contents(shoot(scene, tmp_path / run, options).folder)
    (entry,) = _files(xdg / "beatcam" / PLAN_FILES_NAMESPACE)
    stored = pickle.loads(entry.read_bytes()[len(cache.MAGIC) : -cache.DIGEST_BYTES])
    assert any(times > 1 for _, times in stored.files["plan.json"].runs)
    monkeypatch.setenv("BEATCAM_CACHE", "0")
    uncached = _contents(shoot(scene, tmp_path / "uncached", options).folder)
    assert made["fresh"] == made["from the cache"] == made["damaged"] == uncached


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


def test_blocking_counts_only_over_the_shots_own_frames_and_handles(tiny_plan: ShotPlan) -> None:
    track = tiny_plan.blocking["Mara"]
    position = track.position.copy()
    last = tiny_plan.shots[-1]
    # Mara steps aside during the last shot, past the frames the shot before shows in its
    # clip's tail handle
    position[last.start_frame + handle_frames(tiny_plan.fps) + 5, 0] += 0.3
    moved = dataclasses.replace(track, position=position)
    blocking = dataclasses.replace(tiny_plan.blocking, tracks={"Mara": moved})
    edited = dataclasses.replace(tiny_plan, blocking=blocking)
    before = _keys(tiny_plan)
    assert _changed(before, _keys(edited)) == [last.id]


def _perturbed(value: Any, window: slice) -> Any:
    """``value`` changed inside ``window`` where it is per-frame, else changed outright; a
    field of a kind not known here fails the test below until it is taught."""
    if isinstance(value, np.ndarray):
        copied = value.copy()
        copied[window.start + 1] = copied[window.start] if value.dtype == object else 0.123
        return copied
    if isinstance(value, bool):
        return not value
    if isinstance(value, float | int):
        return value + 0.25
    if isinstance(value, str):
        return value + "x"
    if (
        isinstance(value, tuple)
        and len(value) > window.stop - 1
        and value
        and all(isinstance(item, str | None) for item in value)
    ):  # per-frame words (a pose, whom they look at), changed mid-shot: a pose is eased into
        # over the half second before it (model.skeleton), which reaches back across a cut
        middle = (window.start + window.stop) // 2
        changed = list(value)
        changed[middle] = "kneel" if value[middle] != "kneel" else "sit"
        return tuple(changed)
    if isinstance(value, tuple) and all(isinstance(item, SetBox) for item in value):
        return (*value, SetBox("crate", (2.0, 0.3, 2.0), (0.6, 0.6, 0.6)))
    raise AssertionError(f"no way to change a {type(value).__name__}: teach _perturbed")


@pytest.mark.parametrize("kind", [CharacterTrack, SetDesign])
def test_every_field_of_blocking_and_set_is_in_the_key(tiny_plan: ShotPlan, kind: type) -> None:
    """Fields added later (per-frame poses, props) are in the key with no list to extend:
    changed on the last shot's frames, per-frame data re-renders that shot, other data all."""
    last = tiny_plan.shots[-1]
    past_handle = last.start_frame + handle_frames(tiny_plan.fps)  # S01's clip shows no further
    window = slice(past_handle, last.start_frame + last.frames)
    before = _keys(tiny_plan)
    for item in dataclasses.fields(kind):
        if not item.init:  # derived from the other fields (a cache of posed eye points)
            continue
        if kind is CharacterTrack:
            track = tiny_plan.blocking["Mara"]
            value = _perturbed(getattr(track, item.name), window)
            tracks = {"Mara": dataclasses.replace(track, **{item.name: value})}
            edited = dataclasses.replace(
                tiny_plan, blocking=dataclasses.replace(tiny_plan.blocking, tracks=tracks)
            )
        else:
            value = _perturbed(getattr(tiny_plan.set, item.name), window)
            edited = dataclasses.replace(
                tiny_plan, set=dataclasses.replace(tiny_plan.set, **{item.name: value})
            )
        per_frame = isinstance(value, np.ndarray) or (
            isinstance(value, tuple) and len(value) == tiny_plan.blocking.frames
        )
        expected = [last.id] if per_frame else [shot.id for shot in tiny_plan.shots]
        assert _changed(before, _keys(edited)) == expected, item.name


def test_metadata_the_frames_never_show_leaves_the_keys(tiny_plan: ShotPlan) -> None:
    renamed = dataclasses.replace(tiny_plan, title="Another title", seed=7)
    assert _keys(renamed) == _keys(tiny_plan)


def test_render_settings_change_every_key(tiny_plan: ShotPlan) -> None:
    before = _keys(tiny_plan)
    assert _changed(before, _keys(tiny_plan, size=(640, 360))) == ["S01", "S02"]
    assert _changed(before, _keys(tiny_plan, hud=False)) == ["S01", "S02"]


# ---- re-running a shoot ----------------------------------------------------------------------

SCRIPT = """INT. KITCHEN - NIGHT

MARA reads the letter at the kitchen table.

She folds it slowly and looks at the door.

EXT. BUS STOP - DAY

TOM waits at the bus stop in the rain.

The bus comes, and he does not get on.
"""
EDITED = SCRIPT.replace("in the rain", "in the snow")


def _shoot_json(script: Path, out: Path, **env: str) -> dict[str, Any]:
    command = [sys.executable, "-m", "beatcam", "shoot", str(script), "-o", str(out)]
    options = ["--only", "plan,render", "--resolution", "128x72", "--json"]
    run = subprocess.run(
        [*command, *options],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, **env},
    )
    assert run.returncode == 0, run.stderr
    document: dict[str, Any] = json.loads(run.stdout)
    return document


def _contents(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in _files(folder)}


def _shots(folder: Path) -> int:
    plan = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    return len(plan["shots"])


def test_a_shoot_after_an_edit_redoes_only_the_edited_scene_in_the_same_bytes(
    tmp_path: Path,
) -> None:
    script = tmp_path / "night.fountain"
    script.write_text(SCRIPT, encoding="utf-8")
    cold = _shoot_json(script, tmp_path / "cold")
    first = tmp_path / "cold" / "01-int-kitchen-night"
    second = tmp_path / "cold" / "02-ext-bus-stop-day"
    shots = _shots(first) + _shots(second)
    assert cold["cache"] == {
        "plans_reused": 0,
        "plans_made": 2,
        "shots_reused": 0,
        "shots_made": shots,
    }

    script.write_text(EDITED, encoding="utf-8")
    again = _shoot_json(script, tmp_path / "again")
    edited = _shots(tmp_path / "again" / "02-ext-bus-stop-day")
    assert again["cache"] == {
        "plans_reused": 1,
        "plans_made": 1,
        "shots_reused": _shots(first),
        "shots_made": edited,
    }
    uncached = _shoot_json(script, tmp_path / "uncached", BEATCAM_CACHE="0")
    assert uncached["cache"] is None
    assert _contents(tmp_path / "again") == _contents(tmp_path / "uncached")
    assert (
        _contents(tmp_path / "cold")["02-ext-bus-stop-day/previs.mp4"]
        != _contents(tmp_path / "again")["02-ext-bus-stop-day/previs.mp4"]
    )


def test_a_later_shots_pin_or_length_is_planned_afresh_never_taken_from_the_cache(
    xdg: Path,
) -> None:
    from dataclasses import replace

    from beatcam.model import ShotPin
    from beatcam.pipeline import ShootOptions
    from beatcam.pipeline.shooting import plan_task
    from beatcam.script import read_scenes

    text = (
        "title: Talk\ncast: [Mara, Tom]\nbeats:\n"
        "  - text: Mara tells Tom she was at her sister's, and he does not believe her.\n"
        "    seconds: 14\n"
    )
    scene = read_scenes("scene.yaml", text.encode())[0]
    options = ShootOptions(stages=("plan",))

    def with_beat(**changes: Any) -> Any:
        return replace(scene, beats=(replace(scene.beats[0], **changes),))

    plain = plan_task(scene, options)
    assert plan_task(scene, options).reused
    pinned = plan_task(with_beat(shot_pins=((1, ShotPin(size="CU", movement="static")),)), options)
    held = plan_task(with_beat(shot_seconds=((1, 4.0),)), options)

    assert not pinned.reused and not held.reused
    assert (pinned.plan.shots[1].size, pinned.plan.shots[1].movement) == ("CU", "static")
    assert held.plan.shots[1].frames == round(4.0 * held.plan.fps)
    assert len({plain.key, pinned.key, held.key}) == 3


def test_a_shots_camera_keys_read_each_box_of_the_set(tiny_plan: ShotPlan) -> None:
    """A shot's track and its settled version are kept under keys that read every box's name,
    centre and size (``reuse`` digests their numbers as one array)."""
    from beatcam.pipeline import reuse

    shot = tiny_plan.shots[0]

    def keys(plan: ShotPlan) -> tuple[str, str | None]:
        track = reuse._track_key(shot, plan.blocking, plan.set, plan.sensor_mm, plan.fps, 0)
        return track, reuse.settled_key(plan, 0, plan.set)

    before = keys(tiny_plan)
    box = tiny_plan.set.boxes[0]
    x, y, z = box.center
    for edited in (
        dataclasses.replace(box, name=f"{box.name}_2"),
        dataclasses.replace(box, center=(x + 1e-9, y, z)),
        dataclasses.replace(box, size=(*box.size[:2], box.size[2] * 2)),
    ):
        boxes = (edited, *tiny_plan.set.boxes[1:])
        plan = dataclasses.replace(tiny_plan, set=dataclasses.replace(tiny_plan.set, boxes=boxes))
        after = keys(plan)
        assert after[0] != before[0] and after[1] != before[1], edited
    assert keys(tiny_plan) == before
