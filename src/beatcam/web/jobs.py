"""Shoots as background jobs: a few worker threads take them in order and call
``beatcam.pipeline.shoot`` (never the CLI), so a browser tab never waits on a render.

As many workers as the process may use cores (``default_workers``), so shoots of several
projects run side by side without a crowd of them sharing each core; the rest wait in the
queue, in the order they came. A shoot spends most of its time in one thread's worth of work
at a time (the plan on one BLAS thread, the rasteriser's draw calls, the encoder), so one per
core keeps the cores busy. Progress lives in memory for the server-sent events; status,
messages and files live in the store, so they outlive the process (a restart fails whatever
was queued or running, in ``Store``).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from beatcam import blas
from beatcam.errors import BeatcamError
from beatcam.model import Scene
from beatcam.pipeline import ShootOptions
from beatcam.web.store import DONE, FAILED, RUNNING, Job, Store

JOBS_FOLDER = "jobs"
STOP_WAIT_S = 5.0


def default_workers() -> int:
    """One shoot at a time per core this process may run on."""
    return max(1, blas.usable_cores())


log = logging.getLogger("beatcam.web")


def one_line(error: BaseException) -> str:
    """The first line of an error's message, as the CLI prints it."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


@dataclass(frozen=True)
class Order:
    job: int
    scenes: tuple[Scene, ...]
    options: ShootOptions


class JobRunner:
    """Runs the jobs of ``store`` into ``data_dir/jobs/<id>/`` on ``workers`` daemon threads
    (``default_workers()`` when None)."""

    def __init__(self, store: Store, data_dir: Path, workers: int | None = None) -> None:
        self._store = store
        self._data_dir = data_dir
        self._orders: queue.Queue[Order | None] = queue.Queue()
        self._progress: dict[int, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._work, name=f"beatcam-jobs-{number}", daemon=True)
            for number in range(1, (workers or default_workers()) + 1)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, project: int, scenes: Sequence[Scene], options: ShootOptions) -> Job:
        """Queue a shoot of ``scenes``: the job as queued, which a worker may start (and the
        store then read otherwise) before the caller answers with it."""
        job = self._store.create_job(project)
        self._orders.put(Order(job.id, tuple(scenes), options))
        return job

    def progress(self, job: int) -> dict[str, Any] | None:
        """The stage the job is in (label, done, total), while it runs."""
        with self._lock:
            current = self._progress.get(job)
            return None if current is None else dict(current)

    def stop(self) -> None:
        """End the threads once the jobs in hand are done, waiting at most STOP_WAIT_S in all:
        a server being stopped does not hang on a long shoot. What is queued or still running
        stays so in the store, which marks it failed when it is next opened."""
        for _ in self._threads:
            self._orders.put(None)
        deadline = time.monotonic() + STOP_WAIT_S
        for thread in self._threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))

    def _work(self) -> None:
        while (order := self._orders.get()) is not None:
            self._run(order)

    def _report(self, job: int, label: str, done: int, total: int) -> None:
        with self._lock:
            self._progress[job] = {"stage": label, "done": done, "total": total}

    def _run(self, order: Order) -> None:
        from beatcam.pipeline import shoot

        relative = Path(JOBS_FOLDER) / str(order.job)
        folder = self._data_dir / relative
        self._store.update_job(order.job, RUNNING, folder=relative.as_posix())

        def report(label: str, done: int, total: int) -> None:
            self._report(order.job, label, done, total)

        try:
            shoot(order.scenes, folder, order.options, report=report)
        except BeatcamError as exc:
            self._store.update_job(order.job, FAILED, one_line(exc), relative.as_posix())
        except Exception as exc:  # the worker outlives any one job; the user gets a line
            log.exception("job %d failed", order.job)
            message = f"internal error ({type(exc).__name__}: {one_line(exc)})"
            self._store.update_job(order.job, FAILED, message, relative.as_posix())
        else:
            files = tuple(
                path.relative_to(folder).as_posix()
                for path in sorted(folder.rglob("*"))
                if path.is_file()
            )
            self._store.update_job(order.job, DONE, folder=relative.as_posix(), files=files)
        finally:
            with self._lock:
                self._progress.pop(order.job, None)
