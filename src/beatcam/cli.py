"""beatcam's command line: the edge where files, terminals and exit codes live.

Exit codes: 0 success, 1 a check failed (critique) or a stage failed, 2 bad input or usage.
Every error is one line on stderr; long work shows a progress bar on a terminal only.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from beatcam import __version__
from beatcam.errors import BeatcamError, InputError, UsageError
from beatcam.model import Critique, Scene, ShotPlan
from beatcam.model.vocab import MAX_INPUT_BYTES

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Turn the emotional beats of a scene into a director of photography's camera plan.",
)
stdout = Console(highlight=False)
stderr = Console(stderr=True, highlight=False)

DEFAULT_OUT = Path("beatcam-out")
PLAN_FORMATS = ("plan", "shotlist", "trajectory")
EXPORT_FORMATS = (
    "usd", "gltf", "blender", "unreal", "otio", "edl", "xml", "fcpxml", "shotlist_pdf",
)  # fmt: skip
STAGES = ("plan", "score", "render", "export")
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


def _fail(error: BeatcamError | str, code: int = 2) -> NoReturn:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    stderr.print(f"beatcam: error: {message}", markup=False, soft_wrap=True)
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
        stderr.print("beatcam: interrupted; no partial files were kept")
        raise typer.Exit(130) from None


@contextmanager
def _progress(label: str, quiet: bool) -> Iterator[Callable[[int, int], None]]:
    """A progress callback: a bar on a terminal, nothing in a pipe or with --quiet."""
    if quiet or not stderr.is_terminal:
        yield lambda done, total: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=stderr, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def _read_input(scene: str) -> bytes:
    if scene == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        path = Path(scene)
        if not path.exists():
            raise InputError(f"{scene}: no such file; give a scene file or - for standard input")
        if not path.is_file():
            raise InputError(f"{scene}: not a file; give a scene file or - for standard input")
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    return data


def _scenes(scene: str, fps: int | None) -> list[Scene]:
    from beatcam.script import read_scenes

    if fps is not None and not 1 <= fps <= 120:
        raise UsageError(f"--fps {fps} is out of range; use 1 to 120")
    scenes = read_scenes(scene, _read_input(scene))
    return [replace(item, fps=fps) if fps else item for item in scenes]


def _folders(scene: str, scenes: Sequence[Scene], out: Path | None) -> tuple[Path, list[Path]]:
    """(base folder, one folder per scene): DIR itself for a scene, DIR/NN-slug for each scene
    of a screenplay (even a screenplay of one scene, so its layout never changes)."""
    if len(scenes) == 1 and Path(scene).suffix.lower() != ".fountain":
        folder = out or DEFAULT_OUT / scenes[0].slug
        return folder, [folder]
    from beatcam.script import slugify

    base = out or DEFAULT_OUT / slugify(Path(scene).stem if scene != "-" else "screenplay")
    return base, [base / f"{index + 1:02d}-{item.slug}" for index, item in enumerate(scenes)]


def _print_shots(plan: ShotPlan) -> None:
    """The shot list as a compact table, then each shot's reason on its own lines."""
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
    stdout.print(table)
    for shot in plan.shots:
        stdout.print(f"[bold]{shot.id}[/bold] {escape(shot.why)}")


def _critique_table(verdict: Critique, everything: bool) -> Table:
    passing = len(verdict.checks) - len(verdict.failures)
    table = Table(title=f"critic: {passing}/{len(verdict.checks)} checks pass")
    for column in ("target", "rule", "result", "measured", "expected"):
        table.add_column(column, overflow="fold")
    for check in verdict.checks if everything else verdict.failures:
        measured = ", ".join(f"{key}={value}" for key, value in check.measured.items())
        result = "pass" if check.passed else "FAIL"
        table.add_row(check.target, check.rule, result, measured, check.expected)
    return table


def _plan_into(
    scene: Scene, folder: Path, seed: int, style: str, quiet: bool, scored: bool
) -> tuple[ShotPlan, Critique]:
    from beatcam.export import export_plan
    from beatcam.export.critique_json import write_critique
    from beatcam.pipeline import plan_scene

    extra: tuple[dict[str, str], ...] = ()
    if scored:
        from beatcam.score import SCORE_PROVENANCE

        extra = tuple(dict(model) for model in SCORE_PROVENANCE)
    with _progress(f"planning {scene.title}", quiet) as progress:
        plan, verdict = plan_scene(
            scene, seed=seed, style=style, progress=progress, extra_models=extra
        )
    export_plan(plan, folder, PLAN_FORMATS)
    write_critique(verdict, folder)
    return plan, verdict


