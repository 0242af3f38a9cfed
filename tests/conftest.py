"""Shared fixtures: a small hand-built plan, so stage tests need not run the whole pipeline;
and a cache folder of each test's own, so no test reads or fills the user's cache."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from beatcam.model import (
    Affect,
    Blocking,
    CameraTrack,
    CharacterTrack,
    PlannedBeat,
    Provenance,
    Shot,
    ShotPlan,
)
from beatcam.model.geometry import look_at
from beatcam.model.sets import PRESETS


def _camera(eyes: np.ndarray, target: np.ndarray, focal: np.ndarray) -> CameraTrack:
    distance = np.linalg.norm(target - eyes, axis=1)
    return CameraTrack(eyes, look_at(eyes, target), focal, distance)


def build_tiny_plan() -> ShotPlan:
    """Two beats, two shots, one character (Mara, 1.68 m) at the kitchen table facing +Z.

    S01 is a static medium shot from 3 m; S02 pushes in from 2.5 m to 1.2 m on a 50 mm lens.
    """
    fps, first, second = 24, 48, 72
    frames = first + second
    height = 1.68
    position = np.tile([0.0, 0.0, 1.0], (frames, 1))
    mara = CharacterTrack("Mara", height, position, np.zeros(frames))
    eye = np.array([0.0, 0.92 * height, 1.0])
    static_eyes = np.tile(eye + [0.0, 0.0, 3.0], (first, 1))
    ease = 0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, second))
    push_eyes = eye + np.outer(2.5 - 1.3 * ease, [0.0, 0.0, 1.0])
    calm = Affect(0.2, -0.3, 0.0, 0.3, {"joy": 0.2}, "establishing", ("Mara",), (), ("letter",))
    dread = Affect(-0.7, 0.6, -0.4, 0.8, {"fear": 0.8}, "realisation", ("Mara",), (), ("letter",))
    shots = (
        Shot(
            id="S01",
            beat=0,
            start_frame=0,
            frames=first,
            size="MS",
            end_size="MS",
            angle="eye_level",
            dutch_deg=0.0,
            movement="static",
            framing="single",
            transition="fade_in",
            subjects=("Mara",),
            lens_mm=24.0,
            why="Hold a calm medium shot while Mara reads.",
            camera=_camera(static_eyes, eye, np.full(first, 24.0)),
        ),
        Shot(
            id="S02",
            beat=1,
            start_frame=first,
            frames=second,
            size="MCU",
            end_size="CU",
            angle="eye_level",
            dutch_deg=0.0,
            movement="push_in",
            framing="single",
            transition="cut",
            subjects=("Mara",),
            lens_mm=50.0,
            why="Push in as the dread lands.",
            camera=_camera(push_eyes, eye, np.full(second, 50.0)),
        ),
    )
    return ShotPlan(
        title="Tiny",
        fps=fps,
        seed=0,
        aspect="16:9",
        sensor_mm=(36.0, 20.25),
        resolution=(1280, 720),
        style="classical",
        cast=(("Mara", height),),
        set=PRESETS["kitchen"].design(),
        beats=(
            PlannedBeat(0, "Mara opens the letter.", 0, first, calm),
            PlannedBeat(1, "She realises it is forged; dread creeps in.", first, second, dread),
        ),
        blocking=Blocking({"Mara": mara}, frames),
        shots=shots,
        provenance=Provenance("0.1.0", "0" * 64, ({"name": "test", "licence": "MIT"},)),
    )


def _cache_in(folder: Path) -> Iterator[None]:
    """$XDG_CACHE_HOME in ``folder`` and the cache on, inherited by subprocesses."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        patch.delenv("BEATCAM_CACHE", raising=False)
        yield


@pytest.fixture(autouse=True, scope="session")
def _session_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """A cache for fixtures of module or session scope, which start before any test's own."""
    yield from _cache_in(tmp_path_factory.mktemp("xdg-session"))


@pytest.fixture(autouse=True)
def _own_cache(_session_cache: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """An empty cache per test, so that no test depends on what another left there."""
    yield from _cache_in(tmp_path_factory.mktemp("xdg"))


@pytest.fixture
def tiny_plan() -> ShotPlan:
    return build_tiny_plan()


BEATCAM = [sys.executable, "-m", "beatcam"]


def run_ok(command: list[str]) -> str:
    """Run ``command`` (``[*BEATCAM, ...]`` for the CLI, as a user would), insist that it
    succeeds, and return what it printed."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def plan_and_export(folder: Path, name: str, text: str, formats: str = "") -> dict[str, Any]:
    """Write a scene file ``name`` holding ``text`` into ``folder``, plan it there with the
    CLI (and export ``formats``, e.g. "usd,gltf"), and return plan.json as data."""
    scene = folder / name
    scene.write_text(text, encoding="utf-8")
    run_ok([*BEATCAM, "plan", str(scene), "-o", str(folder), "-q"])
    if formats:
        run_ok([*BEATCAM, "export", str(folder / "plan.json"), "-o", str(folder), "--to", formats])
    document: dict[str, Any] = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    return document


def read_back_in_blender(folder: Path, work: Path, check: str, *args: str) -> Any:
    """Build ``folder``'s exported Blender script into a .blend in ``work``, run the bpy
    script ``check`` on it (argv: the .blend, then ``args``) and return the JSON it prints
    after "REPORT"; skips where Blender's Python is not installed."""
    from beatcam.export import blender

    command = blender.blender_command()
    if command is None:
        pytest.skip(f"no Blender Python (side venv absent); install: {blender.INSTALL_HINT}")
    blend = blender.build_blend(folder / "blender" / "build_scene.py", work / "scene.blend")
    script = work / "check.py"
    script.write_text(check, encoding="utf-8")
    output = run_ok([*command, str(script), str(blend), *args])
    line = next(line for line in output.splitlines() if line.startswith("REPORT"))
    return json.loads(line.removeprefix("REPORT"))


def pdf_chapters(path_or_reader: Any) -> list[Any]:
    """The top-level outline entries (pypdf Destinations) of a PDF, a path or a PdfReader:
    beatcam's storyboards have a flat outline, a chapter per scene, so a nested one fails."""
    from pypdf import PdfReader
    from pypdf.generic import Destination

    reader = path_or_reader if isinstance(path_or_reader, PdfReader) else PdfReader(path_or_reader)
    chapters = [item for item in reader.outline if isinstance(item, Destination)]
    assert len(chapters) == len(reader.outline), "a nested outline"
    return chapters
