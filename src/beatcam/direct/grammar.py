"""The rules of film grammar the director scores shots by, each named and explainable.

A rule looks at one shot slot's ``Context`` (the beat's affect and where it sits in the
scene) and returns preferences for the values of one field: size, angle, movement, framing
or dutch. A style multiplies a rule's preferences by its weight. The names are what a
``why`` quotes, so they read as the rule a DP would state.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from beatcam.direct.exchange import LinePlace
from beatcam.direct.intents import (
    DEVICE_FIELDS,
    DEVICE_GAIN,
    IntentDevices,
    device_rule_name,
    first_device,
    intent_table,
    style_ways,
)
from beatcam.direct.stagings import (
    ONCE_PER_BEAT,
    PERFORMED,
    UPRIGHT,
    StagingMoves,
    staging_rule_name,
    staging_table,
)
from beatcam.model import Affect
from beatcam.model.vocab import SIZES, Intent, Staging, moves_where

Preferences = Mapping[str, float]


@dataclass(frozen=True)
class Context:
    """What the director knows about one shot slot."""

    affect: Affect
    slot: int  # index of the shot in the scene
    slot_in_beat: int
    first_beat: bool
    last_beat: bool
    peak: bool  # the scene's most intense beat
    rising: float  # intensity change into this beat (positive: escalating)
    characters: tuple[str, ...]  # cast in this beat, focus first
    travel_m: Mapping[str, float]  # how far each character moves during the slot
    separation_m: float = float("inf")  # between the first two characters, at the slot's start
    eye_gap_m: float = 0.0  # the most their eye heights differ during the slot (one seated)
    lying: frozenset[str] = frozenset()  # who lies on the ground at some frame of the slot
    # Who starts the slot off stage and walks on during it (an entrance).
    entering: frozenset[str] = frozenset()
    # This slot is the scene's establishing shot (``direct.timing.opening_parts`` decides).
    opening: bool = False
    # How bold the scene's shape lets this beat be: 1 at the turning point, less the quieter
    # the beat is beside it (``direct._boldness``).
    boldness: float = 1.0
    # The beat is a line of dialogue (a screenplay's speaker and words): an exchange for sure.
    spoken: bool = False
    # Where the line stands in its scene's exchange of lines (``direct.exchange``), if it has one.
    line: LinePlace | None = None
    # What the framing readouts would say of words that say nothing about framing
    # (``AffectedScene.usual_framing``).
    usual_framing: Mapping[str, Mapping[str, float]] = dataclasses.field(default_factory=dict)
    # Each intent's devices as the style plays them (``Style.devices``): what a showy move
    # needs to be asked for.
    devices: Mapping[Intent, IntentDevices] = dataclasses.field(default_factory=intent_table)
    # The fields of each intent the style plays its own way (``Style.own_ways``).
    own_ways: Mapping[Intent, frozenset[str]] = dataclasses.field(default_factory=dict)
    # The set piece whose words the beat shows (``direct.reading``): an insert shows it.
    shows: str | None = None

    @property
    def subject_travel_m(self) -> float:
        """How far the beat's focus character moves during the slot."""
        return self.travel_m.get(self.characters[0], 0.0) if self.characters else 0.0

    @property
    def subject_lies(self) -> bool:
        """Whether the beat's focus character lies on the ground at some frame of the slot."""
        return bool(self.characters) and self.characters[0] in self.lying

    def emotion(self, name: str) -> float:
        return float(self.affect.emotions.get(name, 0.0))

    def belief(self, *functions: str) -> float:
        """How sure the director is that the beat does one of ``functions``."""
        return self.affect.belief(*functions)

    @property
    def exchange(self) -> float:
        """How sure the director is that the beat is an exchange between two people: a
        conversation, a confrontation, a standoff or an embrace. A spoken line between two
        people is one for certain."""
        if len(self.characters) < 2:
            return 0.0
        return 1.0 if self.spoken else exchange_belief(self.affect)

    @property
    def plain(self) -> float:
        """How sure the director is that plain coverage serves the beat (no intent)."""
        return self.affect.plain


@dataclass(frozen=True)
class Rule:
    name: str
    field: str
    prefer: Callable[[Context], Preferences]
    reason: str  # a short clause: "realisation pushes in"
    default_weight: float = 1.0  # the weight in styles that do not name the rule
    intent: Intent | None = None  # the expressive intent whose device the rule gives
    # The values the reason is true of ("the camera rises with them" is said of a pedestal up,
    # not of the crane the same rule ranks second); empty: any value the rule prefers.
    says: frozenset[str] = frozenset()
    staging: Staging | None = None  # the staging whose move or angle the rule gives
    # The rule answers the one the beat is about, what they do or how their body goes (a
    # performed staging: a rise, a look down; words that shake the camera: their run, their
    # fall), so it says nothing for a shot on anyone else.
    bodily: bool = False


