"""A long scene's shots settled in parts, one process a core, with the bytes of settling in order.

Settling a shot (``planning.settle_shot``: its camera's search, the critic, the repairs) is
most of a long plan's work, and it runs in order because each shot is judged against the shots
before it as they were finally settled. What it reads of them is little: the shot before
(the cut into this one, and where that camera ended) and the shots before it in its beat
(which of the beat's shots is the main one); ``pipeline.reuse`` lists it for the cache. So the
scene is cut at beats into parts (``starts``); each part after the first is settled in a
process of its own from its first shot on, as if the shot before it had been kept as first
tracked; and the parts are joined in order (``planning``), each of their shots taken as that
process settled it only where every shot it read then is ``identical`` to the one the join
has, and any other settled again there, in order. Every shot is thus settled on the inputs it
meets in order, by the same functions: the plan is the bytes of one settled in one process,
whatever the parts, and so is what a part stores in the cache (each entry made on the inputs
it is stored under). A part whose process fails is settled in the join, in order.

A part's process is ``python -m beatcam.pipeline.parts``, given its task and sending back its
result as pickles through its standard streams: unlike multiprocessing's spawn it does not run
the caller's main module again (a script that plans without a ``__main__`` guard), and unlike a
fork it copies no half-held lock of the caller's threads. Its start costs CPU (measured on
the 2-core machine: 0.23 s in the part's process for a 200-beat scene; 0.26 s here and 0.57 s
there at 2,000 beats, most of it the direction's pickle), so scenes under ``MIN_SHOTS_A_PART``
shots a part stay in one process, as do plans already in a worker process of their own (a
run's local processes, Dask).
"""

from __future__ import annotations

import math
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np

from beatcam import blas
from beatcam.model import ShotSpec

# A shot takes about 0.02 s of CPU to settle (the bench's 2,000-beat scene: 1,000 shots 19.8 s
# in a part's process, its start included), so a part of fewer shots spares less than ten times
# its start.
MIN_SHOTS_A_PART: Final = 100


def starts(
    shots: Sequence[ShotSpec],
    count: int | None = None,
    to_make: Callable[[], int] | None = None,
) -> list[int]:
    """Where each part of ``shots`` starts (the first is 0): ``count`` parts (by default one a
    core, in a process that is no one's worker, where ``to_make()``, asked only of a scene long
    enough to split, says enough shots are not in the cache), each about as many shots, each
    starting a beat; fewer where a part would have under ``MIN_SHOTS_A_PART`` shots.

    A shot the cache holds costs ~0.001 s of CPU to read, so a re-plan after one edit of a
    2,000-beat scene spent more on a part's process (~2 s of CPU: its start, the direction's
    pickle, its shots' keys again) than the part's shots cost here."""
    if count is None:
        if len(shots) < 2 * MIN_SHOTS_A_PART or (
            to_make is not None and to_make() < 2 * MIN_SHOTS_A_PART
        ):
            # One part whatever the cores: asking whether this process is a worker imports
            # multiprocessing, 0.002 s of a cold 10-beat plan's CPU (issue 19).
            return [0]
        count = 1 if _in_a_worker() else blas.usable_cores()
    count = max(1, min(count, len(shots) // MIN_SHOTS_A_PART))
    found = [0]
    for part in range(1, count):
        wanted = math.ceil(part * len(shots) / count)
        # The first shot of a beat at or after the even cut, so no beat is in two parts.
        start = next(
            (i for i in range(max(wanted, 1), len(shots)) if shots[i].beat != shots[i - 1].beat),
            len(shots),
        )
        if start - found[-1] >= MIN_SHOTS_A_PART and len(shots) - start >= MIN_SHOTS_A_PART:
            found.append(start)
    return found


def _in_a_worker() -> bool:
    """Whether this process is a worker of another (a run's local process, a Dask worker, a
    part's own process): it already has its share of the machine."""
    import multiprocessing

    return multiprocessing.parent_process() is not None


def identical(a: Any, b: Any) -> bool:
    """Whether two values are the same bits: dataclasses field by field, sequences and dicts
    item by item, arrays by dtype, shape and bytes, floats by their bits (0.0 is not -0.0, a
    NaN is itself). A settled shot is compared so with the one a part's process read."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return bool(a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes())
    if is_dataclass(a):
        return all(identical(getattr(a, f.name), getattr(b, f.name)) for f in fields(a))
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(identical(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(identical(a[key], b[key]) for key in a)
    if isinstance(a, float):
        return math.copysign(1.0, a) == math.copysign(1.0, b) and (
            a == b or (math.isnan(a) and math.isnan(b))
        )
    return bool(a == b)


class Process:
    """A part's process, given ``task(*arguments)`` to run; ``result()`` waits for its result,
    None where the process failed (the caller then does the task itself)."""

    def __init__(self, task: Callable[..., Any], *arguments: Any) -> None:
        source = str(Path(__file__).resolve().parents[2])  # this beatcam, whatever sys.path
        path = os.pathsep.join(filter(None, (source, os.environ.get("PYTHONPATH"))))
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a failure is told by no result: the task runs here
            env={**os.environ, "PYTHONPATH": path},
        )
        payload = pickle.dumps((task, arguments), protocol=pickle.HIGHEST_PROTOCOL)
        # Written from a thread: the pipe takes it as fast as the process, still starting, reads.
        self._feeding = threading.Thread(target=self._feed, args=(payload,), daemon=True)
        self._feeding.start()

    def _feed(self, payload: bytes) -> None:
        stdin = self._process.stdin
        assert stdin is not None
        try:
            with stdin:
                stdin.write(payload)
        except OSError:
            pass  # the process ended early: result() finds no result

    def result(self) -> Any | None:
        stdout = self._process.stdout
        assert stdout is not None
        with stdout:
            sent = stdout.read()
        self._feeding.join()
        if self._process.wait() != 0:
            return None
        try:
            return pickle.loads(sent)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
            return None


def _serve() -> None:
    """A part's process: its task from the standard input, its result to the standard output."""
    task, arguments = pickle.load(sys.stdin.buffer)
    result = task(*arguments)
    sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _serve()
