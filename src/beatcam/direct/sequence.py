"""Choosing the whole scene's coverage at once: Viterbi over the candidates of every slot.

A shot is only good next to its neighbours: a cut can jump, repeat itself or fight the
scene's escalation. The unary score of a candidate comes from the grammar rules; the
transition costs below are the sequence rules. The best path maximises the sum of both over
the scene, and forward and backward scores give, for each slot, the best alternative path
through another candidate: the runner-up a ``why`` names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from beatcam.direct.candidates import Candidate
from beatcam.direct.grammar import Context
from beatcam.direct.styles import Style
from beatcam.model.vocab import SIZES

SHOWY = frozenset({"dolly_zoom_in", "dolly_zoom_out", "whip_pan", "crane_up", "crane_down"})
COVERAGE = frozenset({"single", "over_shoulder", "pov"})
CONVERSATION = frozenset({"dialogue", "confrontation", "intimacy", "threat"})
# The names of the transition terms below, which a style may weight like a grammar rule.
SEQUENCE_RULES = (
    "no jump cuts",
    "vary the coverage",
    "repeat a move sparingly",
    "escalate toward the peak",
    "release after the peak",
    "shot / reverse shot",
    "no unmotivated leaps in size",
)


@dataclass(frozen=True)
class Choice:
    """The candidate chosen for a slot, the sequence terms it paid, and the runner-up."""

    candidate: Candidate
    sequence_terms: tuple[tuple[str, float], ...]
    runner_up: Candidate | None
    margin: float


def transition_terms(
    before: Candidate, after: Candidate, ctx: Context, style: Style
) -> list[tuple[str, float]]:
    """Named costs (positive) and bonuses (negative) of cutting from ``before`` to ``after``."""
    terms: list[tuple[str, float]] = []
    same_subject = before.subjects[:1] == after.subjects[:1] and bool(after.subjects)
    size_step = SIZES.index(after.size) - SIZES.index(before.size)
    # Tilting the camera up or down does not make a new setup of the same framing: an angle
    # is for what it says about the character, so a cut escapes the jump by its size.
    if same_subject and before.framing == after.framing and abs(size_step) < 2:
        terms.append(("no jump cuts", 1.6))
    if before.size == after.size and before.movement == after.movement:
        terms.append(("vary the coverage", 1.0))
    if before.movement == after.movement and after.movement != "static":
        terms.append(("repeat a move sparingly", 2.0 if after.movement in SHOWY else 0.6))
    if ctx.rising > 0.1 and size_step < 0:
        terms.append(("escalate toward the peak", 0.7 * -size_step))
    if ctx.rising < -0.15 and size_step > 0 and not ctx.peak:
        terms.append(("release after the peak", 0.4 * size_step))
    conversation = ctx.belief(*CONVERSATION) if len(ctx.characters) >= 2 else 0.0
    if conversation > 0 and before.framing in COVERAGE and after.framing in COVERAGE:
        if before.subjects[:1] != after.subjects[:1]:
            terms.append(("shot / reverse shot", -0.8 * conversation))
        else:
            terms.append(("shot / reverse shot", 0.5 * conversation))
    if abs(size_step) >= 5 and not ctx.rising > 0.4:
        terms.append(("no unmotivated leaps in size", 0.6))
    return [(name, cost * style.weight(name)) for name, cost in terms]


def choose(
    slots: Sequence[Sequence[Candidate]], contexts: Sequence[Context], style: Style
) -> list[Choice]:
    """The best coverage of the scene, one Choice per slot."""
    count = len(slots)
    unary = [np.array([c.score for c in slot]) for slot in slots]
    costs: list[np.ndarray] = [np.zeros((1, len(slots[0])))]
    for t in range(1, count):
        matrix = np.array(
            [
                [
                    sum(cost for _, cost in transition_terms(a, b, contexts[t], style))
                    for b in slots[t]
                ]
                for a in slots[t - 1]
            ]
        )
        costs.append(matrix)
    forward = [unary[0]]
    back_pointer: list[np.ndarray] = [np.zeros(len(slots[0]), dtype=int)]
    for t in range(1, count):
        totals = forward[t - 1][:, None] - costs[t]
        back_pointer.append(np.argmax(totals, axis=0))
        forward.append(unary[t] + np.max(totals, axis=0))
    backward = [np.zeros(len(slot)) for slot in slots]
    for t in range(count - 2, -1, -1):
        backward[t] = np.max(-costs[t + 1] + (unary[t + 1] + backward[t + 1])[None, :], axis=1)
    path = [int(np.argmax(forward[-1]))]
    for t in range(count - 1, 0, -1):
        path.append(int(back_pointer[t][path[-1]]))
    path.reverse()
    choices = []
    for t, index in enumerate(path):
        through = forward[t] + backward[t]
        alternatives = [i for i in np.argsort(-through, kind="stable") if i != index]
        runner = int(alternatives[0]) if alternatives else None
        previous = slots[t - 1][path[t - 1]] if t else None
        terms = transition_terms(previous, slots[t][index], contexts[t], style) if previous else []
        choices.append(
            Choice(
                candidate=slots[t][index],
                sequence_terms=tuple(terms),
                runner_up=slots[t][runner] if runner is not None else None,
                margin=float(through[index] - through[runner]) if runner is not None else 0.0,
            )
        )
    return choices
