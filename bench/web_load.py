"""The studio under load on loopback: concurrent plan requests and concurrent shoots against a
real ``beatcam serve``, with every answer checked, and latency percentiles.

Plans: ``--plans`` requests at once to POST /api/plan, spread over a few different scenes; each
answer must be byte for byte the plan that scene got when asked alone (nothing lost, nothing
mixed up between requests). Shoots: ``--shoots`` jobs submitted at once over two projects;
each must finish, and every job of a project must have written the same plan.json and a
previs.mp4 with one frame per plan frame. Latency is from sending to the answer (plans) or to
the job's end (shoots); the studio shoots one job per core at a time (its default worker
count), so the last shoots wait for the first.

    .venv/bin/python bench/web_load.py [--plans 50] [--shoots 10] [--resolution 160x90]
                                       [--stages plan,score,render] [--workers N] [--cold]
                                       [--json]

The studio keeps beatcam's cache on, so a scene planned before is answered from it; with
``--cold`` the server runs with the cache off and makes every plan afresh.

Figures on the 2-core machine (defaults: 50 plans, 10 shoots of plan, score and render at
160x90; two other engineers' work on the cores; shoots then one at a time), 0 bad answers
in each:

    run      plans: wall  p50     p95      shoots: wall  p50      p95
    cache    0.71 s       0.54 s  0.62 s   8.2 s         4.3 s    6.9 s
    --cold   2.27 s       1.75 s  1.97 s   26.4 s        14.9 s   24.6 s

With shoots side by side (``--workers``; the cache on, four other sessions' work on the two
cores, load average 5 to 6), 0 bad answers in each, two runs each, alternated:

    workers  shoots: wall      p50             p95
    1        10.5 s, 6.8 s     6.5 s, 3.9 s    9.4 s, 5.9 s
    2        5.7 s, 7.3 s      3.2 s, 4.6 s    4.8 s, 6.2 s

The load of the others swamps the difference on this machine; the second worker pays where a
core is free for it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import av
import httpx

from beatcam import cache
from beatcam.export.plan_json import loads

# The server helper the browser tests use: one way to start a studio on a free port.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from web_server import running_studio

SCENES = (
    "# Letter\nCast: Mara\nMara opens the letter.\nMara realises it is forged.\n",
    "# Door\nCast: Tom\nTom hears a knock at the door.\n",
    "# Storm\nCast: Ana, Ben\nAna and Ben argue in the rain.\nBen walks away.\n",
    "# Roof\nCast: Kim\nKim stands alone on the roof at dawn.\n",
    "# Chase\nCast: Lee\nLee runs down the alley.\nLee stops, out of breath.\n",
)
SHOOT_SCENES = SCENES[1], SCENES[3]
REQUEST_TIMEOUT_S = 600.0
POLL_S = 0.5


def percentiles(seconds: Sequence[float]) -> dict[str, float]:
    """p50 and p95 in seconds (the 95th by the inclusive method, so 10 samples give one)."""
    cuts = statistics.quantiles(seconds, n=20, method="inclusive")
    return {"p50": round(statistics.median(seconds), 3), "p95": round(cuts[18], 3)}


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def load_plans(client: httpx.Client, count: int) -> dict[str, Any]:
    """``count`` plan requests at once; each answer compared with its scene's answer alone."""
    expected = [client.post("/api/plan", json={"text": text}).content for text in SCENES]
    for body in expected:
        loads(body.decode())  # the schema holds before any comparison means anything

    def ask(number: int) -> tuple[float, bool]:
        seconds, response = timed(
            lambda: client.post("/api/plan", json={"text": SCENES[number % len(SCENES)]})
        )
        good = response.status_code == 200 and response.content == expected[number % len(SCENES)]
        return seconds, good

    wall, answers = timed(lambda: list(ThreadPoolExecutor(count).map(ask, range(count))))
    bad = sum(1 for _, good in answers if not good)
    return {"requests": count, "bad": bad, "wall_s": round(wall, 2)} | percentiles(
        [seconds for seconds, _ in answers]
    )


def load_shoots(
    client: httpx.Client, count: int, resolution: str, stages: list[str]
) -> dict[str, Any]:
    """``count`` shoots submitted at once over two projects; every job checked when done."""
    projects = [client.post("/api/projects", json={"text": text}).json() for text in SHOOT_SCENES]
    frames = [sum(beat["frames"] for beat in made["plans"][0]["beats"]) for made in projects]

    def submit(number: int) -> tuple[int, int, float]:
        project = projects[number % len(projects)]["project"]["id"]
        body = {"resolution": resolution, "stages": stages}
        job = client.post(f"/api/projects/{project}/jobs", json=body).json()["id"]
        return number % len(projects), int(job), time.perf_counter()

    start = time.perf_counter()
    jobs = list(ThreadPoolExecutor(count).map(submit, range(count)))
    ended: dict[int, float] = {}
    finished: dict[int, dict[str, Any]] = {}
    while len(finished) < count:
        for _, job, _ in jobs:
            if job not in finished:
                state = client.get(f"/api/jobs/{job}").json()
                if state["status"] in ("done", "failed"):
                    finished[job], ended[job] = state, time.perf_counter()
        time.sleep(POLL_S)
    bad = 0
    plans: dict[int, set[bytes]] = {0: set(), 1: set()}
    for which, job, _ in jobs:
        if finished[job]["status"] != "done":
            bad += 1
            continue
        plans[which].add(client.get(f"/api/jobs/{job}/files/plan.json").content)
        previs = client.get(f"/api/jobs/{job}/files/previs.mp4").content
        with av.open(io.BytesIO(previs), mode="r") as video:
            if sum(1 for _ in video.decode(video=0)) != frames[which]:
                bad += 1
    mixed = sum(len(kept) - 1 for kept in plans.values() if kept)
    latencies = [ended[job] - sent for _, job, sent in jobs]
    wall = time.perf_counter() - start
    return {"jobs": count, "bad": bad + mixed, "wall_s": round(wall, 2)} | percentiles(latencies)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=50)
    parser.add_argument("--shoots", type=int, default=10)
    parser.add_argument("--resolution", default="160x90")
    parser.add_argument("--stages", default="plan,score,render")
    parser.add_argument("--workers", type=int, help="shoots at once (the studio's default)")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument(
        "--cold", action="store_true", help="the server's cache off: every plan made afresh"
    )
    args = parser.parse_args(argv)
    if args.cold:
        os.environ[cache.SWITCH_ENV] = "0"  # the server inherits it
    with (
        tempfile.TemporaryDirectory() as data,
        running_studio(Path(data), args.workers) as url,
        httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT_S) as client,
    ):
        result = {
            "plans": load_plans(client, args.plans),
            "shoots": load_shoots(client, args.shoots, args.resolution, args.stages.split(",")),
        }
    if args.json:
        print(json.dumps(result))
    else:
        for kind, figures in result.items():
            print(f"{kind:7s} " + "  ".join(f"{key} {value}" for key, value in figures.items()))
    return 0 if result["plans"]["bad"] == result["shoots"]["bad"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
