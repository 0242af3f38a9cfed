"""A long scene's shots settled in parts, each in a process of its own, and joined in order: the
plan must be the one settling every shot in order in one process makes, whatever the parts,
and whether or not a part's process delivers."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from beatcam import blas
from beatcam.model import Check, Critique, ShotPlan, ShotSpec
from beatcam.pipeline import parts, plan_scene, planning
from beatcam.script import read_scenes

# The bench's kitchen scene (bench/plan.py, bench/replan.py): twelve sentences, each beat distinct.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from plan import SENTENCES  # bench/ is not a package

ENDINGS = ("at dawn, slowly", "at noon, slowly")
BEATS = 24


def _planned(tmp_path: Path) -> tuple[ShotPlan, Critique]:
    scene = tmp_path / "long.txt"
    lines = [
        f"{SENTENCES[i % len(SENTENCES)].rstrip('.')}, {ENDINGS[i // len(SENTENCES)]}."
        for i in range(BEATS)
    ]
    scene.write_text("\n".join(["Cast: Mara, Tom", "Set: kitchen", *lines]) + "\n", "utf-8")
    return plan_scene(read_scenes(str(scene))[0])


@pytest.fixture
def in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ShotPlan, Critique]:
    """The scene planned in one process, then parts of a few shots allowed on three cores."""
    monkeypatch.setenv("BEATCAM_CACHE", "0")
    monkeypatch.setattr(blas, "usable_cores", lambda: 1)
    planned = _planned(tmp_path)
    monkeypatch.setattr(blas, "usable_cores", lambda: 3)
    monkeypatch.setattr(parts, "_in_a_worker", lambda: False)
    monkeypatch.setattr(parts, "MIN_SHOTS_A_PART", 5)
    return planned


def test_a_scene_settled_in_parts_is_the_plan_settled_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_order: tuple[ShotPlan, Critique]
) -> None:
    settled_here: list[int] = []
    settle = planning.settle_shot

    def counted(plan: ShotPlan, index: int, *rest: Any) -> tuple[ShotPlan, list[Check]]:
        settled_here.append(index)
        return settle(plan, index, *rest)

    monkeypatch.setattr(planning, "settle_shot", counted)
    in_parts = _planned(tmp_path)
    starts = parts.starts(in_parts[0].shots)
    assert len(starts) == 3
    assert parts.identical(in_parts, in_order)
    # The other parts' shots came from their processes, but for a run from a part's start: where
    # the shot before it was settled otherwise here, its shots are settled again until one
    # agrees (a chain of 180-degree repairs, each standing where the one before stood, can
    # carry that through a whole part).
    stops = [*starts[1:], len(in_parts[0].shots)]
    assert settled_here[: starts[1]] == list(range(starts[1]))
    again = [
        [index for index in settled_here if start <= index < stop]
        for start, stop in zip(starts[1:], stops[1:], strict=True)
    ]
    assert all(
        run == list(range(start, start + len(run)))
        for start, run in zip(starts[1:], again, strict=True)
    )
    assert any(
        len(run) < stop - start
        for start, stop, run in zip(starts[1:], stops[1:], again, strict=True)
    )


def test_a_part_whose_process_fails_is_settled_where_the_parts_are_joined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_order: tuple[ShotPlan, Critique]
) -> None:
    monkeypatch.setattr(parts.Process, "result", lambda self: None)
    assert parts.identical(_planned(tmp_path), in_order)


def test_a_replan_whose_shots_the_cache_holds_stays_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part's process is started where its shots must be made, not where the cache holds
    nearly all of them (a re-plan after an edit): there it costs more than it saves. Either
    way the plan is the one settled in order."""
    monkeypatch.setattr(blas, "usable_cores", lambda: 2)
    monkeypatch.setattr(parts, "_in_a_worker", lambda: False)
    monkeypatch.setattr(parts, "MIN_SHOTS_A_PART", 5)
    started: list[object] = []
    start = parts.Process.__init__

    def counted(process: parts.Process, *arguments: Any) -> None:
        started.append(process)
        start(process, *arguments)

    monkeypatch.setattr(parts.Process, "__init__", counted)
    first = _planned(tmp_path)
    assert len(started) == 1
    again = _planned(tmp_path)
    assert len(started) == 1
    assert parts.identical(again, first)


@given(st.lists(st.integers(1, 4), min_size=1, max_size=80), st.integers(1, 4), st.integers(1, 9))
def test_parts_start_at_beats_and_hold_enough_shots(
    shots_a_beat: list[int], count: int, least: int
) -> None:
    beats = [beat for beat, shots in enumerate(shots_a_beat) for _ in range(shots)]
    specs: list[ShotSpec] = [_Spec(beat) for beat in beats]  # type: ignore[misc]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parts, "MIN_SHOTS_A_PART", least)
        starts = parts.starts(specs, count)
    assert starts[0] == 0 and starts == sorted(set(starts))
    assert len(starts) <= max(1, min(count, len(beats) // least))
    for start, stop in zip(starts, [*starts[1:], len(beats)], strict=True):
        assert stop - start >= least or len(starts) == 1
        assert start == 0 or beats[start] != beats[start - 1]


@given(
    st.lists(st.integers(1, 4), min_size=1, max_size=80),
    st.booleans(),
    st.integers(1, 4),
    st.integers(1, 9),
)
def test_by_default_a_part_a_core_unless_a_worker_asked_only_of_a_scene_to_split(
    shots_a_beat: list[int], worker: bool, cores: int, least: int
) -> None:
    specs: list[ShotSpec] = [
        _Spec(beat)  # type: ignore[misc]
        for beat, shots in enumerate(shots_a_beat)
        for _ in range(shots)
    ]
    asked: list[bool] = []

    def in_a_worker() -> bool:
        asked.append(worker)
        return worker

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parts, "MIN_SHOTS_A_PART", least)
        patch.setattr(blas, "usable_cores", lambda: cores)
        patch.setattr(parts, "_in_a_worker", in_a_worker)
        assert parts.starts(specs) == parts.starts(specs, 1 if worker else cores)
    assert bool(asked) == (len(specs) >= 2 * least)


class _Spec:
    """What ``parts.starts`` reads of a shot: its beat."""

    def __init__(self, beat: int) -> None:
        self.beat = beat


def test_identical_tells_values_apart_by_their_bits() -> None:
    assert parts.identical((1.0, math.nan, "a"), (1.0, math.nan, "a"))
    assert not parts.identical(0.0, -0.0)
    assert not parts.identical(1, 1.0)
    assert parts.identical(np.array([0.5, math.nan]), np.array([0.5, math.nan]))
    assert not parts.identical(np.zeros(2), np.zeros(2, dtype=np.float32))
    assert not parts.identical(np.zeros(2), np.zeros((2, 1)))
    assert not parts.identical({"a": [1.0]}, {"a": [1.0 + 1e-16 * 2]})
