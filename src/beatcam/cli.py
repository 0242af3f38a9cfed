"""beatcam's command line: the edge where files, terminals and exit codes live.

Exit codes: 0 success, 1 a check failed (critique) or a stage failed, 2 bad input or usage.
Every error is one line on stderr; long work shows a progress bar on a terminal only.
"""

from __future__ import annotations

import atexit
import gc
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import cache, partial
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer._click import Context, Parameter
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_path
from typer.core import TyperCommand, TyperGroup, _TyperParameter

from beatcam import __version__
from beatcam.errors import BeatcamError, UsageError
from beatcam.export import EXPORT_FORMATS
from beatcam.model.vocab import STAGES

if TYPE_CHECKING:  # the rest is imported where it is used, so that --help starts quickly
    from rich.console import Console
    from rich.progress import TaskID
    from rich.table import Table

    from beatcam.model import Critique, ShotPlan
    from beatcam.pipeline import ShootOptions, ShootResult

GC_YOUNG_OBJECTS = 20_000  # new objects between two runs of the cycle collector (see main)
# A whole number as typer reads it and as int() does: no sign but a minus, no padding.
WHOLE_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)")


@dataclass(frozen=True)
class _PlainParam(RuntimeParam):
    """A command-line value of the kinds beatcam's commands take (text, a whole number, a
    path) coerced as typer coerces it, without pydantic; any other value (a malformed or
    out-of-range number, a kind beatcam does not use) goes to typer's own coercion, so that
    its error reads as typer words it.

    Typer 0.29 coerces every value through a pydantic TypeAdapter, and importing pydantic for
    that is ~0.08 s of CPU, over half of what Python and numpy take to start: too much of a
    cold ``beatcam plan`` (issue 19) to spend on parsing nine options.
    """

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Context) -> Any:
        info, kind = self.parameter_info, self.annotation
        if kind is str and isinstance(value, str):
            return value
        if kind is int and not info.clamp:
            number = value if type(value) is int else None
            if isinstance(value, str) and WHOLE_NUMBER.fullmatch(value):
                number = int(value)
            low = float("-inf") if info.min is None else info.min
            high = float("inf") if info.max is None else info.max
            if number is not None and low <= number <= high:
                return number
        if kind is Path and info.path_type is None and isinstance(value, str | Path):
            # typer's own path checks (exists, readable, ...), given a Path so that it needs
            # no pydantic to make one
            return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        return build_runtime_param(self.descriptor).coerce(value, param=param, ctx=ctx)


def _plainly_coerced(params: list[Parameter]) -> list[Parameter]:
    """``params``, each to be coerced by ``_PlainParam``."""
    for param in params:
        if isinstance(param, _TyperParameter) and not isinstance(param._runtime_param, _PlainParam):
            descriptor = param.type_descriptor
            param._runtime_param = _PlainParam(
                descriptor.parameter_info, descriptor.annotation, descriptor
            )
    return params


class _Command(TyperCommand):
    """A command whose parameters, ``--help`` among them, ``_PlainParam`` coerces."""

    def get_params(self, ctx: Context) -> list[Parameter]:
        return _plainly_coerced(super().get_params(ctx))


class _Group(TyperGroup):
    """The commands' group, whose own options (``--version``, ``--help``) ``_PlainParam``
    coerces."""

    def get_params(self, ctx: Context) -> list[Parameter]:
        return _plainly_coerced(super().get_params(ctx))


app = typer.Typer(
    cls=_Group,
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Turn the emotional beats of a scene into a director of photography's camera plan.",
)


@cache
def _stdout() -> Console:
    """Rich's console on standard output, made when first printed to: a quiet plan prints
    nothing, and rich's import is a sixth of what Python and numpy take to start."""
    from rich.console import Console

    return Console(highlight=False)


