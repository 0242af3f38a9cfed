"""The critic's findings: every rule checked on every shot and cut, with what was measured."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    """One rule applied to one shot (``target`` "S03") or cut (``target`` "S03>S04").

    ``measured`` holds the numbers the verdict rests on, so a reader can re-derive it;
    ``expected`` says in words what passing means.
    """

    rule: str
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
