"""Planning one scene: the stages from scene to checked ShotPlan, run in order.

scene ─affect─▶ feelings ─direct─▶ worded shots ─camera─▶ tracks ─critic─▶ repairs ─▶ ShotPlan

A shot the critic rejects is repaired by the named strategies of ``pipeline.repair``, so a
written plan never says one thing and does another. Whatever still fails (there should be
nothing) stays in the returned Critique for the caller to report. A long scene's shots are
settled in parts, one process a core, and joined into the plan settling them in order makes
(``pipeline.parts``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from functools import partial

from beatcam import __version__, blas, collector
from beatcam.affect import read_affect
from beatcam.camera import Judged
from beatcam.direct import DEFAULT_STYLE, Style, direct
from beatcam.model import (
    Check,
    Critique,
    Direction,
    Provenance,
    Scene,
    Shot,
    ShotPlan,
    ShotSpec,
)
from beatcam.model.vocab import ASPECTS, RESOLUTION
from beatcam.pipeline import parts
from beatcam.pipeline.repair import repair
from beatcam.pipeline.reuse import (
    camera_track,
    keep_settled,
    settled,
    settled_key,
    tracks_to_make,
)

DIRECTOR_PROVENANCE = {
    "name": "beatcam film-grammar rules",
    "version": __version__,
    "licence": "MIT",
    "source": "written for beatcam from cinematography literature; no learned weights",
}

Progress = Callable[[int, int], None]


def _shot(
    spec: ShotSpec, direction: Direction, scene: Scene, seed: int, judged: Judged | None = None
) -> Shot:
    sensor = ASPECTS[scene.aspect]
    camera = camera_track(spec, direction.blocking, direction.set, sensor, scene.fps, seed, judged)
    values = {field.name: getattr(spec, field.name) for field in fields(ShotSpec)}
    values["lens_mm"] = round(float(camera.focal_mm[0]), 5)
    return Shot(**values, camera=camera)


def _assemble(
    scene: Scene,
    direction: Direction,
    shots: list[Shot],
    seed: int,
    models: tuple[dict[str, str], ...],
) -> ShotPlan:
    return ShotPlan(
        title=scene.title,
        fps=scene.fps,
        seed=seed,
        aspect=scene.aspect,
        sensor_mm=ASPECTS[scene.aspect],
        resolution=RESOLUTION,
        style=direction.style,
        cast=tuple((member.name, member.height_m) for member in scene.cast),
        set=direction.set,
        beats=direction.beats,
        blocking=direction.blocking,
        shots=tuple(shots),
        provenance=Provenance(__version__, scene.source_sha256, models),
    )


def plan_scene(
    scene: Scene,
    *,
    seed: int = 0,
    style: str | Style = DEFAULT_STYLE,
    progress: Progress | None = None,
    extra_models: tuple[dict[str, str], ...] = (),
) -> tuple[ShotPlan, Critique]:
    """Plan one scene end to end; the Critique is of the final, repaired plan.

    ``extra_models`` are provenance entries of later stages (the score's synthesiser and
    sound font) so that plan.json names everything the whole shoot used. numpy's BLAS runs on
    one thread meanwhile, so a plan's numbers do not depend on the machine's cores
    (``beatcam.blas``), and the cyclic garbage collector waits (``beatcam.collector``).
    """
    with blas.one_thread(), collector.paused():
        return _plan_scene(scene, seed, style, progress, extra_models)


def _plan_scene(
    scene: Scene,
    seed: int,
    style: str | Style,
    progress: Progress | None,
    extra_models: tuple[dict[str, str], ...],
) -> tuple[ShotPlan, Critique]:
    affected = read_affect(scene)
    direction = direct(affected, style)
    models = (
        *(dict(model) for model in affected.models),
        DIRECTOR_PROVENANCE,
        *extra_models,
    )
    sensor = ASPECTS[scene.aspect]
    starts = parts.starts(
        direction.shots,
        to_make=partial(
            tracks_to_make,
            direction.shots,
            direction.blocking,
            direction.set,
            sensor,
            scene.fps,
            seed,
        ),
    )
    if len(starts) == 1:
        plan, part = _settle(direction, scene, seed, models, 0, len(direction.shots), progress)
        return plan, Critique(tuple(check for checks in part.checks for check in checks))
    return _settle_in_parts(starts, direction, scene, seed, models, progress)


@dataclass(frozen=True)
class _Part:
    """Shots ``start`` to ``start + len(settled)`` of a plan, settled in order: as first
    tracked (after the shot before ``start`` as first tracked, when there is one: the cut into
    ``start`` was judged against it), as settled, and each one's checks."""

    start: int
    tracked: tuple[Shot, ...]
    settled: tuple[Shot, ...]
    checks: tuple[list[Check], ...]

    def read(self, index: int) -> Shot:
        """Shot ``index`` (``start - 1`` or later) as settling the part's later shots read it."""
        return self.tracked[0] if index < self.start else self.settled[index - self.start]


