"""A plan and its files are made with Python's cyclic garbage collector paused, and the
collector is given back as it was: on where it was on, off where the caller had turned it off,
and on only once the last of the threads planning at once has finished."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from beatcam import collector
from beatcam.direct import direct
from beatcam.export import plan_json
from beatcam.export.plan_json import runs
from beatcam.files import Runs
from beatcam.model import Direction, ShotPlan
from beatcam.pipeline import ShootOptions, planning, shoot

SCENE = "Cast: Mara\nSet: kitchen\nMara reads the letter.\nShe sets it down, shaking.\n"


@pytest.fixture
def collecting() -> Iterator[None]:
    """The collector on for the test, and as it was after."""
    was_on = gc.isenabled()
    gc.enable()
    yield
    if not was_on:
        gc.disable()


def test_the_collector_is_paused_in_the_block_and_on_again_after(collecting: None) -> None:
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("a failed plan")
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off(collecting: None) -> None:
    gc.disable()
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_threads_share_one_pause_and_the_last_to_leave_ends_it(collecting: None) -> None:
    entered, leave = threading.Event(), threading.Event()

    def plan() -> None:
        with collector.paused():
            entered.set()
            leave.wait(10)

    other = threading.Thread(target=plan)
    with collector.paused():
        other.start()
        entered.wait(10)
    assert not gc.isenabled()  # the other thread still plans
    leave.set()
    other.join(10)
    assert gc.isenabled()


def test_a_plan_and_its_files_are_made_with_the_collector_paused(
    collecting: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, bool] = {}

    def directing(*arguments: Any) -> Direction:
        seen["directing"] = gc.isenabled()
        return direct(*arguments)

    def writing(plan: ShotPlan) -> Runs:
        seen["writing plan.json"] = gc.isenabled()
        return runs(plan)

    monkeypatch.setattr(planning, "direct", directing)
    monkeypatch.setattr(plan_json, "runs", writing)
    scene = tmp_path / "scene.txt"
    scene.write_text(SCENE, encoding="utf-8")
    shoot(scene, tmp_path / "out", ShootOptions(stages=("plan",)))
    assert seen == {"directing": False, "writing plan.json": False}
    assert gc.isenabled()
