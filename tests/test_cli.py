"""The command line as a user meets it: real scenes in, files read back with their own libraries."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest

from beatcam.model import Repair
from beatcam.model.vocab import ANGLES, FRAMINGS, FUNCTIONS, MOVEMENTS, SIZES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.*"))
BEATCAM = [sys.executable, "-m", "beatcam"]


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*BEATCAM, *args],
        input=stdin.decode("utf-8", "replace") if stdin is not None else None,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example planned once through the CLI; name -> output folder."""
    base = tmp_path_factory.mktemp("plans")
    folders = {}
    for example in EXAMPLES:
        folder = base / example.stem
        result = run("plan", str(example), "-o", str(folder), "--quiet")
        assert result.returncode == 0, result.stderr
        folders[example.name] = folder
    return folders


def _plan_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("plan.json"))


def test_examples_cover_the_promised_situations() -> None:
    names = {path.name for path in EXAMPLES}
    assert {"the-letter.yaml", "the-chase.yaml", "two-scenes.fountain"} <= names
    assert len(EXAMPLES) >= 4


def test_every_example_plan_is_schema_valid_and_passes_its_critic(planned: dict[str, Path]) -> None:
    schema = json.loads(run("schema").stdout)
    for folder in planned.values():
        plans = _plan_files(folder)
        assert plans
        for plan_path in plans:
            document = json.loads(plan_path.read_text())
            jsonschema.validate(document, schema)
            verdict = run("critique", str(plan_path), "--json")
            report = json.loads(verdict.stdout)
            failures = [c for c in report["checks"] if not c["passed"]]
            assert verdict.returncode == 0 and not failures, (plan_path, failures)
            critique = json.loads((plan_path.parent / "critique.json").read_text())
            assert critique["passed"] and critique["pass_rate"] == 1.0


