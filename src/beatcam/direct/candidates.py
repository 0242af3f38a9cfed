"""Candidate shots for one slot: every field scored by the grammar, combined under the
constraints of what a camera can physically and grammatically do.

Each candidate keeps the rule terms that scored it, so the chosen shot can say why.
"""

from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass, replace

import numpy as np

from beatcam.direct.grammar import (
    BODILY_MOVES,
    MOVING_M,
    OPPOSITE_ANGLE,
    POWER_INTENTS,
    POWER_REVERSED,
    Context,
    power_between,
    rule_named,
    rules_for,
)
from beatcam.direct.stagings import PERFORMED
from beatcam.direct.styles import Style
from beatcam.model import ShotPin
from beatcam.model.vocab import (
    ALL_IN_FRAME,
    ANGLES,
    ASPECTS,
    DEFAULT_ASPECT,
    DEFAULT_HEIGHT_M,
    EYE_HEIGHT_RATIO,
    FRAMINGS,
    LONGEST_OTS_LENS_MM,
    MOVEMENTS,
    OVER_SHOULDER_BACK_M,
    SIZE_TARGET_M,
    SIZES,
    TRUCKS,
    TWO_SHOT_FILL,
    TWO_SHOT_HEIGHT_FILL,
    TWO_SHOT_TURN_DEG,
    moves_where,
)

KEEP_PER_SLOT = 14
TOP_SIZES, TOP_ANGLES, TOP_MOVEMENTS, TOP_FRAMINGS = 4, 3, 6, 4
# The person the beat is about (who acts, speaks or reacts) holds its first shot: a bonus larger
# than a shot / reverse-shot cut can pay (sequence.py: at most 1.3), so coverage alternates
# between speakers beat by beat, and within a beat a later shot may turn to the listener.
FOCUS_BONUS = 1.5
LATER_FOCUS_BONUS = 0.3
# A beat whose person covers ground is that journey: its first shot on someone standing by would
# leave the action out of frame, so the focus's bonus is doubled there (a reaction to the
# runner belongs to a later shot of the beat).
MOVING_FOCUS_BONUS = 2 * FOCUS_BONUS
PIN_RULE = "the writer's choice"
WIDEST_ASPECT = 16.0 / 9.0
CONVERSATION_DISTANCE_M = 4.0
# How far the top of the head stands above the eyes, for a person of the usual height.
HEAD_ABOVE_EYES_M = (1.0 - EYE_HEIGHT_RATIO) * DEFAULT_HEIGHT_M

# One field's value as scored: its score and the rule terms behind it.
FieldScore = tuple[float, list[tuple[str, float]]]
Scored = dict[str, FieldScore]
# A combination before it becomes a Candidate: score, size, angle, movement, framing, subjects,
# dutch, and the five field scores it was summed from. Thousands are scored per slot and a few
# kept, so only those are built in full.
Option = tuple[
    float, str, str, str, str, tuple[str, ...], bool,
    tuple[FieldScore, FieldScore, FieldScore, FieldScore, FieldScore],
]  # fmt: skip

TIGHTENS = moves_where(size_change=1)
WIDENS = moves_where(size_change=-1)
NEEDS_SUBJECT = moves_where(needs_subject=True)
STEEP = frozenset({"overhead", "worm"})

