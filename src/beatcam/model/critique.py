"""The critic's findings: every rule checked on every shot and cut, with what was measured."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class CriticRule(StrEnum):
    """Every rule the critic checks, by the name critique.json gives it: the director's repairs
    and the pipeline ask for rules by these members, never by matching words."""

    SIZE = "size"
    END_SIZE = "end size"
    SUBJECT_IN_FRONT = "subject in front"
    ANGLE = "angle"
    DUTCH = "dutch"
    MOVEMENT = "movement"
    CLEAR_VIEW = "clear view"
    CLEAR_OF_THE_SET = "clear of the set"
    ABOVE_THE_GROUND = "above the ground"
    CLEAR_OF_THE_CAST = "clear of the cast"
    LENS_RANGE = "lens range"
    RIG_SPEED = "rig speed"
    SUBJECT_IN_FRAME = "subject in frame"
    HEADROOM = "headroom"
    SHOULDER_IN_FRAME = "shoulder in frame"
    FACE_SEEN = "face seen"
    LINE_OF_ACTION = "180-degree rule"
    THIRTY_DEGREES = "30-degree rule"


# The rules judged on a cut between two shots rather than on one shot.
CUT_RULES = frozenset({CriticRule.LINE_OF_ACTION, CriticRule.THIRTY_DEGREES})
# A cut to the same person in the same framing is a new shot to the eye when the size changes
# by this many steps (or the camera turns 30° round them, ``critic.THIRTY_DEGREES``); else it
# jumps. The critic judges cuts by it, and the director and the repairs plan for it.
JUMP_SIZE_STEPS = 2
# Faults a camera fixes by standing somewhere else round its subject: a cut's, a blocked view,
# and a reaction seen from behind.
MOVABLE_RULES = CUT_RULES | {CriticRule.CLEAR_VIEW, CriticRule.FACE_SEEN}


class Repair(StrEnum):
    """The named ways a shot the critic rejected is saved (``pipeline/repair.py``), in the
    order they are tried; a repaired shot names the one that saved it in ``Reason.repair``,
    which ``direct.wording`` says in a crew's words."""

    RELABEL_END_SIZE = "relabel end size"
    WIDER_FRAME = "wider frame"
    CUT_IN_OR_OUT = "cut in or out"
    STEP_ROUND = "step round"
    PLAINER_SHOT = "plainer shot"
    STAND_ELSEWHERE = "stand elsewhere"
    COVER_ANOTHER_WAY = "cover another way"
    ANOTHER_SIZE = "another size"


@dataclass(frozen=True)
class Check:
    """One rule applied to one shot (``target`` "S03") or cut (``target`` "S03>S04").

    ``measured`` holds the numbers the verdict rests on, so a reader can re-derive it;
    ``expected`` says in words what passing means.
    """

    rule: CriticRule
    target: str
    passed: bool
    measured: Mapping[str, float | str]
    expected: str


@dataclass(frozen=True)
class Critique:
    """All checks of a plan, in shot order."""

    checks: tuple[Check, ...]

    @property
    def failures(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if not check.passed)

    @property
    def passed(self) -> bool:
        return not self.failures

    def failed_targets(self) -> frozenset[str]:
        return frozenset(check.target for check in self.failures)

    @property
    def pass_rate(self) -> float:
        return 1.0 if not self.checks else 1.0 - len(self.failures) / len(self.checks)
