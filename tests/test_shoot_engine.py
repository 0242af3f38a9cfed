"""Shooting as a library, on several executors, refusing bad scenes and surviving a kill.

The CLI runs in subprocesses with this checkout's sources; the same screenplay is shot once in
one process (the reference) and compared byte for byte with the other ways of shooting it.
"""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from beatcam.errors import (
    BeatcamError,
    PlanFileError,
    SceneError,
    SceneFailedError,
    StageError,
    UsageError,
)
from beatcam.pipeline import ShootOptions, shoot
from beatcam.script import read_scenes
from conftest import pdf_chapters

ROOT = Path(__file__).resolve().parents[1]
SCREENPLAY = ROOT / "examples" / "two-scenes.fountain"
# Planning and scoring is enough to compare executors: binary files of several MB each.
STAGES = "plan,score"
BEATCAM = [sys.executable, "-m", "beatcam"]
UNKNOWN_SET = """INT. KITCHEN - NIGHT

MARA reads the letter twice.

EXT. STREET - DAY

[[set: moonbase]]

TOM runs for the bus.
"""
UNSHOOTABLE_PIN = """title: Pinned
cast: [Mara]
beats:
  - Mara waits.
  - text: Mara opens the door.
    camera: {size: ECU, framing: establishing, movement: crane_up, angle: worm}
"""


def _shoot(out: Path, *options: str) -> subprocess.CompletedProcess[str]:
    command = [*BEATCAM, "shoot", str(SCREENPLAY), "-o", str(out), "--only", STAGES, "-q"]
    return subprocess.run(
        [*command, *options], capture_output=True, text=True, timeout=300, check=False
    )