_FRAMING_SIZES = {
    "establishing": {"EWS", "WS", "FS"},
    "insert": {"CU", "ECU"},
    "over_shoulder": {"MS", "MCU", "CU"},
    "pov": {"MLS", "MS", "MCU", "CU"},
    "two_shot": {"MS", "MLS", "FS", "WS"},
    "group": {"MLS", "FS", "WS"},
}
_FRAMING_MOVES = {
    "establishing": {
        "static", "crane_down", "crane_up", "pan_left", "pan_right", "truck_left",
        "truck_right", "pull_out", "push_in", "arc_left", "arc_right", "follow", "lead",
    },
    "insert": {"static", "push_in", "zoom_in", "tilt_down", "pan_left", "pan_right"},
    # An over-the-shoulder camera cannot dolly in: it would pass through the near shoulder.
    "over_shoulder": {"static", "arc_left", "arc_right", "handheld", "zoom_in"},
    "pov": {"static", "handheld", "zoom_in", "pan_left", "pan_right"},
    "two_shot": {
        "static", "push_in", "pull_out", "arc_left", "arc_right", "truck_left", "truck_right",
        "handheld", "crane_up", "crane_down", "zoom_in", "zoom_out", "follow", "lead",
        "pedestal_up", "pedestal_down",
    },
    "group": {
        "static", "push_in", "pull_out", "arc_left", "arc_right", "crane_up", "handheld",
        "follow", "lead",
    },
}  # fmt: skip
_MOVE_SIZES = {
    "follow": {"MCU", "MS", "MLS", "FS", "WS"},
    "lead": {"MCU", "MS", "MLS", "FS", "WS"},
    "dolly_zoom_in": {"CU", "MCU", "MS", "MLS", "FS"},
    "dolly_zoom_out": {"CU", "MCU", "MS", "MLS", "FS"},
    "crane_up": {"MS", "MLS", "FS", "WS", "EWS"},
    "crane_down": {"MS", "MLS", "FS", "WS", "EWS"},
    "arc_left": {"CU", "MCU", "MS", "MLS", "FS"},
    "arc_right": {"CU", "MCU", "MS", "MLS", "FS"},
    "whip_pan": {"MCU", "MS", "MLS", "FS", "WS"},
    "push_in": set(SIZES) - {"ECU"},
    "zoom_in": set(SIZES) - {"ECU"},
    "pull_out": set(SIZES) - {"EWS"},
    "zoom_out": set(SIZES) - {"EWS"},
}
_ANGLE_SIZES = {"worm": {"MCU", "MS", "MLS"}, "overhead": {"MCU", "MS", "MLS", "FS", "WS"}}
# What the camera engine cannot do honestly (it would go under the ground, or the angle would
# not read on the middle frame): measured by sweeping every combination through camera/.
_ANGLE_MOVES_BARRED = frozenset(
    {("low", "crane_up"), ("low", "crane_down"), ("worm", "crane_up"), ("worm", "crane_down")}
    | {("worm", move) for move in ("push_in", "pull_out", "dolly_zoom_in", "dolly_zoom_out")}
    | {("worm", "truck_left"), ("worm", "truck_right")}
)
_GEOMETRY_LIMITS = frozenset(
    {("EWS", angle, move) for angle in ("low", "worm") for move in MOVEMENTS}
    | {("WS", "low", move) for move in ("push_in", "pull_out", "zoom_in", "dolly_zoom_out")}
    | {("FS", "low", "pull_out"), ("WS", "low", "crane_up"), ("WS", "low", "crane_down")}
)
# No camera looks up at someone lying on the ground: it would stand under the floor at every
# size (swept through camera/ with the angle pinned: the critic's "above the ground" failed
# every one, where a subject sitting or kneeling on the floor was seen from below at all).
_FROM_BELOW = frozenset({"low", "worm"})
# The shoulder and the eyes fix where an over-the-shoulder camera stands, so its angle is the
# characters' own (eye level), and from back there a zoom into a close-up runs out of lens.
_OTS_LENS = frozenset({("CU", "zoom_in")})
_LEVEL_ONLY_MOVES = moves_where(level_only=True)


@dataclass(frozen=True)
class Candidate:
    size: str
    end_size: str
    angle: str
    dutch: bool
    movement: str
    framing: str
    subjects: tuple[str, ...]
    score: float
    terms: tuple[tuple[str, float], ...]  # (rule, contribution), strongest first

    def same_shot(self, other: Candidate) -> bool:
        """Whether ``other`` is this shot again: the same people, framed, seen and moved alike."""
        return (
            self.size, self.end_size, self.angle, self.dutch, self.movement, self.framing,
            self.subjects,
        ) == (
            other.size, other.end_size, other.angle, other.dutch, other.movement, other.framing,
            other.subjects,
        )  # fmt: skip

    def tilts(self, other: Candidate) -> bool:
        """Whether this is the level shot ``other`` with its horizon tilted, nothing else
        changed: the same shot, no other a crew would weigh against it."""
        return self.dutch and not other.dutch and replace(self, dutch=False).same_shot(other)


# An intent chose a field's value when its device rule was the strongest reason for it, by at
# least this much (a faint agreement with the neutral grammar chooses nothing).
INTENT_CHOSE = 0.5