def test_shotlist_and_trajectory_match_the_plan(planned: dict[str, Path]) -> None:
    folder = planned["the-letter.yaml"]
    document = json.loads((folder / "plan.json").read_text())
    with (folder / "shotlist.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == [shot["id"] for shot in document["shots"]]
    trajectory = np.genfromtxt(
        folder / "trajectory.csv", delimiter=",", names=True, dtype=None, encoding="utf-8"
    )
    frames = sum(beat["frames"] for beat in document["beats"])
    assert len(trajectory) == frames
    positions = np.concatenate([shot["camera"]["position"] for shot in document["shots"]])
    assert np.allclose(
        np.column_stack([trajectory["x"], trajectory["y"], trajectory["z"]]), positions, atol=1e-5
    )


def test_plan_words_come_from_the_vocabulary(planned: dict[str, Path]) -> None:
    for folder in planned.values():
        for plan_path in _plan_files(folder):
            for shot in json.loads(plan_path.read_text())["shots"]:
                assert shot["size"] in SIZES and shot["angle"] in ANGLES
                assert shot["movement"] in MOVEMENTS and shot["framing"] in FRAMINGS
                assert shot["why"]


def test_same_input_and_seed_give_identical_bytes(tmp_path: Path) -> None:
    scene = str(ROOT / "examples" / "the-chase.yaml")
    for name in ("a", "b"):
        assert (
            run("plan", scene, "-o", str(tmp_path / name), "--quiet", "--seed", "7").returncode == 0
        )
    for file in ("plan.json", "shotlist.csv", "trajectory.csv", "critique.json"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file


def test_a_screenplay_writes_one_folder_per_scene_and_an_index(planned: dict[str, Path]) -> None:
    folder = planned["two-scenes.fountain"]
    index = json.loads((folder / "index.json").read_text())
    assert len(index["scenes"]) == 2
    for entry in index["scenes"]:
        assert not Path(entry["folder"]).is_absolute() and "/" not in entry["folder"]
        assert (folder / entry["folder"] / "plan.json").is_file()
        assert entry["folder"].startswith(f"{entry['index']:02d}-")


def test_standard_input_is_a_scene(tmp_path: Path) -> None:
    text = (
        b"# Dawn\nCast: Ana\nAna wakes before the alarm.\nShe watches the light climb the wall.\n"
    )
    result = run("plan", "-", "-o", str(tmp_path / "out"), "--json", stdin=text)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)["scenes"][0]
    assert summary["title"] == "Dawn" and summary["critic_pass_rate"] == 1.0


def _planned_passing(tmp_path: Path, text: bytes) -> dict[str, Any]:
    """The plan of a scene given on standard input, which exits 0 and passes its critic."""
    result = run("plan", "-", "-o", str(tmp_path / "out"), "--json", stdin=text)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["scenes"][0]["critic_pass_rate"] == 1.0
    plan: dict[str, Any] = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    return plan


def test_a_handheld_camera_named_on_a_walk_is_shot(tmp_path: Path) -> None:
    """ "Handheld" named on a beat where someone walks off is shot handheld, wide enough for the
    whole walk (a still frame's rule), and passes its critic; "handheld" as a word for a thing
    in the scene pins nothing."""
    text = (
        b"# Delivery\nCast: Delia\nDelia signs the courier's handheld scanner at the door.\n"
        b"She carries the box inside. Handheld.\n"
    )
    plan = _planned_passing(tmp_path, text)
    by_beat = {beat: [s for s in plan["shots"] if s["beat"] == beat] for beat in (0, 1)}
    assert {s["movement"] for s in by_beat[1]} == {"handheld"}
    assert all(s["size"] in {"WS", "EWS"} for s in by_beat[1])
    assert not any("named in the beat" in s["why"] for s in by_beat[0])


def test_a_walk_and_talk_is_one_leading_two_shot_of_the_pair_abreast(tmp_path: Path) -> None:
    """Two who walk side by side go abreast (found so in the scene's first beat), and a named
    "Two-shot, leading shot" is made: one take that travels ahead of the pair, facing them,
    both in the frame (its critic passes), where it once exited with "cannot be shot here"."""
    text = (
        b"# Corridor\nCast: Ana, Ben\nSet: corridor\n"
        b"Ana and Ben walk down the long corridor side by side, arguing. Two-shot, leading shot.\n"
    )
    plan = _planned_passing(tmp_path, text)
    [shot] = plan["shots"]
    assert (shot["framing"], shot["movement"], shot["subjects"]) == (
        "two_shot",
        "lead",
        ["Ana", "Ben"],
    )
    ana, ben = (np.array(plan["blocking"][name]["position"]) for name in ("Ana", "Ben"))
    assert np.linalg.norm(ana[-1] - ana[0]) > 3.0  # both walk the corridor ...
    assert np.linalg.norm(ben[-1] - ben[0]) > 3.0
    # ... shoulder to shoulder from the first frame: the scene opens on them walking together
    assert np.abs(np.linalg.norm(ana - ben, axis=1) - 0.7).max() < 0.05
    frames = slice(shot["start_frame"], shot["start_frame"] + shot["frames"])
    pair = (ana[frames] + ben[frames]) / 2.0
    walk = pair[-1] - pair[0]
    camera = np.array(shot["camera"]["position"])
    ahead = (camera - pair)[:, [0, 2]] @ (walk[[0, 2]] / np.linalg.norm(walk[[0, 2]]))
    assert ahead.min() > 1.0  # in front of them on every frame
    assert np.linalg.norm((camera[-1] - camera[0])[[0, 2]]) > 3.0  # and travelling with them


def test_three_who_walk_together_walk_abreast_in_one_travelling_group_shot(
    tmp_path: Path,
) -> None:
    """Everyone named as one subject of a walk walks it, in a line abreast, and the camera
    goes with all of them in one frame (its critic passes): not the first named walking off
    while the others stay behind, as when only a pair could walk together."""
    text = (
        b"# Lane\nCast: Petra, Marek, Zora\nSet: street\n"
        b"Petra and her small cousins, Marek and Zora, walk down the lane to the river.\n"
    )
    plan = _planned_passing(tmp_path, text)
    [shot] = plan["shots"]
    assert shot["framing"] == "group" and shot["movement"] in {"follow", "lead"}
    assert sorted(shot["subjects"]) == ["Marek", "Petra", "Zora"]
    assert " on Petra, Marek and Zora: " in shot["why"]  # the shot is on all of them
    assert plan["beats"][0]["affect"]["walkers"] == ["Petra", "Marek", "Zora"]
    walks = {
        name: np.array(plan["blocking"][name]["position"])[:, [0, 2]]
        for name in ("Petra", "Marek", "Zora")
    }
    way = walks["Petra"][-1] - walks["Petra"][0]
    assert np.linalg.norm(way) > 3.0
    way /= np.linalg.norm(way)
    across = np.array([way[1], -way[0]])
    for walk in walks.values():  # each goes the leader's way, as far ...
        assert np.allclose(walk[-1] - walk[0], way * np.linalg.norm(walk[-1] - walk[0]), atol=0.05)
    # ... in a line across the walk, 0.7 m between neighbours, from the first frame
    places = sorted(float((walk - walks["Petra"])[0] @ across) for walk in walks.values())
    assert np.allclose(np.diff(places), 0.7, atol=0.05)
    ahead = [float((walk - walks["Petra"])[-1] @ way) for walk in walks.values()]
    assert np.allclose(ahead, 0.0, atol=0.05)


def test_a_tampered_plan_fails_its_critique(planned: dict[str, Path], tmp_path: Path) -> None:
    document = json.loads((planned["the-letter.yaml"] / "plan.json").read_text())
    document["shots"][0]["movement"] = "whip_pan"
    tampered = tmp_path / "plan.json"
    tampered.write_text(json.dumps(document))
    result = run("critique", str(tampered))
    assert result.returncode == 1
    assert "FAIL" in result.stdout


def _zero_rotation(document: dict[str, Any]) -> None:
    camera = document["shots"][0]["camera"]
    camera["rotation"] = [[0.0, 0.0, 0.0, 0.0]] * len(camera["rotation"])


def _repeat_first_id(document: dict[str, Any]) -> None:
    document["shots"][1]["id"] = document["shots"][0]["id"]


def _stranger_in_blocking(document: dict[str, Any]) -> None:
    document["blocking"]["Ghost"] = document["blocking"]["Mara"]


def _negative_box(document: dict[str, Any]) -> None:
    document["set"]["boxes"][0]["size"][0] = -1.0


@pytest.mark.parametrize(
    ("tamper", "needle"),
    [
        (_zero_rotation, "unit quaternion"),
        (_repeat_first_id, "unique"),
        (_stranger_in_blocking, "not in the cast"),
        (_negative_box, "set/boxes/0/size/0"),
    ],
)
def test_a_malformed_plan_is_one_line_and_exit_2(
    planned: dict[str, Path], tmp_path: Path, tamper: Callable[[dict[str, Any]], None], needle: str
) -> None:
    document = json.loads((planned["the-letter.yaml"] / "plan.json").read_text())
    tamper(document)
    broken = tmp_path / "plan.json"
    broken.write_text(json.dumps(document))
    for command in ("critique", "export"):
        result = run(command, str(broken), "-o", str(tmp_path / "out"))
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and needle in lines[0], result.stderr
    assert not (tmp_path / "out").exists()


BAD_SCENES = [
    ("empty.txt", b"", "empty"),
    ("blank.md", b"# Title only\n\n", "no beats"),
    ("binary.txt", b"\x00\x01\x02\xff" * 10, "UTF-8"),
    ("latin1.txt", "Señora Ruiz waits.".encode("latin-1"), "UTF-8"),
    ("broken.yaml", b"title: [unclosed\nbeats: - a\n", "YAML"),
    ("unknown-set.yaml", b"title: T\nset: moonbase\nbeats: [A beat.]\n", "moonbase"),
    (
        "bad-word.yaml",
        b"title: T\nbeats:\n  - text: A beat.\n    camera: {movement: swoosh}\n",
        "swoosh",
    ),
    ("huge.txt", b"A beat that goes on.\n" * 260_000, "5"),
    ("long-beat.txt", b"word " * 500 + b"\n", "2,000"),
]


@pytest.mark.parametrize(("name", "content", "needle"), BAD_SCENES)
def test_bad_scenes_get_one_line_and_exit_2(
    tmp_path: Path, name: str, content: bytes, needle: str
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    out = tmp_path / "out"
    result = run("plan", str(source), "-o", str(out))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("beatcam: error:"), result.stderr
    assert needle.lower() in lines[0].lower()
    assert "Traceback" not in result.stderr
    assert not out.exists() or not any(out.rglob("*"))


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["plan", "no-such-scene.txt"], "no such file"),
        (["plan", "."], "not a file"),
        (["plan", "examples/lighthouse.txt", "--style", "dogme"], "known styles"),
        (["plan", "examples/lighthouse.txt", "--fps", "0"], "--fps"),
        (["critique", "README.md"], "JSON"),
        (["critique", "pyproject.toml"], "JSON"),
        (["shoot", "examples/lighthouse.txt", "--only", "plan,dance"], "dance"),
    ],
)
def test_bad_usage_gets_one_line_and_exit_2(args: list[str], needle: str) -> None:
    result = run(*args, cwd=ROOT)
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], result.stderr


