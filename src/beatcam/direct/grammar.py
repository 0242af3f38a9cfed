"""The rules of film grammar the director scores shots by, each named and explainable.

A rule looks at one shot slot's ``Context`` (the beat's affect and where it sits in the
scene) and returns preferences for the values of one field: size, angle, movement, framing
or dutch. A style multiplies a rule's preferences by its weight. The names are what a
``why`` quotes, so they read as the rule a DP would state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from beatcam.model import Affect
from beatcam.model.vocab import SIZES

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

    @property
    def subject_travel_m(self) -> float:
        """How far the beat's focus character moves during the slot."""
        return self.travel_m.get(self.characters[0], 0.0) if self.characters else 0.0

    def emotion(self, name: str) -> float:
        return float(self.affect.emotions.get(name, 0.0))

    def belief(self, *functions: str) -> float:
        """How sure the director is that the beat does one of ``functions``."""
        return self.affect.belief(*functions)


@dataclass(frozen=True)
class Rule:
    name: str
    field: str
    prefer: Callable[[Context], Preferences]
    reason: str  # a short clause: "realisation pushes in"
    default_weight: float = 1.0  # the weight in styles that do not name the rule


def _tightness(size: str) -> int:
    return SIZES.index(size)


# Beats whose feeling lives in the space around the character, not on the face: their
# intensity is told by scale (Mascelli, Katz), so it must not pull the frame in.
SPATIAL = frozenset({"establishing", "awe", "isolation", "grief", "triumph"})
# Dominance beyond this tilts the camera; the gain makes the tilt beat "eye level is honest"
# from about |dominance| 0.35 (a character clearly on top of, or under, the moment).
DOMINANCE_FELT = 0.2
# Beats whose object is the news: what a reveal uncovers, the ticking bomb of suspense
# (Hitchcock's bomb under the table) is shown itself; a realisation lands on the face first.
OBJECT_BEATS = frozenset({"reveal", "suspense"})
ANGLE_GAIN = 4.0
# Arrivals and departures are received or watched go from where the camera stands.
COMINGS_AND_GOINGS = frozenset({"arrival", "departure"})
# Action this aroused is too fast for a locked-off frame.
ACTION_AROUSAL = 0.5
# In awe and menace the one who feels small is the onlooker, and the camera shares their look
# up at what dwarfs them rather than looking down on them.
LOOKED_UP_AT = frozenset({"awe", "threat"})
# In a chase, a wait for danger or a discovery the audience rides with the character, at their
# eye level (Hitchcock's identification): looking down on them would judge them instead.
SHARED = frozenset({"suspense", "chase", "reveal", "realisation"})
# Composure in a task, a journey or a place, or the bearing of someone grieving, is not power
# over anyone: no looking up at it.
UNCONTESTED = frozenset({"action", "establishing", "transition", "arrival", "grief"})


def _given(belief: float, preferences: Preferences) -> Preferences:
    """A rule for one kind of beat speaks as loudly as the director is sure the beat is that
    kind: a beat it cannot read is shot by the general rules, plainly."""
    return {value: belief * score for value, score in preferences.items()} if belief > 0 else {}


def _when(condition: bool, preferences: Preferences) -> Preferences:
    return _given(1.0 if condition else 0.0, preferences)


def _intensity_tightens(ctx: Context) -> Preferences:
    if ctx.slot == 0:
        return {}
    target = 2.0 + 4.6 * ctx.affect.intensity
    return _given(
        1.0 - ctx.belief(*SPATIAL),
        {size: -0.3 * (_tightness(size) - target) ** 2 for size in SIZES},
    )


def _place_framing(ctx: Context) -> float:
    """The place is the subject of the opening, of an establishing beat, and of an empty scene."""
    if ctx.slot == 0:
        return 4.0
    if not ctx.characters:
        return 2.0
    establishing = ctx.belief("establishing")
    return 2.0 * establishing - 3.0 * (1.0 - establishing)


def _fear_and_energy(ctx: Context) -> float:
    return max(ctx.emotion("fear"), ctx.emotion("anger")) * max(0.0, ctx.affect.arousal)


