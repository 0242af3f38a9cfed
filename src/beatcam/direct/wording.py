"""The ``why`` of a shot: the rules that won, the affect that triggered them, the runner-up,
in a DP's words. The model's own terms (beliefs, evidence words, critic rules, degrees round
the subject) stay in plan.json's ``reason``; the why says what they mean on the floor."""

from __future__ import annotations

from dataclasses import replace

from beatcam.direct.candidates import PIN_RULE, Candidate
from beatcam.direct.grammar import rule_named
from beatcam.model import Affect, Reason, Repair, ShotSpec
from beatcam.model.vocab import ALL_IN_FRAME, DUTCH_MIN_DEG

MOVEMENT_WORDS = {
    "static": "locked-off",
    "push_in": "push-in",
    "pull_out": "pull-out",
    "zoom_in": "zoom-in",
    "zoom_out": "zoom-out",
    "dolly_zoom_in": "dolly-zoom",
    "dolly_zoom_out": "reverse dolly-zoom",
    "truck_left": "truck left",
    "truck_right": "truck right",
    "pan_left": "pan left",
    "pan_right": "pan right",
    "tilt_up": "tilt up",
    "tilt_down": "tilt down",
    "pedestal_up": "pedestal up",
    "pedestal_down": "pedestal down",
    "crane_up": "crane up",
    "crane_down": "crane down",
    "arc_left": "arc left",
    "arc_right": "arc right",
    "follow": "follow",
    "lead": "leading track",
    "handheld": "handheld",
    "whip_pan": "whip pan",
}
ANGLE_WORDS = {
    "overhead": "overhead",
    "high": "high-angle",
    "eye_level": "eye-level",
    "low": "low-angle",
    "worm": "worm's-eye",
}
FRAMING_WORDS = {
    "single": "",
    "two_shot": "two-shot",
    "group": "group shot",
    "over_shoulder": "over-the-shoulder",
    "pov": "POV",
    "insert": "insert",
    "establishing": "establishing",
}
SEQUENCE_REASONS = {
    "shot / reverse shot": "cuts to the other side of the conversation",
    "escalate toward the peak": "keeps tightening toward the peak",
}


def describe(candidate: Candidate | ShotSpec) -> str:
    """A short name for a shot: "low-angle MCU push-in"."""
    words = [ANGLE_WORDS[candidate.angle], candidate.size]
    dutch = candidate.dutch if isinstance(candidate, Candidate) else abs(candidate.dutch_deg) >= 5
    if dutch:
        words.insert(0, "dutch")
    framing = FRAMING_WORDS[candidate.framing]
    if framing:
        words.append(framing)
    words.append(MOVEMENT_WORDS[candidate.movement])
    return " ".join(words)


def pin_part_words(part: str, value: str | float) -> str:
    """One pinned part as a crew says it: "the whip pan", "the worm's-eye angle", "the ECU"."""
    if part == "movement":
        return f"the {MOVEMENT_WORDS[str(value)]}"
    if part == "angle":
        return f"the {ANGLE_WORDS[str(value)]} angle".replace("-angle angle", " angle")
    if part == "framing":
        return f"the {FRAMING_WORDS[str(value)] or 'single'}"
    if part == "lens_mm":
        return f"the {float(value):g} mm lens"
    if part == "dutch_deg":
        return "the dutch angle"
    return f"the {value}"