def _contents(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every file of the screenplay shot in one process, by relative path."""
    out = tmp_path_factory.mktemp("serial") / "out"
    result = _shoot(out)
    assert result.returncode == 0, result.stderr
    return _contents(out)


def test_the_reference_run_has_both_scenes_and_an_index(reference: dict[str, bytes]) -> None:
    folders = {name.split("/")[0] for name in reference if "/" in name}
    assert len(folders) == 2
    for folder in folders:
        for name in ("plan.json", "critique.json", "score.wav", "provenance.json"):
            assert f"{folder}/{name}" in reference
    assert "index.json" in reference


def test_a_dask_cluster_shoots_the_same_bytes(reference: dict[str, bytes], tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    with cluster:
        result = _shoot(tmp_path / "out", "--dask", cluster.scheduler_address)
    assert result.returncode == 0, result.stderr
    assert _contents(tmp_path / "out") == reference


def test_dask_is_imported_only_when_asked_for(tmp_path: Path) -> None:
    for args in (
        ["--help"],
        ["shoot", str(ROOT / "examples" / "lighthouse.txt"), "-o", str(tmp_path), "--only", "plan"],
    ):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "beatcam", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        imported = [line.split("|")[-1].strip() for line in result.stderr.splitlines()]
        assert "beatcam.cli" in imported
        assert not [name for name in imported if name.split(".")[0] in {"dask", "distributed"}]


def test_an_unreachable_scheduler_or_two_executors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    lighthouse = str(ROOT / "examples" / "lighthouse.txt")
    for options, needle in (
        (["--dask", "tcp://127.0.0.1:9", "--workers", "2"], "not both"),
        (
            ["--dask", "tcp://127.0.0.1:9"],
            "cannot reach the Dask scheduler at tcp://127.0.0.1:9: nothing listens on port 9",
        ),
    ):
        command = [*BEATCAM, "shoot", lighthouse, "-o", str(tmp_path / "out"), *options]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and needle in lines[0], result.stderr
    assert not (tmp_path / "out").exists()


def test_a_screenplay_with_an_unknown_set_is_refused_before_anything_is_written(
    tmp_path: Path,
) -> None:
    screenplay = tmp_path / "night.fountain"
    screenplay.write_text(UNKNOWN_SET)
    out = tmp_path / "out"
    command = [*BEATCAM, "shoot", str(screenplay), "-o", str(out), "--only", "plan"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"beatcam: error: {screenplay} scene 2 (EXT. STREET - DAY): ")
    assert "moonbase" in lines[0]
    assert not out.exists()


def test_a_screenplay_run_says_where_it_wrote_each_scene(tmp_path: Path) -> None:
    out = tmp_path / "a folder whose path is long enough to be wrapped on a narrow terminal"
    command = [*BEATCAM, "plan", str(SCREENPLAY), "-o", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    wrote = [line.split("wrote ", 1)[1] for line in result.stdout.splitlines() if "wrote" in line]
    assert [Path(path) for path in wrote] == [
        *sorted(path for path in out.iterdir() if path.is_dir()),
        out / "index.json",
    ]


def test_a_pin_that_cannot_be_shot_names_the_file_and_scene(tmp_path: Path) -> None:
    scene = tmp_path / "pinned.yaml"
    scene.write_text(UNSHOOTABLE_PIN)
    out = tmp_path / "out"
    result = subprocess.run(
        [*BEATCAM, "plan", str(scene), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"beatcam: error: {scene} (Pinned): beat 2: ")
    assert not out.exists()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_scene_that_cannot_be_planned_stops_the_others_from_being_written(
    tmp_path: Path, workers: int
) -> None:
    """The first scene plans; the second cannot, so neither folder may appear."""
    pinned = tmp_path / "pinned.yaml"
    pinned.write_text(UNSHOOTABLE_PIN)
    scenes = [*read_scenes(str(ROOT / "examples" / "lighthouse.txt")), *read_scenes(str(pinned))]
    out = tmp_path / "out"
    with pytest.raises(SceneFailedError) as refused:
        shoot(scenes, out, ShootOptions(stages=("plan",)), workers=workers)
    assert str(refused.value).startswith("scenes scene 2 (Pinned): beat 2: the camera pinned")
    assert refused.value.exit_code == 2
    assert not out.exists()


def test_a_killed_shoot_is_completed_by_the_next_run(
    reference: dict[str, bytes], tmp_path: Path
) -> None:
    """Killed once its first files appear, the run leaves an unfinished folder; the next run
    removes every temporary file and ends with exactly the reference's bytes."""
    out = tmp_path / "out"
    command = [*BEATCAM, "shoot", str(SCREENPLAY), "-o", str(out), "--only", STAGES, "-q"]
    with subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) as run:
        deadline = time.monotonic() + 120
        while not any(path.is_file() for path in out.rglob("*")):
            assert run.poll() is None, "the shoot ended before it wrote anything"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        os.kill(run.pid, signal.SIGKILL)
    assert run.returncode == -signal.SIGKILL
    assert not (out / "index.json").exists(), "killed too late to show anything"
    # A kill in the middle of a write leaves its temporary file, named as files.atomic_path
    # names them; when the kill lands between writes there is none, so one is put here.
    scene = next(path for path in out.iterdir() if path.is_dir())
    (scene / ".score.wav.k1ll3d_x.part.wav").write_bytes(b"half a score")

    again = _shoot(out)
    assert again.returncode == 0, again.stderr
    assert not [path for path in out.rglob("*") if ".part" in path.name]
    assert _contents(out) == reference


