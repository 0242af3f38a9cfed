"""A process-wide setting that threads hold together: the first to enter sets it, keeping
what was there, and the last to leave puts that back.

numpy's BLAS thread count (``blas.one_thread``) and Python's cyclic garbage collector
(``collector.paused``) belong to the process, not to a thread; the studio plans on several
threads at once, so a plan that ends first must not give the setting back while another still
needs it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

Value = TypeVar("Value")


class Held(Generic[Value]):
    """``read`` and ``write`` the setting; ``held`` is its value while anyone holds it."""

    def __init__(
        self, read: Callable[[], Value], write: Callable[[Value], object], held: Value
    ) -> None:
        self._read, self._write, self._value = read, write, held
        self._lock = threading.Lock()
        self._holders = 0
        self._before: Value = held

    @contextmanager
    def hold(self) -> Iterator[None]:
        """Run the block with the setting at its held value."""
        with self._lock:
            if self._holders == 0:
                self._before = self._read()
                self._write(self._value)
            self._holders += 1
        try:
            yield
        finally:
            with self._lock:
                self._holders -= 1
                if self._holders == 0:
                    self._write(self._before)
