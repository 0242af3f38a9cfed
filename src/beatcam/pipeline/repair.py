"""Repairing a shot the critic rejected: named strategies, tried in a stated order.

A written plan must not say one thing and do another (docs/design.md section 3), so each shot
is checked as soon as the shot before it is final (the cut into it is judged against what
really precedes it), and a shot the critic rejects is repaired here. The strategies, in the
order they are tried:

1. *relabel end size* (``relabel_end_size``): a shot whose only fault is an end size that the
   subject's own move caused says so in its words; the track stays. Every version of a shot
   gets this chance, so it also finishes the versions the other strategies make.
2. *wider frame* (``wider_frame``): a moving shot whose only faults are its frame's (the
   subject walks or rises out of it, its end size does not hold, the head loses its room)
   keeps its move a size wider, then two: an operator loosens the frame before giving up the
   move the beat asked for.
3. *step round* (``direct.step_round``), *cut in or out* (``cut_in_or_out``), then *plainer
   shot* (``direct.plainer``), each from the director's shot with every fault seen so far:
   while every fault is one a camera fixes by standing elsewhere (a cut's, a blocked view, a
   face unseen), the camera steps round its subject, twice at most; where the director's shot
   only jump-cut from the shot before (with its frame's faults at most), it keeps its move at
   the nearest size two steps or more from the shot before's; then the shot gives up the
   rungs of the director's
   ladder one at a time, from the first (simpler move, static level single at its angle, the
   same at eye level, eye-level medium or wide; a rung that changes nothing is skipped), so
   a shot that stepped round still tries keeping its angle before it gives that up: an
   over-the-shoulder that loses its shoulder (a camera standing elsewhere round the far face
   does not bring it back) first tries a simpler move, then becomes the far person's single.
   Before the rung that gives the move up, where every fault the director's move met was one
   of standing, the camera makes that move from further round its subject (``further_round``,
   named a step round).
   The last version tried stays, even if it still fails.
4. *stand elsewhere* (``stand_elsewhere``): when every fault left is one of standing, the
   plainest shot that kept its high or low angle, then the plainest shot, goes round its
   subject in ``LAST_RESORT_STEP_DEG`` steps, nearest first.
5. *cover another way* (``cover_another_way``): when the plainest single cannot be placed, the
   beat is covered with a two-shot or an over-the-shoulder that takes in the other person, or,
   for a reaction, with the other person's single.
6. *another size* (``another_size``): the last resort, for a shot nothing above saves (a walled
   corridor where the ladder's widest shot cannot stand back far enough, someone in the way at
   every place round the subject): the plainest single at each other size, nearest its own
   first, the wider of two equally near first, from where it stood and then round its subject
   as *stand elsewhere* goes.

The first version the critic passes is kept, and its ``Reason.repair`` names the strategy that
made it (``direct.wording`` says it in a crew's words; a relabelled end size on top of another
strategy shows in ``Reason.ends_in``). A shot no strategy saves keeps its last ladder version and
its failing checks, for the caller to report.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from beatcam.critic import critique_cut, critique_shot, reacts
from beatcam.direct import (
    Retake,
    describe,
    plainer,
    render,
    rules_that_hold,
    step_round,
    step_round_to,
)
from beatcam.direct.candidates import size_suits
from beatcam.direct.placement import FRAMING_AZIMUTH
from beatcam.model import (
    JUMP_SIZE_STEPS,
    MOVABLE_RULES,
    Check,
    CriticRule,
    Reason,
    Repair,
    Shot,
    ShotPlan,
    ShotSpec,
)
from beatcam.model.geometry import wrap_deg
from beatcam.model.sets import on_stage
from beatcam.model.vocab import SIZES, moves_where

__all__ = [
    "REPAIR_ATTEMPTS",
    "Rejected",
    "Shoot",
    "cover_another_way",
    "relabel_end_size",
    "repair",
    "stand_elsewhere",
    "wider_frame",
]

# The director's ladder has four rungs (``direct.plainer``): a simpler move, a static level
# single at the shot's angle, the same at eye level, an eye-level medium or wide shot.
REPAIR_ATTEMPTS = 4
# The camera steps round its subject twice at most (``direct.step_round``: the nearer place,
# then the farther), so the plainer rungs after it are still tried.
STEP_ROUND_ATTEMPTS = 2
# Where the plainest shot still breaks a cut rule (people moved since the last camera) or
# someone blocks its view, it tries standing at each of these azimuths round its subject,
# nearest the planned one first.
LAST_RESORT_STEP_DEG = 30.0
# Moves whose words say nothing about size: only the subject can change it during the shot.
HOLDS_SIZE = moves_where(holds_size=True)
# The faults of a frame too tight for what happens in it, which a looser frame mends.
FRAME_RULES = frozenset({CriticRule.SUBJECT_IN_FRAME, CriticRule.END_SIZE, CriticRule.HEADROOM})
# How many sizes wider a moving shot may be framed to keep its move (MS to FS at most).
WIDER_STEPS = 2
# A jump cut, and the frame's own faults that a size change may bring or mend with it.
JUMP_RULES = FRAME_RULES | {CriticRule.THIRTY_DEGREES}

Shoot = Callable[[ShotSpec], Shot]
"""The camera for one version of a shot: its track computed from its words."""


@dataclass(frozen=True)
class Rejected:
    """A shot the ladder could not save, as the last strategies see it: the ``plan`` with the
    shot's plainest version at ``index``, the shot as the director worded it (``spec``), that
    plainest version (``tried``) and every rule its versions broke (``failed``)."""

    plan: ShotPlan
    index: int
    spec: ShotSpec
    tried: ShotSpec
    failed: frozenset[CriticRule]
    # The plainest version that kept the shot's high or low angle, where the ladder tried one
    # before giving the angle up: standing elsewhere, it may keep what the angle says.
    angled: ShotSpec | None = None


def repair(
    plan: ShotPlan, index: int, spec: ShotSpec, shoot: Shoot
) -> tuple[ShotPlan, list[Check]]:
    """Shot ``index`` of ``plan`` (the director's ``spec``, shot) checked, and repaired by the
    strategies of this module in their order until the critic passes it; the plan with its
    final version, and that version's checks (the shot's and the cut into it)."""
    plan, checks = relabel_end_size(plan, index)
    if _failed(checks) and spec.movement != "static" and _rules(checks) <= FRAME_RULES:
        loosened = Rejected(plan, index, spec, spec, _rules(checks))
        saved = _first_passing(loosened, Repair.WIDER_FRAME, wider_frame, shoot)
        if saved is not None:
            return saved
    own = _rules(checks)  # the director's shot's own faults
    jumps = CriticRule.THIRTY_DEGREES in own and own <= JUMP_RULES
    tried, failed, angled = spec, frozenset[CriticRule](), None
    moving_faults, went_round = failed, False
    taken = dict.fromkeys(LADDER, 0)  # the versions of each strategy tried so far
    while _failed(checks) and taken[Repair.PLAINER_SHOT] < REPAIR_ATTEMPTS:
        # Every fault seen so far: a plainer shot must not bring back an earlier one.
        failed |= _rules(checks)
        stepping = failed <= MOVABLE_RULES and taken[Repair.STEP_ROUND] < STEP_ROUND_ATTEMPTS
        strategy = Repair.STEP_ROUND if stepping else Repair.PLAINER_SHOT
        if strategy is Repair.PLAINER_SHOT and not taken[strategy]:
            if jumps:
                # Standing elsewhere did not mend the jump cut: a size far enough from the shot
                # before's does, before the ladder gives the move up.
                jumped = Rejected(plan, index, spec, spec, own)
                saved = _first_passing(jumped, Repair.CUT_IN_OR_OUT, cut_in_or_out, shoot)
                if saved is not None:
                    return saved
            moving_faults = failed  # what the director's move met, stood where it was tried
        taken[strategy] += 1
        retake = Retake(
            spec, failed, taken[strategy], _previous_azimuth(plan, index), plan.blocking
        )
        version = _saved_by(LADDER[strategy](retake), strategy)
        if _same_camera_work(version, tried):
            continue  # an eye-level shot has no angle to give up: that rung is the next one
        gives_up = version.movement == "static" != tried.movement
        if gives_up and not went_round and moving_faults <= MOVABLE_RULES:
            # Before the ladder gives the move up, the camera makes the director's move from
            # further round its subject, as a DP lays the dolly's track elsewhere before
            # giving up the move the beat asked for.
            went_round = True
            moving = Rejected(plan, index, spec, spec, moving_faults)
            saved = _first_passing(moving, Repair.STEP_ROUND, further_round, shoot)
            if saved is not None:
                return saved
        tried = version
        if strategy is Repair.PLAINER_SHOT and version.angle != "eye_level":
            angled = version
        plan, checks = relabel_end_size(_with_shot(plan, index, shoot(tried)), index)
    if not _failed(checks):
        return plan, checks
    rejected = Rejected(plan, index, spec, tried, failed | _rules(checks), angled)
    if _rules(checks) <= MOVABLE_RULES:
        saved = _first_passing(rejected, Repair.STAND_ELSEWHERE, stand_elsewhere, shoot)
        if saved is not None:
            return saved
    covered = _first_passing(rejected, Repair.COVER_ANOTHER_WAY, cover_another_way, shoot)
    if covered is not None:
        return covered
    resized = _first_passing(rejected, Repair.ANOTHER_SIZE, another_size, shoot)
    return resized or (plan, checks)


def relabel_end_size(plan: ShotPlan, index: int) -> tuple[ShotPlan, list[Check]]:
    """*Relabel end size*: check shot ``index``; when its only fault is an end size that the
    subject's own move caused (the move's words say nothing about size), say so in its words
    (the track stays as it is) rather than call the shot a failure."""
    checks = _checks(plan, index)
    failed = _failed(checks)
    shot = plan.shots[index]
    if failed and _rules(failed) == {CriticRule.END_SIZE} and shot.movement in HOLDS_SIZE:
        measured = str(failed[0].measured["measured"])
        saved_by = shot.reason.repair or Repair.RELABEL_END_SIZE
        relabelled = replace(
            shot,
            end_size=measured,
            reason=replace(shot.reason, ends_in=measured, repair=saved_by),
        )
        plan = _with_shot(plan, index, replace(relabelled, why=render(relabelled)))
        checks = _checks(plan, index)
    return plan, checks


def _same_camera_work(version: ShotSpec, tried: ShotSpec) -> bool:
    """Whether ``version`` would be shot exactly as ``tried`` was: the same in everything but
    its words (its reasons name the faults seen so far, which grow from rung to rung)."""
    return replace(version, why=tried.why, reason=tried.reason) == tried


# The director's two moves on the ladder, each from the director's shot and the faults seen so
# far (``direct.Retake``).
LADDER: dict[Repair, Callable[[Retake], ShotSpec]] = {
    Repair.STEP_ROUND: step_round,
    Repair.PLAINER_SHOT: plainer,
}


def wider_frame(rejected: Rejected) -> Iterator[ShotSpec]:
    """*Wider frame*: the director's shot with its move, one size wider, then two (its end
    size as much wider), as far as the widest size."""
    spec, reason = rejected.spec, _repaired_reason(rejected)
    for step in range(1, WIDER_STEPS + 1):
        start, end = SIZES.index(spec.size) - step, SIZES.index(spec.end_size) - step
        if min(start, end) < 0:
            return
        wider = replace(spec, size=SIZES[start], end_size=SIZES[end])
        yield replace(wider, reason=rules_that_hold(reason, spec, wider))


def cut_in_or_out(rejected: Rejected) -> Iterator[ShotSpec]:
    """*Cut in or out*: the director's shot, its move kept, at each size two steps or more
    from the shot before's, nearest its own first (the tighter of two equally near first), as
    far as its angle, move and framing allow (``direct.candidates.size_suits``): a size that
    changes enough is a new shot to the eye, as a camera set 30° round is."""
    spec, reason = rejected.spec, _repaired_reason(rejected)
    own = SIZES.index(spec.size)
    change = SIZES.index(spec.end_size) - own
    before = SIZES.index(rejected.plan.shots[rejected.index - 1].size)
    for size in sorted(range(len(SIZES)), key=lambda k: (abs(k - own), -k)):
        end = size + change
        if abs(size - before) < JUMP_SIZE_STEPS or not 0 <= end < len(SIZES):
            continue
        if not size_suits(SIZES[size], spec.angle, spec.movement, spec.framing):
            continue
        resized = replace(spec, size=SIZES[size], end_size=SIZES[end])
        yield replace(resized, reason=rules_that_hold(reason, spec, resized))


def further_round(rejected: Rejected) -> Iterator[ShotSpec]:
    """*Step round*, further: the director's shot, its move kept, from each place round its
    subject in ``LAST_RESORT_STEP_DEG`` steps, nearest first (the two places ``step_round``
    chose are among them or near them; a version the camera already judged costs little)."""
    spec = rejected.spec
    retake = Retake(spec, rejected.failed, 0, None, rejected.plan.blocking)
    for azimuth in _round_subject(spec.azimuth_deg):
        yield step_round_to(retake, azimuth)


def _round_subject(azimuth_deg: float) -> Iterator[float]:
    """The places round a subject in ``LAST_RESORT_STEP_DEG`` steps from ``azimuth_deg``,
    nearest first; of two equally near, the one a positive step round first."""
    steps = round(360.0 / LAST_RESORT_STEP_DEG)
    for offset in sorted(range(1, steps), key=lambda k: (min(k, steps - k), k)):
        yield wrap_deg(azimuth_deg + offset * LAST_RESORT_STEP_DEG)


def stand_elsewhere(rejected: Rejected) -> Iterator[ShotSpec]:
    """*Stand elsewhere*: the plainest shot that kept its angle, if the ladder tried one, then
    the plainest shot, moved round its subject (nearest first) until the cut into it keeps
    the 180° and 30° rules and nothing blocks the view: a high or low angle says who holds
    the power or who is exposed, which is worth more than where round them the camera stands."""
    versions = [rejected.tried]
    if rejected.angled is not None and rejected.angled is not rejected.tried:
        versions.insert(0, rejected.angled)
    for version in versions:
        for azimuth in _round_subject(version.azimuth_deg):
            yield replace(version, azimuth_deg=azimuth)


def another_size(rejected: Rejected) -> Iterator[ShotSpec]:
    """*Another size*: the plainest shot at each other size, nearest its own first (the wider
    of two equally near), from where it stood, then round its subject as ``stand_elsewhere``."""
    tried = rejected.tried
    own = SIZES.index(tried.size)
    others = sorted((k for k in range(len(SIZES)) if k != own), key=lambda k: (abs(k - own), k))
    for size in (SIZES[k] for k in others):
        resized = replace(tried, size=size, end_size=size)
        yield resized
        yield from stand_elsewhere(replace(rejected, tried=resized))


def cover_another_way(rejected: Rejected) -> Iterator[ShotSpec]:
    """*Cover another way*: where no place round the subject keeps both the cut's rules and
    (say) their face, the beat is covered with a two-shot or an over-the-shoulder that takes
    in the other person, at the plainest shot's size; then with the two-shot wider until both
    fit; or, for a reaction, with the other person's single. The subject stays first (in the
    over-the-shoulder, the one facing the camera past the other's shoulder), and the shot keeps
    its intent, so the critic still asks a reaction's face of it.

    Each is tried at the plainest shot's azimuth round the one it frames first and at its
    mirror image across their facing (the other person's single also at a plain single's, on
    either side): a two-shot looks across the line between the pair and
    an over-the-shoulder along it, so the side is all the azimuth decides (the camera searches
    round it, ``camera.track_for``)."""
    tried = rejected.tried
    if tried.framing != "single" or not tried.subjects:
        return
    subject = tried.subjects[0]
    others = _others(rejected.plan, tried)
    # Nearest the plainest shot first: its size in a two-shot or over the shoulder, then the
    # two-shot wider step by step, then (a reaction only) the other side of the exchange.
    covers: list[tuple[str, tuple[str, ...], str]] = [
        ("two_shot", (subject, other), tried.size) for other in others
    ]
    covers += [("over_shoulder", (subject, other), tried.size) for other in others]
    covers += [
        ("two_shot", (subject, other), size)
        for size in reversed(SIZES[: SIZES.index(tried.size)])
        for other in others
    ]
    if reacts(rejected.plan, tried):
        covers += [("single", (other,), tried.size) for other in others]
    reason = _repaired_reason(rejected)
    sides = dict.fromkeys((tried.azimuth_deg, wrap_deg(-tried.azimuth_deg)))
    # The other person's own single may also stand where a plain single of them stands: the
    # failed shot's side was chosen for someone else's face.
    plain = FRAMING_AZIMUTH["single"]
    own_sides = dict.fromkeys((*sides, plain, -plain))
    for framing, subjects, size in covers:
        for azimuth in own_sides if subjects[0] != subject else sides:
            cover = replace(
                tried,
                framing=framing,
                subjects=subjects,
                size=size,
                end_size=size,
                azimuth_deg=azimuth,
            )
            yield replace(cover, reason=rules_that_hold(reason, rejected.spec, cover))


def _others(plan: ShotPlan, spec: ShotSpec) -> list[str]:
    """Everyone on stage at the shot's start but its subject: those its beat names first, then
    the cast in order."""
    named = plan.beats[spec.beat].affect.characters
    cast = sorted(plan.blocking.tracks, key=lambda name: name not in named)
    return [
        name
        for name in cast
        if name != spec.subjects[0]
        and bool(on_stage(plan.set.preset, plan.blocking[name].position[spec.start_frame]))
    ]


def _repaired_reason(rejected: Rejected) -> Reason:
    """The reason of the shot a strategy starts from (``tried``), naming the director's shot
    it repairs and every rule its versions broke; set nowhere further round its subject."""
    return replace(
        rejected.tried.reason,
        repaired_from=describe(rejected.spec),
        failed=tuple(sorted(rejected.failed)),
        moved_deg=0.0,
    )


def _first_passing(
    rejected: Rejected,
    strategy: Repair,
    versions: Callable[[Rejected], Iterator[ShotSpec]],
    shoot: Shoot,
) -> tuple[ShotPlan, list[Check]] | None:
    """The plan with the first of a strategy's versions that the critic passes (an
    over-the-shoulder only with its shoulder in the picture), and its checks; None when none
    does.

    A version whose cut breaks a rule fails whatever its shot's own checks say (relabelling
    its end size leaves the cut alone), so the cut, a few numbers, is judged first and the
    shot's checks only where it passes: most of these versions fail on the 180° rule."""
    index = rejected.index
    for version in versions(rejected):
        plan = _with_shot(rejected.plan, index, shoot(_saved_by(version, strategy)))
        if index and _failed(critique_cut(plan, plan.shots[index - 1], plan.shots[index])):
            continue
        plan, checks = relabel_end_size(plan, index)
        if not _failed(checks):
            return plan, checks
    return None


def _saved_by(spec: ShotSpec, strategy: Repair) -> ShotSpec:
    """A version of a shot that names the strategy that made it, in its data and its words."""
    named = replace(spec, reason=replace(spec.reason, repair=strategy))
    return replace(named, why=render(named))


def _previous_azimuth(plan: ShotPlan, index: int) -> float | None:
    """Where the previous shot's camera ended, as an azimuth around this shot's subject."""
    shot = plan.shots[index]
    if not index or not shot.subjects:
        return None
    track = plan.blocking[shot.subjects[0]]
    offset = plan.shots[index - 1].camera.position[-1] - track.position[shot.start_frame]
    heading = math.degrees(math.atan2(offset[0], offset[2]))
    return wrap_deg(heading - float(track.facing_deg[shot.start_frame]))


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


def _rules(checks: list[Check]) -> frozenset[CriticRule]:
    return frozenset(check.rule for check in checks if not check.passed)
