"""numpy's BLAS held to one thread while beatcam plans, the count before restored after.

OpenBLAS's products differ in their last bits with its thread count (one per core by default;
Dask's workers get one), and that reached a plan's fourth decimal: the same scene planned
differently on a laptop and on a cluster. One thread everywhere makes them agree, and costs
nothing: a plan's products (a few hundred rows by 384 in the sentence encoder, a beat's vectors
against the labelled beats) are too small to gain from a second thread, which instead spins
for a core that is not free, the more so beside another worker's process (a 190-scene plan
took 300 s with two threads, 55 s with one, under the same load; 40 scenes on an idle machine
23.7 s of CPU with two, 18.8 s with one, the same bytes).

The count is set through OpenBLAS's own functions in the copy numpy bundles (ctypes, no
import of a thread-pool library); numpy built with another BLAS is left as it is. The count is
the process's, so threads that plan at once (the studio's requests and shoots) share one hold
on it: the first to enter sets one thread, the last to leave restores the count, and no plan
runs on more threads because another plan ended first.

How long an idle OpenBLAS thread spins before it sleeps is set where beatcam is first imported,
before numpy loads OpenBLAS (``beatcam/__init__.py``): it changes no thread count and no bits.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

import numpy as np

from beatcam.held import Held

# (prefix, suffix) of OpenBLAS's thread-count functions: numpy's scipy-openblas build, plain.
OPENBLAS_SYMBOLS: Final = (("scipy_openblas_", "64_"), ("openblas_", ""))


@functools.cache
def _openblas_threads() -> tuple[Any, Any] | None:
    """(get, set) of the thread count of numpy's bundled OpenBLAS, or None where numpy was
    built with another BLAS (then nothing is changed)."""
    import ctypes

    libraries = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in sorted(libraries.glob("lib*openblas*.so*")):
        library = ctypes.CDLL(str(path))  # the copy numpy loaded: same file, same handle
        for prefix, suffix in OPENBLAS_SYMBOLS:
            get = getattr(library, f"{prefix}get_num_threads{suffix}", None)
            put = getattr(library, f"{prefix}set_num_threads{suffix}", None)
            if get is not None and put is not None:
                put.argtypes = [ctypes.c_int]
                return get, put
    return None


def usable_cores() -> int:
    """The cores this process may run on (its affinity, where the OS tells it): what beatcam's
    threads and processes are counted against."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def threads() -> int | None:
    """The thread count of numpy's OpenBLAS now, or None where numpy uses another BLAS."""
    found = _openblas_threads()
    return None if found is None else int(found[0]())


@contextmanager
def one_thread() -> Iterator[None]:
    """Run the block on one BLAS thread (see the module's docstring for why)."""
    hold = _one_thread_hold()
    if hold is None:
        yield
        return
    with hold.hold():
        yield


@functools.cache
def _one_thread_hold() -> Held[int] | None:
    """The shared hold of one OpenBLAS thread, or None where numpy uses another BLAS."""
    threads = _openblas_threads()
    if threads is None:
        return None
    get, put = threads
    return Held(lambda: int(get()), put, 1)