@cache
def _stderr() -> Console:
    """Rich's console on standard error, made when first printed to (see ``_stdout``)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False)


DEMO_SCENE = "the-letter.yaml"

SceneArg = Annotated[
    str, typer.Argument(help="Scene file (.txt, .md, .yaml, .fountain), or - for standard input.")
]
PlanArg = Annotated[Path, typer.Argument(help="A plan.json written by beatcam.")]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Output folder (default: beatcam-out/<scene name>/)."),
]
SeedOpt = Annotated[int, typer.Option(help="Seed for everything random (handheld noise, music).")]
FpsOpt = Annotated[int | None, typer.Option(help="Frames per second, overriding the scene's.")]
StyleOpt = Annotated[
    str, typer.Option(help="Directing style: classical, thriller, intimate, handheld-docu, epic.")
]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or tables.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a machine-readable JSON summary.")]
HudOpt = Annotated[bool, typer.Option("--hud/--no-hud", help="Burn shot data into the previs.")]
ResolutionOpt = Annotated[
    str | None, typer.Option(help="Render size WIDTHxHEIGHT (default: the plan's, 1280x720).")
]
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        min=1,
        max=64,
        help="Scenes of a screenplay done at once, one process each (default: one per core, "
        "when there are enough scenes to make for each).",
        show_default=False,
    ),
]
DaskOpt = Annotated[
    str | None,
    typer.Option(
        help="Do the scenes on the Dask scheduler at this address (e.g. tcp://host:8786) "
        "instead of local processes; needs beatcam[dask]."
    ),
]


def _fail(error: BeatcamError | str, code: int = 2) -> NoReturn:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    _stderr().print(f"beatcam: error: {message}", markup=False, soft_wrap=True)
    raise typer.Exit(error.exit_code if isinstance(error, BeatcamError) else code)


@contextmanager
def _errors_as_lines() -> Iterator[None]:
    """Turn every expected failure into one line on stderr and the right exit code."""
    try:
        yield
    except BeatcamError as exc:
        _fail(exc)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        _fail(f"cannot write or read{where}: {exc.strerror or exc}", 2)
    except KeyboardInterrupt:
        _stderr().print("beatcam: interrupted; no partial files were kept")
        raise typer.Exit(130) from None


@contextmanager
def _progress(quiet: bool) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback (what, done, total): a bar per "what" on a terminal while it runs,
    nothing in a pipe or with --quiet."""
    if quiet or not _stderr().is_terminal:
        yield lambda label, done, total: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=_stderr(), transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = bar.add_task(label, total=None)
            bar.update(tasks[label], completed=done, total=total)
            if done >= total:
                bar.remove_task(tasks.pop(label))

        yield update


def _print_shots(plan: ShotPlan) -> None:
    """The shot list as a compact table, then each shot's reason on its own lines."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"{plan.title} — {len(plan.shots)} shots, {plan.frames / plan.fps:.1f} s")
    for column in ("shot", "beat", "sec", "size", "angle", "lens", "movement", "framing"):
        table.add_column(column, no_wrap=True)
    for shot in plan.shots:
        size = shot.size if shot.size == shot.end_size else f"{shot.size}→{shot.end_size}"
        angle = shot.angle + (f" dutch {shot.dutch_deg:+.0f}°" if abs(shot.dutch_deg) >= 5 else "")
        table.add_row(
            shot.id,
            str(shot.beat + 1),
            f"{shot.frames / plan.fps:.1f}",
            size,
            angle,
            f"{shot.lens_mm:.0f}mm",
            shot.movement,
            shot.framing,
        )
    _stdout().print(table)
    for shot in plan.shots:
        _stdout().print(f"[bold]{shot.id}[/bold] {escape(shot.why)}")


def _critique_table(verdict: Critique, everything: bool) -> Table:
    from rich.table import Table

    passing = len(verdict.checks) - len(verdict.failures)
    table = Table(title=f"critic: {passing}/{len(verdict.checks)} checks pass")
    for column in ("target", "rule", "result", "measured", "expected"):
        table.add_column(column, overflow="fold")
    for check in verdict.checks if everything else verdict.failures:
        measured = ", ".join(f"{key}={value}" for key, value in check.measured.items())
        result = "pass" if check.passed else "FAIL"
        table.add_row(check.target, check.rule, result, measured, check.expected)
    return table


@app.command(cls=_Command)
def plan(
    scene: SceneArg,
    out: OutOpt = None,
    seed: SeedOpt = 0,
    fps: FpsOpt = None,
    style: StyleOpt = "classical",
    workers: WorkersOpt = None,
    dask: DaskOpt = None,
    quiet: QuietOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Plan the shots of a scene: plan.json, shotlist.csv, trajectory.csv, critique.json."""
    with _errors_as_lines():
        from beatcam.pipeline import ShootOptions

        options = ShootOptions(seed=seed, style=style, stages=("plan",), fps=fps)
        _shoot(scene, out, options, quiet, json_out, workers, dask)


def _shoot(
    scene: str,
    out: Path | None,
    options: ShootOptions,
    quiet: bool,
    json_out: bool,
    workers: int | None = 1,
    dask: str | None = None,
) -> None:
    """Shoot through the pipeline, then print each scene's shots and critic line (or the JSON
    summary)."""
    from beatcam.pipeline import shoot as shoot_scenes
    from beatcam.pipeline import summary

    with _progress(quiet) as report:
        result = shoot_scenes(scene, out, options, workers=workers, dask=dask, report=report)
    if json_out:
        scenes = [{"folder": str(s.folder), **summary(s.plan, s.critique)} for s in result.scenes]
        use = None if result.cache is None else asdict(result.cache)
        _stdout().print_json(data={"scenes": scenes, "cache": use})
    elif not quiet:
        _print_result(result)


