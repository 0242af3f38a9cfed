"""A real ``beatcam serve`` on a free loopback port, for the browser tests and the load test."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

START_TIMEOUT_S = 60.0


def free_port() -> int:
    """A port nothing listens on now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_studio(data: Path, workers: int | None = None) -> Iterator[str]:
    """Start ``beatcam serve --data data`` on a free port (shooting ``workers`` jobs at once,
    by default one per core); yield its base URL; stop it."""
    port = free_port()
    command = [sys.executable, "-m", "beatcam", "serve", "--port", str(port), "--data", str(data)]
    if workers is not None:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{url}/openapi.json", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    _, errors = server.communicate(timeout=5)
                    raise RuntimeError(f"beatcam serve did not start: {errors.decode()}") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