# Eye level's own score: as strong as an intent's first device (intents.DEVICE_GAIN), so that
# the neutral angle and a marked one trade places where the director is about as sure of the
# intent as of plain coverage.
EYE_LEVEL: Final = 3.0
# A confident intent, and a character utterly on top of or under the moment, take the angle to
# its extreme: worm's eye for a towering power, overhead for the helpless (Mascelli).
SURE: Final = 0.5
EXTREME_DOMINANCE: Final = 0.6
# How much the framing readouts (affect/framing.py) count, per field, and how much of the
# usual share of each value (what a readout would say of words that say nothing about framing)
# is taken off first: taken off whole, only what the words add counts; left on, a readout's
# lean toward the common values (medium sizes, eye level) adds to the grammar's own. Beliefs
# are probabilities, rarely above 0.5, so the gain brings a readout's first value level with
# the grammar's strongest rules. Chosen on the bench with the readouts out of fold (each split
# read by readouts fitted to the others), default weights otherwise. Size, marked / unmarked
# agreement (without the readout .591 / .748): gain 1, 3, 6, 12, 20 with nothing taken off
# .597/.770, .603/.796, .623/.821, .638/.848, .629/.864; gain 12 taking off half .705/.807,
# all .746/.750 (half: the best balance). Angle, with the size readout in place (.614 / .923):
# gain 6, 12, 20 taking off half .621/.946, .629/.933, .640/.931. Movement, with both in place
# and blind12 folded in (.464 / .861): gain 4, 6, 8, 12, 20 taking off half .480/.858,
# .484/.859, .488/.855, .495/.847, .499/.835; gain 12 taking off all .525/.774 (the still
# camera's usual share is large, so taking it all off moves every plain beat). Framing, with
# the other three in place and blind17 folded in (director only, readouts out of fold; .525 /
# .907 without it, where "one person, one frame" weighed 0.25): gain 4, 6, 8, 12 with that rule
# at its default weight .552/.949, .556/.951, .543/.952, .538/.950 (at 0.25: gain 4 .578/.933,
# 8 .557/.934), so a single for one person and a two-shot for two doing one thing no longer
# hang on one weight. Movement, once its readout learned the accepted set as a whole (surer
# beliefs than the shares'; ``affect/framing.SET_LIKELIHOOD``), director only, readouts out of
# fold, 5,997 situations (the shares at gain 6: .566 / .821): gain 4, 5, 6, 8 .565/.828,
# .576/.826, .588/.824, .600/.820. Above 5 the readout's "written back" outweighed epic's own
# first device for a confident vertigo (its crane) and a runner's "written shaken" put a
# handheld camera on the one she runs to. Once a style's own way silenced the readout where it
# plays the feeling (``_written_so``) and a shaken camera became the runner's alone
# (``Rule.bodily``), the same staging: gain 5, 8, 10, 12 .577/.827, .601/.821, .608/.821,
# .616/.816. 8 is shipped: at 10 a moving shot held whole beats the grammar cuts in two (a long
# exchange became one take) and a crane down opened a scene twice. Size, with movement at 8
# (.706 / .782 at 12): gain 8, 16, 20 .695/.773 (at movement 10), .719/.784, .722/.784, where 20
# cost framing .674 -> .669; 16 is shipped. Framing at 9 or 12 and angle at 14 or 28 moved no
# field by more than .006 (angle 14: .702/.918; framing 12: .681/.909).
# Someone the beat says lies on the ground is at rest: of the 196 tuning situations whose first
# shot was on someone lying down, the books accepted a still camera for 144 (73 %; half of all
# situations accept one), and the 10 pans the director gave them none. A lie the words of an
# earlier beat began is no rest: a man who collapsed at the guru's feet and talks on from the
# ground still gets his push-in when he jolts at what the guru said.
AT_REST: Final = 2.0
LIES_DOWN: Final = "lie"  # the action (affect/data/actions.yaml) of words that lay someone down
READOUT_GAIN: Final = {
    "size": 16.0,
    "angle": 20.0,
    "movement": 8.0,
    "framing": 6.0,
}
USUAL_DISCOUNT: Final = 0.5
# A subject who moves further than this during a shot covers ground: the frame must hold the
# walk (Mascelli: movement needs room in the frame).
COVERS_GROUND_M: Final = 1.0
# A subject who moves further than this during a shot is on the move: the camera turns or
# travels with the walk, or holds all of it in a wide frame (more than the step or two a still
# frame absorbs).
MOVING_M: Final = 1.2
# A beat of these functions or intents is played between two people, even when it names one.
EXCHANGES: Final = ("dialogue", "confrontation", "intimacy")
EXCHANGE_INTENTS: Final = ("intimacy", "tension")


def exchange_belief(affect: Affect) -> float:
    """How likely a beat is an exchange between two people: a conversation, a confrontation, a
    standoff or an embrace."""
    return min(1.0, max(affect.belief(*EXCHANGES), affect.intent(*EXCHANGE_INTENTS)))


def _tightness(size: str) -> int:
    return SIZES.index(size)


