"""How many local processes a run takes when --workers is not given."""

from __future__ import annotations

import os

import pytest

from beatcam.pipeline.executors import TASKS_PER_WORKER, local_workers


@pytest.mark.parametrize(
    ("tasks", "cores", "expected"),
    [
        (0, 2, 1),  # nothing to make (a re-plan the cache holds): this process alone
        (1, 8, 1),
        (2 * TASKS_PER_WORKER - 1, 2, 1),  # the second worker would start for too little
        (2 * TASKS_PER_WORKER, 2, 2),
        (190, 2, 2),  # never more processes than cores
        (190, 1, 1),
    ],
)
def test_one_worker_per_core_when_each_has_enough_to_do(
    tasks: int, cores: int, expected: int
) -> None:
    assert local_workers(tasks, cores) == expected


def test_by_default_the_cores_are_those_this_process_may_use() -> None:
    assert 1 <= local_workers(10_000) <= len(os.sched_getaffinity(0))
