"""Re-planning a scene after one beat is edited, as a user runs it: the camera's work on the
shots that did not change is taken from the project's cache, and the plan is the bytes of one
made without any cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from beatcam.pipeline.reuse import TRACK_NAMESPACE
from conftest import BEATCAM, run_ok

BEATS = [
    "Mara sorts the post at the kitchen table, humming to herself.",
    "Tom comes in and drops his keys on the counter.",
    "She finds a letter addressed in her mother's hand.",
    "Her smile fades as she reads; something is wrong.",
    "Tom steps toward her, talking fast, reaching for the page.",
    "She backs away and holds the letter up between them.",
    "Tom sits down slowly and does not look at her.",
]
EDITED = 3  # a beat in the middle, with unchanged beats on both sides
REWORDED = "Mara drops the cup, and it shatters across the tiles."


def _scene(folder: Path, name: str, beats: list[str]) -> Path:
    path = folder / name
    path.write_text("\n".join(["Cast: Mara, Tom", "Set: kitchen", *beats]) + "\n", "utf-8")
    return path


def _tracks_stored() -> set[Path]:
    """The camera tracks in this test's cache (conftest gives each test its own)."""
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "beatcam" / TRACK_NAMESPACE
    return {path for path in folder.rglob("*") if path.is_file()}


def _plan(scene: Path, out: Path) -> bytes:
    run_ok([*BEATCAM, "plan", str(scene), "-o", str(out), "-q"])
    return (out / "plan.json").read_bytes()


def test_a_replan_after_one_edit_redoes_the_camera_only_near_it_in_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = [*BEATS]
    edited[EDITED] = REWORDED
    _plan(_scene(tmp_path, "first.txt", BEATS), tmp_path / "first")
    first = _tracks_stored()
    made = _plan(_scene(tmp_path, "edited.txt", edited), tmp_path / "edited")
    new = _tracks_stored() - first
    monkeypatch.setenv("BEATCAM_CACHE", "0")
    assert made == _plan(tmp_path / "edited.txt", tmp_path / "uncached")
    # Every track the first plan searched for was stored; the re-plan searched again only for
    # the shots the edit reached (the edited beat's, and a neighbour's whose cut changed).
    assert first and new
    assert len(new) < len(first) / 2
