"""What a cold start loads: a plan imports only the libraries it uses (issue 19), and the
command line reads its options without pydantic, to the same values and errors as Typer."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param
from typer.core import _TyperParameter

from beatcam import __version__, cli

ROOT = Path(__file__).resolve().parents[1]
# Libraries a quiet plan of a scene has no use for, and what each would cost it to import.
UNUSED_BY_A_PLAN = (
    "pydantic",  # typer's coercion of option values: ~0.08 s
    "rich",  # the tables and bars a quiet plan does not print: ~0.02 s
    "jsonschema",  # the schema check is beatcam's own compiled validator
    "scipy",  # the score's filters only
    "fountain",  # the Fountain reader, for .fountain scenes only
    "defusedxml",  # the Final Draft reader
    "safetensors",  # the encoder maps its weights itself
    "importlib.metadata",  # distribution versions (keys, provenance): beatcam.cache reads them
)


def _environment(**extra: str) -> dict[str, str]:
    """This environment for a fresh ``beatcam``: this beatcam, from anywhere, and its standard
    output block-buffered into a pipe, as a user's is (not unbuffered, as a CI's may be)."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    return {**environment, "PYTHONPATH": os.pathsep.join(sys.path), **extra}


def _after(*args: str, cwd: Path) -> dict[str, Any]:
    """The modules loaded by the time ``beatcam ARGS`` finishes, in a fresh interpreter, how
    many new objects the cycle collector then waits for, and how many objects it is left to
    pass over on the way out (told by the last exit handler, after beatcam's)."""
    script = (
        "import atexit, gc, json, runpy, sys\n"
        "atexit.register(lambda: print(json.dumps({'modules': sorted(sys.modules),\n"
        "    'young': gc.get_threshold()[0], 'frozen': gc.get_freeze_count()})))\n"
        f"sys.argv = ['beatcam', *{list(args)!r}]\n"
        "try:\n"
        "    runpy.run_module('beatcam', run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=cwd,
        env=_environment(),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    after: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return after


def _loaded(modules: set[str], library: str) -> bool:
    return any(name == library or name.startswith(library + ".") for name in modules)


# ... and what only a YAML scene's plan uses: beatcam's own tables are read pre-parsed.
UNUSED_BY_A_TEXT_PLAN = ("yaml",)  # ~0.01 s to import
# A scene whose plan the critic passes whole, one with repaired shots (their reasons name the
# critic's rules and the repairs, which the plan's schema check must take as written), and a
# scene in plain text.
SCENES = ("the-letter.yaml", "the-chase.yaml", "lighthouse.txt")


@pytest.mark.parametrize("scene", SCENES)
def test_a_plan_imports_no_library_it_does_not_use(scene: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    after = _after("plan", str(ROOT / "examples" / scene), "-o", str(out), "-q", cwd=tmp_path)
    modules = set(after["modules"])
    assert "beatcam.pipeline.planning" in modules and (out / "plan.json").is_file()
    unused = UNUSED_BY_A_PLAN + (() if scene.endswith(".yaml") else UNUSED_BY_A_TEXT_PLAN)
    assert [library for library in unused if _loaded(modules, library)] == []
    # and its many short-lived objects do not set the cycle collector off every 700, nor do
    # the objects it leaves keep the collector busy while Python exits
    assert after["young"] == cli.GC_YOUNG_OBJECTS
    assert after["frozen"] > len(modules)


def test_help_imports_no_stage(tmp_path: Path) -> None:
    modules = set(_after("--help", cwd=tmp_path)["modules"])
    assert not _loaded(modules, "pydantic") and not _loaded(modules, "rich")
    assert not _loaded(modules, "beatcam.pipeline") and not _loaded(modules, "beatcam.affect")


def _commands() -> dict[str, Any]:
    group = typer.main.get_command(cli.app)
    assert isinstance(group, cli._Group)
    return dict(group.commands)


def _outcome(coerce: Any, value: object, param: _TyperParameter, ctx: Context) -> object:
    """What coercing ``value`` gives: the value, or the error as a user reads it."""
    try:
        return coerce(value, param=param, ctx=ctx)
    except BadParameter as error:
        return ("error", error.format_message())


@pytest.mark.parametrize(
    ("command", "option", "values"),
    [
        ("plan", "scene", ["examples/lighthouse.txt", "-", ""]),
        ("plan", "seed", ["7", "0", "-5", "007", " 5", "+5", "1_000", "abc", "1.5", "", 3]),
        ("plan", "workers", ["1", "64", "0", "65", "-1", "two"]),
        ("plan", "fps", ["24", "0", "x"]),
        ("plan", "out", ["beatcam-out/x", ".", "README.md", "-"]),
        ("serve", "port", ["8000", "0", "65536", "http"]),
        ("serve", "data", ["beatcam-studio", Path("beatcam-studio")]),
        ("critique", "plan_file", ["no/such/plan.json", "pyproject.toml"]),
    ],
)
def test_options_are_coerced_to_the_values_and_errors_typer_gives(
    command: str, option: str, values: list[object], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    owner = _commands()[command]
    ctx = Context(owner)
    (param,) = [param for param in owner.get_params(ctx) if param.name == option]
    assert isinstance(param, _TyperParameter)
    plain = param.get_runtime_param()
    assert isinstance(plain, cli._PlainParam)
    typers = build_runtime_param(param.type_descriptor)
    for value in values:
        expected = _outcome(typers.coerce, value, param, ctx)
        assert _outcome(plain.coerce, value, param, ctx) == expected, (option, value)


# ---- the end of the process ----------------------------------------------------------------


def test_a_plan_ends_with_its_output_flushed_and_its_status(tmp_path: Path) -> None:
    """``beatcam`` ends without Python's teardown (cli.run): what it printed into a pipe,
    where standard output is block-buffered, its status and every file it wrote are all there
    (and ``_after``'s exit handler prints after beatcam's command, into the same buffer)."""
    out = tmp_path / "out"
    beatcam = [sys.executable, "-m", "beatcam"]
    scene = str(ROOT / "examples" / "lighthouse.txt")
    env = _environment(BEATCAM_CACHE="0")
    done = subprocess.run(
        [*beatcam, "plan", scene, "-o", str(out), "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (summary,) = json.loads(done.stdout)["scenes"]
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert summary["shots"] == len(plan["shots"]) > 0
    assert {path.name for path in out.iterdir()} == {
        "plan.json",
        "shotlist.csv",
        "trajectory.csv",
        "critique.json",
    }
    printed = subprocess.run(
        [*beatcam, "plan", scene, "-o", str(out)], capture_output=True, text=True, env=env
    )
    assert printed.stdout.rstrip().endswith(f"wrote {out}/"), printed.stdout[-200:]
    refused = subprocess.run(
        [*beatcam, "plan", str(tmp_path / "missing.txt")], capture_output=True, text=True, env=env
    )
    assert refused.returncode == 2 and "missing.txt: no such file" in refused.stderr


def test_the_end_waits_for_a_running_thread_and_runs_every_exit_handler(tmp_path: Path) -> None:
    """Exit handlers registered before beatcam's start (coverage's, a site's) run, and where a
    thread Python's exit would wait for is still running, Python's own exit waits for it."""
    handled, threaded = tmp_path / "handled", tmp_path / "threaded"
    script = (
        "import atexit, pathlib, runpy, sys, threading, time\n"
        f"atexit.register(pathlib.Path({str(handled)!r}).write_text, 'handled')\n"
        "def late():\n"
        "    time.sleep(0.5)\n"
        f"    pathlib.Path({str(threaded)!r}).write_text('threaded')\n"
        "threading.Thread(target=late).start()\n"
        "sys.argv = ['beatcam', '--version']\n"
        "runpy.run_module('beatcam', run_name='__main__')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert (done.returncode, done.stdout.strip()) == (0, f"beatcam {__version__}")
    assert handled.read_text() == "handled" and threaded.read_text() == "threaded"