def _print_result(result: ShootResult) -> None:
    """Each scene's shots and critic line; paths are never wrapped away from their "wrote"."""
    for scene in result.scenes:
        _print_shots(scene.plan)
        verdict = scene.critique
        status = "all pass" if verdict.passed else f"{len(verdict.failures)} failing"
        line = f"critic: {len(verdict.checks)} checks, {status}; wrote {scene.folder}/"
        _stdout().print(line, markup=False, soft_wrap=True)
    if result.index is not None:
        _stdout().print(f"wrote {result.index}", markup=False, soft_wrap=True)
    for path in result.film:
        _stdout().print(f"wrote {path}", markup=False, soft_wrap=True)
    if result.cache is not None:
        _stdout().print(result.cache.summary(), markup=False, soft_wrap=True)


def _parse_resolution(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    from beatcam.render.previs import parse_resolution

    return parse_resolution(text)


def _parse_list(text: str, known: Sequence[str], option: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise UsageError(
            f"{option} {text!r}: unknown {unknown or 'empty'}; choose from {', '.join(known)}"
        )
    return names


@app.command(cls=_Command)
def shoot(
    scene: SceneArg,
    out: OutOpt = None,
    seed: SeedOpt = 0,
    fps: FpsOpt = None,
    style: StyleOpt = "classical",
    only: Annotated[
        str, typer.Option(help="Stages to run, comma-separated: plan,score,render,export.")
    ] = ",".join(STAGES),
    hud: HudOpt = True,
    resolution: ResolutionOpt = None,
    workers: WorkersOpt = None,
    dask: DaskOpt = None,
    quiet: QuietOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Plan, score, render and export a scene: plan, previs video, storyboard, score, exports.

    The plan always runs, since every other stage works from it; --only picks the rest.
    """
    with _errors_as_lines():
        from beatcam.pipeline import ShootOptions

        options = ShootOptions(
            seed=seed,
            style=style,
            stages=tuple(_parse_list(only, STAGES, "--only")),
            hud=hud,
            resolution=_parse_resolution(resolution),
            fps=fps,
        )
        _shoot(scene, out, options, quiet, json_out, workers, dask)


def _load(plan_path: Path) -> ShotPlan:
    from beatcam.export.plan_json import read

    return read(plan_path)


@app.command("critique", cls=_Command)
def critique_command(
    plan_file: PlanArg,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Also write critique.json into this folder.")
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="List passing checks too.")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Measure a plan against its own words; exit 1 if any check fails."""
    with _errors_as_lines():
        from beatcam.critic import critique
        from beatcam.export.critique_json import write_critique

        verdict = critique(_load(plan_file))
        if out is not None:
            write_critique(verdict, out)
        if json_out:
            _stdout().print_json(
                data={"passed": verdict.passed, "checks": [asdict(c) for c in verdict.checks]}
            )
        else:
            _stdout().print(_critique_table(verdict, everything))
    if not verdict.passed:
        raise typer.Exit(1)


@app.command(cls=_Command)
def render(
    plan_file: PlanArg,
    out: OutOpt = None,
    resolution: ResolutionOpt = None,
    hud: HudOpt = True,
    quiet: QuietOpt = False,
) -> None:
    """Render previs.mp4, shots/*.mp4 and the storyboard of a plan (with score.wav if beside it)."""
    with _errors_as_lines():
        shot_plan = _load(plan_file)
        folder = out or plan_file.parent
        # The score may be beside the output (score -o DIR) or beside the plan (score PLAN).
        scores = (folder / "score.wav", plan_file.parent / "score.wav")
        audio = next((path for path in scores if path.is_file()), None)
        from beatcam.render import render_previs, render_storyboard

        with _progress(quiet) as report:
            render_previs(
                shot_plan,
                folder,
                resolution=_parse_resolution(resolution),
                hud=hud,
                audio=audio,
                progress=partial(report, "rendering previs"),
            )
            render_storyboard(shot_plan, folder, progress=partial(report, "drawing storyboard"))


@app.command(cls=_Command)
def score(plan_file: PlanArg, out: OutOpt = None, quiet: QuietOpt = False) -> None:
    """Compose and render the score of a plan: score.json, score.mid, score.wav, stems/."""
    with _errors_as_lines():
        from beatcam.score import write_score

        with _progress(quiet) as report:
            write_score(
                _load(plan_file), out or plan_file.parent, progress=partial(report, "scoring")
            )


@app.command(cls=_Command)
def export(
    plan_file: PlanArg,
    to: Annotated[
        str,
        typer.Option(
            help=f"Formats, comma-separated: {','.join(EXPORT_FORMATS)} "
            "(also plan, shotlist, trajectory, provenance)."
        ),
    ] = ",".join(EXPORT_FORMATS),
    out: OutOpt = None,
) -> None:
    """Export a plan for 3D tools and editing timelines (provenance.json is updated too)."""
    with _errors_as_lines():
        from beatcam.export import FORMATS

        formats = _parse_list(to, sorted(FORMATS), "--to")
        if "unreal" in formats and "blender" not in formats:
            formats.append("blender")  # the FBX cameras are built by the Blender script
        shot_plan, folder = _load(plan_file), out or plan_file.parent
        from beatcam.pipeline.shooting import export_formats

        export_formats(shot_plan, folder, [*formats, "provenance"])


@app.command(cls=_Command)
def schema() -> None:
    """Print the JSON Schema of plan.json."""
    from beatcam.export.plan_json import schema as plan_schema

    sys.stdout.write(json.dumps(plan_schema(), indent=2) + "\n")


@app.command(cls=_Command)
def demo(
    out: OutOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Shoot the bundled example scene, The Letter, into ./beatcam-out/the-letter/."""
    example = resources.files("beatcam").joinpath("examples", DEMO_SCENE)
    with resources.as_file(example) as path, _errors_as_lines():
        from beatcam.pipeline import ShootOptions

        _shoot(str(path), out, ShootOptions(), quiet, False)


@app.command(cls=_Command)
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on; other than 127.0.0.1 opens it to others.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    data: Annotated[
        Path, typer.Option(help="Folder for the projects' database and the shoots' files.")
    ] = Path("beatcam-studio"),
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Shoots run at once (default: one per core); more wait."),
    ] = None,
) -> None:
    """Open the studio, a page on this machine: write beats, see and edit the shots, shoot."""
    with _errors_as_lines():
        import uvicorn

        from beatcam.web.app import create_app

        _stderr().print(f"beatcam studio on http://{host}:{port}/ (data in {data}/)", markup=False)
        uvicorn.run(create_app(data, workers), host=host, port=port, log_level="warning")


def _version(value: bool) -> None:
    if value:
        _stdout().print(f"beatcam {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Turn the emotional beats of a scene into a director of photography's camera plan."""
    # Python's cycle collector runs once per 700 new objects by default: ~100 times in a cold
    # 10-beat plan once its command starts, whose objects are few cycles among many short-lived
    # arrays, tuples and dataclasses. Once per GC_YOUNG_OBJECTS, it runs a few times, ~0.03 s
    # of CPU less, and still collects every cycle. Set here, in the command line's process
    # only, not where beatcam is imported as a library.
    gc.set_threshold(GC_YOUNG_OBJECTS, *gc.get_threshold()[1:])
    # Where Python's own exit runs (``run`` spares it when it can), it runs the cycle collector
    # over every object the command left (the modules, tables and models it loaded), several
    # times as it tears the modules down: ~0.04 s of a cold plan's CPU. Frozen when the exit
    # begins (after the command has written and closed its files), they are passed over;
    # reference counting still frees them, and the process's end returns the rest.
    atexit.register(gc.freeze)


def run() -> None:
    """The ``beatcam`` program (the installed script and ``python -m beatcam``): the command
    line, then the process's end without Python's teardown.

    Once a command has returned, its work is on disk: every file is written through
    ``beatcam.files.atomic_path`` (closed, then renamed into place), and worker processes and
    thread pools are shut down inside the command. What Python would do next is free, one by
    one, the modules, tables and models the command loaded: ~0.016 s of a cold 10-beat plan's
    CPU (issue 19), of which the process's end, doing it at once, costs ~0.007. So the exit
    handlers run (temporary folders' finalizers, logging's, multiprocessing's, and any a
    library or the user registered), then Python's and C's standard streams are flushed, and
    the process ends with the command's status. Where something is left to Python's own
    exit, a thread that is not a daemon still running or a stream that cannot be flushed (a
    closed pipe), Python's exit runs as it always has, and reports it.
    """
    try:
        app(prog_name="beatcam")
    except SystemExit as done:
        if not isinstance(done.code, int | None) or _threads_running():
            raise
        status = done.code or 0
    else:  # typer's standalone mode ends in SystemExit; a plain return is a success too
        status = 0
    atexit._run_exitfuncs()  # every handler, last registered first, as Python's exit would
    try:
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        sys.exit(status)
    _flush_c_streams()
    os._exit(status)


def _threads_running() -> bool:
    """Whether a thread Python's exit would wait for (not a daemon) is still running."""
    main_thread = threading.main_thread()
    return any(
        thread is not main_thread and not thread.daemon and thread.is_alive()
        for thread in threading.enumerate()
    )


def _flush_c_streams() -> None:
    """Flush the C library's output streams, as the C ``exit`` would: a native library may
    have printed through them."""
    if os.name == "posix":
        import ctypes

        ctypes.CDLL(None).fflush(None)