def _travel_preferences(ctx: Context) -> Preferences:
    """Keep pace with a subject who covers ground; only a little in a beat about the space, or
    about someone arriving in it or leaving it: the camera waits for them, or lets them go."""
    held_back = min(1.0, ctx.belief(*SPATIAL, *COMINGS_AND_GOINGS))
    arousal = ctx.affect.arousal
    return {
        "follow": (1.0 - held_back) * (1.8 + 1.6 * max(0.0, arousal)) + held_back * 0.6,
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


RULES: tuple[Rule, ...] = (
    # --- size
    Rule("intensity tightens", "size", _intensity_tightens, "intensity tightens the frame"),
    Rule(
        "establish the space",
        "size",
        lambda c: _given(
            1.0 if c.slot == 0 else c.belief("establishing") * (c.slot_in_beat == 0),
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
        "isolation goes wide",
        "size",
        lambda c: _given(c.belief("isolation"), {"WS": 2.0, "EWS": 2.0, "FS": 0.8}),
        "isolation leaves the character small in the frame",
    ),
    Rule(
        "awe goes wide",
        "size",
        lambda c: _given(c.belief("awe"), {"EWS": 2.5, "WS": 2.0}),
        "awe needs the scale of the place",
    ),
    Rule(
        "intimacy comes close",
        "size",
        lambda c: _given(c.belief("intimacy"), {"CU": 1.5, "MCU": 1.5, "MS": 0.4}),
        "intimacy brings the camera close",
    ),
    Rule(
        "realisation lands on the face",
        "size",
        lambda c: _given(c.belief("realisation"), {"MCU": 1.4, "CU": 1.4}),
        "the thought has to land on the face",
    ),
    Rule(
        "grief keeps its distance",
        "size",
        lambda c: _given(c.belief("grief"), {"MLS": 1.4, "FS": 1.4, "WS": 0.8, "MS": 0.6}),
        "grief is watched from a respectful distance",
    ),
    Rule(
        "action needs room",
        "size",
        lambda c: _given(
            1.0 if c.subject_travel_m > 1.0 else c.belief("chase", "attack", "action"),
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
        "triumph takes the space",
        "size",
        lambda c: _given(c.belief("triumph"), {"FS": 1.0, "WS": 1.0, "MLS": 0.6}),
        "triumph is seen in the space it has won",
    ),
    Rule(
        "conversation at speaking distance",
        "size",
        lambda c: _given(c.belief("dialogue", "confrontation"), {"MS": 1.2, "MCU": 1.2}),
        "conversation plays at speaking distance",
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
        lambda c: {"eye_level": 1.2, "high": -0.2, "low": -0.2, "overhead": -1.8, "worm": -2.2},
        "eye level keeps the audience level with the character",
    ),
    Rule(
        "power looks up",
        "angle",
        lambda c: _given(
            (c.affect.dominance > DOMINANCE_FELT) * (1.0 - c.belief(*UNCONTESTED)),
            {"low": ANGLE_GAIN * c.affect.dominance, "worm": 2.2 * (c.affect.dominance - 0.45)},
        ),
        "a low angle gives the character power",
    ),
    Rule(
        "vulnerability looks down",
        "angle",
        lambda c: _given(
            (c.affect.dominance < -DOMINANCE_FELT) * (1.0 - c.belief(*LOOKED_UP_AT, *SHARED)),
            {
                "high": ANGLE_GAIN * -c.affect.dominance,
                "overhead": 2.2 * (-c.affect.dominance - 0.45),
            },
        ),
        "a high angle makes the character small and exposed",
    ),
    Rule(
        "menace looks up",
        "angle",
        lambda c: _given(c.belief("threat"), {"low": 1.6}),
        "a low angle makes the threat loom",
    ),
    Rule(
        "awe looks up",
        "angle",
        lambda c: _given(c.belief("awe"), {"low": 1.6, "worm": 0.6}),
        "looking up shares the character's awe",
    ),
    Rule(
        "triumph looks up",
        "angle",
        lambda c: _given(c.belief("triumph"), {"low": 1.6}),
        "a low angle makes the victory heroic",
    ),
    Rule(
        "isolation from above",
        "angle",
        lambda c: _given(c.belief("isolation"), {"high": 1.0, "overhead": 1.4}),
        "from above the character is alone in the space",
    ),
    # --- dutch
    Rule(
        "disorientation tilts the frame",
        "dutch",
        lambda c: {
            "dutch": 3.2 * c.belief("disorientation")
            + (3.0 * _fear_and_energy(c) - 1.6) * (1.0 - c.belief("disorientation")),
            "level": 0.0,
        },
        "the world tilts with the character's balance",
    ),
    # --- movement
    Rule(
        "calm holds still",
        "movement",
        lambda c: {"static": 1.0 - 0.8 * c.affect.arousal},
        "a calm moment holds still",
    ),
    Rule(
        "realisation pushes in",
        "movement",
        lambda c: _given(
            c.belief("realisation", "reveal") * (c.slot_in_beat == 0),
            {
                "push_in": 2.4,
                "dolly_zoom_in": 3.0 * c.emotion("fear") + 0.5 * c.affect.intensity,
                "zoom_in": 0.6,
            },
        ),
        "realisation pushes in",
    ),
    Rule(
        "dread creeps in",
        "movement",
        lambda c: _when(
            c.emotion("fear") > 0.3 and c.affect.arousal < 0.65,
            {"push_in": 2.0 * c.emotion("fear"), "dolly_zoom_in": 0.8 * c.emotion("fear")},
        ),
        "dread creeps in",
    ),
    Rule(
        "shock snaps",
        "movement",
        lambda c: _when(
            c.emotion("surprise") > 0.45 and c.affect.arousal > 0.4,
            {"zoom_in": 1.8, "whip_pan": 1.3},
        ),
        "a shock snaps the frame",
    ),
    Rule(
        "isolation pulls away",
        "movement",
        lambda c: _given(c.belief("isolation"), {"pull_out": 2.2, "crane_up": 1.4}),
        "pulling away leaves the character alone",
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
        "a dark ending withdraws",
        "movement",
        lambda c: _when(
            c.last_beat and c.affect.valence < -0.2 and c.slot_in_beat == 0,
            {"pull_out": 0.8, "crane_up": 0.5},
        ),
        "a dark scene ends by drawing away",
    ),
    Rule(
        "awe rises",
        "movement",
        lambda c: _given(c.belief("awe"), {"crane_up": 2.4, "tilt_up": 1.8, "pedestal_up": 0.6}),
        "rising with the camera opens up the wonder",
    ),
    Rule(
        "grief withdraws",
        "movement",
        lambda c: _given(c.belief("grief"), {"pull_out": 1.4, "static": 1.0, "tilt_down": 0.8}),
        "grief is given distance and stillness",
    ),
    Rule(
        "chaos goes handheld",
        "movement",
        lambda c: _given(
            1.0 if _fear_and_energy(c) > 0.35 else c.belief("attack"),
            {"handheld": 2.0 + 2.0 * _fear_and_energy(c)},
        ),
        "chaos shakes the camera",
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
        lambda c: _when(c.subject_travel_m > 1.2, _travel_preferences(c)),
        "the camera travels with the moving character",
    ),
    Rule(
        "pan with the walker",
        "movement",
        lambda c: _when(c.subject_travel_m > 1.2, _pan_preferences(c)),
        "the camera turns with the walk from where it stands",
    ),
    Rule(
        "intimacy circles",
        "movement",
        lambda c: _given(c.belief("intimacy"), {"push_in": 1.4, "arc_left": 0.7, "arc_right": 0.7}),
        "a slow arc wraps the pair together",
    ),
    Rule(
        "tension circles",
        "movement",
        lambda c: _given(
            c.belief("confrontation", "threat"),
            {"push_in": 1.3, "arc_left": 0.9, "arc_right": 0.9, "static": 0.4},
        ),
        "tension tightens around the confrontation",
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
        "triumph rises",
        "movement",
        lambda c: _given(
            c.belief("triumph"),
            {
                "crane_up": 0.8 + 1.6 * max(0.0, c.affect.arousal),
                "arc_right": 0.8,
                "push_in": 0.8,
                "tilt_up": 0.6,
            },
        ),
        "triumph lifts the camera",
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
        "defeat sinks",
        "movement",
        lambda c: _when(
            c.emotion("sadness") > 0.5 and c.affect.dominance < -0.2,
            {"tilt_down": 1.0, "pedestal_down": 0.8, "crane_down": 0.4},
        ),
        "the camera sinks with the defeat",
    ),
    Rule(
        "establishing reveals the place",
        "movement",
        lambda c: _when(
            c.slot == 0, {"crane_down": 1.2, "pan_right": 0.9, "truck_right": 0.8, "static": 0.8}
        ),
        "the opening move shows the place",
    ),
    Rule(
        "disorientation unsettles",
        "movement",
        lambda c: _given(
            c.belief("disorientation"),
            {"handheld": 2.2, "dolly_zoom_out": 1.4, "arc_left": 0.8},
        ),
        "the move unsettles the space",
    ),
    Rule(
        "rare moves are earned",
        "movement",
        lambda c: {
            "whip_pan": -1.4,
            "dolly_zoom_in": -1.2,
            "dolly_zoom_out": -1.4,
            "crane_up": -0.5,
            "crane_down": -0.6,
            "pedestal_up": -0.8,
            "pedestal_down": -0.8,
            "tilt_up": -0.4,
            "tilt_down": -0.5,
            "zoom_in": -0.6,
            "zoom_out": -0.8,
            "handheld": -0.6,
        },
        "showy moves are kept for moments that earn them",
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
        lambda c: {"single": 1.5 if len(c.characters) <= 1 else 0.8},
        "the shot belongs to one character",
    ),
    Rule(
        "two people share the frame",
        "framing",
        lambda c: _when(
            len(c.characters) >= 2,
            {
                "two_shot": 1.0 + 0.8 * c.belief("confrontation") + 1.2 * c.belief("intimacy"),
                "over_shoulder": 1.2 + 0.6 * c.belief("dialogue", "confrontation"),
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


def rules_for(field: str) -> tuple[Rule, ...]:
    return tuple(rule for rule in RULES if rule.field == field)


def rule_named(name: str) -> Rule:
    for rule in RULES:
        if rule.name == name:
            return rule
    raise KeyError(name)