def test_an_unwritable_output_folder_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("plan", str(ROOT / "examples" / "lighthouse.txt"), "-o", str(blocker / "out"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_schema_enumerates_the_vocabulary() -> None:
    schema = json.loads(run("schema").stdout)
    shot = schema["properties"]["shots"]["items"]["properties"]
    assert shot["size"]["enum"] == list(SIZES)
    assert shot["movement"]["enum"] == list(MOVEMENTS)
    assert shot["angle"]["enum"] == list(ANGLES)
    assert shot["framing"]["enum"] == list(FRAMINGS)
    assert shot["reason"]["properties"]["repair"]["enum"] == ["", *Repair]


def test_help_and_version_are_instant_and_clean() -> None:
    result = run("--help")
    assert result.returncode == 0 and "plan" in result.stdout and "shoot" in result.stdout
    assert run("--version").stdout.startswith("beatcam ")


def test_export_writes_the_asked_formats_and_provenance(
    planned: dict[str, Path], tmp_path: Path
) -> None:
    plan_path = planned["lighthouse.txt"] / "plan.json"
    result = run("export", str(plan_path), "--to", "usd,otio", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert {path.name for path in tmp_path.iterdir()} == {
        "scene.usda",
        "timeline.otio",
        "provenance.json",
    }
    provenance = json.loads((tmp_path / "provenance.json").read_text())
    assert provenance["files"] == ["scene.usda", "timeline.otio"]


def test_render_elsewhere_keeps_the_score_beside_the_plan(tmp_path: Path) -> None:
    import av

    scene = tmp_path / "scene.txt"
    scene.write_text("Mara waits by the window.\nTom arrives at the door.\n")
    folder = tmp_path / "plan"
    assert run("plan", str(scene), "-o", str(folder), "--quiet").returncode == 0
    assert run("score", str(folder / "plan.json"), "--quiet").returncode == 0
    out = tmp_path / "render"
    result = run(
        "render", str(folder / "plan.json"), "-o", str(out), "--resolution", "64x36", "--quiet"
    )
    assert result.returncode == 0, result.stderr
    with av.open(str(out / "previs.mp4")) as container:
        assert [stream.type for stream in container.streams] == ["video", "audio"]


def test_a_screenplay_of_one_scene_still_gets_its_scene_folder(tmp_path: Path) -> None:
    screenplay = tmp_path / "one.fountain"
    screenplay.write_text("INT. KITCHEN - NIGHT\n\nMARA reads the letter twice.\n")
    result = run("plan", str(screenplay), "-o", str(tmp_path / "out"), "-q")
    assert result.returncode == 0, result.stderr
    index = json.loads((tmp_path / "out" / "index.json").read_text())
    assert [Path(entry["folder"]).name for entry in index["scenes"]] == ["01-int-kitchen-night"]


def test_shooting_again_clears_the_shots_of_a_longer_plan(tmp_path: Path) -> None:
    stale = tmp_path / "out" / "shots" / "S99.mp4"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"an older plan's clip")
    scene = ROOT / "examples" / "lighthouse.txt"
    result = run("shoot", str(scene), "-o", str(tmp_path / "out"), "--only", "export", "-q")
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    provenance = json.loads((tmp_path / "out" / "provenance.json").read_text())
    assert "shots/S99.mp4" not in provenance["files"]


def test_workers_shoot_scenes_in_parallel_with_the_same_result(tmp_path: Path) -> None:
    screenplay = str(ROOT / "examples" / "two-scenes.fountain")
    for workers in ("1", "2"):
        out = str(tmp_path / workers)
        result = run("shoot", screenplay, "-o", out, "--only", "plan", "--workers", workers, "-q")
        assert result.returncode == 0, result.stderr
    one, two = (sorted((tmp_path / w).rglob("plan.json")) for w in ("1", "2"))
    assert len(one) == len(two) == 2
    assert [a.read_bytes() for a in one] == [b.read_bytes() for b in two]


def test_every_beat_says_how_sure_the_director_is_of_its_function(
    planned: dict[str, Path],
) -> None:
    for folder in planned.values():
        for path in sorted(folder.rglob("plan.json")):
            for beat in json.loads(path.read_text(encoding="utf-8"))["beats"]:
                affect = beat["affect"]
                belief = affect["function_belief"]
                assert set(belief) <= set(FUNCTIONS)
                assert max(belief, key=belief.__getitem__) == affect["function"]
                assert 0.8 < sum(belief.values()) <= 1.0 + 1e-3


def test_every_shot_names_the_intent_that_chose_it_and_why_in_crew_words(
    planned: dict[str, Path],
) -> None:
    """A shot's intent is one its beat was read to ask for, with that belief as its confidence;
    the why reads as a DP talks (no affect numbers), and the reasons behind it are data."""
    named = 0
    for folder in planned.values():
        for path in sorted(folder.rglob("plan.json")):
            document = json.loads(path.read_text(encoding="utf-8"))
            for shot in document["shots"]:
                assert not re.search(r"[+-]?\d\.\d\d", shot["why"]), shot["why"]
                assert "valence" not in shot["why"] and "dominance +" not in shot["why"]
                rules = [name for name, _ in shot["reason"]["rules"]]
                assert all(isinstance(score, float) for _, score in shot["reason"]["rules"])
                intent = shot["intent"]
                if intent is None:
                    continue
                named += 1
                belief = document["beats"][shot["beat"]]["affect"]["intent_belief"]
                assert intent["confidence"] == pytest.approx(belief[intent["name"]], abs=1e-4)
                assert any(rule.startswith(f"{intent['name']}: ") for rule in rules)
    assert named > 0