def intent_of(candidate: Candidate) -> str | None:
    """The intent whose device rule was the strongest reason for one of the candidate's values
    (the strongest such, if several); None when the neutral grammar chose every value."""
    strongest: dict[str, tuple[float, str]] = {}
    for name, contribution in candidate.terms:
        if name == PIN_RULE:
            continue
        rule = rule_named(name)
        if contribution > strongest.get(rule.field, (0.0, ""))[0]:
            strongest[rule.field] = (contribution, name)
    chosen = [
        (contribution, str(rule_named(name).intent))
        for contribution, name in strongest.values()
        if rule_named(name).intent is not None and contribution >= INTENT_CHOSE
    ]
    return max(chosen)[1] if chosen else None


def end_size_for(size: str, movement: str, intensity: float) -> str:
    """Where a move ends: pushes and zooms tighten a step (two when intense), pulls widen."""
    index = SIZES.index(size)
    if movement in TIGHTENS:
        step = 2 if intensity > 0.7 and index <= 4 else 1
        return SIZES[min(index + step, len(SIZES) - 1)]
    if movement in WIDENS:
        return SIZES[max(index - 1, 0)]
    return size


def _tightest(size: str, movement: str) -> str:
    """The tightest size a shot reaches: a push-in ends a size closer."""
    return SIZES[min(SIZES.index(size) + (movement in TIGHTENS), len(SIZES) - 1)]


def _ots_lens_mm(size: str, movement: str, separation_m: float) -> float:
    """The focal length that holds the far face at the tightest size an over-the-shoulder
    reaches, from behind the near head."""
    distance = separation_m + OVER_SHOULDER_BACK_M
    return distance * ASPECTS[DEFAULT_ASPECT][1] / SIZE_TARGET_M[_tightest(size, movement)]


def allowed(
    size: str, angle: str, dutch: bool, movement: str, framing: str, subjects: tuple[str, ...],
    travel_m: float, separation_m: float = 0.0, entering: bool = False, eye_gap_m: float = 0.0,
    partner_travel_m: float = 0.0, move_asked: bool = False, size_asked: bool = False,
    upright: bool = False,
) -> bool:  # fmt: skip
    """What a camera can do here: the hard constraints of the grammar and of geometry.
    ``entering``: the first subject walks on from off stage during the shot;
    ``partner_travel_m``: how far the second subject goes in it; ``move_asked`` and
    ``size_asked``: the writer pinned the move, the size; ``upright``: an insert without
    subjects shows a thing that stands at eye height (a sign), not one lying on a surface."""
    if framing in ALL_IN_FRAME and not _pair_fits(size, movement, separation_m, eye_gap_m):
        return False
    return _allowed_by_kind(
        size, angle, dutch, movement, framing, min(len(subjects), 2), travel_m >= MOVING_M,
        entering, separation_m > CONVERSATION_DISTANCE_M,
        travel_m >= MOVING_M and partner_travel_m >= MOVING_M, move_asked and size_asked, upright,
    )  # fmt: skip


def _pair_fits(size: str, movement: str, separation_m: float, eye_gap_m: float) -> bool:
    """Whether a two-shot's or a group's pair fits the tightest frame the shot reaches."""
    tightest = _tightest(size, movement)
    frame_width = SIZE_TARGET_M[tightest] * WIDEST_ASPECT
    # A two-shot may turn off the profile view until the pair fits across the frame, and so may
    # a group, which the camera sees staggered in depth with every face clear (camera/framing.py
    # ``_staggered``). Judged as a row, three at a card table were framed FS where the
    # books frame them MLS or MS: on the bench's tuning split, size .751 / .800 -> .745 / .819
    # marked / unmarked, framing unmarked .922 -> .931.
    turn = np.cos(np.deg2rad(TWO_SHOT_TURN_DEG))
    if separation_m * turn > TWO_SHOT_FILL * frame_width:
        return False
    # One seated, one standing: the frame must hold both heads.
    return bool(eye_gap_m + HEAD_ABOVE_EYES_M <= TWO_SHOT_HEIGHT_FILL * SIZE_TARGET_M[tightest])


def size_suits(size: str, angle: str, movement: str, framing: str) -> bool:
    """Whether a shot of this angle, move and framing may be framed at ``size``: the limits of
    ``allowed`` that read the size (a repair that resizes a shot keeps to them)."""
    return (
        size in _FRAMING_SIZES.get(framing, set(SIZES))
        and size in _MOVE_SIZES.get(movement, set(SIZES))
        and size in _ANGLE_SIZES.get(angle, set(SIZES))
        and (size, angle, movement) not in _GEOMETRY_LIMITS
        and not (
            size == "ECU" and movement in {"tilt_up", "tilt_down", "pedestal_up", "pedestal_down"}
        )
        and not (framing == "over_shoulder" and (size, movement) in _OTS_LENS)
    )