# Beats whose feeling lives in the space around the character, not on the face: their
# intensity is told by scale (Mascelli, Katz), so it must not pull the frame in.
SPATIAL = frozenset({"establishing", "awe", "isolation", "grief", "triumph"})
# Beats whose object is the news: what a reveal uncovers, the ticking bomb of suspense
# (Hitchcock's bomb under the table) is shown itself; a realisation lands on the face first.
OBJECT_BEATS = frozenset({"reveal", "suspense"})
# Arrivals and departures are received or watched go from where the camera stands.
COMINGS_AND_GOINGS = frozenset({"arrival", "departure"})
# Action this aroused is too fast for a locked-off frame.
ACTION_AROUSAL = 0.5


def _staged(ctx: Context, field: str) -> frozenset[str]:
    """The values of ``field`` that what happens in the beat asks for: where the action itself
    takes the camera off eye level (she lies on the floor), plain coverage does not argue."""
    table = staging_table()
    return frozenset(
        value
        for staging in ctx.affect.stagings
        for value in table[Staging(staging)].preferences(field)
    )


def _given(belief: float, preferences: Preferences) -> Preferences:
    """A rule for one kind of beat speaks as loudly as the director is sure the beat is that
    kind: a beat it cannot read is shot by the general rules, plainly."""
    return {value: belief * score for value, score in preferences.items()} if belief > 0 else {}


def _when(condition: bool, preferences: Preferences) -> Preferences:
    return _given(1.0 if condition else 0.0, preferences)


def _intensity_tightens(ctx: Context) -> Preferences:
    if ctx.opening or ctx.line is not None:  # a line's size follows its exchange's arc
        return {}
    target = 2.0 + 4.6 * ctx.affect.intensity
    return _given(
        1.0 - ctx.belief(*SPATIAL),
        {size: -0.3 * (_tightness(size) - target) ** 2 for size in SIZES},
    )


# The reverses of an exchange of lines tighten from speaking distance toward the line it turns
# on (``direct.exchange``): the tightness (the index in SIZES: MLS 3, MS 4, CU 6) of the first
# line and of the turn, how strongly a size off that arc is turned down (per step, squared:
# twice the intensity's pull, since a line's own intensity is no longer read), and how strongly
# the turning line is pushed in on, in a clean single (an over-the-shoulder camera cannot dolly
# in past the near shoulder), and how strongly its first line is shown on the pair together
# (Arijon: a two-shot sets up who talks to whom before the reverses; the same weight).
EXCHANGE_OPENS_AT: Final = 3.5
EXCHANGE_TURNS_AT: Final = 5.5
OFF_THE_ARC: Final = 0.6
TURN_SINGLE: Final = 1.5


def _turns(ctx: Context) -> bool:
    return ctx.line is not None and ctx.line.turn


def _opens(ctx: Context) -> bool:
    return ctx.line is not None and ctx.line.opens and not ctx.line.turn


def _at_the_line(
    name: str, field: str, value: str, weight: float, reason: str, where: Callable[[Context], bool]
) -> Rule:
    """A rule that speaks only on the line of an exchange ``where`` picks, for one value."""
    return Rule(
        name, field, lambda c: _when(where(c), {value: weight}), reason, says=frozenset({value})
    )


def _exchange_tightens(ctx: Context) -> Preferences:
    if ctx.line is None:
        return {}
    # Squared: the reverses hold at speaking distance through the exchange's first half.
    target = EXCHANGE_OPENS_AT + (EXCHANGE_TURNS_AT - EXCHANGE_OPENS_AT) * ctx.line.build**2
    return {size: -OFF_THE_ARC * (_tightness(size) - target) ** 2 for size in SIZES}


def _place_framing(ctx: Context) -> float:
    """The place is the subject of the opening, of an establishing beat, and of an empty scene."""
    if ctx.opening:
        return 4.0
    if not ctx.characters:
        return 2.0
    establishing = ctx.belief("establishing")
    return 2.0 * establishing - 3.0 * (1.0 - establishing)


def _fear_and_energy(ctx: Context) -> float:
    return max(ctx.emotion("fear"), ctx.emotion("anger")) * max(0.0, ctx.affect.arousal)


# The framing readouts' bands, each with what it means on the floor: one readout per field,
# said as a DP would say why the frame is that wide, or why we look from there.
WRITTEN_BANDS: Final = (
    ("size", "wide", ("EWS", "WS"), "the place around them is part of the moment"),
    ("size", "whole", ("FS", "MLS"), "the whole figure carries the moment"),
    ("size", "near", ("MS",), "we keep a human distance"),
    ("size", "close", ("MCU", "CU", "ECU"), "it plays on the face"),
    ("angle", "from above", ("overhead", "high"), "we look down on them"),
    ("angle", "level", ("eye_level",), "we meet them at their own height"),
    ("angle", "from below", ("low", "worm"), "we look up at them"),
    ("movement", "still", ("static",), "the camera watches without a move"),
    ("movement", "in", ("push_in", "zoom_in", "dolly_zoom_in"), "we are drawn in to it"),
    ("movement", "back", ("pull_out", "zoom_out", "dolly_zoom_out"), "we draw back from it"),
    (
        "movement",
        "alongside",
        ("truck_left", "truck_right", "arc_left", "arc_right", "follow", "lead"),
        "we travel with it",
    ),
    ("movement", "round", ("pan_left", "pan_right", "whip_pan"), "the camera turns to take it in"),
    ("movement", "up", ("tilt_up", "pedestal_up", "crane_up"), "the frame rises with it"),
    (
        "movement",
        "down",
        ("tilt_down", "pedestal_down", "crane_down"),
        "the frame comes down with it",
    ),
    ("movement", "shaken", ("handheld",), "the camera is shaken by it"),
    ("framing", "alone", ("single",), "the moment is one person's"),
    ("framing", "shared", ("two_shot", "over_shoulder", "group"), "the moment is between them"),
    ("framing", "seen", ("pov", "insert"), "we see what they see"),
)


