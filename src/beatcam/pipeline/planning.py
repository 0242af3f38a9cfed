"""Planning one scene: the stages from scene to checked ShotPlan, run in order.

scene ─affect─▶ feelings ─direct─▶ worded shots ─camera─▶ tracks ─critic─▶ repairs ─▶ ShotPlan

A shot the critic rejects is repaired by the named strategies of ``pipeline.repair``, so a
written plan never says one thing and does another. Whatever still fails (there should be
nothing) stays in the returned Critique for the caller to report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, fields
from functools import partial

from beatcam import __version__, blas
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
from beatcam.pipeline.repair import repair
from beatcam.pipeline.reuse import camera_track, keep_settled, settled, settled_key

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
    (``beatcam.blas``).
    """
    with blas.one_thread():
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
    shots: list[Shot] = []
    total = len(direction.shots)
    for done, spec in enumerate(direction.shots, start=1):
        shots.append(_shot(spec, direction, scene, seed))
        if progress:
            progress(done, total)
    plan = _assemble(scene, direction, shots, seed, models)
    verdicts: list[Check] = []
    # Shots are settled in order, so the cut into each shot is judged against its final
    # predecessor, and every shot's last checks are the plan's final critique.
    for index, spec in enumerate(direction.shots):
        entry = settled_key(plan, index, direction.set)
        known = settled(plan, index, entry)
        if known is not None:  # settled by a run before, on the same inputs (pipeline/reuse.py)
            plan, checks = known
        else:
            # The versions a repair tries differ mostly in where the camera stands, and their
            # searches meet the same candidates: judged once for the shot (camera.Judged).
            shoot = partial(_shot, direction=direction, scene=scene, seed=seed, judged={})
            plan, checks = repair(plan, index, spec, shoot)
            keep_settled(plan, index, checks, entry)
        verdicts.extend(checks)
    return plan, Critique(tuple(verdicts))


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
