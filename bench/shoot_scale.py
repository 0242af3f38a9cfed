"""How shooting a screenplay scales: one process, local worker processes, a two-worker Dask
LocalCluster, on the same scenes, with the same bytes expected from each.

The screenplay is made deterministically from the bundled examples: their scenes, taken in file
order and cut into runs of ``--beats`` beats (a run keeps its scene's cast and set), until there
are ``--scenes`` of them. Each is planned, scored, rendered at ``--resolution`` and exported
through ``beatcam.pipeline.shoot``, as ``beatcam shoot`` does. With ``--real`` the scenes are
instead the first ``--scenes`` of the feature ``bench/film_plan.py`` cuts from the real
screenplays in ``tests/data/screenplays/`` (licences in SOURCES.md), dialogue and all, each
cut to its first ``--beats`` beats (0: whole; the first 20 whole scenes run 17.6 minutes).

For each way of shooting: wall time, speed-up over one process, overhead (the time beyond a
perfect split over its workers), CPU seconds of every process and what they add to one
process's (the overhead a busy machine does not hide: with other work on the cores, wall
time cannot show a split), and the peak resident memory of this process and of each
worker process (sampled with psutil every 0.1 s; without psutil, the kernel's peak for this
process and its largest child). The Dask cluster's start-up is timed apart, since a user's
scheduler is already running. The one-process run fills an empty cache (``beatcam.cache``);
the parallel runs have it off, so that each one does the whole work; a last run shoots the
screenplay again in one process after one scene's first beat was edited, from that cache.

    .venv/bin/python bench/shoot_scale.py [--scenes 20] [--beats 3 | --real]
                                          [--resolution 640x360] [--only plan,score,render,export]

Not part of ``make test``: at the defaults it takes several minutes on two cores.

Figures on the 2-core machine, defaults (20 scenes of 3 beats, every stage, 640x360), two runs
while other work kept the load average at 4-6 (so the speed-ups are low and vary):

    how                    wall s     speed-up     overhead s   peak MiB: this process; workers
    1 process            300 / 202    1.00x          0            690
    2 processes          172 / 176    1.75 / 1.15x  22 / 75       731; 665, 634   (second run)
    Dask LocalCluster    167 / 150    1.80 / 1.34x  17 / 49       914; 685, 670   (second run)

Every run wrote identical bytes. Before the executors dropped each finished future, the
second row held every scene's files at once (1216 MiB here) and Dask workers 0.9 GB each.

Later, with frame reuse and the score and audio in the cache, ``--real --beats 4`` (the first
20 scenes of the real screenplays, 68 beats), load average 6.4-8.8 from other work:

    how                    wall s  speed-up  overhead s  cpu s  cpu +s  peak MiB: this; largest
    1 process               171.7    1.00x       0        139.2    0      967; 825 (see below)
    2 processes             144.0    1.19x      58.2      150.6   11.4    865; 842, 718
    Dask LocalCluster (2)   165.2    1.04x      79.4      205.0   65.9   1027; 759, 724
    1 scene edited, cached   42.3    4.06x                               1057

(the first run before any of these, at load 4.5-6: 263.3 s, 282.7 s, 290.0 s, and 117.5 s
for the edited re-shoot with the score but not yet the audio cached). A second local process
costs 8 % more CPU; Dask's 47 % more counts its cluster's start, its scheduler and nannies.
The children's peaks are sampled, so a fork caught before it runs fluidsynth shows its
parent's size: the one-process row's 825 MiB is most likely such a fork of this process.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import os
import resource
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from beatcam.model import Scene
from beatcam.model.vocab import STAGES
from beatcam.pipeline import ShootOptions, ShootResult, shoot
from beatcam.script import read_scenes

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
WORKERS = 2
SAMPLE_S = 0.1
MIB = 1024 * 1024


def screenplay(count: int, beats: int) -> list[Scene]:
    """``count`` scenes of ``beats`` beats each, cut in order from the bundled examples."""
    sources = [scene for path in sorted(EXAMPLES.iterdir()) for scene in read_scenes(str(path))]
    runs = [
        (scene, start)
        for scene in sources
        for start in range(0, max(1, len(scene.beats) - beats + 1), beats)
    ]
    scenes = []
    for number in range(count):
        scene, start = runs[number % len(runs)]
        cut = tuple(
            dataclasses.replace(beat, index=index)
            for index, beat in enumerate(scene.beats[start : start + beats])
        )
        title = f"{number + 1:02d} {scene.title}"
        scenes.append(
            dataclasses.replace(scene, title=title, slug=f"scene-{number + 1:02d}", beats=cut)
        )
    return scenes


def _first_beats(scene: Scene, beats: int) -> Scene:
    """``scene`` cut to its first ``beats`` beats (all of them for 0)."""
    return dataclasses.replace(scene, beats=scene.beats[:beats] if beats else scene.beats)


class PeakMemory:
    """Peak resident set size of this process and of every process it started, by pid."""

    def __init__(self) -> None:
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()

    def sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(SAMPLE_S):
            for process in [me, *me.children(recursive=True)]:
                try:
                    rss = process.memory_info().rss
                except psutil.Error:
                    continue
                self.peaks[process.pid] = max(rss, self.peaks.get(process.pid, 0))

    @contextmanager
    def watching(self) -> Iterator[PeakMemory]:
        thread = threading.Thread(target=self.sample, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()


def _peak_text(memory: PeakMemory | None) -> str:
    """This process's peak and each worker's (every process it started), in MiB."""
    if memory is None:
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        return f"this process {own} MiB, largest child so far {child} MiB"
    import psutil

    me = psutil.Process().pid
    own = memory.peaks.get(me, 0)
    # The largest WORKERS children are the workers: helpers (Dask's nannies, multiprocessing's
    # resource tracker, which psutil may sample between fork and exec at its parent's size)
    # are smaller or fewer.
    children = sorted((peak for pid, peak in memory.peaks.items() if pid != me), reverse=True)
    shown = ", ".join(f"{peak // MIB}" for peak in children[:WORKERS]) or "none"
    return f"this process {own // MIB} MiB; largest children {shown} MiB"


def _digest(result: ShootResult) -> str:
    """One hash over every file the run wrote, by path relative to its folder."""
    digest = hashlib.sha256()
    for path in sorted(result.folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(result.folder).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cpu_seconds() -> float:
    """CPU seconds of this process and of every process it started and reaped (workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, run: Callable[[Path], ShootResult], base: Path) -> tuple[float, str, str]:
    """(seconds, files' digest, memory text) of one way of shooting into a fresh folder."""
    try:
        import psutil  # noqa: F401

        watcher: PeakMemory | None = PeakMemory()
    except ImportError:
        watcher = None
    start = time.perf_counter()
    if watcher is None:
        result = run(base / label)
    else:
        with watcher.watching():
            result = run(base / label)
    seconds = time.perf_counter() - start
    return seconds, _digest(result), _peak_text(watcher)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=20)
    parser.add_argument("--beats", type=int, default=3)
    parser.add_argument("--real", action="store_true", help="whole scenes of real screenplays")
    parser.add_argument("--resolution", default="640x360")
    parser.add_argument("--only", default=",".join(STAGES))
    arguments = parser.parse_args()
    width, height = (int(part) for part in arguments.resolution.split("x"))
    options = ShootOptions(stages=tuple(arguments.only.split(",")), resolution=(width, height))
    if arguments.real:
        from film_plan import feature

        whole = read_scenes("feature.fountain", feature(arguments.scenes).encode())
        scenes = [_first_beats(scene, arguments.beats) for scene in whole]
    else:
        scenes = screenplay(arguments.scenes, arguments.beats)
    beats = sum(len(scene.beats) for scene in scenes)
    print(
        f"{len(scenes)} scenes ({beats} beats), stages {arguments.only}, "
        f"{arguments.resolution}, {WORKERS} workers where parallel",
        flush=True,
    )
    from distributed import LocalCluster

    rows: list[tuple[str, float, str, str, float]] = []
    with tempfile.TemporaryDirectory(prefix="beatcam-scale-") as scratch:
        base = Path(scratch)
        os.environ.update({"XDG_CACHE_HOME": str(base / "cache"), "BEATCAM_CACHE": "1"})
        cpu = cpu_seconds()
        one = timed("1 process", lambda out: shoot(scenes, out, options), base)
        rows.append(("1 process", *one, cpu_seconds() - cpu))
        print(f"  1 process done in {one[0]:.1f} s", flush=True)
        os.environ["BEATCAM_CACHE"] = "0"  # inherited by the workers started from here on
        cpu = cpu_seconds()
        two = timed(
            f"{WORKERS} processes", lambda out: shoot(scenes, out, options, workers=WORKERS), base
        )
        rows.append((f"{WORKERS} processes", *two, cpu_seconds() - cpu))
        print(f"  {WORKERS} processes done in {two[0]:.1f} s", flush=True)
        cpu = cpu_seconds()  # the cluster's workers are reaped, and counted, when it closes
        started = time.perf_counter()
        with LocalCluster(  # type: ignore[no-untyped-call]  # distributed ships no annotations here
            n_workers=WORKERS, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            up = time.perf_counter() - started
            dask = timed(
                "dask",
                lambda out: shoot(scenes, out, options, dask=cluster.scheduler_address),
                base,
            )
        rows.append((f"Dask LocalCluster ({WORKERS})", *dask, cpu_seconds() - cpu))
        print(f"  Dask done in {dask[0]:.1f} s (cluster start-up {up:.1f} s, not counted)")
        os.environ["BEATCAM_CACHE"] = "1"
        edited = [*scenes]
        first = edited[0].beats[0]
        edited[0] = dataclasses.replace(
            edited[0],
            beats=(dataclasses.replace(first, text=first.text + " Rain."), *edited[0].beats[1:]),
        )
        again = timed("again", lambda out: shoot(edited, out, options), base)
        print(f"  one scene edited, from the cache: {again[0]:.1f} s")
    serial, serial_cpu = rows[0][1], rows[0][4]
    print(
        f"\n{'how':<24} {'wall s':>8} {'speed-up':>9} {'overhead s':>11} {'cpu s':>7} "
        f"{'cpu +s':>7}  peak memory"
    )
    for name, seconds, _, memory, cpu in rows:
        workers = 1 if name == "1 process" else WORKERS
        overhead = seconds - serial / workers
        print(
            f"{name:<24} {seconds:8.1f} {serial / seconds:8.2f}x {overhead:11.1f} {cpu:7.1f} "
            f"{cpu - serial_cpu:7.1f}  {memory}"
        )
    name, seconds, memory = "1 scene edited, cached", again[0], again[2]
    print(f"{name:<24} {seconds:8.1f} {serial / seconds:8.2f}x {'':>11}  {memory}")
    same = len({digest for _, _, digest, _, _ in rows}) == 1
    print(f"\nidentical bytes from every executor: {'yes' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