def _written_so(ctx: Context, field: str, values: tuple[str, ...]) -> Preferences:
    """How strongly beats written like this one are framed at each of ``values`` of ``field``
    (size, angle, movement or framing). A size says nothing for a subject who covers ground,
    whose frame the walk sets (on the bench, letting it speak for walkers too gave size .676 /
    .823 marked / unmarked against .665 / .809, but movement unmarked .856 against .863: a
    walker framed tighter is followed more), and less the surer the beat is an exchange, whose
    coverage (two-shot, over-the-shoulder) sets its size. For the same reason words read as one
    person's moment do not take an exchange out of its coverage (with that share on the bench,
    framing .582 / .938 marked / unmarked, size unmarked .768; without it .582 / .939 and .765,
    and The Offer, a standoff across a desk, lost every over-the-shoulder). A shaken camera says
    nothing for a line of dialogue: it needs a body in physical chaos, and a line's words are
    said ("Shushing is louder than burp why?" went handheld on them; the drawn-in lines keep
    their push-in). The readouts learnt the books' ways, so where the style plays the beat's
    feeling its own way in this field (epic's crane for vertigo), they speak only for the share
    the feeling leaves, as the table's rows do (``Style.own_ways``, ``_shading_share``)."""
    belief = {
        "size": ctx.affect.size_belief,
        "angle": ctx.affect.angle_belief,
        "movement": ctx.affect.movement_belief,
        "framing": ctx.affect.framing_belief,
    }[field]
    usual = ctx.usual_framing.get(field, {})
    share = 1.0
    if field == "size":
        share = 0.0 if ctx.subject_travel_m > COVERS_GROUND_M else 1.0 - ctx.exchange
    elif values == ("single",):
        share = 1.0 - ctx.exchange
    elif values == ("handheld",) and ctx.spoken:
        share = 0.0
    share *= 1.0 - max(
        (_shading_share(ctx, intent) for intent, own in ctx.own_ways.items() if field in own),
        default=0.0,
    )
    done = _done_once(ctx) if field == "movement" else frozenset()
    return {
        value: READOUT_GAIN[field]
        * share
        * (belief.get(value, 0.0) - USUAL_DISCOUNT * usual.get(value, 0.0))
        for value in values
        if share and value not in done
    }


def _done_once(ctx: Context) -> frozenset[str]:
    """From a beat's second shot on, the move that plays a staging done once in it
    (``ONCE_PER_BEAT``: the camera comes down over the place into the scene): the words that
    asked the first shot for it do not ask again (a crane down on the place cut to a second
    crane down on Ines)."""
    if ctx.slot_in_beat == 0:
        return frozenset()
    table = staging_table()
    return frozenset(
        table[staging].ranked["movement"][0]
        for staging in ONCE_PER_BEAT
        if staging in ctx.affect.stagings and table[staging].ranked.get("movement")
    )


# The intents the device table plays on the face (a shock, vertigo, a realisation): a walker
# with one is led, the camera backing ahead of them, since a follow from behind loses the face
# (Katz: a figure heading somewhere is led when we should see their face).
ON_THE_FACE: Final = (Intent.SHOCK, Intent.VERTIGO, Intent.REALISATION)


def _travel_preferences(ctx: Context) -> Preferences:
    """Keep pace with a subject who covers ground; only a little in a beat about the space, or
    about someone arriving in it or leaving it: the camera waits for them, or lets them go.
    What plays on their face is led, not followed."""
    held_back = min(1.0, ctx.belief(*SPATIAL, *COMINGS_AND_GOINGS))
    arousal = ctx.affect.arousal
    face = min(1.0, ctx.affect.intent(*ON_THE_FACE))
    follow = (1.0 - held_back) * (1.8 + 1.6 * max(0.0, arousal)) + held_back * 0.6
    return {
        "follow": (1.0 - face) * follow,
        "lead": (1.0 - held_back) * (1.4 + 1.4 * arousal) + held_back * 0.4,
    }


def _pan_preferences(ctx: Context) -> Preferences:
    """A calm walk is panned with from where the camera stands (Mascelli), the more so when
    someone comes or goes; pace the audience should ride with travels instead, and a lonely or
    grieving figure is left to walk out of a still frame."""
    watched = ctx.belief(*COMINGS_AND_GOINGS, "establishing", "transition")
    alone = min(1.0, ctx.belief("isolation", "grief"))
    pan = (1.2 + 0.6 * watched - 1.2 * max(0.0, ctx.affect.arousal)) * (1.0 - alone)
    return {"pan_left": pan, "pan_right": pan}


