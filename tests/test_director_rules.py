"""The director's rules under an uncertain reading, and its last resorts."""

from __future__ import annotations

from dataclasses import replace
from importlib import resources

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from beatcam.direct import STYLES, revise
from beatcam.direct.candidates import Candidate, allowed, candidates_for
from beatcam.direct.grammar import RULES, Context, rule_named
from beatcam.direct.sequence import SEQUENCE_RULES, transition_terms
from beatcam.direct.styles import CLASSICAL_WEIGHTS, Style
from beatcam.model import ShotPin, ShotPlan
from beatcam.model.scene import Affect

CALM = {"joy": 0.0, "fear": 0.0}


def context(belief: dict[str, float], *, travel_m: float = 0.0, slot: int = 1) -> Context:
    affect = Affect(
        valence=0.0,
        arousal=0.2,
        dominance=0.0,
        intensity=0.5,
        emotions=CALM,
        function=max(belief, key=belief.__getitem__),
        characters=("Mara",),
        function_belief=belief,
    )
    return Context(
        affect=affect,
        slot=slot,
        slot_in_beat=0,
        first_beat=False,
        last_beat=False,
        peak=False,
        rising=0.0,
        characters=("Mara",),
        travel_m={"Mara": travel_m},
    )


FUNCTION_RULES = [
    ("realisation pushes in", "realisation"),
    ("awe goes wide", "awe"),
    ("intimacy comes close", "intimacy"),
    ("menace looks up", "threat"),
    ("grief withdraws", "grief"),
    ("a chase never stands still", "chase"),
    ("triumph looks up", "triumph"),
]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(FUNCTION_RULES), st.floats(0.0, 1.0))
def test_a_rule_for_one_kind_of_beat_speaks_as_loudly_as_the_director_is_sure(
    named: tuple[str, str], belief: float
) -> None:
    rule_name, function = named
    rule = rule_named(rule_name)
    other = "transition" if function != "transition" else "action"
    sure = rule.prefer(context({function: 1.0}))
    unsure = rule.prefer(context({function: belief, other: 1.0 - belief}))
    assert sure
    for value, score in sure.items():
        assert unsure.get(value, 0.0) == pytest.approx(belief * score, abs=1e-12)


def test_a_stated_function_counts_as_certain() -> None:
    affect = Affect(0.0, 0.0, 0.0, 0.5, CALM, "reveal")
    assert affect.belief("reveal") == 1.0
    assert affect.belief("realisation", "reveal") == 1.0
    assert affect.belief("grief") == 0.0


def test_when_the_favourite_shots_are_impossible_the_search_widens() -> None:
    # Everything the rules like is a close push-in, which a subject running 6 m cannot have.
    style = Style(
        "close-only",
        "pushes in on faces",
        weights={"faces over places": 40.0, "the camera creeps": 40.0},
    )
    ctx = context({"transition": 1.0}, travel_m=6.0)
    options = candidates_for(ctx, style, ShotPin(), ("Mara",))
    assert options
    for option in options:
        assert allowed(
            option.size,
            option.angle,
            option.dutch,
            option.movement,
            option.framing,
            option.subjects,
            6.0,
        )


def test_the_last_repair_of_a_subject_who_leaves_the_frame_is_the_widest_static(
    tiny_plan: ShotPlan,
) -> None:
    spec = replace(tiny_plan.shots[0], size="WS", end_size="WS", angle="high")
    fallback = revise(spec, frozenset({"subject in frame"}), 3)
    assert (fallback.size, fallback.end_size, fallback.movement) == ("EWS", "EWS", "static")
    assert fallback.angle == "eye_level"
    assert "subject in frame" in fallback.why


def test_the_fitted_classical_weights_name_real_rules() -> None:
    """A renamed rule would silently drop its fitted weight: every name must still exist."""
    source = resources.files("beatcam.direct").joinpath("data", CLASSICAL_WEIGHTS)
    weights = yaml.safe_load(source.read_text(encoding="utf-8"))["weights"]
    grammar = {rule.name for rule in RULES if rule.default_weight > 0}
    assert weights and set(weights) <= grammar | set(SEQUENCE_RULES)
    assert all(0 < weight <= 3 for weight in weights.values())  # balanced, never silenced
    assert dict(STYLES["classical"].weights) == weights


def test_every_transition_term_is_a_named_sequence_rule() -> None:
    """Styles and the fit weight sequence terms by the names in SEQUENCE_RULES: a term named
    otherwise would escape them, and a name no term uses would be fitted for nothing."""

    def shot(size: str, movement: str, framing: str, subject: str) -> Candidate:
        return Candidate(size, size, "eye_level", False, movement, framing, (subject,), 0.0, ())

    shots = [
        shot(size, movement, framing, subject)
        for size in ("EWS", "MS", "MCU", "ECU")
        for movement in ("static", "push_in", "crane_up")
        for framing in ("single", "over_shoulder")
        for subject in ("Mara", "Tom")
    ]
    base = replace(context({"dialogue": 1.0}), characters=("Mara", "Tom"))
    contexts = [replace(base, rising=rising) for rising in (-0.5, 0.0, 0.5)]
    named = {
        name
        for ctx in contexts
        for before in shots
        for after in shots
        for name, _ in transition_terms(before, after, ctx, Style("plain", ""))
    }
    assert named == set(SEQUENCE_RULES)