@functools.cache
def _allowed_by_kind(
    size: str, angle: str, dutch: bool, movement: str, framing: str, people: int, moving: bool,
    entering: bool, far_apart: bool, together: bool, shot_asked: bool, upright: bool,
) -> bool:  # fmt: skip
    """``allowed`` but the pair's fit, from what it reads of the subjects and the distances:
    how many subjects (0, 1, or 2 for two or more), whether the first covers ``MOVING_M``
    (and the second too: ``together``), walks on, or stands further than a conversation from
    the second, and whether the writer pinned both the size and the move (``shot_asked``). A
    few hundred kinds answer the ~800,000 questions of a 2,000-beat scene's slots, once each."""
    if entering and movement == "static" and framing != "establishing":
        return False  # a still frame on an entrance would open on the empty doorway
    if framing in {"over_shoulder", "pov"} and far_apart:
        return False
    if not size_suits(size, angle, movement, framing) or (angle, movement) in _ANGLE_MOVES_BARRED:
        return False
    if framing in _FRAMING_MOVES and movement not in _FRAMING_MOVES[framing]:
        return False
    if angle in STEEP and (dutch or movement in _LEVEL_ONLY_MOVES):
        return False
    if framing in {"pov", "over_shoulder", "two_shot"} and people < 2:
        return False
    if framing == "pov" and (angle != "eye_level" or dutch):
        return False
    if framing == "over_shoulder" and angle != "eye_level":
        return False
    if framing == "insert" and not people and angle != ("eye_level" if upright else "high"):
        # Nobody holds the prop, so the camera looks down at it where it lies; any other angle
        # would put the camera under the floor (the critic's "above the ground"). A sign
        # stands at eye height, and is read level.
        return False
    if dutch and framing in {"establishing", "insert"}:
        return False
    if not people and (movement in NEEDS_SUBJECT or framing not in {"establishing", "insert"}):
        return False
    if movement in {"follow", "lead"}:
        # Those who walk together are led or followed in one frame: the walk and talk.
        return (framing == "single" and moving) or (framing in ALL_IN_FRAME and together)
    if movement in TRUCKS and moving:
        return framing == "single"  # the camera tracks beside the walker (camera/framing.py)
    if moving and not shot_asked:
        # Otherwise the walk stays inside one wide frame, which any move may take: the walker
        # is small in it, so a crane can rise over the walk, a pull out leave them in the
        # space, a tilt follow their look, and the critic judges what the walk allows. The
        # director chooses no closer: a pan it chose at MLS or FS lost walkers who came toward
        # the lens (on the tuning split, size .745 / .819 -> .736 / .811 marked / unmarked when
        # it could). Moves had been held to static, pan or handheld there; freeing them moved
        # the tuning split's marked movement agreement .530 -> .546, unmarked .845 -> .840.
        # Asked for at a size too, the shot is the critic's to judge: a walk across the room
        # allows a pan at MLS, a push in at MS, and what the walk does not allow is made
        # plainer and named (a walk across the kitchen: 91 of 115 pinned sizes and moves had
        # been refused; 75 are made as asked, 30 plainer, 10 refused).
        return size in {"WS", "EWS"}
    return True


def _field_scores(field: str, values: tuple[str, ...], ctx: Context, style: Style) -> Scored:
    scores: dict[str, float] = defaultdict(float)
    terms: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for rule in rules_for(field):
        weight = style.weight(rule.name, rule.default_weight)
        if weight == 0.0:
            continue
        for value, preference in rule.prefer(ctx).items():
            contribution = weight * preference
            scores[value] += contribution
            if contribution:
                terms[value].append((rule.name, contribution))
    return {value: (scores[value], terms[value]) for value in values}


def _top(scored: Scored, count: int, pinned: str | None) -> list[str]:
    if pinned is not None:
        return [pinned]
    return sorted(scored, key=lambda value: (-scored[value][0], value))[:count]


