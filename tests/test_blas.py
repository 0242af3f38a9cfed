"""A plan runs on one BLAS thread, whatever the machine's cores, and gives the thread count
back afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest

from beatcam import affect, blas
from beatcam.model import Scene
from beatcam.pipeline import planning
from beatcam.script import read_scenes

SCENE = "Cast: Mara\nSet: kitchen\nMara reads the letter.\nShe sets it down, shaking.\n"


@pytest.fixture
def two_threads() -> Iterator[None]:
    """numpy's OpenBLAS on two threads for the test, as on a two-core machine."""
    before = blas.threads()
    if before is None:
        pytest.skip("numpy's BLAS is not OpenBLAS")
    found = blas._openblas_threads()
    assert found is not None
    found[1](2)
    yield
    found[1](before)


def test_one_thread_holds_blas_to_one_and_gives_the_count_back(two_threads: None) -> None:
    with blas.one_thread():
        assert blas.threads() == 1
    assert blas.threads() == 2


def test_a_plan_that_ends_first_does_not_give_the_count_back_under_another(
    two_threads: None,
) -> None:
    entered, first_left = threading.Event(), threading.Event()
    seen: list[int | None] = []

    def second_plan() -> None:
        with blas.one_thread():
            entered.set()
            first_left.wait(timeout=10)
            seen.append(blas.threads())

    other = threading.Thread(target=second_plan)
    with blas.one_thread():
        other.start()
        entered.wait(timeout=10)
    first_left.set()
    other.join(timeout=10)

    assert seen == [1]
    assert blas.threads() == 2


def test_planning_a_scene_runs_on_one_blas_thread(
    two_threads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int | None] = []
    original = affect.read_affect

    def read_affect(scene: Scene) -> object:
        seen.append(blas.threads())
        return original(scene)

    monkeypatch.setattr("beatcam.pipeline.planning.read_affect", read_affect)
    scene = read_scenes("scene.txt", SCENE.encode())[0]
    planning.plan_scene(scene)
    assert seen == [1]
    assert blas.threads() == 2


@pytest.mark.parametrize(("preset", "seen"), [(None, "20"), ("24", "24")])
def test_beatcam_shortens_openblas_idle_spin_before_numpy_loads_it(
    preset: str | None, seen: str
) -> None:
    """Importing beatcam sets OpenBLAS's idle-thread timeout, which OpenBLAS reads once as
    numpy loads it, before beatcam imports numpy; a value the user set is kept."""
    environment = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    if preset is not None:
        environment["OPENBLAS_THREAD_TIMEOUT"] = preset
    script = (
        "import os, sys, beatcam\n"
        "assert 'numpy' not in sys.modules\n"
        "print(os.environ['OPENBLAS_THREAD_TIMEOUT'])\n"
    )
    environment["PYTHONPATH"] = os.pathsep.join(sys.path)
    done = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == seen