# The grammar of coverage: structure, space, movement of people, and the neutral choices.
GRAMMAR: tuple[Rule, ...] = (
    # --- size
    Rule("intensity tightens", "size", _intensity_tightens, "intensity tightens the frame"),
    Rule(
        "establish the space",
        "size",
        lambda c: _given(
            1.0 if c.opening else c.belief("establishing") * (c.slot_in_beat == 0) * (c.slot > 0),
            {"WS": 2.5, "EWS": 1.5, "FS": 1.0},
        ),
        "the scene opens wide to place everyone in the space",
    ),
    Rule(
        "an empty place is seen whole",
        "size",
        lambda c: _when(not c.characters, {"WS": 1.5, "EWS": 1.5, "FS": 0.5}),
        "with nobody in it, the place itself is the subject",
    ),
    Rule(
        "action needs room",
        "size",
        lambda c: _given(
            1.0 if c.subject_travel_m > COVERS_GROUND_M else c.belief("chase", "attack", "action"),
            {"MLS": 1.2, "FS": 1.6, "WS": 1.2, "CU": -1.5, "ECU": -2.5},
        ),
        "movement needs room in the frame",
    ),
    Rule(
        "a body in motion is seen whole",
        "size",
        lambda c: _when(
            bool(c.affect.actions),
            {"FS": 1.0, "MLS": 1.0, "WS": 0.6, "CU": -0.8, "ECU": -1.5},
        ),
        "a body in motion is seen whole",
    ),
    Rule(
        "entrances and exits are seen whole",
        "size",
        lambda c: _given(
            c.belief("arrival", "departure"),
            {"WS": 1.4, "FS": 1.4, "EWS": 0.6, "MLS": 0.6},
        ),
        "an entrance or an exit is seen whole, in its place",
    ),
    Rule(
        "the exchange tightens toward its turn",
        "size",
        _exchange_tightens,
        "the reverses tighten as the exchange builds to its turn",
    ),
    _at_the_line(
        "the exchange turns on this line",
        "movement",
        "push_in",
        DEVICE_GAIN,
        "the exchange turns on this line",
        _turns,
    ),
    _at_the_line(
        "the turn isolates the speaker",
        "framing",
        "single",
        TURN_SINGLE,
        "the turn is theirs alone",
        _turns,
    ),
    _at_the_line(
        "the exchange opens on the pair",
        "framing",
        "two_shot",
        TURN_SINGLE,
        "the exchange opens on the two of them",
        _opens,
    ),
    Rule(
        "conversation at speaking distance",
        "size",
        lambda c: _given(
            max(c.belief("dialogue", "confrontation"), float(c.spoken)), {"MS": 1.2, "MCU": 1.2}
        ),
        "conversation plays at speaking distance",
    ),
    *(
        Rule(
            f"written {band}",
            field,
            functools.partial(_written_so, field=field, values=values),
            reason,
            says=frozenset(values),
            bodily=values == ("handheld",),
        )
        for field, band, values, reason in WRITTEN_BANDS
    ),
    Rule(
        "faces over places",
        "size",
        lambda c: {"CU": 1.2, "MCU": 1.2, "ECU": 0.4, "MS": 0.4},
        "this style stays on faces",
        default_weight=0.0,
    ),
    Rule(
        "places over faces",
        "size",
        lambda c: {"WS": 1.2, "EWS": 0.8, "FS": 0.8},
        "this style keeps the space in view",
        default_weight=0.0,
    ),
    # --- angle
    Rule(
        "eye level is honest",
        "angle",
        lambda c: _given(
            c.plain,
            {
                angle: score
                for angle, score in {
                    "eye_level": EYE_LEVEL,
                    "high": -0.4,
                    "low": -0.4,
                    "overhead": -2.5,
                    "worm": -3.0,
                }.items()
                if angle not in _staged(c, "angle")
            },
        ),
        "eye level keeps the audience level with the character",
    ),
    # --- dutch
    # --- movement
    # Plain coverage holds still as far as no intent is sure of a move. Its words claim no calm:
    # the director is unsure, not told the moment is quiet (246 of the 768 shots that said "a
    # calm moment holds still" on the tuning split were of beats written with a charged intent).
    Rule(
        "calm holds still",
        "movement",
        # An exchange's turn is not plain coverage, however calm its words.
        lambda c: _given(c.plain * (not _turns(c)), {"static": 1.0 - 0.8 * c.affect.arousal}),
        "the camera holds still and lets it play",
    ),
    Rule(
        "a body at rest holds still",
        "movement",
        lambda c: _when(
            LIES_DOWN in c.affect.actions and c.subject_lies,
            {"static": AT_REST},
        ),
        "they lie still, and so does the camera",
    ),
    Rule(
        "a departure is watched go",
        "movement",
        lambda c: _given(
            c.belief("departure"),
            {"static": 1.2, "pan_left": 0.6, "pan_right": 0.6, "pull_out": 0.6},
        ),
        "the camera stays and lets the character leave it",
    ),
    Rule(
        "towering power from the ground",
        "angle",
        lambda c: _when(
            c.affect.intent("dominance") >= SURE and c.affect.dominance >= EXTREME_DOMINANCE,
            {"worm": 2.0},
        ),
        "from the ground they tower over everything",
    ),
    Rule(
        "the helpless from above",
        "angle",
        lambda c: _when(
            c.affect.intent("vulnerability", "isolation") >= SURE
            and c.affect.dominance <= -EXTREME_DOMINANCE,
            {"overhead": 2.0},
        ),
        "from straight above they are at the world's mercy",
    ),
    Rule(
        "a dark ending withdraws",
        "movement",
        lambda c: _when(
            c.last_beat and c.affect.valence < -0.2 and c.slot_in_beat == 0,
            {"pull_out": 0.8, "crane_up": 0.5},
        ),
        "a dark scene ends by drawing away",
    ),
    Rule(
        "action keeps up",
        "movement",
        # A chase is motion whatever its pitch; other action once it is fast.
        lambda c: _given(
            c.belief("chase") + c.belief("action", "attack") * (c.affect.arousal > ACTION_AROUSAL),
            {"handheld": 1.6, "pan_left": 0.8, "pan_right": 0.8, "whip_pan": 0.6},
        ),
        "the camera scrambles to keep up with the action",
    ),
    Rule(
        "a chase never stands still",
        "movement",
        lambda c: _given(
            c.belief("chase"), {"static": -1.2, "truck_left": 0.6, "truck_right": 0.6}
        ),
        "a chase is shot on the move",
    ),
    Rule(
        "travel with the runner",
        "movement",
        lambda c: _when(c.subject_travel_m > MOVING_M, _travel_preferences(c)),
        "the camera travels with the moving character",
    ),
    Rule(
        "pan with the walker",
        "movement",
        lambda c: _when(c.subject_travel_m > MOVING_M, _pan_preferences(c)),
        "the camera turns with the walk from where it stands",
    ),
    Rule(
        "reveal opens the frame",
        "movement",
        lambda c: _given(
            c.belief("reveal"),
            {
                "pull_out": 1.5,
                "pan_left": 1.0,
                "pan_right": 1.0,
                "truck_right": 0.8,
                "zoom_out": 0.6,
            },
        ),
        "the move reveals what was outside the frame",
    ),
    Rule(
        "arrival is met",
        "movement",
        lambda c: _given(
            c.belief("arrival"),
            {"pan_left": 1.2, "pan_right": 1.2, "crane_down": 1.2, "truck_left": 0.6},
        ),
        "the camera receives the arrival",
    ),
    Rule(
        "suspense waits",
        "movement",
        lambda c: _given(
            c.belief("suspense"),
            {"push_in": 1.4, "static": 1.0, "pan_left": 0.5, "truck_left": 0.5},
        ),
        "suspense makes the audience wait",
    ),
    Rule(
        "establishing reveals the place",
        "movement",
        lambda c: _when(
            c.opening, {"crane_down": 1.2, "pan_right": 0.9, "truck_right": 0.8, "static": 0.8}
        ),
        "the opening move shows the place",
    ),
    Rule(
        "the camera creeps",
        "movement",
        lambda c: {
            "push_in": 0.8 + c.emotion("fear") + c.emotion("anticipation"),
            "static": -0.3,
        },
        "the camera keeps creeping closer",
        default_weight=0.0,
    ),
    Rule(
        "observe by hand",
        "movement",
        lambda c: {"handheld": 2.2, "zoom_in": 0.8, "zoom_out": 0.5, "pan_left": 0.3},
        "an observing camera in the operator's hands",
        default_weight=0.0,
    ),
    # --- framing
    Rule(
        "open on the place",
        "framing",
        lambda c: {"establishing": _place_framing(c)},
        "the scene opens on the place",
    ),
    Rule(
        "one person, one frame",
        "framing",
        # Between two people in an exchange, a single cuts one of them out of it.
        lambda c: {"single": 1.5 if len(c.characters) <= 1 else 0.8 * (1.0 - c.exchange)},
        "the shot belongs to one character",
    ),
    Rule(
        "two people share the frame",
        "framing",
        lambda c: _when(
            len(c.characters) >= 2,
            {
                "two_shot": 1.0
                + 0.8 * c.belief("confrontation")
                + 1.2 * max(c.belief("intimacy"), c.affect.intent("intimacy")),
                "over_shoulder": 1.2
                + 0.6 * max(c.belief("dialogue", "confrontation"), c.affect.intent("tension")),
            },
        ),
        "both people stay in the frame",
    ),
    Rule(
        "the object matters",
        "framing",
        lambda c: _given(
            bool(c.affect.objects)
            * (c.belief(*OBJECT_BEATS) + c.belief("realisation") * (c.slot_in_beat > 0)),
            {"insert": 2.2},
        ),
        "the object carries the beat",
    ),
    Rule(
        "the watcher's eyes",
        "framing",
        # Not for a threat: a point of view is shot at eye level, and menace has to loom.
        lambda c: _given((len(c.characters) >= 2) * c.belief("suspense"), {"pov": 1.6}),
        "we see through the watcher's eyes",
    ),
    Rule(
        "the group together",
        "framing",
        lambda c: _when(len(c.characters) >= 3, {"group": 1.8}),
        "the group is seen together",
    ),
)


