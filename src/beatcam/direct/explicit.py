"""Camera words a writer put in a beat ("slow push in on Mara"): honoured as pins.

A pin from the YAML ``camera:`` key wins over words found in the text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from beatcam.model import Beat, ShotPin

_SIZE_WORDS = (
    (r"\bextreme wide\b|\bextreme long shot\b|\bews\b", "EWS"),
    (r"\bextreme close[- ]?up\b|\becu\b", "ECU"),
    (r"\bmedium close[- ]?up\b|\bmcu\b", "MCU"),
    # "close up" with a space is also a verb ("they close up the shop"): a noun only after
    # "a", "in" or "tight", or before "on" or "of".
    (r"\bclose-?up\b|\b(?:a|in|tight) close up\b|\bclose up (?:on|of)\b|\bcu\b", "CU"),
    (r"\bmedium long shot\b|\bcowboy shot\b|\bmls\b", "MLS"),
    (r"\bmedium shot\b|\bmid shot\b", "MS"),
    (r"\bfull shot\b|\bfull figure\b", "FS"),
    (r"\bwide shot\b|\bwide angle shot\b", "WS"),
)
_ANGLE_WORDS = (
    # Alone, "overhead" is where things are ("the shells scream overhead"), not a camera.
    (
        r"\bbird'?s[- ]eye\b|\boverhead (?:shot|view|angle)\b|\bfrom (?:directly )?overhead\b"
        r"|\btop[- ]down (?:shot|view|angle)\b",
        "overhead",
    ),
    (r"\bworm'?s[- ]eye\b", "worm"),
    (r"\blow[- ]angle\b", "low"),
    (r"\bhigh[- ]angle\b", "high"),
    (r"\beye[- ]level\b", "eye_level"),
)
_MOVEMENT_WORDS = (
    (r"\bdolly[- ]zoom(?: in)?\b|\bvertigo (?:shot|effect)\b|\bcontra[- ]zoom\b", "dolly_zoom_in"),
    (r"\bdolly[- ]zoom out\b", "dolly_zoom_out"),
    (r"\bwhip[- ]pan\b", "whip_pan"),
    (r"\bpush(?:es|ing)? in\b|\bdolly in\b|\btrack(?:s|ing)? in\b", "push_in"),
    (r"\bdolly (?:out|back)\b|\bpull(?:s|ing)? (?:out|back) to reveal\b", "pull_out"),
    (r"\bzoom(?:s|ing)? in\b|\bsnap zoom\b", "zoom_in"),
    (r"\bzoom(?:s|ing)? out\b", "zoom_out"),
    (r"\bcrane(?:s)? up\b|\bjib up\b", "crane_up"),
    (r"\bcrane(?:s)? down\b|\bjib down\b", "crane_down"),
    (r"\bpedestal up\b", "pedestal_up"),
    (r"\bpedestal down\b", "pedestal_down"),
    (r"\btruck(?:s)? left\b", "truck_left"),
    (r"\btruck(?:s)? right\b", "truck_right"),
    (r"\bpan(?:s)? left\b", "pan_left"),
    (r"\bpan(?:s)? right\b", "pan_right"),
    (r"\b(?:camera|we) tilts? up\b|\btilt up (?:to|on)\b", "tilt_up"),
    (r"\b(?:camera|we) tilts? down\b|\btilt down (?:to|on)\b", "tilt_down"),
    (r"\b(?:camera|we) (?:pulls?|pull) (?:out|back)\b", "pull_out"),
    (r"\barc(?:s)? left\b", "arc_left"),
    (r"\barc(?:s)? right\b|\b(?:camera|we) (?:arcs?|circles?) around\b", "arc_right"),
    # "Handheld" names the camera on its own or as "handheld camera/shot", not as a word for
    # a thing in the scene ("signs the courier's handheld scanner").
    (
        r"\bhand-?held\b(?!\s+(?!camera\b|cam\b|shots?\b|as\b|through\b|with\b)[a-z])"
        r"|\bshaky cam\b",
        "handheld",
    ),
    (r"\btracking shot\b|\bfollow(?:s|ing)? (?:shot|cam)\b", "follow"),
    (r"\bleading shot\b", "lead"),
    (r"\blocked[- ]off\b|\bstatic shot\b|\bstatic camera\b", "static"),
)
_FRAMING_WORDS = (
    (r"\bover[- ]the[- ]shoulder\b|\bots\b", "over_shoulder"),
    (r"\bpov\b|\bpoint of view\b", "pov"),
    (r"\btwo[- ]shot\b", "two_shot"),
    (r"\binsert shot\b|\binsert on\b", "insert"),
    (r"\bestablishing shot\b", "establishing"),
)
_DUTCH_WORDS = ((r"\bdutch (?:angle|tilt)\b|\bcanted (?:angle|frame)\b", "dutch"),)
DUTCH_DEG = 12.0
# Where a pin with no other origin was set, as the why says it.
SCENE_FILE = "in the scene file"


def _cue(*starts: str) -> re.Pattern[str]:
    """A search for any of ``starts`` (bits of pattern) at the start of a word, cased as the
    tables are read."""
    return re.compile(rf"\b(?:{'|'.join(starts)})", re.IGNORECASE)


# Each table's cue: every alternative of every pattern in the table begins with one of the
# cue's starts, at its \b or after a space (a leading "a close up" or "camera tilts" holds "close
# up" or "tilts" where a word begins), so a beat the cue finds nothing in matches nothing in the
# table, and the table is not searched: its patterns are then never compiled. Compiling the ~45
# of them was ~0.0016 s of every cold plan's CPU (issue 19), and most beats name no camera.
# A start is as long as it takes for the everyday words ("hand", "over", "close") not to wake
# its table. tests/test_direct.py checks each cue against text its table's patterns match, and
# the pins against the tables searched whole, on random and real beats.
_SIZE_CUE = _cue(
    "extreme", "ews", "ecu", "medium", "mcu", "close[- ]?up", r"cu\b", "cowboy", "mls",
    "mid shot", "full (?:shot|figure)", "wide (?:angle )?shot",
)  # fmt: skip
_ANGLE_CUE = _cue(
    "bird", "overhead", "top[- ]down", "worm", "low[- ]angle", "high[- ]angle", "eye[- ]level"
)
_MOVEMENT_CUE = _cue(
    "dolly", "vertigo", "contra", "whip", "push", "track", "pull", "zoom", "snap", "crane", "jib",
    "pedestal", "truck", "pans? (?:left|right)", "tilt", "arc", "circle", "hand-?held", "shaky",
    "follow(?:s|ing)? (?:shot|cam)", "leading shot", "locked", "static (?:shot|camera)",
)  # fmt: skip
_FRAMING_CUE = _cue(
    "over[- ]the", "ots", "pov", "point of", "two[- ]shot", "insert", "establishing"
)
_DUTCH_CUE = _cue("dutch", "canted")
CUED_TABLES: tuple[tuple[re.Pattern[str], tuple[tuple[str, str], ...]], ...] = (
    (_SIZE_CUE, _SIZE_WORDS),
    (_ANGLE_CUE, _ANGLE_WORDS),
    (_MOVEMENT_CUE, _MOVEMENT_WORDS),
    (_FRAMING_CUE, _FRAMING_WORDS),
    (_DUTCH_CUE, _DUTCH_WORDS),
)


def _first(text: str, table: tuple[tuple[str, str], ...], cue: re.Pattern[str]) -> str | None:
    """The word of the first of ``table``'s patterns found in ``text``, if any."""
    if cue.search(text) is None:
        return None
    for pattern, word in table:
        if re.search(pattern, text, re.IGNORECASE):
            return word
    return None


