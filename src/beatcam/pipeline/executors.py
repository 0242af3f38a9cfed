"""Where a run's per-scene tasks execute: here, in local processes, or on a Dask cluster.

All three take the same task (a module-level function, so it pickles by name) and the same
items, and yield ``(position, result)`` as tasks finish; the first failure is raised as a
TaskError saying which item failed, and the tasks not yet started are cancelled. Dask is
imported only when an address is given, and local processes' machinery (multiprocessing,
concurrent.futures) only when they are asked for, so the command line stays quick without them.

Each also carries a progress callback for its tasks (``Executor.report``) that reaches the
caller's from wherever a task runs: called directly here, through a multiprocessing manager's
queue from local processes, and as Dask events from a cluster's workers. Across processes it
sends a stage's steps at most every ``RELAY_INTERVAL_S`` (and always its last), so a frame-by-
frame render does not flood the caller.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from beatcam import blas
from beatcam.errors import UsageError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

Item = TypeVar("Item")
Result = TypeVar("Result")

DASK_EXTRA_HINT = "pip install 'beatcam[dask]'"
# Across processes, a stage's progress is sent at most this often (its last step always).
RELAY_INTERVAL_S = 0.2
# How long to wait for a scheduler that does not answer, in seconds.
DASK_CONNECT_TIMEOUT_S = 10
# A local worker starts by importing beatcam and reading the encoder and the word lists, about
# 1.2 s of CPU, where planning a scene of a feature takes 0.45 s on average (bench/film_plan.py):
# a worker given fewer tasks than this spends more on starting than on them.
TASKS_PER_WORKER = 4


class TaskError(Exception):
    """Raised when a task fails; ``position`` is its item's place, ``__cause__`` its error."""

    def __init__(self, position: int) -> None:
        super().__init__(f"task {position} failed")
        self.position = position


Report = Callable[[str, int, int], None]
"""A progress callback: (what is being done, steps done, steps in all)."""


class _Run(Protocol):
    def __call__(
        self, task: Callable[[Item], Result], items: Sequence[Item]
    ) -> Iterator[tuple[int, Result]]: ...


class Executor:
    """Runs ``task`` on every item; yields (position in ``items``, result) as each finishes.

    ``report`` is the progress callback to hand the tasks (None when nobody listens): it
    pickles, and what the tasks tell it reaches the caller's callback.
    """

    def __init__(self, run: _Run, report: Report | None) -> None:
        self._run = run
        self.report = report

    def __call__(
        self, task: Callable[[Item], Result], items: Sequence[Item]
    ) -> Iterator[tuple[int, Result]]:
        return self._run(task, items)


class Relay:
    """A progress callback for a task in another process: sends each stage's steps through
    ``send`` at most every RELAY_INTERVAL_S, and always the last one."""

    def __init__(self, send: Report) -> None:
        self.send = send
        self._sent: dict[str, float] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {"send": self.send}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.send = state["send"]
        self._sent = {}  # a fresh count in each process

    def __call__(self, label: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self._sent.get(label, -math.inf) < RELAY_INTERVAL_S:
            return
        self._sent[label] = now
        self.send(label, done, total)


def local_workers(tasks: int, cores: int | None = None) -> int:
    """How many local processes suit ``tasks`` tasks when the caller did not say: one per core
    this process may run on (``cores``, by default what the OS allows it), but no more than one
    per ``TASKS_PER_WORKER`` tasks, and at least 1 (this process alone)."""
    usable = cores if cores is not None else blas.usable_cores()
    return max(1, min(usable, tasks // TASKS_PER_WORKER))


def serial(task: Callable[[Item], Result], items: Sequence[Item]) -> Iterator[tuple[int, Result]]:
    """One after another in this process: no pickling, so progress callbacks work."""
    for position, item in enumerate(items):
        try:
            result = task(item)
        except Exception as exc:
            raise TaskError(position) from exc
        yield position, result


@contextmanager
def executor(
    workers: int = 1, dask: str | None = None, report: Report | None = None
) -> Iterator[Executor]:
    """The executor for ``workers`` local processes, or the Dask scheduler at ``dask``, whose
    tasks' progress reaches ``report``."""
    if dask is not None:
        with _dask_client(dask) as client, _dask_relay(client, report) as relay:
            yield Executor(lambda task, items: _on_dask(client, task, items), relay)
    elif workers > 1:
        # Spawned, not forked: a fork would copy this process's threads' locks (a renderer's,
        # a caller's) half-held, and the worker could hang on them.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        spawn = multiprocessing.get_context("spawn")
        with (
            _queue_relay(spawn, report) as relay,
            ProcessPoolExecutor(max_workers=workers, mp_context=spawn) as pool,
        ):
            yield Executor(lambda task, items: _on_pool(pool, task, items), relay)
    else:
        yield Executor(serial, report)


@contextmanager
def _queue_relay(context: Any, report: Report | None) -> Iterator[Report | None]:
    """A Relay into a manager's queue, which a thread here drains into ``report``."""
    if report is None:
        yield None
        return
    with context.Manager() as manager:
        queue = manager.Queue()
        drain = threading.Thread(target=_drain, args=(queue, report), daemon=True)
        drain.start()
        try:
            yield Relay(partial(_put, queue))
        finally:
            queue.put(None)
            drain.join()


def _put(queue: Any, label: str, done: int, total: int) -> None:
    queue.put((label, done, total))


def _drain(queue: Any, report: Report) -> None:
    while (step := queue.get()) is not None:
        report(*step)


@contextmanager
def _dask_relay(client: Any, report: Report | None) -> Iterator[Report | None]:
    """A Relay of events on a topic of this run's own, which the client hands to ``report``."""
    if report is None:
        yield None
        return
    topic = f"beatcam-progress-{uuid.uuid4().hex}"
    client.subscribe_topic(topic, lambda event: report(*event[1]))
    try:
        yield Relay(partial(_log_event, topic))
    finally:
        client.unsubscribe_topic(topic)


def _log_event(topic: str, label: str, done: int, total: int) -> None:
    from distributed import get_worker

    try:
        worker = get_worker()
    except ValueError:  # not on a worker: nobody to tell
        return
    worker.log_event(topic, (label, done, total))


def _on_pool(
    pool: ProcessPoolExecutor, task: Callable[[Item], Result], items: Sequence[Item]
) -> Iterator[tuple[int, Result]]:
    # A future is dropped once its result is handed on, so a run holds one scene's files at a
    # time, not every scene's.
    pending = {pool.submit(task, item): position for position, item in enumerate(items)}
    try:
        from concurrent.futures import as_completed

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
    refused = _refused(address)
    if refused is not None:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {refused}")
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT_S)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    with client:
        yield client


def _refused(address: str) -> str | None:
    """Why nothing can answer at a TCP scheduler address, if the machine there refuses the
    connection outright: said at once, where Dask's client would retry for its whole timeout
    (a scheduler still starting up listens already). None for any other address or answer,
    which Dask's client then judges."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        scheme, location = parse_address(address)
        if scheme != "tcp":
            return None
        host, port = parse_host_port(location)
    except (ValueError, TypeError):
        return None
    try:
        with socket.create_connection((host, port), timeout=DASK_CONNECT_TIMEOUT_S):
            return None
    except ConnectionRefusedError:
        return f"nothing listens on port {port} of {host} (connection refused)"
    except OSError:
        return None


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