def said_list(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return " and ".join(filter(None, [", ".join(items[:-1]), items[-1]])) if items else ""


def with_article(text: str) -> str:
    """ "an eye-level MS", "a low-angle CU": the article a shot's name reads with."""
    return f"{'an' if text[:1].lower() in 'aeiou' else 'a'} {text}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


# The intents as a DP names them in a sentence.
INTENT_WORDS = {
    "shock": "the shock",
    "vertigo": "the vertigo",
    "dread": "the dread",
    "realisation": "the realisation",
    "vulnerability": "their exposure",
    "dominance": "their power",
    "isolation": "their isolation",
    "liberation": "the release",
    "triumph": "the triumph",
    "wonder": "the wonder",
    "intimacy": "the intimacy",
    "tension": "the standoff",
    "chaos": "the chaos",
    "grief": "the grief",
    "pursuit": "the chase",
    "stillness": "the weight of the moment",
}
# Below this belief the intent is not named: the device's own reasons say what it does.
SURE_BELIEF = 0.5
REASONS_SAID = 2  # rule reasons a why gives, at most one per field
SAID_ABOVE = 0.3  # a rule term smaller than this did not decide anything worth saying
EVIDENCE_SAID = 3
# What a shot that broke a critic rule would do on screen, as a crew says it (after "would" or
# "so as not to"), by model.CriticRule value.
FAULT_WORDS = {
    "size": "miss its size",
    "end size": "end at the wrong size",
    "subject in front": "lose the subject behind the camera",
    "angle": "miss its angle",
    "dutch": "miss its tilt",
    "movement": "not make its move",
    "clear view": "have someone in front of the lens",
    "clear of the set": "put the camera into the set",
    "above the ground": "put the lens below the floor",
    "clear of the cast": "put the camera into an actor",
    "lens range": "need a lens outside the kit",
    "rig speed": "move faster than the rig can",
    "subject in frame": "lose the subject out of frame",
    "headroom": "cut off the head",
    "shoulder in frame": "lose the shoulder it looks over",
    "face seen": "lose the face",
    "180-degree rule": "cross the line",
    "30-degree rule": "jump-cut from the shot before",
}


def reason_for(
    candidate: Candidate,
    affect: Affect,
    sequence_terms: tuple[tuple[str, float], ...],
    pin_source: str,
    turning_point: bool,
) -> Reason:
    """The why of a chosen candidate as data, before the choice's alternatives are added."""
    # The intent that chose the device comes first: it is why the shot is this shot.
    rules = sorted(
        (term for term in candidate.terms if term[0] != PIN_RULE and term[1] > 0),
        key=lambda term: (rule_named(term[0]).intent is None, -term[1]),
    )
    return Reason(
        rules=tuple((name, round(score, 5)) for name, score in rules),
        sequence=tuple((name, round(cost, 5)) for name, cost in sequence_terms),
        turning_point=turning_point,
        pinned=pin_source,
        evidence=tuple(word for word in affect.evidence if ":" not in word)[:EVIDENCE_SAID],
    )


def _value(spec: ShotSpec, field: str) -> str:
    """The shot's value of a field as the rules score it ("dutch" or "level" for the roll)."""
    if field == "dutch":
        return "dutch" if abs(spec.dutch_deg) >= DUTCH_MIN_DEG else "level"
    return str(getattr(spec, field))


def rules_that_hold(reason: Reason, chosen: ShotSpec, shot: ShotSpec) -> Reason:
    """``reason`` (of the ``chosen`` shot) kept to the rules still true of ``shot``, a repair of
    it: those whose field ``shot`` has as ``chosen`` had it. A beat covered in a two-shot no
    longer says that the shot belongs to one character, and a follow made a static single no
    longer says that the camera travels with them: every repair's why gives only reasons its
    own shot bears out."""
    return replace(
        reason,
        rules=tuple(
            (name, score)
            for name, score in reason.rules
            if _value(shot, rule_named(name).field) == _value(chosen, rule_named(name).field)
        ),
    )


def render(spec: ShotSpec) -> str:
    """The why a crew reads, from the shot and its Reason: what the shot is, what it is for,
    what it was chosen over. The numbers stay in the plan."""
    reason = spec.reason
    subject = f" on {spec.subjects[0]}" if spec.subjects else ""
    if spec.framing in ALL_IN_FRAME:
        subject = f" on {said_list(list(spec.subjects))}"  # every one of them is its subject
    if spec.framing == "establishing":
        subject = " of the set"
    if spec.shows:
        subject = f" of the {spec.shows}"
    clauses = [f"the camera was {reason.pinned}"] if reason.pinned else []
    fields: set[str] = set()
    said = 0
    sayable = [name for name, score in reason.rules if score > SAID_ABOVE and _sayable(name, spec)]
    if spec.movement != "static":
        # A crew hears first why the camera moves: the move's own strongest reason leads.
        moves = [name for name in sayable if rule_named(name).field == "movement"]
        sayable = moves[:1] + [name for name in sayable if name not in moves[:1]]
    for name in sayable:
        rule = rule_named(name)
        if said >= REASONS_SAID or rule.field in fields:
            continue
        fields.add(rule.field)
        said += 1
        if rule.reason not in clauses:
            clauses.append(rule.reason)
    clauses.extend(
        SEQUENCE_REASONS[name]
        for name, cost in reason.sequence
        if cost < 0 and name in SEQUENCE_REASONS
    )
    text = f"{capitalised(describe(spec))}{subject}: {', and '.join(clauses) or 'plain coverage'}"
    if spec.intent is not None and spec.intent.confidence >= SURE_BELIEF:
        text += f", for {INTENT_WORDS.get(spec.intent.name, spec.intent.name)}"
    text += "."
    if reason.heard:
        text += f" {reason.heard} is heard off screen."
    if reason.turning_point and spec.intent is not None:
        text += " The scene turns here."
    if reason.crosses_line:
        text += " The camera crosses the line of action with the character's move."
    faults = said_list([FAULT_WORDS.get(rule, rule) for rule in reason.failed])
    who = spec.subjects[0] if spec.subjects else "the subject"
    if reason.repair in (Repair.COVER_ANOTHER_WAY, Repair.ANOTHER_SIZE):
        would = f"would {faults}" if faults else "failed"
        covered = reason.repair == Repair.COVER_ANOTHER_WAY
        how = f"Covered {_covered_how(spec)}" if covered else f"Framed {spec.size}"
        text += (
            f" {how}, since {with_article(reason.repaired_from)} and the"
            f" {'singles' if covered else 'plainer shots'} tried after it {would}."
        )
    elif reason.repaired_from:
        would = f", which would {faults}" if faults else ""
        if reason.repair == Repair.WIDER_FRAME:
            text += (
                f" Framed wider than {with_article(reason.repaired_from)}{would}, to keep the move."
            )
        elif reason.repair == Repair.CUT_IN_OR_OUT:
            kept = ", to keep the move" if spec.movement != "static" else ""
            rather = with_article(reason.repaired_from)
            text += f" Framed {spec.size} rather than {rather}{would}{kept}."
        else:
            text += f" Plainer than {with_article(reason.repaired_from)}{would}."
    elif reason.moved_deg and faults:
        text += f" Set further round {who} so as not to {faults}."
    if reason.ends_in:
        text += f" {who}'s own move ends the shot in {reason.ends_in}."
    if reason.runner_up and reason.runner_up != describe(spec):  # not a twin in other numbers
        text += f" Chosen over {with_article(reason.runner_up)}."
    if reason.expressive and reason.expressive != reason.runner_up:
        text += f" {capitalised(with_article(reason.expressive))} was weighed and set aside."
    return text


def _sayable(name: str, spec: ShotSpec) -> bool:
    """Whether a rule's reason is true of the shot as a crew would hear it: a table rule speaks
    for its first device only (its words say that one), and a device rule only for the intent
    the shot is for."""
    rule = rule_named(name)
    if rule.says and _value(spec, rule.field) not in rule.says:
        return False
    return rule.intent is None or (spec.intent is not None and rule.intent == spec.intent.name)


def _covered_how(spec: ShotSpec) -> str:
    """How a beat whose single could not be placed was covered instead: "as a two-shot with
    Ravi", "over Ravi's shoulder", or "on Ravi" (the other person's single)."""
    if spec.framing == "two_shot":
        return f"as a two-shot with {spec.subjects[1]}"
    if spec.framing == "over_shoulder":
        return f"over {spec.subjects[1]}'s shoulder"
    return f"on {spec.subjects[0]}"
