"""Planning one scene: the stages from scene to checked ShotPlan, run in order.

scene ─affect─▶ feelings ─direct─▶ worded shots ─camera─▶ tracks ─critic─▶ repairs ─▶ ShotPlan

A shot the critic rejects is handed back to the director for a plainer version, up to three
times, so a written plan never says one thing and does another. Whatever still fails (there
should be nothing) stays in the returned Critique for the caller to report.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, fields, replace

from beatcam import __version__, blas
from beatcam.affect import read_affect
from beatcam.critic import critique_cut, critique_shot
from beatcam.direct import DEFAULT_STYLE, Style, direct, render, revise
from beatcam.model import (
    MOVABLE_RULES,
    Check,
    CriticRule,
    Critique,
    Direction,
    Provenance,
    Scene,
    Shot,
    ShotPlan,
    ShotSpec,
)
from beatcam.model.geometry import wrap_deg
from beatcam.model.vocab import ASPECTS, RESOLUTION, moves_where
from beatcam.pipeline.reuse import camera_track, keep_settled, settled, settled_key

REPAIR_ATTEMPTS = 3
# Where the plainest shot still breaks a cut rule (people moved since the last camera) or
# someone blocks its view, it tries standing at each of these azimuths round its subject,
# nearest the planned one first.
LAST_RESORT_STEP_DEG = 30.0
# Moves whose words say nothing about size: only the subject can change it during the shot.
HOLDS_SIZE = moves_where(holds_size=True)
DIRECTOR_PROVENANCE = {
    "name": "beatcam film-grammar rules",
    "version": __version__,
    "licence": "MIT",
    "source": "written for beatcam from cinematography literature; no learned weights",
}

Progress = Callable[[int, int], None]


def _shot(spec: ShotSpec, direction: Direction, scene: Scene, seed: int) -> Shot:
    sensor = ASPECTS[scene.aspect]
    camera = camera_track(spec, direction.blocking, direction.set, sensor, scene.fps, seed)
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


def _with_shot(plan: ShotPlan, index: int, shot: Shot) -> ShotPlan:
    """The plan with shot ``index`` replaced."""
    return replace(plan, shots=(*plan.shots[:index], shot, *plan.shots[index + 1 :]))


def _checks(plan: ShotPlan, index: int) -> list[Check]:
    """The critic on one shot and on the cut into it."""
    shot = plan.shots[index]
    checks = critique_shot(plan, shot)
    if index:
        checks += critique_cut(plan, plan.shots[index - 1], shot)
    return checks


def _failed(checks: list[Check]) -> list[Check]:
    return [check for check in checks if not check.passed]


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
            verdicts.extend(checks)
            continue
        plan, checks = _settle(plan, index)
        attempt = 0
        revised = spec
        rules: frozenset[CriticRule] = frozenset()
        while _failed(checks) and attempt < REPAIR_ATTEMPTS:
            attempt += 1
            # Every fault seen so far: a plainer shot must not bring back an earlier one.
            rules |= {check.rule for check in _failed(checks)}
            revised = revise(spec, rules, attempt, _previous_azimuth(plan, index), plan.blocking)
            revised_shot = _shot(revised, direction, scene, seed)
            plan, checks = _settle(_with_shot(plan, index, revised_shot), index)
        if _failed(checks) and {check.rule for check in _failed(checks)} <= MOVABLE_RULES:
            plan, checks = _stand_elsewhere(plan, index, revised, direction, scene, seed, checks)
        keep_settled(plan, index, checks, entry)
        verdicts.extend(checks)
    return plan, Critique(tuple(verdicts))


def _stand_elsewhere(
    plan: ShotPlan,
    index: int,
    spec: ShotSpec,
    direction: Direction,
    scene: Scene,
    seed: int,
    checks: list[Check],
) -> tuple[ShotPlan, list[Check]]:
    """The plainest shot, moved round its subject until the cut into it keeps the 180° and 30°
    rules and nothing blocks the view; unchanged (with its failing checks) if no place does."""
    steps = round(360.0 / LAST_RESORT_STEP_DEG)
    offsets = sorted(range(1, steps), key=lambda k: (min(k, steps - k), k))
    for offset in offsets:
        azimuth = wrap_deg(spec.azimuth_deg + offset * LAST_RESORT_STEP_DEG)
        moved = replace(spec, azimuth_deg=azimuth)
        candidate, tried = _settle(
            _with_shot(plan, index, _shot(moved, direction, scene, seed)), index
        )
        if not _failed(tried):
            return candidate, tried
    return plan, checks


def _settle(plan: ShotPlan, index: int) -> tuple[ShotPlan, list[Check]]:
    """Check a shot; when its only fault is an end size that the subject's own move caused,
    say so in its words (the track stays as it is) rather than call the shot a failure."""
    checks = _checks(plan, index)
    failed = _failed(checks)
    shot = plan.shots[index]
    if failed and {c.rule for c in failed} == {CriticRule.END_SIZE} and shot.movement in HOLDS_SIZE:
        measured = str(failed[0].measured["measured"])
        relabelled = replace(shot, end_size=measured, reason=replace(shot.reason, ends_in=measured))
        relabelled = replace(relabelled, why=render(relabelled))
        plan = _with_shot(plan, index, relabelled)
        checks = _checks(plan, index)
    return plan, checks


def _previous_azimuth(plan: ShotPlan, index: int) -> float | None:
    """Where the previous shot's camera ended, as an azimuth around this shot's subject."""
    shot = plan.shots[index]
    if not index or not shot.subjects:
        return None
    track = plan.blocking[shot.subjects[0]]
    offset = plan.shots[index - 1].camera.position[-1] - track.position[shot.start_frame]
    heading = math.degrees(math.atan2(offset[0], offset[2]))
    return wrap_deg(heading - float(track.facing_deg[shot.start_frame]))


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
