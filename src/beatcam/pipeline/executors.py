"""Where a run's per-scene tasks execute: here, in local processes, or on a Dask cluster.

All three take the same task (a module-level function, so it pickles by name) and the same
items, and yield ``(position, result)`` as tasks finish; the first failure is raised as a
TaskError saying which item failed, and the tasks not yet started are cancelled. Dask is
imported only when an address is given, so the command line stays quick without it.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

from beatcam.errors import UsageError

Item = TypeVar("Item")
Result = TypeVar("Result")

DASK_EXTRA_HINT = "pip install 'beatcam[dask]'"
# How long to wait for a scheduler that does not answer, in seconds.
DASK_CONNECT_TIMEOUT_S = 10


class TaskError(Exception):
    """Raised when a task fails; ``position`` is its item's place, ``__cause__`` its error."""

    def __init__(self, position: int) -> None:
        super().__init__(f"task {position} failed")
        self.position = position


class Executor(Protocol):
    """Runs ``task`` on every item; yields (position in ``items``, result) as each finishes."""

    def __call__(
        self, task: Callable[[Item], Result], items: Sequence[Item]
    ) -> Iterator[tuple[int, Result]]: ...


def serial(task: Callable[[Item], Result], items: Sequence[Item]) -> Iterator[tuple[int, Result]]:
    """One after another in this process: no pickling, so progress callbacks work."""
    for position, item in enumerate(items):
        try:
            result = task(item)
        except Exception as exc:
            raise TaskError(position) from exc
        yield position, result


@contextmanager
def executor(workers: int = 1, dask: str | None = None) -> Iterator[Executor]:
    """The executor for ``workers`` local processes, or the Dask scheduler at ``dask``."""
    if dask is not None:
        with _dask_client(dask) as client:
            yield lambda task, items: _on_dask(client, task, items)
    elif workers > 1:
        # Spawned, not forked: a fork would copy this process's threads' locks (a renderer's,
        # a caller's) half-held, and the worker could hang on them.
        spawn = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool:
            yield lambda task, items: _on_pool(pool, task, items)
    else:
        yield serial


def _on_pool(
    pool: ProcessPoolExecutor, task: Callable[[Item], Result], items: Sequence[Item]
) -> Iterator[tuple[int, Result]]:
    # A future is dropped once its result is handed on, so a run holds one scene's files at a
    # time, not every scene's.
    pending = {pool.submit(task, item): position for position, item in enumerate(items)}
    try:
        for future in as_completed(list(pending)):
            position = pending.pop(future)
            yield position, _outcome(future, position)
    finally:
        for future in pending:
            future.cancel()


@contextmanager
def _dask_client(address: str) -> Iterator[Any]:
    """A client of the scheduler at ``address``; closing it leaves the cluster running."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(f"--dask needs Dask's distributed scheduler: {DASK_EXTRA_HINT}") from None
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT_S)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        yield client


def _on_dask(
    client: Any, task: Callable[[Item], Result], items: Sequence[Item]
) -> Iterator[tuple[int, Result]]:
    import distributed

    # Scattered first, so large items (plans) travel as data, not inside the task graph. A
    # future is dropped once its result is handed on, so that the cluster can free its bytes.
    data = client.scatter(list(items))
    pending = dict(enumerate(client.map(task, data, pure=False)))
    positions = {future.key: position for position, future in pending.items()}
    try:
        for future in distributed.as_completed(list(pending.values())):  # type: ignore[no-untyped-call]
            position = positions[future.key]
            del pending[position]
            yield position, _outcome(future, position)
    finally:
        client.cancel(list(pending.values()))


def _outcome(future: Any, position: int) -> Any:
    """The future's result, or its error raised as a TaskError naming ``position``."""
    try:
        return future.result()
    except Exception as exc:
        raise TaskError(position) from exc
