"""The studio's HTTP interface from the outside, through FastAPI's test client: plans the same
as the command line's, one-line errors, paths kept inside the data folder, projects that
survive a restart, edits with undo and redo, and shoots as background jobs."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import pytest
from fastapi.testclient import TestClient

from beatcam.export.plan_json import loads
from beatcam.model import ShotPin
from beatcam.pipeline import ShootOptions, shoot
from beatcam.web import studio
from beatcam.web.app import MAX_BODY_BYTES, create_app
from beatcam.web.store import DONE, FAILED, RUNNING, Store

SCENE = (
    "# The Letter\nCast: Mara\n"
    "Mara opens the letter.\nMara realises it is forged; dread creeps in.\n"
)
ONE_BEAT = "# Alone\nCast: Mara\nMara waits by the window.\n"
SCREENPLAY = (
    "INT. KITCHEN - NIGHT\n\nMARA sits at the table.\n\nMARA\nWho sent this?\n\n"
    "EXT. STREET - DAY\n\nTOM runs down the street.\n"
)
# One long beat, which the director covers in more than one shot.
LONG_BEAT = (
    "title: Long\ncast: [Mara]\nbeats:\n"
    "  - text: Mara paces the room, talking to herself, turning it over again and again.\n"
    "    seconds: 20\n"
)
# A conversation in one beat, covered in three shots.
TALK = (
    "title: Talk\ncast: [Mara, Tom]\nbeats:\n"
    "  - text: Mara tells Tom she was at her sister's, and he does not believe her.\n"
    "    seconds: 14\n"
)
# A pin the director cannot shoot here: nobody walks, so there is nothing to follow.
UNSHOOTABLE = {"movement": "follow"}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(tmp_path / "data")) as test_client:
        yield test_client


def _error(response: Any, status: int) -> str:
    """The one-line error of a refused request."""
    assert response.status_code == status, response.text
    body = response.json()
    assert list(body) == ["error"]
    message = str(body["error"])
    assert message and "\n" not in message and "Traceback" not in message
    return message


def _shots(project: dict[str, Any], scene: int = 0) -> list[tuple[Any, ...]]:
    return [
        (s["id"], s["beat"], s["size"], s["angle"], s["movement"], s["lens_mm"], s["frames"])
        for s in project["plans"][scene]["shots"]
    ]


def test_plan_is_the_plan_json_the_command_line_writes(client: TestClient, tmp_path: Path) -> None:
    scene_file = tmp_path / "the-letter.txt"
    scene_file.write_text(SCENE)
    shoot(str(scene_file), tmp_path / "cli", ShootOptions(stages=("plan",), style="thriller"))

    response = client.post("/api/plan", json={"text": SCENE, "format": "txt", "style": "thriller"})

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == (tmp_path / "cli" / "plan.json").read_bytes()
    assert loads(response.text).style == "thriller"


def test_a_screenplay_plans_to_a_list_of_scenes(client: TestClient) -> None:
    response = client.post("/api/plan", json={"text": SCREENPLAY, "format": "fountain"})

    assert response.status_code == 200
    documents = response.json()
    assert [document["title"] for document in documents] == [
        "INT. KITCHEN - NIGHT",
        "EXT. STREET - DAY",
    ]
    assert all(document["shots"] for document in documents)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"text": "", "format": "txt"}, "scene.txt: empty input"),
        ({"text": "Mara waits.", "style": "noir-ish"}, "unknown style 'noir-ish'"),
        ({"text": "Mara waits.", "format": "docx"}, "format: Input should be"),
        ({"text": "beats: [1, 2", "format": "yaml"}, "scene.yaml"),
        ({"text": "x" * 2_001}, "beat 1"),
        ({"format": "txt"}, "text: Field required"),
    ],
)
def test_bad_scenes_get_the_readers_one_line_errors(
    client: TestClient, body: dict[str, Any], words: str
) -> None:
    assert words in _error(client.post("/api/plan", json=body), 422)


def test_binary_and_huge_uploads_are_refused_with_a_message(client: TestClient) -> None:
    binary = client.post("/api/read", content=b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    assert "binary input" in _error(binary, 422)
    latin1 = client.post("/api/read", content="Mara café".encode("latin-1"))
    assert "UTF-8" in _error(latin1, 422)
    huge = client.post("/api/read", content=b"Mara waits.\n" * (MAX_BODY_BYTES // 12 + 1))
    assert "larger than" in _error(huge, 413)
    megabyte = b"x" * 1_000_000
    unsized = client.post(  # sent in chunks, without a length to refuse it by
        "/api/read", content=(megabyte for _ in range(MAX_BODY_BYTES // len(megabyte) + 1))
    )
    assert "larger than" in _error(unsized, 413)
    text = client.post("/api/read", content=b"Mara waits.\r\n")
    assert text.json() == {"text": "Mara waits.\n"}
    not_json = client.post(
        "/api/plan", content=b"{not json", headers={"content-type": "application/json"}
    )
    _error(not_json, 422)


def test_the_openapi_description_names_the_plan_endpoint(client: TestClient) -> None:
    description = client.get("/openapi.json").json()
    assert "/api/plan" in description["paths"]
    assert "post" in description["paths"]["/api/plan"]


def test_an_edit_re_plans_around_the_pin_and_undo_redo_walk_the_history(
    client: TestClient,
) -> None:
    start = client.post("/api/projects", json={"text": SCENE}).json()
    project = start["project"]["id"]
    assert start["project"]["can_undo"] is False
    second = start["plans"][0]["shots"][-1]
    assert second["size"] != "ECU"

    edited = client.post(
        f"/api/projects/{project}/edits",
        json={"shot": second["id"], "size": "CU", "movement": "static"},
    ).json()
    shot = edited["plans"][0]["shots"][-1]
    assert (shot["size"], shot["movement"]) == ("CU", "static")
    assert "pinned in the studio" in shot["why"]
    assert "scene file" not in shot["why"]
    assert edited["project"]["unkept"] == []
    longer = client.post(
        f"/api/projects/{project}/edits", json={"shot": "S01", "seconds": 7.5}
    ).json()
    # S01 was its beat's only shot, so the beat takes the new length, long enough now to open
    # on an establishing shot: S01 is that shot, and the note says so.
    assert longer["plans"][0]["beats"][0]["frames"] == round(7.5 * 24)
    assert longer["project"]["unkept"] == [
        "S01: 7.5 s asked, planned as 2.5 s, since its beat is now covered in 2 shots"
    ]

    lens = client.post(f"/api/projects/{project}/edits", json={"shot": "S01", "lens_mm": 85}).json()
    assert lens["plans"][0]["shots"][0]["lens_mm"] == 85.0
    assert not any("lens_mm" in note for note in lens["project"]["unkept"])
    client.post(f"/api/projects/{project}/undo")

    undone = client.post(f"/api/projects/{project}/undo").json()
    assert _shots(undone) == _shots(edited)
    first = client.post(f"/api/projects/{project}/undo").json()
    assert _shots(first) == _shots(start)
    assert first["project"]["can_undo"] is False
    assert "nothing to undo" in _error(client.post(f"/api/projects/{project}/undo"), 422)
    redone = client.post(f"/api/projects/{project}/redo").json()
    assert _shots(redone) == _shots(edited)
    assert redone["project"]["can_redo"] is True


def test_a_lock_keeps_the_shot_through_a_rewrite_of_the_beats(client: TestClient) -> None:
    start = client.post("/api/projects", json={"text": SCENE}).json()
    project = start["project"]["id"]
    locked = start["plans"][0]["shots"][0]
    client.post(f"/api/projects/{project}/edits", json={"shot": locked["id"], "lock": True})

    rewritten = client.put(
        f"/api/projects/{project}",
        json={"text": SCENE.replace("dread creeps in", "she laughs"), "style": "epic"},
    ).json()

    kept = rewritten["plans"][0]["shots"][0]
    for part in ("size", "angle", "movement", "framing", "lens_mm"):
        assert kept[part] == locked[part]
    assert rewritten["project"]["style"] == "epic"


def test_a_lens_the_camera_could_not_keep_is_named(client: TestClient) -> None:
    project = client.post("/api/projects", json={"text": SCENE}).json()["project"]["id"]

    edited = client.post(
        f"/api/projects/{project}/edits", json={"shot": "S02", "size": "ECU", "lens_mm": 24}
    ).json()

    planned = edited["plans"][0]["shots"][1]["lens_mm"]
    assert planned != 24.0
    assert edited["project"]["unkept"] == [f"S02: lens_mm pinned at 24.0, planned as {planned}"]


def test_a_pin_that_cannot_be_shot_says_why_and_changes_nothing(client: TestClient) -> None:
    start = client.post("/api/projects", json={"text": ONE_BEAT}).json()
    project = start["project"]["id"]

    refused = client.post(f"/api/projects/{project}/edits", json={"shot": "S01", **UNSHOOTABLE})

    assert "cannot be shot here; loosen the pin" in _error(refused, 422)
    after = client.get(f"/api/projects/{project}").json()
    assert after["project"]["cursor"] == 1 and _shots(after) == _shots(start)
    wrong = client.post(f"/api/projects/{project}/edits", json={"shot": "S01", "size": "XL"})
    assert "unknown size 'XL'" in _error(wrong, 422)
    missing = client.post(f"/api/projects/{project}/edits", json={"shot": "S09", "size": "CU"})
    assert "no shot 'S09'" in _error(missing, 422)
    assert "no project 99" in _error(client.get("/api/projects/99"), 404)


def test_a_beats_second_shot_takes_a_pin_and_only_it_changes(client: TestClient) -> None:
    made = client.post("/api/projects", json={"text": TALK, "format": "yaml"}).json()
    project = made["project"]["id"]
    first, second = made["plans"][0]["shots"][:2]
    assert second["beat"] == first["beat"]
    assert (second["size"], second["movement"]) != ("CU", "static")

    edited = client.post(
        f"/api/projects/{project}/edits",
        json={"shot": second["id"], "size": "CU", "movement": "static"},
    ).json()

    shots = edited["plans"][0]["shots"]
    assert (shots[1]["size"], shots[1]["movement"]) == ("CU", "static")
    assert "pinned in the studio" in shots[1]["why"]
    assert shots[0] == first and "pinned" not in shots[0]["why"]
    before, after = _shots(made), _shots(edited)
    assert [row for i, row in enumerate(after) if i != 1] == [
        row for i, row in enumerate(before) if i != 1
    ]
    assert edited["project"]["edits"][-1]["slot"] == 1
    assert edited["project"]["unkept"] == []
    # Undo gives the plan back; redo the pin.
    assert _shots(client.post(f"/api/projects/{project}/undo").json()) == before
    assert _shots(client.post(f"/api/projects/{project}/redo").json()) == after


def test_a_later_shot_that_cannot_be_shot_says_which_and_changes_nothing(
    client: TestClient,
) -> None:
    made = client.post("/api/projects", json={"text": TALK, "format": "yaml"}).json()
    project = made["project"]["id"]
    later = made["plans"][0]["shots"][2]["id"]

    refused = client.post(f"/api/projects/{project}/edits", json={"shot": later, **UNSHOOTABLE})

    assert "pinned for shot 3 of this beat" in _error(refused, 422)
    after = client.get(f"/api/projects/{project}").json()
    assert after["project"]["cursor"] == 1 and _shots(after) == _shots(made)


def test_a_new_length_is_the_shots_and_its_beats_other_shots_keep_theirs(
    client: TestClient,
) -> None:
    made = client.post("/api/projects", json={"text": LONG_BEAT, "format": "yaml"}).json()
    shots = made["plans"][0]["shots"]
    assert len(shots) == 3 and len({s["beat"] for s in shots}) == 1

    edited = client.post(
        f"/api/projects/{made['project']['id']}/edits", json={"shot": shots[1]["id"], "seconds": 4}
    ).json()

    frames = [s["frames"] for s in edited["plans"][0]["shots"]]
    assert frames == [shots[0]["frames"], 4 * 24, shots[2]["frames"]]
    assert edited["plans"][0]["beats"][0]["frames"] == sum(frames)
    assert edited["project"]["unkept"] == []


def test_an_edit_kept_before_any_shot_could_be_pinned_holds_the_first_shot() -> None:
    # Edits stored by a studio whose pins held a beat's first shot have no slot.
    old = {"kind": "pin", "scene": 0, "beat": 1, "pin": {"size": "CU"}, "seconds": None}

    state = studio.replay([studio.text_edit(SCENE, "txt", "classical"), old])

    assert state.pins == {(0, 1, 0): ShotPin(size="CU")}
    beat = studio.scenes(state)[0].beats[1]
    assert beat.shot_pins == ((0, ShotPin(size="CU", pinned=studio.PINNED_HERE)),)


def test_a_pin_on_a_shot_its_beat_no_longer_has_is_named(client: TestClient) -> None:
    made = client.post("/api/projects", json={"text": TALK, "format": "yaml"}).json()
    project = made["project"]["id"]
    third = made["plans"][0]["shots"][2]["id"]
    client.post(f"/api/projects/{project}/edits", json={"shot": third, "lens_mm": 50})

    shorter = client.put(
        f"/api/projects/{project}",
        json={"text": TALK.replace("seconds: 14", "seconds: 4"), "format": "yaml"},
    ).json()

    assert len(shorter["plans"][0]["shots"]) < 3
    assert shorter["project"]["unkept"] == [
        "beat 1, shot 3: the pin holds nothing, since the beat is now covered in 1 shot"
    ]


def test_a_length_the_beats_new_split_cannot_give_is_named(client: TestClient) -> None:
    text = (
        "# Long\nCast: Mara\n"
        "Mara paces the room, turns at the wall, and paces back, over and over, again and again.\n"
    )
    made = client.post("/api/projects", json={"text": text}).json()
    assert len(made["plans"][0]["shots"]) == 2

    # 8 s and the other shot's 3 s make a beat long enough for three shots, and the two not
    # asked cannot share 3 s: the split wins, and the note says so.
    edited = client.post(
        f"/api/projects/{made['project']['id']}/edits", json={"shot": "S01", "seconds": 8}
    ).json()

    shots = edited["plans"][0]["shots"]
    assert len(shots) == 3
    got = shots[0]["frames"] / 24
    assert edited["project"]["unkept"] == [
        f"S01: 8 s asked, planned as {got:.1f} s, since its beat is now covered in 3 shots"
    ]


def test_projects_survive_a_restart_and_an_interrupted_job_is_failed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with TestClient(create_app(data)) as client:
        made = client.post("/api/projects", json={"text": SCENE}).json()
        project = made["project"]["id"]
        edited = client.post(
            f"/api/projects/{project}/edits", json={"shot": "S01", "size": "WS"}
        ).json()
    # A job that was running when the server died, as the database holds it.
    store = Store(data)
    job = store.create_job(project).id
    store.update_job(job, RUNNING, folder=f"jobs/{job}")
    waiting = store.create_job(project).id  # and one still queued behind it

    with TestClient(create_app(data)) as client:
        again = client.get(f"/api/projects/{project}").json()
        listed = client.get("/api/projects").json()
        interrupted = client.get(f"/api/jobs/{job}").json()
        queued = client.get(f"/api/jobs/{waiting}").json()

    assert again["plans"] == edited["plans"] and again["views"] == edited["views"]
    assert {**again["project"], "jobs": []} == edited["project"]
    assert listed == [{"id": project, "title": "The Letter", "cursor": 2}]
    for stopped in (interrupted, queued):
        assert stopped["status"] == FAILED
        assert "interrupted by a restart" in stopped["message"]


def _events(client: TestClient, job: int) -> list[dict[str, Any]]:
    with client.stream("GET", f"/api/jobs/{job}/events") as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        return [json.loads(line[5:]) for line in stream.iter_lines() if line.startswith("data:")]


def test_a_shoot_runs_as_a_job_with_progress_and_its_files_download(client: TestClient) -> None:
    made = client.post("/api/projects", json={"text": ONE_BEAT}).json()
    project, frames = made["project"]["id"], made["plans"][0]["shots"][-1]
    started = client.post(
        f"/api/projects/{project}/jobs",
        json={"resolution": "160x90", "stages": ["plan", "score", "render"]},
    ).json()
    assert started["status"] == "queued"

    events = _events(client, started["id"])

    assert events[-1]["status"] == "done", events[-1]
    assert any(event["progress"] for event in events)
    files = events[-1]["files"]
    assert {"plan.json", "previs.mp4", "score.wav", "storyboard.png"} <= set(files)
    previs = client.get(f"/api/jobs/{started['id']}/files/previs.mp4")
    assert previs.status_code == 200
    with av.open(io.BytesIO(previs.content), mode="r") as video:
        stream = video.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (160, 90)
        assert sum(1 for _ in video.decode(stream)) == frames["start_frame"] + frames["frames"]
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/jobs/{started['id']}/zip").content))
    assert sorted(archive.namelist()) == sorted(files)
    assert (
        archive.read("plan.json")
        == client.get(f"/api/jobs/{started['id']}/files/plan.json").content
    )
    listed = client.get(f"/api/projects/{project}").json()["project"]["jobs"]
    assert [job["status"] for job in listed] == ["done"]


def test_shoots_run_side_by_side_up_to_the_worker_count(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "data", workers=2)) as client:
        project = client.post("/api/projects", json={"text": ONE_BEAT}).json()["project"]["id"]
        jobs = [
            client.post(
                f"/api/projects/{project}/jobs",
                json={"resolution": "160x90", "stages": ["plan", "render"]},
            ).json()["id"]
            for _ in range(3)
        ]
        running_at_once = set()
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            # One request reads every job's status at one moment: asking job by job, a job
            # seen running may end and the queued one start before the last is asked.
            listed = client.get(f"/api/projects/{project}").json()["project"]["jobs"]
            by_id = {entry["id"]: entry["status"] for entry in listed}
            statuses = [by_id[job] for job in jobs]
            running_at_once.add(statuses.count(RUNNING))
            if all(status in (DONE, FAILED) for status in statuses):
                break
            time.sleep(0.05)

    assert statuses == [DONE] * 3
    assert max(running_at_once) == 2


def test_a_job_with_bad_options_is_refused_before_it_starts(client: TestClient) -> None:
    project = client.post("/api/projects", json={"text": ONE_BEAT}).json()["project"]["id"]
    odd = client.post(f"/api/projects/{project}/jobs", json={"resolution": "161x90"})
    assert "must be even sizes" in _error(odd, 422)
    unknown = client.post(f"/api/projects/{project}/jobs", json={"stages": ["plan", "paint"]})
    assert "unknown stages ['paint']" in _error(unknown, 422)
    assert client.get(f"/api/projects/{project}").json()["project"]["jobs"] == []


@pytest.mark.parametrize(
    "path",
    [
        "..%2F..%2Fstudio.sqlite3",
        "%2Fetc%2Fpasswd",
        "shots%2F..%2F..%2F..%2Fstudio.sqlite3",
    ],
)
def test_a_path_outside_the_jobs_folder_is_refused(client: TestClient, path: str) -> None:
    project = client.post("/api/projects", json={"text": ONE_BEAT}).json()["project"]["id"]
    job = client.post(
        f"/api/projects/{project}/jobs", json={"resolution": "64x36", "stages": ["plan"]}
    ).json()["id"]
    assert _events(client, job)[-1]["status"] == "done"

    refused = client.get(f"/api/jobs/{job}/files/{path}")

    assert "outside the job's folder" in _error(refused, 403)
    assert "no file" in _error(client.get(f"/api/jobs/{job}/files/nothing.mp4"), 404)


def test_serve_binds_loopback_by_default_and_plan_does_not_load_the_server() -> None:
    helptext = subprocess.run(
        [sys.executable, "-m", "beatcam", "serve", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "127.0.0.1" in helptext and "8000" in helptext
    imports = (
        "import sys, beatcam.cli; "
        "print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", imports], capture_output=True, text=True, check=True
    ).stdout
    assert loaded.strip() == "[]"


def test_the_load_bench_loses_nothing_on_a_short_cold_run() -> None:
    bench = Path(__file__).resolve().parents[1] / "bench" / "web_load.py"
    command = [sys.executable, str(bench), "--plans", "8", "--shoots", "2", "--cold", "--json"]
    command += ["--workers", "2"]  # the two shoots side by side, whatever the cores
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)

    assert finished.returncode == 0, finished.stderr
    figures = json.loads(finished.stdout.splitlines()[-1])
    assert figures["plans"]["requests"] == 8 and figures["plans"]["bad"] == 0
    assert figures["shoots"]["jobs"] == 2 and figures["shoots"]["bad"] == 0
    assert 0 < figures["plans"]["p50"] <= figures["plans"]["p95"]