# Moves that draw attention to the camera: where no intent asks for them, they cost.
ATTENTION_COST: Final = {
    "whip_pan": -1.4, "dolly_zoom_in": -1.2, "dolly_zoom_out": -1.4, "crane_up": -0.5,
    "crane_down": -0.6, "pedestal_up": -0.8, "pedestal_down": -0.8, "tilt_up": -0.4,
    "tilt_down": -0.5, "zoom_in": -0.6, "zoom_out": -0.8, "handheld": -0.6,
}  # fmt: skip


def _unasked(ctx: Context) -> Preferences:
    """A showy move costs as much as no intent asks for it: the flat cost of earlier versions
    fell hardest on the rarest device even when its moment had come."""
    asking: dict[str, float] = {}
    for row in ctx.devices.values():
        belief = ctx.affect.intent(row.intent)
        for move in row.ranked["movement"]:
            asking[move] = asking.get(move, 0.0) + belief
    for staging in ctx.affect.stagings:
        staged = staging_table()[Staging(staging)]
        for move in staged.ranked.get("movement", ()):
            asking[move] = asking.get(move, 0.0) + 1.0
        for intent, shaded in staged.shadings.items():
            for move in shaded.ranked.get("movement", ()):
                asking[move] = asking.get(move, 0.0) + _believed(ctx, intent)
    return {
        move: cost * max(0.0, 1.0 - asking.get(move, 0.0)) for move, cost in ATTENTION_COST.items()
    }