def _subject_options(framing: str, ctx: Context, cast: tuple[str, ...]) -> list[tuple[str, ...]]:
    people = ctx.characters
    if framing == "insert" and ctx.shows is not None:
        return [()]  # the insert is of the sign they read, not of their hands
    if framing == "establishing":
        return [people + tuple(name for name in cast if name not in people)]
    walkers = ctx.affect.walkers
    if framing in ALL_IN_FRAME and len(walkers) >= 2:
        # Those who walk together share the frame, whoever else the beat names: a two-shot of
        # a pair, the group of three or more, never some of them left behind the frame.
        return [walkers] if (framing == "group") == (len(walkers) >= 3) else []
    if framing == "group":
        return [people] if len(people) >= 3 else []
    if not people:
        return [()] if framing == "insert" else []
    if len(people) == 1:
        return [people]
    focus, other = people[0], people[1]
    if framing == "two_shot":
        return [(focus, other)]
    if framing in {"over_shoulder", "pov"}:
        return [(focus, other), (other, focus)]
    return [(focus,), (other,)]


def candidates_for(
    ctx: Context, style: Style, pin: ShotPin, cast: tuple[str, ...]
) -> list[Candidate]:
    """The best few candidate shots for a slot, highest score first (deterministic order)."""
    sizes = _field_scores("size", SIZES, ctx, style)
    angles = _field_scores("angle", ANGLES, ctx, style)
    movements = _field_scores("movement", MOVEMENTS, ctx, style)
    framings = _field_scores("framing", FRAMINGS, ctx, style)
    dutch = _field_scores("dutch", ("dutch", "level"), ctx, style)
    if ctx.spoken and pin.framing is None:
        # A line is said on a face: an insert of the speaker would show only their hands.
        framings = {value: score for value, score in framings.items() if value != "insert"}
    # An establishing slot opens on the place unless the writer pinned another framing.
    opening = "establishing" if ctx.opening and pin.is_empty() else pin.framing
    scored = (sizes, angles, movements, framings, dutch)
    options: list[Option] = []
    # The few best values of each field almost always combine into shots the camera can make;
    # when the hard limits rule every combination out (a moving subject, an odd reweighting),
    # every value is tried before the slot is called impossible.
    for breadth in ((TOP_SIZES, TOP_FRAMINGS, TOP_ANGLES, TOP_MOVEMENTS), (len(MOVEMENTS),) * 4):
        top_sizes = _top(sizes, breadth[0], pin.size)
        for framing in _top(framings, breadth[1], opening):
            fitting = [size for size in top_sizes if size in _FRAMING_SIZES.get(framing, SIZES)]
            if not fitting and pin.size is None:
                # The framing needs sizes the affect did not rank: offer its best one.
                own = {size: sizes[size] for size in _FRAMING_SIZES[framing]}
                fitting = _top(own, 1, None)
            options.extend(_combine(ctx, pin, cast, fitting, framing, scored, breadth))
        if options:
            break
    options.sort(key=lambda option: (-option[0], *option[1:6]))
    pinned = [(PIN_RULE, 0.0)] if not pin.is_empty() else []
    return [_candidate(option, pinned, ctx.affect.intensity) for option in options[:KEEP_PER_SLOT]]


def _candidate(option: Option, pinned: list[tuple[str, float]], intensity: float) -> Candidate:
    """A kept combination in full, its rule terms strongest first."""
    score, size, angle, movement, framing, subjects, is_dutch, parts = option
    terms = [term for part in parts for term in part[1]] + pinned
    return Candidate(
        size=size,
        end_size=end_size_for(size, movement, intensity),
        angle=angle,
        dutch=is_dutch,
        movement=movement,
        framing=framing,
        subjects=subjects,
        score=score,
        terms=tuple(sorted(terms, key=lambda term: -term[1])),
    )


def _answering_power(
    felt: tuple[FieldScore, FieldScore, FieldScore],
) -> tuple[FieldScore, FieldScore, FieldScore]:
    """Size, angle and movement scores of a shot on the other person of a power beat: the same
    numbers, with the angle (all of it: the opposite of the one scored) and what the power
    intents gave the size and the move credited to the power seen from the other side, since
    their words ("the low angle gives them the power") are about the one who holds it."""
    (size, size_terms), (angle, _), (movement, movement_terms) = felt

    def answered(score: float, terms: list[tuple[str, float]]) -> FieldScore:
        own = [term for term in terms if rule_named(term[0]).intent not in POWER_INTENTS]
        power = sum(term[1] for term in terms if rule_named(term[0]).intent in POWER_INTENTS)
        return score, [*own, (POWER_REVERSED, power)] if power else own

    return (
        answered(size, size_terms),
        (angle, [(POWER_REVERSED, angle)] if angle > 0 else []),
        answered(movement, movement_terms),
    )