def _write_index(base: Path, entries: list[dict[str, Any]]) -> None:
    from beatcam.files import write_atomic

    document = {"beatcam": "1", "scenes": entries}
    write_atomic(base / "index.json", json.dumps(document, indent=2, ensure_ascii=False) + "\n")


@app.command()
def plan(
    scene: SceneArg,
    out: OutOpt = None,
    seed: SeedOpt = 0,
    fps: FpsOpt = None,
    style: StyleOpt = "classical",
    quiet: QuietOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Plan the shots of a scene: plan.json, shotlist.csv, trajectory.csv, critique.json."""
    with _errors_as_lines():
        _run_scenes(scene, out, fps, Job(seed, style, ("plan",), True, None, quiet), json_out)


@dataclass(frozen=True)
class Job:
    """Everything one scene's run needs, so it can be handed to another process."""

    seed: int
    style: str
    stages: tuple[str, ...]
    hud: bool
    resolution: tuple[int, int] | None
    quiet: bool


def _run_one(job: Job, item: Scene, folder: Path) -> tuple[ShotPlan, Critique]:
    """Plan one scene into its folder, then the other stages asked for."""
    shot_plan, verdict = _plan_into(
        item, folder, job.seed, job.style, job.quiet, "score" in job.stages
    )
    if {"score", "render", "export"} & set(job.stages):
        _shoot_stages(shot_plan, folder, job.stages, job.hud, job.resolution, job.quiet)
    return shot_plan, verdict


def _run_scenes(
    scene: str,
    out: Path | None,
    fps: int | None,
    job: Job,
    json_out: bool,
    workers: int = 1,
) -> None:
    from beatcam.direct import style_named
    from beatcam.pipeline import summary

    style_named(job.style)
    scenes = _scenes(scene, fps)
    base, folders = _folders(scene, scenes, out)
    if workers > 1 and len(scenes) > 1:
        # Scenes are independent: each goes to its own process (no progress bars there).
        quiet_job = replace(job, quiet=True)
        with ProcessPoolExecutor(max_workers=min(workers, len(scenes))) as pool:
            results = list(pool.map(_run_one, [quiet_job] * len(scenes), scenes, folders))
    else:
        results = [
            _run_one(job, item, folder) for item, folder in zip(scenes, folders, strict=True)
        ]
    summaries = []
    for (shot_plan, verdict), folder in zip(results, folders, strict=True):
        summaries.append({"folder": str(folder), **summary(shot_plan, verdict)})
        if not job.quiet and not json_out:
            _print_shots(shot_plan)
            status = "all pass" if verdict.passed else f"{len(verdict.failures)} failing"
            stdout.print(f"critic: {len(verdict.checks)} checks, {status}; wrote {folder}/")
    if folders[0] != base:
        _write_index(base, [{"index": n + 1, **entry} for n, entry in enumerate(summaries)])
    if json_out:
        stdout.print_json(data={"scenes": summaries})


def _remove_stale_shots(plan: ShotPlan, folder: Path) -> None:
    """Drop per-shot files an earlier, longer plan left in this folder, so the folder (and
    provenance.json, which lists it) describes this plan only."""
    current = {shot.id for shot in plan.shots}
    for pattern in ("shots/S*.mp4", "unreal/cameras/S*.fbx"):
        for path in folder.glob(pattern):
            if path.stem not in current:
                path.unlink()


def _shoot_stages(
    plan: ShotPlan,
    folder: Path,
    stages: Sequence[str],
    hud: bool,
    resolution: tuple[int, int] | None,
    quiet: bool,
) -> None:
    _remove_stale_shots(plan, folder)
    audio = None
    if "score" in stages:
        from beatcam.score import write_score

        with _progress("scoring", quiet) as progress:
            write_score(plan, folder, progress=progress)
        audio = folder / "score.wav"
    if "render" in stages:
        from beatcam.render import render_previs, render_storyboard

        with _progress("rendering previs", quiet) as progress:
            render_previs(
                plan, folder, resolution=resolution, hud=hud, audio=audio, progress=progress
            )
        with _progress("drawing storyboard", quiet) as progress:
            render_storyboard(plan, folder, progress=progress)
    if "export" in stages:
        with _progress("exporting", quiet):
            _export(plan, folder, EXPORT_FORMATS)
    from beatcam.export import export_plan

    export_plan(plan, folder, ("provenance",))


def _export(plan: ShotPlan, folder: Path, formats: Sequence[str]) -> None:
    """Write the formats; where Blender's Python is installed, also build the .blend and the
    per-shot FBX cameras the Blender and Unreal exports promise."""
    from beatcam.export import blender, export_plan

    export_plan(plan, folder, formats)
    wanted = {"blender", "unreal"} & set(formats)
    if wanted and blender.blender_command() is not None:
        blender.build(
            folder / "blender" / "build_scene.py",
            blend=folder / "blender" / "scene.blend" if "blender" in wanted else None,
            fbx_dir=folder / "unreal" / "cameras" if "unreal" in wanted else None,
        )


def _parse_resolution(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise UsageError(f"--resolution {text!r} is not WIDTHxHEIGHT, e.g. 1280x720") from None
    if not (16 <= width <= 7680 and 16 <= height <= 4320) or width % 2 or height % 2:
        raise UsageError(f"--resolution {text} must be even sizes between 16x16 and 7680x4320")
    return width, height


def _parse_list(text: str, known: Sequence[str], option: str) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise UsageError(
            f"{option} {text!r}: unknown {unknown or 'empty'}; choose from {', '.join(known)}"
        )
    return names


@app.command()
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
    workers: Annotated[
        int,
        typer.Option(min=1, max=64, help="Scenes of a screenplay shot at once, one process each."),
    ] = 1,
    quiet: QuietOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Plan, score, render and export a scene: plan, previs video, storyboard, score, exports.

    The plan always runs, since every other stage works from it; --only picks the rest.
    """
    with _errors_as_lines():
        stages = tuple(_parse_list(only, STAGES, "--only"))
        size = _parse_resolution(resolution)
        _run_scenes(scene, out, fps, Job(seed, style, stages, hud, size, quiet), json_out, workers)


def _load(plan_path: Path) -> ShotPlan:
    from beatcam.export.plan_json import read

    return read(plan_path)


@app.command("critique")
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
            stdout.print_json(
                data={"passed": verdict.passed, "checks": [asdict(c) for c in verdict.checks]}
            )
        else:
            stdout.print(_critique_table(verdict, everything))
    if not verdict.passed:
        raise typer.Exit(1)


@app.command()
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

        with _progress("rendering previs", quiet) as progress:
            render_previs(
                shot_plan,
                folder,
                resolution=_parse_resolution(resolution),
                hud=hud,
                audio=audio,
                progress=progress,
            )
        with _progress("drawing storyboard", quiet) as progress:
            render_storyboard(shot_plan, folder, progress=progress)


@app.command()
def score(plan_file: PlanArg, out: OutOpt = None, quiet: QuietOpt = False) -> None:
    """Compose and render the score of a plan: score.json, score.mid, score.wav, stems/."""
    with _errors_as_lines():
        from beatcam.score import write_score

        with _progress("scoring", quiet) as progress:
            write_score(_load(plan_file), out or plan_file.parent, progress=progress)


@app.command()
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
        _export(shot_plan, folder, [*formats, "provenance"])


@app.command()
def schema() -> None:
    """Print the JSON Schema of plan.json."""
    from beatcam.export.plan_json import schema as plan_schema

    sys.stdout.write(json.dumps(plan_schema(), indent=2) + "\n")


@app.command()
def demo(
    out: OutOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Shoot the bundled example scene, The Letter, into ./beatcam-out/the-letter/."""
    example = resources.files("beatcam").joinpath("examples", DEMO_SCENE)
    with resources.as_file(example) as path, _errors_as_lines():
        _run_scenes(str(path), out, None, Job(0, "classical", STAGES, True, None, quiet), False)


def _version(value: bool) -> None:
    if value:
        stdout.print(f"beatcam {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Turn the emotional beats of a scene into a director of photography's camera plan."""
