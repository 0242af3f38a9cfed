"""`beatcam shoot` end to end, in a network namespace with no network at all."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCENE = """title: Two Beats
cast: [Ana, Ben]
set: interior
beats:
  - Ana waits by the window in the evening light.
  - Ben enters and she realises he has been lying to her all along.
"""

EXPECTED = (
    "plan.json",
    "critique.json",
    "shotlist.csv",
    "shotlist.pdf",
    "setups.csv",
    "trajectory.csv",
    "previs.mp4",
    "shots/S01.mp4",
    "storyboard.pdf",
    "storyboard.png",
    "score.mid",
    "score.wav",
    "score.json",
    "scene.usda",
    "scene.glb",
    "blender/build_scene.py",
    "unreal/scene.usda",
    "unreal/import_sequence.py",
    "timeline.otio",
    "timeline.edl",
    "timeline.xml",
    "timeline.fcpxml",
    "provenance.json",
)


def _offline() -> list[str]:
    """A command prefix that runs in a new network namespace (no interfaces but a down lo)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare (util-linux) is not installed")
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a network namespace here: {probe.stderr.decode().strip()}")
    return [unshare, "-n"]


@pytest.fixture(scope="module")
def shot(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shoot")
    scene = folder / "scene.yaml"
    scene.write_text(SCENE)
    out = folder / "out"
    command = [
        *_offline(), sys.executable, "-m", "beatcam", "shoot", str(scene),
        "-o", str(out), "--resolution", "320x180", "-q",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    return out


def test_shoot_writes_every_output_without_a_network(shot: Path) -> None:
    missing = [name for name in EXPECTED if not (shot / name).is_file()]
    assert not missing
    leftovers = [path.name for path in shot.rglob(".*part*")]
    assert not leftovers


def test_provenance_names_every_model_and_no_network(shot: Path) -> None:
    provenance = json.loads((shot / "provenance.json").read_text())
    assert provenance["network"] == "none"
    names = " ".join(model["name"] for model in provenance["models"]).lower()
    for needed in ("vader", "word lists", "minilm", "fluidsynth", "fluidr3"):
        assert needed in names, needed
    for model in provenance["models"]:
        assert model["licence"] and model["source"]
    plan = json.loads((shot / "plan.json").read_text())
    assert plan["provenance"]["models"] == provenance["models"]
    assert set(provenance["files"]) >= set(EXPECTED) - {"provenance.json"}


def test_previs_is_the_plans_length_with_the_score_as_audio(shot: Path) -> None:
    import av
    import soundfile

    plan = json.loads((shot / "plan.json").read_text())
    frames = sum(beat["frames"] for beat in plan["beats"])
    with av.open(str(shot / "previs.mp4")) as container:
        video = container.streams.video[0]
        assert video.codec_context.name == "h264"
        assert (video.codec_context.width, video.codec_context.height) == (320, 180)
        assert container.streams.audio[0].codec_context.name == "aac"
        assert sum(1 for _ in container.decode(video=0)) == frames
    info = soundfile.info(str(shot / "score.wav"))
    assert info.samplerate == 48000
    assert info.frames == round(frames * 48000 / plan["fps"])


def test_two_runs_into_two_folders_write_the_same_bytes(shot: Path, tmp_path: Path) -> None:
    """Every file, the .blend and the FBX cameras included: no clock, no absolute path and no
    memory address in any of them. The second run has no cache, so nothing is copied over."""
    from beatcam.export import blender

    if blender.blender_command() is None:
        pytest.skip(f"no Blender Python to build scene.blend; install: {blender.INSTALL_HINT}")
    elsewhere = tmp_path / "another" / "folder"
    command = [
        *_offline(), sys.executable, "-m", "beatcam", "shoot", str(shot.parent / "scene.yaml"),
        "-o", str(elsewhere), "--resolution", "320x180", "-q",
    ]  # fmt: skip
    environment = {**os.environ, "BEATCAM_CACHE": "0"}
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, env=environment
    )
    assert result.returncode == 0, result.stderr
    files = sorted(path.relative_to(shot).as_posix() for path in shot.rglob("*") if path.is_file())
    assert files == sorted(
        path.relative_to(elsewhere).as_posix() for path in elsewhere.rglob("*") if path.is_file()
    )
    assert "blender/scene.blend" in files
    assert any(name.startswith("unreal/cameras/") and name.endswith(".fbx") for name in files)
    differ = [
        name for name in files if (shot / name).read_bytes() != (elsewhere / name).read_bytes()
    ]
    assert not differ
