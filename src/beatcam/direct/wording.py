"""The ``why`` of a shot: the rules that won, the affect that triggered them, the runner-up."""

from __future__ import annotations

from beatcam.direct.candidates import PIN_RULE, Candidate
from beatcam.direct.grammar import rule_named
from beatcam.model import Affect, ShotSpec

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


def with_article(text: str) -> str:
    """ "an eye-level MS", "a low-angle CU": the article a shot's name reads with."""
    return f"{'an' if text[:1].lower() in 'aeiou' else 'a'} {text}"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def repaired_why(original: ShotSpec, revised: ShotSpec, rules: str) -> str:
    """The why of a repaired shot: what it became, what it was, and the original reasons."""
    _, _, reasons = original.why.partition(": ")
    subject = f" on {revised.subjects[0]}" if revised.subjects else ""
    was = with_article(describe(original))
    return (
        f"{capitalised(describe(revised))}{subject}, simplified from {was} "
        f"that failed the critic ({rules}): {reasons}"
    )


def moved_why(original: ShotSpec, moved: ShotSpec, rules: str) -> str:
    """The why of a shot whose camera moved round the subject for a clean cut (and whose pan,
    if it follows a walker, turned to match the new side)."""
    head, _, reasons = original.why.partition(": ")
    turned = moved.movement != original.movement
    if turned:
        subject = f" on {moved.subjects[0]}" if moved.subjects else ""
        head = f"{capitalised(describe(moved))}{subject}"
    return (
        f"{head}: {reasons} Moved {abs(moved.azimuth_deg - original.azimuth_deg):.0f}° round "
        f"the subject to keep the cut clean ({rules})"
        + (", so the move turns the other way, with the subject." if turned else ".")
    )


# Below this belief the reading is named as a guess, with how sure the director is.
SURE_BELIEF = 0.5


def affect_summary(affect: Affect) -> str:
    emotions = sorted(affect.emotions.items(), key=lambda item: (-item[1], item[0]))
    belief = affect.belief(affect.function)
    parts = [
        affect.function if belief >= SURE_BELIEF else f"perhaps {affect.function} {belief:.2f}"
    ]
    parts.extend(f"{name} {score:.2f}" for name, score in emotions[:2] if score >= 0.15)
    parts.append(f"valence {affect.valence:+.2f}")
    if abs(affect.dominance) >= 0.25:
        parts.append(f"dominance {affect.dominance:+.2f}")
    evidence = [word for word in affect.evidence if ":" not in word][:3]
    if evidence:
        parts.append("evidence: " + ", ".join(evidence))
    return "; ".join(parts)


def why(
    candidate: Candidate,
    affect: Affect,
    sequence_terms: tuple[tuple[str, float], ...],
    runner_up: Candidate | None,
    margin: float,
    pin_source: str,
) -> str:
    """One or two sentences a DP would say, naming the winning rules and what they read."""
    subject = f" on {candidate.subjects[0]}" if candidate.subjects else ""
    if candidate.framing == "establishing":
        subject = " of the set"
    reasons: list[str] = []
    # The intent that chose the device speaks first: it is why the shot is this shot.
    terms = sorted(
        candidate.terms,
        key=lambda term: (term[0] == PIN_RULE or rule_named(term[0]).intent is None, -term[1]),
    )
    fields: set[str] = set()
    for name, contribution in terms:
        if name == PIN_RULE:
            reasons.insert(0, f"the camera was {pin_source}")
            continue
        rule = rule_named(name)
        if contribution <= 0.3 or len(reasons) >= 2 or rule.field in fields:
            continue
        fields.add(rule.field)
        if rule.reason not in reasons:
            reasons.append(rule.reason)
    reasons.extend(
        SEQUENCE_REASONS[name]
        for name, cost in sequence_terms
        if cost < 0 and name in SEQUENCE_REASONS
    )
    because = ", and ".join(reasons) or "the plainest coverage"
    text = f"{capitalised(describe(candidate))}{subject}: {because}"
    text += f" ({affect_summary(affect)})."
    if runner_up is not None:
        text += f" Beat {with_article(describe(runner_up))} by {margin:.1f}."
    return text