def _settle(
    direction: Direction,
    scene: Scene,
    seed: int,
    models: tuple[dict[str, str], ...],
    start: int,
    stop: int,
    progress: Progress | None = None,
) -> tuple[ShotPlan, _Part]:
    """Shots ``start`` to ``stop`` of the direction tracked, then checked and repaired in
    order: the plan of them (headed by the shot before ``start`` as first tracked, when there
    is one), and the part."""
    lead = 1 if start else 0
    specs = direction.shots[start - lead : stop]
    tracked: list[Shot] = []
    for done, spec in enumerate(specs, start=1):
        tracked.append(_shot(spec, direction, scene, seed))
        if progress:
            progress(done, len(specs))
    plan = _assemble(scene, direction, tracked, seed, models)
    checks: list[list[Check]] = []
    # Shots are settled in order, so the cut into each shot is judged against its final
    # predecessor, and every shot's last checks are the plan's final critique.
    for index in range(lead, len(specs)):
        plan, shot_checks = settle_shot(plan, index, specs[index], direction, scene, seed)
        checks.append(shot_checks)
    return plan, _Part(start, tuple(tracked), plan.shots[lead:], tuple(checks))


def _settle_part(
    direction: Direction,
    scene: Scene,
    seed: int,
    models: tuple[dict[str, str], ...],
    start: int,
    stop: int,
) -> _Part:
    """``_settle`` in a part's own process, which sends back the part alone."""
    with blas.one_thread(), collector.paused():
        return _settle(direction, scene, seed, models, start, stop)[1]


def _settle_in_parts(
    starts: list[int],
    direction: Direction,
    scene: Scene,
    seed: int,
    models: tuple[dict[str, str], ...],
    progress: Progress | None,
) -> tuple[ShotPlan, Critique]:
    """The shots settled in parts beginning at ``starts``, the first here and each other in a
    process of its own, joined in order into the plan settling them all here in order makes
    (``pipeline.parts``)."""
    stops = [*starts[1:], len(direction.shots)]
    processes = [
        parts.Process(_settle_part, direction, scene, seed, models, start, stop)
        for start, stop in zip(starts[1:], stops[1:], strict=True)
    ]
    plan, mine = _settle(direction, scene, seed, models, 0, starts[1], progress)
    verdicts = [check for checks in mine.checks for check in checks]
    shots = list(plan.shots)
    for start, stop, process in zip(starts[1:], stops[1:], processes, strict=True):
        part: _Part | None = process.result()
        # The part's shots as first tracked, each replaced in turn by the shot settled.
        if part is None:  # its process failed: tracked here
            shots += [_shot(spec, direction, scene, seed) for spec in direction.shots[start:stop]]
        else:
            shots += part.tracked[1:]
        for index in range(start, stop):
            # What settling the shot read: the shot before, and the shots before it in its beat.
            read = range(min(index - 1, _beat_start(shots, index)), index)
            if part is not None and all(
                parts.identical(shots[before], part.read(before)) for before in read
            ):
                shots[index] = part.settled[index - start]
                verdicts.extend(part.checks[index - start])
            else:  # the shots it read settled otherwise here: settled again, on what they are
                spec = direction.shots[index]
                plan = replace(plan, shots=tuple(shots))
                plan, checks = settle_shot(plan, index, spec, direction, scene, seed)
                shots[index] = plan.shots[index]
                verdicts.extend(checks)
    if progress:
        progress(len(shots), len(shots))
    return replace(plan, shots=tuple(shots)), Critique(tuple(verdicts))


def _beat_start(shots: list[Shot], index: int) -> int:
    """The first shot of shot ``index``'s beat (a beat's shots follow each other)."""
    while index and shots[index - 1].beat == shots[index].beat:
        index -= 1
    return index


def settle_shot(
    plan: ShotPlan, index: int, spec: ShotSpec, direction: Direction, scene: Scene, seed: int
) -> tuple[ShotPlan, list[Check]]:
    """The plan with shot ``index`` (the director's ``spec``) checked and repaired against the
    shots before it as ``plan`` has them, and its checks (the shot's and the cut into it)."""
    entry = settled_key(plan, index, direction.set)
    known = settled(plan, index, entry)
    if known is not None:  # settled by a run before, on the same inputs (pipeline/reuse.py)
        return known
    # The versions a repair tries differ mostly in where the camera stands, and their
    # searches meet the same candidates: judged once for the shot (camera.Judged).
    shoot = partial(_shot, direction=direction, scene=scene, seed=seed, judged={})
    plan, checks = repair(plan, index, spec, shoot)
    keep_settled(plan, index, checks, entry)
    return plan, checks


def summary(plan: ShotPlan, verdict: Critique) -> dict[str, object]:
    """A machine-readable digest of a plan, for ``--json``."""
    return {
        "title": plan.title,
        "fps": plan.fps,
        "frames": plan.frames,
        "seconds": round(plan.frames / plan.fps, 3),
        "shots": len(plan.shots),
        "critic_pass_rate": round(verdict.pass_rate, 4),
        "critic_failures": [asdict(check) for check in verdict.failures],
    }