# Below this belief an intent does not speak: many faint readings that happen to share a device
# (a low angle serves power, triumph and menace) must not add up to a choice none of them made.
INTENT_FLOOR: Final = 0.2


# Power is a relation (Mascelli: the camera looks up at whoever holds it, down on whoever gives
# way): in a beat of power between two people, the shot on the other one takes the opposite
# angle, scored as the angle it answers.
POWER_INTENTS: Final = frozenset({Intent.DOMINANCE, Intent.VULNERABILITY})
OPPOSITE_ANGLE: Final = {
    "low": "high", "high": "low", "worm": "overhead", "overhead": "worm", "eye_level": "eye_level",
}  # fmt: skip
POWER_REVERSED = "power seen from the other side"


def power_between(ctx: Context) -> bool:
    """The beat is about who has power over whom, between (at least) two people."""
    return len(ctx.characters) >= 2 and ctx.affect.intent(*POWER_INTENTS) >= INTENT_FLOOR


# How much a device draws the eye, 0 to 1: the budget the scene's shape spends. Showy moves and
# extreme angles are the boldest; a move that circles or rises on its own is half as bold; plain
# pushes, pans and tilts cost nothing. A dutch angle is not spent by the shape: it needs an
# intent that asks for it (disorientation, unease).
BOLD: Final[Mapping[str, Mapping[str, float]]] = {
    "movement": {
        **dict.fromkeys(moves_where(showy=True), 1.0),
        **dict.fromkeys(
            ("arc_left", "arc_right", "pedestal_up", "pedestal_down", "handheld", "zoom_in",
             "zoom_out"),
            0.5,
        ),
    },
    "angle": {"overhead": 1.0, "worm": 1.0, "high": 0.3, "low": 0.3},
}  # fmt: skip
SHAPE_GAIN: Final = 3.0
SHAPE_REASONS: Final = {
    "movement": "the scene's turning point gets its boldest move",
    "angle": "the turning point takes the angle to its extreme",
}


def _shape(field: str) -> Callable[[Context], Preferences]:
    """Restraint that makes the peak count: at the scene's turning point a bold device gains,
    on the quieter beats it costs, the more the quieter the beat (``Context.boldness`` is above
    1 only at the peak), and only as far as the director believes the beat is charged."""

    def prefer(ctx: Context) -> Preferences:
        charged = 1.0 - ctx.plain
        weight = SHAPE_GAIN * (ctx.boldness - 1.0) * charged
        return {value: weight * level for value, level in BOLD[field].items()} if weight else {}

    return prefer


def _believed(ctx: Context, intent: Intent) -> float:
    """The director's belief in ``intent``, where it is sure enough to speak."""
    belief = ctx.affect.intent(intent)
    return belief if belief >= INTENT_FLOOR else 0.0


def _device_rule(row: IntentDevices, field: str, style: str | None = None) -> Rule:
    """The rule that plays ``field`` of an intent: the table's, or (``style``) that style's own
    way, which only that style weighs."""

    def prefer(ctx: Context) -> Preferences:
        return _given(_believed(ctx, row.intent) * ctx.boldness, row.preferences(field))

    reason = row.reasons.get(field, f"the {field} serves the {row.intent}")
    says = frozenset({"dutch"}) if field == "dutch" else first_device(row.ranked[field])
    return Rule(
        device_rule_name(row.intent, field, style),
        field,
        prefer,
        reason,
        default_weight=0.0 if style else 1.0,
        intent=row.intent,
        says=says,
    )


