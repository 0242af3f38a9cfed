"""Python's cyclic garbage collector paused while beatcam makes a plan and its files, and
turned back on after.

A long plan is millions of objects (a 2,000-beat plan's tracks, the critic's 30,000 checks,
plan.json's 960,000 pieces of text before they are joined), few of them in reference cycles.
While they are made the collector passes over every object alive each time the heap grows by
a quarter: a 2,000-beat re-plan spent 0.7 s of its 8.5 s of CPU in the collector, 0.5 s of it
in nine full passes (issue 19). Paused, the few cycles wait for the first collection after.

Threads that plan at once (the studio's requests and shoots) share one pause: the first to
enter pauses the collector, if it was on, and the last to leave turns it back on.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from beatcam.held import Held


def _turn(on: bool) -> None:
    if on:
        gc.enable()
    else:
        gc.disable()


_PAUSE = Held(gc.isenabled, _turn, False)


@contextmanager
def paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector paused (see the module's docstring)."""
    with _PAUSE.hold():
        yield