def _not_theirs(
    felt: tuple[FieldScore, FieldScore, FieldScore],
) -> tuple[FieldScore, FieldScore, FieldScore]:
    """Size, angle and movement scores of a shot on someone other than the one the beat is
    about, without what that one's own action (a rise, a look down) or body (words that shake
    the camera) gave the move or angle (``Rule.bodily``): "the camera rises with them" is not
    true of the one who stays seated, nor is a shaken camera of the one who stands still."""

    def without(part: FieldScore) -> FieldScore:
        score, terms = part
        theirs = [term for term in terms if rule_named(term[0]).bodily]
        if not theirs:
            return part
        return score - sum(term[1] for term in theirs), [t for t in terms if t not in theirs]

    size, angle, movement = felt
    return size, without(angle), without(movement)


def _combine(
    ctx: Context,
    pin: ShotPin,
    cast: tuple[str, ...],
    fitting: list[str],
    framing: str,
    scored: tuple[Scored, Scored, Scored, Scored, Scored],
    breadth: tuple[int, ...],
) -> list[Option]:
    sizes, angles, movements, framings, dutch = scored
    dutch_options = (
        [pin.dutch_deg is not None and abs(pin.dutch_deg) >= 5.0]
        if pin.dutch_deg is not None
        else [value == "dutch" for value in _top(dutch, 2, None)]
    )
    people = _subject_options(framing, ctx, cast)
    result: list[Option] = []
    moves = _top(movements, breadth[3], pin.movement)
    if framing in _FRAMING_MOVES and pin.movement is None:
        # Likewise the framing's best own move, when the top moves do not suit it.
        own = {move: movements[move] for move in _FRAMING_MOVES[framing]}
        moves = list(dict.fromkeys([*moves, *_top(own, 1, None)]))
    focus = ctx.characters[0] if ctx.characters else None
    focus_bonus = LATER_FOCUS_BONUS
    if ctx.slot_in_beat == 0:
        moving = focus is not None and ctx.travel_m.get(focus, 0.0) >= MOVING_M
        focus_bonus = MOVING_FOCUS_BONUS if moving else FOCUS_BONUS
    power = power_between(ctx) and pin.angle is None
    performed = not PERFORMED.isdisjoint(ctx.affect.stagings)
    # What each subjects option reads of the slot, the same for every combination of values.
    facts = [
        (
            subjects,
            bool(subjects) and subjects[0] != focus,  # on another than the beat's person
            ctx.travel_m.get(subjects[0], 0.0) if subjects else 0.0,
            ctx.separation_m if len(subjects) >= 2 else 0.0,
            ctx.eye_gap_m if len(subjects) >= 2 else 0.0,
            bool(subjects) and subjects[0] in ctx.entering,
            ctx.travel_m.get(subjects[1], 0.0) if len(subjects) >= 2 else 0.0,
        )
        for subjects in people
    ]
    for size, angle, is_dutch, movement in itertools.product(
        fitting, _top(angles, breadth[2], pin.angle), dutch_options, moves
    ):
        for subjects, on_another, travel, separation, gap, entering, partner_travel in facts:
            shown, felt = angle, (sizes[size], angles[angle], movements[movement])
            if on_another and (performed or movement in BODILY_MOVES):
                felt = _not_theirs(felt)
            if power and on_another:
                shown, felt = OPPOSITE_ANGLE[angle], _answering_power(felt)
            if shown in _FROM_BELOW and subjects and subjects[0] in ctx.lying and not pin.angle:
                continue
            if not allowed(
                size, shown, is_dutch, movement, framing, subjects, travel, separation, entering,
                gap, partner_travel, movement == pin.movement, size == pin.size,
                ctx.shows is not None,
            ):  # fmt: skip
                continue
            if (
                framing == "over_shoulder"
                and pin.framing is None  # taste, not geometry: a writer's pin is kept
                and _ots_lens_mm(size, movement, separation) > LONGEST_OTS_LENS_MM
            ):
                continue
            parts = (*felt, framings[framing], dutch["dutch" if is_dutch else "level"])
            score = parts[0][0] + parts[1][0] + parts[2][0] + parts[3][0] + parts[4][0]
            if subjects and subjects[0] == focus:
                score += focus_bonus
            result.append((score, size, shown, movement, framing, subjects, is_dutch, parts))
    return result
