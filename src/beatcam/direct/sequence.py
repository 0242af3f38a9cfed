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
from typing import Any

import numpy as np
from numpy.typing import NDArray

from beatcam.direct.candidates import Candidate, intent_of
from beatcam.direct.grammar import Context
from beatcam.direct.styles import Style
from beatcam.model import JUMP_SIZE_STEPS
from beatcam.model.vocab import SIZES, moves_where

SHOWY = moves_where(showy=True)
COVERAGE = frozenset({"single", "over_shoulder", "pov"})
CONVERSATION = frozenset({"dialogue", "confrontation", "intimacy", "threat"})
SIZE_INDEX = {size: index for index, size in enumerate(SIZES)}
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
    """The candidate chosen for a slot, the sequence terms it paid, the runner-up, and where the
    neutral grammar won, the best shot an intent would have chosen (each with its margin: how
    far behind the chosen one the best whole scene through it finishes)."""

    candidate: Candidate
    sequence_terms: tuple[tuple[str, float], ...]
    runner_up: Candidate | None
    margin: float
    expressive: Candidate | None = None
    expressive_margin: float = 0.0


def _cut_terms(
    before: Sequence[Candidate], after: Sequence[Candidate], ctx: Context
) -> list[tuple[str, NDArray[np.bool_], float | NDArray[np.float64]]]:
    """Every sequence rule's name, where it applies and its unweighted cost, for each cut from
    a candidate of ``before`` (rows) to one of ``after`` (columns): a scene scores thousands of
    cuts, so as arrays."""

    def columns(slot: Sequence[Candidate]) -> tuple[NDArray[Any], ...]:
        return (
            np.array([c.subjects[0] if c.subjects else "" for c in slot]),
            np.array([c.framing for c in slot]),
            np.array([SIZE_INDEX[c.size] for c in slot]),
            np.array([c.movement for c in slot]),
        )

    b_subject, b_framing, b_size, b_move = (column[:, None] for column in columns(before))
    a_subject, a_framing, a_size, a_move = (column[None, :] for column in columns(after))
    size_step = a_size - b_size
    same_move = b_move == a_move
    # A spoken line between two people is a conversation for certain (``Context.spoken``).
    conversation = (
        max(ctx.belief(*CONVERSATION), float(ctx.spoken)) if len(ctx.characters) >= 2 else 0.0
    )
    coverage = sorted(COVERAGE)
    reverse = np.isin(b_framing, coverage) & np.isin(a_framing, coverage) & (conversation > 0)
    return [
        # Tilting the camera up or down does not make a new setup of the same framing: an
        # angle is for what it says about the character, so a cut escapes the jump by its size.
        (
            "no jump cuts",
            (b_subject == a_subject)
            & (a_subject != "")
            & (b_framing == a_framing)
            & (np.abs(size_step) < JUMP_SIZE_STEPS),
            1.6,
        ),
        # The two sides of an exchange are matched in size (Arijon's reverse angles): a cut
        # to the other person at the same size varies the coverage by its subject.
        (
            "vary the coverage",
            (size_step == 0) & same_move,
            np.where(reverse & (b_subject != a_subject), 1.0 - conversation, 1.0),
        ),
        # A move repeated from one beat to the next dulls it; inside one beat the cut carries
        # the beat's move on (a push-in on each side of the exchange, the crane that opened the
        # place descending again onto its subject: Bordwell & Thompson's matched movement).
        (
            "repeat a move sparingly",
            same_move & (a_move != "static") & (ctx.slot_in_beat == 0),
            np.where(np.isin(a_move, sorted(SHOWY)), 2.0, 0.6),
        ),
        ("escalate toward the peak", (size_step < 0) & (ctx.rising > 0.1), 0.7 * -size_step),
        (
            "release after the peak",
            (size_step > 0) & (ctx.rising < -0.15) & (not ctx.peak),
            0.4 * size_step,
        ),
        (
            "shot / reverse shot",
            reverse,
            _reverse_cost(b_subject, a_subject, ctx) * conversation,
        ),
        (
            "no unmotivated leaps in size",
            (np.abs(size_step) >= 5) & (not ctx.rising > 0.4),
            0.6,
        ),
    ]


def _reverse_cost(
    b_subject: NDArray[Any], a_subject: NDArray[Any], ctx: Context
) -> NDArray[np.float64]:
    """Shot / reverse shot, per conversation: a cut to the other person is the exchange's
    rhythm (a bonus), holding on one person a cost. A line's first shot reverses to the one it
    is played on (``ctx.characters[0]``: its speaker, or whom a voice off screen speaks to):
    the cut to them is the bonus, even from a shot of them acting (no cost), and a cut to
    anyone else earns nothing (a reaction shot has to win on its own), so a turn pushed in on
    is the speaker's (Arijon: the reverse angles follow the dialogue)."""
    cost = np.where(b_subject != a_subject, -0.8, 0.5)
    if ctx.spoken and ctx.slot_in_beat == 0 and ctx.characters:
        to_speaker = a_subject == ctx.characters[0]
        cost = np.where(to_speaker, np.minimum(cost, 0.0), np.maximum(cost, 0.0))
    return cost


def transition_terms(
    before: Candidate, after: Candidate, ctx: Context, style: Style
) -> list[tuple[str, float]]:
    """Named costs (positive) and bonuses (negative) of cutting from ``before`` to ``after``."""
    return [
        (name, float(np.broadcast_to(cost, applies.shape)[0, 0]) * style.weight(name))
        for name, applies, cost in _cut_terms([before], [after], ctx)
        if applies[0, 0]
    ]


def transition_costs(
    before: Sequence[Candidate], after: Sequence[Candidate], ctx: Context, style: Style
) -> NDArray[np.float64]:
    """The summed, weighted transition terms of every cut from ``before`` to ``after``."""
    total = np.zeros((len(before), len(after)))
    for name, applies, cost in _cut_terms(before, after, ctx):
        total += np.where(applies, cost * style.weight(name), 0.0)
    return total


def choose(
    slots: Sequence[Sequence[Candidate]], contexts: Sequence[Context], style: Style
) -> list[Choice]:
    """The best coverage of the scene, one Choice per slot."""
    count = len(slots)
    unary = [np.array([c.score for c in slot]) for slot in slots]
    costs: list[np.ndarray] = [np.zeros((1, len(slots[0])))]
    for t in range(1, count):
        costs.append(transition_costs(slots[t - 1], slots[t], contexts[t], style))
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
        chosen = slots[t][index]
        # The runner-up a why names is another shot: the same one tilted (a level shot's
        # usual second, by the 0.3 of "the horizon stays level") tells a crew nothing.
        runner = next(
            (int(i) for i in alternatives if not slots[t][i].tilts(chosen)),
            int(alternatives[0]) if alternatives else None,
        )
        previous = slots[t - 1][path[t - 1]] if t else None
        terms = transition_terms(previous, chosen, contexts[t], style) if previous else []
        expressive = (
            None
            if intent_of(chosen)
            else next((int(i) for i in alternatives if intent_of(slots[t][i])), None)
        )
        choices.append(
            Choice(
                candidate=chosen,
                sequence_terms=tuple(terms),
                runner_up=slots[t][runner] if runner is not None else None,
                margin=float(through[index] - through[runner]) if runner is not None else 0.0,
                expressive=slots[t][expressive] if expressive is not None else None,
                expressive_margin=(
                    float(through[index] - through[expressive]) if expressive is not None else 0.0
                ),
            )
        )
    return choices