def _shading_share(ctx: Context, intent: Intent) -> float:
    """How much of a stated staging an intent's own way of answering it takes: all of it where
    the intent leads the beat's reading (a look down that is mostly vertigo is the dolly zoom,
    not three fifths of a tilt), else as far as the director believes it."""
    belief = _believed(ctx, intent)
    leads = belief > 0.0 and belief >= max(ctx.affect.intent_belief.values())
    return 1.0 if leads else belief


def _staging_rule(row: StagingMoves, field: str, shaded_by: tuple[Intent, ...]) -> Rule:
    """A staging's ranking of one field: an intent's own ranking (``row.intent``) speaks as
    far as the director believes the intent; the row's general ranking for the rest."""

    def prefer(ctx: Context) -> Preferences:
        if row.staging not in ctx.affect.stagings:
            return {}
        if row.staging in ONCE_PER_BEAT and ctx.slot_in_beat > 0:
            return {}
        if row.staging in UPRIGHT and ctx.subject_lies:
            return {}
        if row.intent is not None:
            share = _shading_share(ctx, row.intent)
        else:
            share = max(0.0, 1.0 - sum(_shading_share(ctx, intent) for intent in shaded_by))
        return _given(share, row.preferences(field))

    reason = row.reasons.get(field, f"the {field} answers what they do")
    return Rule(
        staging_rule_name(row.staging, field, row.intent),
        field,
        prefer,
        reason,
        intent=row.intent,
        says=first_device(row.ranked[field]),
        staging=row.staging,
        bodily=row.staging in PERFORMED,
    )


def _staging_rules() -> tuple[Rule, ...]:
    """One rule per staging (and intent it is shaded by) and field it ranks, from the staging
    -> move table; an intent's ranking of a field shares the gain with the general one."""
    rules = []
    for row in staging_table().values():
        # An intent may answer a field the staging itself leaves alone (a drop far below says
        # where the camera looks from; vertigo says how it moves).
        fields = dict.fromkeys([*row.ranked, *(f for s in row.shadings.values() for f in s.ranked)])
        for field in fields:
            shaded_by = tuple(
                intent for intent, shaded in row.shadings.items() if field in shaded.ranked
            )
            if field in row.ranked:
                rules.append(_staging_rule(row, field, shaded_by))
            rules += [_staging_rule(row.shadings[intent], field, ()) for intent in shaded_by]
    return tuple(rules)


def _device_rules() -> tuple[Rule, ...]:
    """One rule per intent and field, from the intent -> device table, and one per field a
    style plays its own way."""
    return tuple(
        _device_rule(row, field)
        for row in intent_table().values()
        for field in (*DEVICE_FIELDS, "dutch")
    ) + tuple(
        _device_rule(way.row, field, way.style) for way in style_ways() for field in way.fields
    )


RULES: tuple[Rule, ...] = (
    *GRAMMAR,
    Rule(
        "showy moves are earned",
        "movement",
        _unasked,
        "showy moves are kept for moments that ask for them",
    ),
    *(
        Rule(
            f"the turning point is boldest ({field})",
            field,
            _shape(field),
            SHAPE_REASONS[field],
        )
        for field in BOLD
    ),
    # Scores nothing itself: the candidates credit it with the angle score of the shot it answers
    # (``power_between``), so the why names the reversed angle for what it is.
    Rule(
        POWER_REVERSED,
        "angle",
        lambda c: {},
        "the angle turns with the power, up at who holds it and down on who gives way",
        default_weight=0.0,
        says=frozenset(OPPOSITE_ANGLE) - {"eye_level"},
    ),
    Rule(
        "the horizon stays level",
        "dutch",
        lambda c: {"level": 1.2, "dutch": 0.0},
        "the horizon stays level",
    ),
    *_device_rules(),
    *_staging_rules(),
)


# Every slot asks for each field's rules, and every kept candidate names its rules by name: with
# the table's 64 device rules beside the grammar, both are looked up, not searched.
_BY_FIELD: Final = {
    field: tuple(rule for rule in RULES if rule.field == field)
    for field in dict.fromkeys(rule.field for rule in RULES)
}
_BY_NAME: Final = {rule.name: rule for rule in RULES}
# The moves a bodily rule says (``Rule.bodily``): a shot on someone else with one of them is
# scored without what the bodily rules gave it (as is every shot on someone else in a beat of
# a performed staging, whose rules may rank more moves than they say).
BODILY_MOVES: Final = frozenset(
    value for rule in RULES if rule.bodily and rule.field == "movement" for value in rule.says
)


def rules_for(field: str) -> tuple[Rule, ...]:
    return _BY_FIELD.get(field, ())


def rule_named(name: str) -> Rule:
    """The rule called ``name``; KeyError when there is none."""
    return _BY_NAME[name]