def pin_from_text(text: str) -> ShotPin:
    """The camera choices a beat's own words name; empty when it names none."""
    return ShotPin(
        size=_first(text, _SIZE_WORDS, _SIZE_CUE),
        angle=_first(text, _ANGLE_WORDS, _ANGLE_CUE),
        movement=_first(text, _MOVEMENT_WORDS, _MOVEMENT_CUE),
        framing=_first(text, _FRAMING_WORDS, _FRAMING_CUE),
        dutch_deg=DUTCH_DEG if _first(text, _DUTCH_WORDS, _DUTCH_CUE) else None,
    )


def merged_pin(text: str, pinned: ShotPin) -> tuple[ShotPin, str]:
    """The pin to honour, and where it came from in a crew's words: the beat's words, the
    scene file's pin, or wherever else ``pinned.pinned`` says (the studio)."""
    from_text = pin_from_text(text)
    if pinned.is_empty():
        return from_text, "named in the beat"
    return _laid_over(from_text, pinned), _pinned_where(pinned)


def _laid_over(base: ShotPin, over: ShotPin) -> ShotPin:
    """``base`` with every part ``over`` pins put in its place."""
    return replace(base, **{key: value for key, value in vars(over).items() if value is not None})


def _pinned_where(pin: ShotPin) -> str:
    return f"pinned {pin.pinned or SCENE_FILE}"


def own_pin(beat: Beat, slot: int) -> ShotPin:
    """What was pinned on the beat's shot at ``slot`` (its place in the beat), words aside:
    the scene file's ``camera:`` and the studio's pin for the first shot, the studio's alone
    for a later one; empty where nothing was."""
    own = dict(beat.shot_pins).get(slot, ShotPin())
    if slot != 0 or beat.pin.is_empty():
        return own
    if own.is_empty():
        return beat.pin
    return _laid_over(beat.pin, own)


def shot_pin(beat: Beat, slot: int) -> tuple[ShotPin, str]:
    """The pin to honour on the beat's shot at ``slot`` and where it came from in a crew's
    words (``merged_pin``): the first shot takes the beat's camera words too, a later shot only
    what was pinned on it, ``(ShotPin(), "")`` when nothing was."""
    if slot == 0:
        return merged_pin(beat.text, own_pin(beat, 0))
    own = own_pin(beat, slot)
    if own.is_empty():
        return own, ""
    return own, _pinned_where(own)