def test_a_shoot_killed_inside_a_scene_leaves_no_scratch_once_the_next_run_starts(
    reference: dict[str, bytes], tmp_path: Path
) -> None:
    """Killed while a scene is being made in its scratch folder, the run leaves that folder;
    the next run removes it (its process is gone) and completes with the reference's bytes."""
    out, scratch = tmp_path / "out", tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    command = [*BEATCAM, "shoot", str(SCREENPLAY), "-o", str(out), "--only", STAGES, "-q"]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    ) as run:
        deadline = time.monotonic() + 120
        while not list(scratch.glob("beatcam-score-*/*.wav")):
            assert run.poll() is None, "the shoot ended before it made a scene"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        os.kill(run.pid, signal.SIGKILL)
    assert list(scratch.glob("beatcam-scene-*")), "the killed run left no scratch folder"

    again = subprocess.run(
        [*command, "--workers", "2"], env=env, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    assert list(scratch.iterdir()) == []
    assert not [path for path in out.rglob("*") if ".part" in path.name]
    assert _contents(out) == reference


def test_the_library_shoots_without_the_command_line(tmp_path: Path) -> None:
    reports: list[tuple[str, int, int]] = []
    result = shoot(
        ROOT / "examples" / "lighthouse.txt",
        tmp_path / "out",
        ShootOptions(stages=("plan",), seed=3),
        report=lambda label, done, total: reports.append((label, done, total)),
    )
    assert result.folder == tmp_path / "out" and result.index is None
    (scene,) = result.scenes
    assert scene.folder == result.folder and scene.plan.seed == 3
    assert sorted(path.name for path in scene.files) == sorted(_contents(result.folder))
    assert {"critique.json", "plan.json", "shotlist.csv", "trajectory.csv"} <= {
        path.name for path in scene.files
    }
    assert ("planning scenes", 1, 1) in reports and ("shooting scenes", 1, 1) in reports


def test_each_scenes_stages_report_progress_from_worker_processes(tmp_path: Path) -> None:
    """Scenes planned and scored in two processes still show their own stages' progress here,
    each ending on its last step."""
    reports: list[tuple[str, int, int]] = []
    result = shoot(
        SCREENPLAY,
        tmp_path / "out",
        ShootOptions(stages=("plan", "score")),
        workers=2,
        report=lambda label, done, total: reports.append((label, done, total)),
    )
    for scene in result.scenes:
        shots = len(scene.plan.shots)
        assert (f"planning {scene.plan.title}", shots, shots) in reports
        assert any(
            label == f"scoring {scene.plan.title}" and done == total
            for label, done, total in reports
        )
    assert ("shooting scenes", 2, 2) in reports


@pytest.mark.parametrize(
    "error",
    [
        SceneError("no beats", "a.txt", beat=3),
        PlanFileError("not JSON", "plan.json"),
        StageError("render", "no GL context", shot="S02"),
        UsageError("unknown style"),
        SceneFailedError("a.fountain scene 2 (EXT. STREET)", SceneError("bad", beat=0), True),
    ],
)
def test_errors_cross_process_boundaries_intact(error: BeatcamError) -> None:
    """Scenes are planned in other processes and machines; their errors come back pickled."""
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error) and copy.exit_code == error.exit_code
    fields = {key: str(value) for key, value in vars(error).items()}
    assert {key: str(value) for key, value in vars(copy).items()} == fields


def test_a_rendered_screenplay_gets_the_films_storyboard_timeline_and_contact_sheet(
    tmp_path: Path,
) -> None:
    """Film mode: beside the scene folders, one storyboard with a chapter per scene, one
    timeline of every shot with a marker per scene, and a contact sheet, read back with pypdf,
    OpenTimelineIO and Pillow."""
    import opentimelineio as otio
    from PIL import Image

    out = tmp_path / "film"
    command = [*BEATCAM, "shoot", str(SCREENPLAY), "-o", str(out), "--only", "plan,render"]
    command += ["--resolution", "160x90", "--no-hud"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    plans = [
        json.loads((out / entry["folder"] / "plan.json").read_text(encoding="utf-8"))
        for entry in index["scenes"]
    ]
    titles = [plan["title"] for plan in plans]
    for name in ("storyboard.pdf", "timeline.otio", "contact_sheet.png"):
        assert f"wrote {out / name}" in result.stdout
    outline = [item.title for item in pdf_chapters(out / "storyboard.pdf")]
    assert outline == titles
    timeline = otio.adapters.read_from_file(str(out / "timeline.otio"))
    (video,) = timeline.video_tracks()
    clips = list(video.find_clips())
    assert len(clips) == sum(len(plan["shots"]) for plan in plans)
    markers = [*timeline.tracks.markers, *video.markers, *(m for c in clips for m in c.markers)]
    assert [marker.name for marker in markers] == titles
    with Image.open(out / "contact_sheet.png") as sheet:
        assert sheet.width > 0 and sheet.height > 0
