"""The director of photography: from felt beats to worded shots and blocking.

``direct`` times the beats, blocks the cast, scores candidate shots for every slot by the
rules in ``grammar`` and chooses the whole scene's coverage by dynamic programming
(``sequence``). ``step_round`` and ``plainer`` give another version of a shot the critic
found the camera could not honestly deliver (``pipeline.repair`` decides which and when).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from beatcam.direct.blocking import block, close_in
from beatcam.direct.candidates import Candidate, candidates_for, intent_of
from beatcam.direct.dressing import dress
from beatcam.direct.exchange import exchange_places
from beatcam.direct.explicit import own_pin, shot_pin
from beatcam.direct.grammar import MOVING_M, Context, exchange_belief
from beatcam.direct.intents import intent_table
from beatcam.direct.placement import lens_for, open_side, place
from beatcam.direct.poses import act, action_cues, contacts
from beatcam.direct.props import place_props
from beatcam.direct.reading import SIGN, needs_a_sign, words_read
from beatcam.direct.sequence import Choice, choose
from beatcam.direct.space import read_space, screen_direction
from beatcam.direct.styles import DEFAULT_STYLE, STYLES, Style, style_named
from beatcam.direct.timing import (
    beat_seconds,
    hold_lengths,
    opening_parts,
    shot_count,
    split_frames,
)
from beatcam.direct.wording import (
    describe,
    pin_part_words,
    reason_for,
    render,
    rules_that_hold,
    said_list,
)
from beatcam.errors import SceneError
from beatcam.model import (
    CUT_RULES,
    Affect,
    AffectedScene,
    Beat,
    Blocking,
    CriticRule,
    Direction,
    PlannedBeat,
    ShotIntent,
    ShotPin,
    ShotSpec,
)
from beatcam.model.geometry import floor_heading_deg, side_of_line, wrap_deg
from beatcam.model.scene import acted_texts
from beatcam.model.set_kit import kind_of
from beatcam.model.sets import DEFAULT_PRESET, Line, line_of_action, on_stage, preset_named
from beatcam.model.vocab import MOVEMENT_TRAITS, SIZES, Intent, Pose, Staging, moves_where

__all__ = [
    "DEFAULT_STYLE",
    "STYLES",
    "Retake",
    "Style",
    "describe",
    "direct",
    "plainer",
    "render",
    "rules_that_hold",
    "step_round",
    "step_round_to",
    "style_named",
]

CROSSING_ACTIONS = frozenset({"cross", "circle"})
TRAVELS_WITH = moves_where(travels=True)  # follow, lead
# A walk that heads across the line of action at least this share of its length (30 degrees
# off the line or more) says which of its sides a follow or lead camera must travel on.
ACROSS_LINE_SHARE = 0.5
# A line of action that turned this far since the shot before was redrawn by someone's walk
# (Arijon: a player's move sets up a new line), so the cut may land on either side of it, as it
# may on a line an entrance has just drawn.
LINE_REDRAWN_DEG = 45.0
ARCS = moves_where(sideways=True, needs_subject=True)
PANS = moves_where(sideways=True, holds_size=True)
SIDEWAYS = moves_where(sideways=True, needs_subject=False)
# A subject's eyes rising or falling this far within a shot is a posture change a camera
# answers (standing from a chair lifts the eyes about 0.5 m; a lean about 0.1 m).
POSTURE_CHANGE_M = 0.35
# A subject whose facing crosses the frame by at least this share (sin of 10°) looks across it.
LOOKS_ACROSS = 0.17
# A subject who crosses less of the frame than this (metres across the camera's view) leaves
# the pan's direction to the words or their look (``_sideways``): the turn onto them reads
# the same either way.
PAN_WITH_MIN_M = 0.5
# A reaction seen from behind is retaken three-quarters on to the face (Mascelli's three-quarter
# angle), then square on.
FACE_THREE_QUARTER_DEG = 35.0
# A steep angle the camera cannot hold softens to its own side: a worm's eye to a low angle, an
# overhead to a high one, so the repair keeps what the angle said about the subject.
SOFTER_ANGLE = {"worm": "low", "overhead": "high"}
SMASH_AROUSAL_JUMP = 0.6
SMASH_AROUSAL = 0.5
DUTCH_DEG = 12.0
# The scene's shape: the turning point may be boldest; a beat at a fraction f of its intensity
# may be QUIET_BOLDNESS + (1 - QUIET_BOLDNESS) * f as bold, so the quiet beats stay quiet and
# the peak's device is not one of ten signature moves in ten beats.
QUIET_BOLDNESS = 0.55
PEAK_BOLDNESS = 1.2
# A beat that names one person is played with a partner when it is this likely an exchange.
EXCHANGE_BELIEF = 0.35


def _boldness(affects: tuple[Affect, ...], peak: int) -> list[float]:
    top = max(affects[peak].intensity, 1e-6)
    return [
        PEAK_BOLDNESS
        if index == peak
        else QUIET_BOLDNESS + (1.0 - QUIET_BOLDNESS) * min(1.0, affect.intensity / top)
        for index, affect in enumerate(affects)
    ]


def _slot_travel(blocking: Blocking, start: int, frames: int) -> dict[str, float]:
    travel = {}
    for name, track in blocking.tracks.items():
        path = track.position[start : start + frames]
        travel[name] = float(abs(path[-1] - path[0]).sum()) if len(path) else 0.0
    return travel


def _lying(blocking: Blocking, start: int, frames: int) -> frozenset[str]:
    """Who lies on the ground at some frame of a slot."""
    return frozenset(
        name
        for name, track in blocking.tracks.items()
        if Pose.LIE in track.pose[start : start + frames]
    )


def _with_posture(
    affect: Affect, blocking: Blocking, subject: tuple[str, ...], start: int, frames: int
) -> Affect:
    """The beat's affect with the rise its subject's body makes during the slot where the words
    did not say it: someone who stands to reach a partner is risen with like someone who
    "stands" (a still frame composed on the seated eyes would lose the head). A sink needs no
    answer: the head stays in a frame it drops through."""
    if not subject or subject[0] not in blocking.tracks or Staging.RISE in affect.stagings:
        return affect
    eyes = blocking[subject[0]].eyes(start, frames)[:, 1]
    if float(eyes[-1] - eyes[0]) < POSTURE_CHANGE_M:
        return affect
    return replace(affect, stagings=(*affect.stagings, Staging.RISE))


def _sideways(
    movement: str, blocking: Blocking, subject: str | None, start: int, frames: int,
    azimuth: float, said: int | None = None,
) -> str:  # fmt: skip
    """``movement``, except that a pan or a truck turns the way its subject goes: which way is
    geometry, not taste. A pan or truck on a walker goes the way they cross the frame, or the
    turn onto them and the walk would cancel out. On someone who does not cross it, it goes
    the way the beat's words send their walk or their look (``said``, from
    ``space.screen_direction``: 1 right, -1 left; "she turns to her left": the frame turns
    onto what she turns to), else the way they look across the frame, giving them room ahead
    (Mascelli's screen direction). A subject who neither crosses nor looks across the frame
    leaves the move as chosen, as does a pan on someone who does not cross it when the words
    are not known (``said`` None: a repair keeps the director's aim).

    The camera stands ``azimuth`` degrees round from the subject's facing (headings
    counter-clockwise from +Z seen from above, as the blocking's); its right-hand direction on
    the floor is (cos h, -sin h) for view heading h + 180°, and a subject's facing crosses the
    frame by -sin(azimuth)."""
    if movement not in SIDEWAYS or subject is None:
        return movement
    track = blocking[subject]
    path = track.position[start : start + frames]
    heading = np.deg2rad(float(track.facing_deg[start]) + azimuth)
    across = float(np.dot(path[-1, [0, 2]] - path[0, [0, 2]], [np.cos(heading), -np.sin(heading)]))
    if abs(across) < PAN_WITH_MIN_M:
        if said is None and movement in PANS:
            return movement
        across = float(said or 0) or -np.sin(np.deg2rad(azimuth))
        if abs(across) < LOOKS_ACROSS:
            return movement
    kind = movement.rsplit("_", 1)[0]
    return f"{kind}_right" if across > 0 else f"{kind}_left"


def _on_the_cameras_side(
    movement: str, blocking: Blocking, subject: str | None, start: int, frames: int,
    line: Line, side: int,
) -> str:  # fmt: skip
    """``movement``, except that a lead becomes a follow when its subject heads across the line
    of action away from the camera's ``side`` of it (a camera ahead of them would stand across
    the line), and a follow a lead when they head toward it: the camera travels with them from
    the side the coverage keeps (Mascelli's 180° rule). A walk along the line, or too short to
    tell, leaves the move as chosen."""
    if movement not in TRAVELS_WITH or subject is None or line is None:
        return movement
    path = blocking[subject].position[start : start + frames][:, [0, 2]]
    length = float(np.linalg.norm(path[-1] - path[0]))
    if length < MOVING_M:
        return movement
    across = (side_of_line(path[-1], *line) - side_of_line(path[0], *line)) * side
    if abs(across) < ACROSS_LINE_SHARE * length:
        return movement
    return "lead" if across > 0 else "follow"


def _heard_off_screen(beat: Beat) -> str:
    """Who says the beat's line off screen (``Beat.unseen``), or ""."""
    return (beat.speaker or "") if beat.unseen else ""


def _entering(blocking: Blocking, preset: str, start: int, frames: int) -> frozenset[str]:
    """Who is off stage on the slot's first frame and on stage by its last: an entrance."""
    last = start + frames - 1
    return frozenset(
        name
        for name, track in blocking.tracks.items()
        if not on_stage(preset, track.position[start]) and on_stage(preset, track.position[last])
    )


def _with_partner(
    named: tuple[str, ...], affect: Affect, blocking: Blocking, preset: str, frame: int
) -> tuple[str, ...]:
    """The people a beat is played between: those it names and, when it names one and reads as
    an exchange (a conversation, a confrontation, a standoff, an embrace), the first other
    cast member on stage, whom the speaker faces even unnamed."""
    if len(named) != 1 or exchange_belief(affect) < EXCHANGE_BELIEF:
        return named
    for name, track in blocking.tracks.items():
        if name not in named and bool(on_stage(preset, track.position[frame])):
            return (*named, name)
    return named


def _separation(blocking: Blocking, people: tuple[str, ...], frame: int) -> float:
    if len(people) < 2:
        return float("inf")
    first, second = (blocking[name].position[frame] for name in people[:2])
    return float(np.linalg.norm(first - second))


def _eye_gap(blocking: Blocking, people: tuple[str, ...], start: int, frames: int) -> float:
    """The most the first two people's eye heights differ over a slot (one sits, one stands)."""
    if len(people) < 2:
        return 0.0
    first, second = (blocking[name].eyes(start, frames)[:, 1] for name in people[:2])
    return float(np.abs(first - second).max())


def _transition(index: int, last: int, slot_in_beat: int, arousal: float, previous: float) -> str:
    """How a shot begins: fade in on the first, out on the last, a smash cut into a jolt,
    a dissolve between two still beats, otherwise a cut."""
    if index == 0:
        return "fade_in"
    if index == last:
        return "fade_out"
    if slot_in_beat == 0 and arousal - previous >= SMASH_AROUSAL_JUMP and arousal >= SMASH_AROUSAL:
        return "smash_cut"
    calm = arousal < -0.2 and previous < -0.2
    if slot_in_beat == 0 and calm:
        return "dissolve"
    return "cut"


def _choose_holding(
    candidates: list[list[Candidate]],
    contexts: list[Context],
    style: Style,
    slots: list[tuple[int, int, int, int]],
    unpinned: dict[int, list[Candidate]],
) -> list[Choice]:
    """The scene's coverage (``sequence.choose``), where a later shot of a beat is pinned (the
    studio's pin on one shot) with the beat's other shots as they are without that pin: a
    user who changes one shot keeps the rest of its beat, and the scene re-plans around both."""
    if not unpinned:
        return choose(candidates, contexts, style)
    plain = choose(
        [unpinned.get(index, options) for index, options in enumerate(candidates)],
        contexts,
        style,
    )
    pinned_beats = {slots[index][0] for index in unpinned}
    held = {
        index
        for index, (beat, *_rest) in enumerate(slots)
        if beat in pinned_beats and index not in unpinned
    }
    around = choose(
        [[plain[i].candidate] if i in held else options for i, options in enumerate(candidates)],
        contexts,
        style,
    )
    return [plain[index] if index in held else choice for index, choice in enumerate(around)]


def _cut_for_a_reason(
    choices: list[Choice],
    slots: list[tuple[int, int, int, int]],
    pins: list[tuple[ShotPin, str]],
    beats: tuple[Beat, ...],
) -> list[int]:
    """The slots that open a shot: a slot whose shot is the one its beat's slot before it chose
    (the same people, size, angle, move and framing) continues that take, since a cut should
    change what we see (Mascelli, the cut's motivation; Katz: the move is played whole). A pinned
    shot, or a beat whose shots' lengths the writer asked for, keeps its cuts."""
    kept = []
    for index, (beat_index, _start, _frames, slot_in_beat) in enumerate(slots):
        continues = (
            slot_in_beat > 0
            and not beats[beat_index].shot_seconds
            and pins[index][0].is_empty()
            and pins[index - 1][0].is_empty()
            and choices[index].candidate.same_shot(choices[index - 1].candidate)
        )
        if not continues:
            kept.append(index)
    return kept


def _one_take(
    slots: list[tuple[int, int, int, int]], kept: list[int]
) -> list[tuple[int, int, int, int]]:
    """The slots that open a shot (``kept``), each lengthened by the slots its take continues
    through, numbered afresh within their beat."""
    ends = [*kept[1:], len(slots)]
    taken: list[tuple[int, int, int, int]] = []
    for opening, end in zip(kept, ends, strict=True):
        beat_index, start, _frames, _slot = slots[opening]
        frames = sum(slot[2] for slot in slots[opening:end])
        in_beat = sum(slot[0] == beat_index for slot in taken)
        taken.append((beat_index, start, frames, in_beat))
    return taken


def direct(affected: AffectedScene, style: str | Style = DEFAULT_STYLE) -> Direction:
    """Direct a scene: beat timing, blocking and one worded ShotSpec per shot (in a named
    style, or in a Style of one's own: ``scripts/fit_classical.py`` tries weights this way)."""
    chosen_style = style if isinstance(style, Style) else style_named(style)
    scene = affected.scene
    affects = affected.affects
    # What happens on the set, without words shown on a sign ("RUN!" moves no one).
    acted = acted_texts(scene.beats)
    staged = tuple(replace(beat, text=text) for beat, text in zip(scene.beats, acted, strict=True))
    action = [beat.text for beat in staged if beat.speaker is None]
    sign = (SIGN,) if needs_a_sign(affects, acted) else ()
    preset = dress(preset_named(scene.set_preset or DEFAULT_PRESET), [scene.title, *action], sign)
    signed = any(kind_of(box) == SIGN for box in preset.boxes)  # else there was no room for one
    seconds = [
        beat_seconds(beat, affect, chosen_style.pace, beat.index == 0)
        for beat, affect in zip(scene.beats, affects, strict=True)
    ]
    beat_frames = [max(1, round(s * scene.fps)) for s in seconds]
    cast = tuple(member.name for member in scene.cast)
    pronouns = [affected.pronouns_in(position) for position in range(len(scene.beats))]
    names = affected.names()
    relations = read_space(staged, affects, names, pronouns)
    screen = [0 if beat.speaker else screen_direction(beat.text) for beat in staged]
    blocking = block(scene.cast, affects, beat_frames, preset, scene.fps, relations, screen)
    peak = max(range(len(affects)), key=lambda i: (affects[i].intensity, -i))
    boldness = _boldness(affects, peak)
    lines = exchange_places(
        [beat.speaker is not None for beat in scene.beats], [a.intensity for a in affects]
    )

    planned: list[PlannedBeat] = []
    slots: list[tuple[int, int, int, int]] = []  # beat, start frame, frames, slot in beat
    # The first beat's opening: its establishing shot (if any) is the scene's first slot.
    opening = opening_parts(beat_frames[0], scene.fps, len(affects), affects[0])
    start = 0
    for beat, affect, frames, length in zip(
        scene.beats, affects, beat_frames, seconds, strict=True
    ):
        planned.append(PlannedBeat(beat.index, beat.text, start, frames, affect, beat.speaker))
        if beat.index == 0 and len(opening) == 1:
            parts = opening  # the beat is about the place: it is all establishing
        else:
            rest = opening[-1] if beat.index == 0 and opening else frames
            parts = split_frames(rest, shot_count(length, affect), scene.fps)
            if beat.index == 0 and opening:
                parts = [opening[0], *parts]
        if beat.shot_seconds:
            asked = {slot: round(length * scene.fps) for slot, length in beat.shot_seconds}
            parts = hold_lengths(parts, asked, scene.fps)
        offset = start
        for slot_in_beat, part in enumerate(parts):
            slots.append((beat.index, offset, part, slot_in_beat))
            offset += part
        start += frames
    acting = [replace(beat, text=text) for beat, text in zip(planned, acted, strict=True)]
    said = action_cues(acting, names, pronouns)
    blocking = close_in(blocking, contacts(said, scene.fps), preset, scene.fps)
    blocking = act(blocking, planned, said, scene.fps)
    props = place_props(blocking, acting, preset.boxes, names, pronouns)
    read = words_read(affects, planned, props)

    contexts: list[Context] = []
    # A later shot's pin, its slot's candidates without it (``_choose_holding``).
    unpinned: dict[int, list[Candidate]] = {}
    pins: list[tuple[ShotPin, str]] = []
    candidates: list[list[Candidate]] = []
    focus: tuple[str, ...] = cast[:2]
    for index, (beat_index, slot_start, frames, slot_in_beat) in enumerate(slots):
        affect = affects[beat_index]
        words = read[beat_index]
        if affect.characters:
            people = tuple(affect.characters)
            if words and words.holder:  # the words are in their hand: the insert is theirs
                people = (words.holder, *(name for name in people if name != words.holder))
            focus = _with_partner(people, affect, blocking, preset.name, slot_start)
        previous = affects[beat_index - 1].intensity if beat_index else affect.intensity
        ctx = Context(
            affect=_with_posture(affect, blocking, focus[:1], slot_start, frames),
            slot=index,
            slot_in_beat=slot_in_beat,
            first_beat=beat_index == 0,
            last_beat=beat_index == len(affects) - 1,
            peak=beat_index == peak,
            rising=affect.intensity - previous,
            characters=focus,
            travel_m=_slot_travel(blocking, slot_start, frames),
            entering=_entering(blocking, preset.name, slot_start, frames),
            separation_m=_separation(blocking, focus, slot_start),
            eye_gap_m=_eye_gap(blocking, focus, slot_start, frames),
            lying=_lying(blocking, slot_start, frames),
            boldness=boldness[beat_index],
            opening=index == 0 and bool(opening),
            spoken=scene.beats[beat_index].speaker is not None,
            line=lines[beat_index],
            usual_framing=affected.usual_framing,
            devices=chosen_style.devices,
            own_ways=chosen_style.own_ways,
            shows=SIGN if words and words.holder is None and signed else None,
        )
        beat = scene.beats[beat_index]
        pin, source = shot_pin(beat, slot_in_beat)
        if scene.from_screenplay and own_pin(beat, slot_in_beat).is_empty():
            pin, source, options = _as_hint(ctx, chosen_style, pin, cast)
        else:
            options = candidates_for(ctx, chosen_style, pin, cast)
        if not options:
            raise SceneError(
                f"the camera pinned for {_pinned_shot(slot_in_beat)} ({_pin_words(pin)}) "
                "cannot be shot here; "
                "loosen the pin or change the beat",
                beat=beat_index,
            )
        contexts.append(ctx)
        pins.append((pin, source))
        candidates.append(options)
        if slot_in_beat and not own_pin(beat, slot_in_beat).is_empty():
            unpinned[index] = candidates_for(ctx, chosen_style, ShotPin(), cast)

    choices = _choose_holding(candidates, contexts, chosen_style, slots, unpinned)
    kept = _cut_for_a_reason(choices, slots, pins, scene.beats)
    choices = [choices[index] for index in kept]
    contexts = [contexts[index] for index in kept]
    pins = [pins[index] for index in kept]
    slots = _one_take(slots, kept)
    shots: list[ShotSpec] = []
    # Coverage keeps to the side of the line of action that faces the set's open front, judged
    # afresh at every shot as people move; a motivated crossing swaps sides from then on.
    crossed = 1
    previous_place: tuple[str | None, float, int] | None = None
    previous_line = None
    for index, (choice, ctx, (beat_index, slot_start, frames, slot_in_beat)) in enumerate(
        zip(choices, contexts, slots, strict=True)
    ):
        picked = choice.candidate
        affect = ctx.affect
        crossing = bool(CROSSING_ACTIONS & set(affect.actions)) and slot_in_beat == 0 and index > 0
        if crossing:
            crossed = -crossed
        line = line_of_action(blocking, slot_start, preset.name)
        redrawn = index > 0 and _line_redrawn(previous_line, line)
        previous_line = line
        side = crossed * open_side(line)
        subject = picked.subjects[0] if picked.subjects else None
        if pins[index][0].movement is None:
            travelling = _on_the_cameras_side(
                picked.movement, blocking, subject, slot_start, frames, line, side
            )
            picked = replace(picked, movement=travelling)
        placement = place(
            blocking, subject, picked.framing, picked.movement, slot_start, side,
            previous_place, picked.size, line,
        )  # fmt: skip
        previous_place = (subject, placement.azimuth_deg, SIZES.index(picked.size))
        if picked.movement in ARCS:
            # Both arcs score alike; swing toward the subject's face, never round to the back.
            toward_face = "arc_left" if placement.azimuth_deg > 0 else "arc_right"
            picked = replace(picked, movement=toward_face)
        if pins[index][0].movement is None:
            turned = _sideways(
                picked.movement, blocking, subject, slot_start, frames, placement.azimuth_deg,
                screen[beat_index],
            )  # fmt: skip
            picked = replace(picked, movement=turned)
        reason = replace(
            reason_for(
                picked,
                affect,
                choice.sequence_terms,
                pins[index][1] if not pins[index][0].is_empty() or scene.from_screenplay else "",
                ctx.peak,
            ),
            crosses_line=crossing or redrawn,
            runner_up=describe(choice.runner_up) if choice.runner_up else "",
            margin=round(choice.margin, 5),
            expressive=describe(choice.expressive) if choice.expressive else "",
            expressive_margin=round(choice.expressive_margin, 5),
            heard=_heard_off_screen(scene.beats[beat_index]),
        )
        previous_arousal = affects[beat_index - 1].arousal if beat_index else affect.arousal
        pin = pins[index][0]
        chose = intent_of(picked)
        intent = ShotIntent(chose, round(affect.intent(chose), 5)) if chose else None
        lens_scale = chosen_style.lens_scale * (
            intent_table()[Intent(chose)].lens_scale if chose else 1.0
        )
        spec = ShotSpec(
            id=f"S{index + 1:02d}",
            beat=beat_index,
            start_frame=slot_start,
            frames=frames,
            size=picked.size,
            end_size=picked.end_size,
            angle=picked.angle,
            dutch_deg=(pin.dutch_deg or DUTCH_DEG) if picked.dutch else 0.0,
            movement=picked.movement,
            framing=picked.framing,
            transition=_transition(
                index,
                len(slots) - 1,
                slot_in_beat,
                affect.arousal,
                previous_arousal,
            ),
            subjects=picked.subjects,
            lens_mm=pin.lens_mm
            or lens_for(
                picked.size,
                picked.movement,
                picked.framing,
                affect.function,
                lens_scale,
            ),
            why="",
            azimuth_deg=placement.azimuth_deg,
            side=placement.side,
            intent=intent,
            reason=reason,
            shows=ctx.shows if picked.framing == "insert" and not picked.subjects else None,
        )
        shots.append(replace(spec, why=render(spec)))
    return Direction(
        style=chosen_style.name,
        set=replace(preset.design(), props=props),
        blocking=blocking,
        beats=tuple(planned),
        shots=tuple(shots),
    )


# The order a screenplay's camera hint is given up in, part by part, when the set cannot shoot
# all of it: the move first (the hardest to fit), the framing it implies last.
HINT_ORDER = ("movement", "angle", "lens_mm", "dutch_deg", "size", "framing")


def _as_hint(
    ctx: Context, style: Style, hint: ShotPin, cast: tuple[str, ...]
) -> tuple[ShotPin, str, list[Candidate]]:
    """A screenplay's camera words ("the camera pulls back", "overhead POV") are the writer's
    hints, never a reason to fail: as much of the hint as the set can shoot, part by part, and
    words that say what was given up."""
    options = candidates_for(ctx, style, hint, cast)
    if options or hint.is_empty():
        return hint, "" if hint.is_empty() else "asked for in the script", options
    kept = ShotPin()
    options = candidates_for(ctx, style, kept, cast)
    dropped = []
    for part in HINT_ORDER:
        value = getattr(hint, part)
        if value is None:
            continue
        trial = replace(kept, **{part: value})
        if tried := candidates_for(ctx, style, trial, cast):
            kept, options = trial, tried
        else:
            dropped.append(pin_part_words(part, value))
    source = f"asked for in the script, but {said_list(dropped)} cannot be shot here"
    return kept, source, options


def _pinned_shot(slot_in_beat: int) -> str:
    return "this beat" if slot_in_beat == 0 else f"shot {slot_in_beat + 1} of this beat"


def _pin_words(pin: ShotPin) -> str:
    return ", ".join(f"{key} {value}" for key, value in vars(pin).items() if value is not None)


def _beside(reference: float, step: float) -> list[float]:
    """Azimuths ``step`` either side of ``reference``: first the one that stays on the same side
    of the subject's facing (so of the line, when they face their partner), then the frontal."""
    options = [reference + step, reference - step]
    return sorted(options, key=lambda azimuth: (azimuth * reference < 0, abs(azimuth)))


def _face_azimuth(blocking: Blocking, spec: ShotSpec) -> float:
    """Where the subject's face points in the middle of the shot, as an azimuth (degrees round
    from their facing on the shot's first frame, as ``ShotSpec.azimuth_deg``)."""
    name = spec.subjects[0]
    track = blocking[name]
    middle = spec.start_frame + spec.frames // 2
    face = float(track.facing_deg[middle] + blocking.figure(name).face_yaw()[middle])
    return wrap_deg(face - float(track.facing_deg[spec.start_frame]))


@dataclass(frozen=True)
class Retake:
    """A shot the critic rejected, as the director needs it for another version: the shot as
    it was worded (``spec``), every rule its versions have broken so far (``failed``), the
    ``attempt`` (1 to 4), where the previous shot's camera ended as an azimuth round this
    shot's subject (``previous_azimuth``, measured like ``azimuth_deg``; None for the first
    shot or one without a subject) and the scene's ``blocking``."""

    spec: ShotSpec
    failed: frozenset[CriticRule]
    attempt: int
    previous_azimuth: float | None = None
    blocking: Blocking | None = None


def step_round(retake: Retake) -> ShotSpec:
    """The same shot with its camera moved round the subject, for faults a camera fixes by
    standing elsewhere (``MOVABLE_RULES``); ``attempt`` 1 or 2 tries the nearer place first.

    A cut that breaks the 180° or 30° rule moves mirrored across the line, or 40° away from
    where the previous shot's camera ended (``previous_azimuth``, measured like
    ``azimuth_deg``); a reaction seen from behind, three-quarters on to the face, then square
    on (a follow becoming a lead); a blocked view, 40° either way from where the shot stood; a
    pan with a walker then turns the way they cross the new frame (given the ``blocking``).
    """
    spec, failed, attempt = retake.spec, retake.failed, retake.attempt
    previous_azimuth, blocking = retake.previous_azimuth, retake.blocking
    if CriticRule.FACE_SEEN in failed and blocking is not None and spec.subjects:
        # A reaction seen from behind: stand three-quarters on to where the face looks.
        face = _face_azimuth(blocking, spec)
        side = 1.0 if wrap_deg(spec.azimuth_deg - face) >= 0.0 else -1.0
        azimuth = wrap_deg(face + side * (FACE_THREE_QUARTER_DEG if attempt == 1 else 0.0))
    elif CriticRule.CLEAR_VIEW in failed:
        # Someone or something stands in the way: step round the subject, as a DP would.
        azimuth = _beside(spec.azimuth_deg, 40.0)[attempt - 1]
    elif CriticRule.LINE_OF_ACTION in failed and (attempt == 1 or previous_azimuth is None):
        azimuth = -spec.azimuth_deg if attempt == 1 else -spec.azimuth_deg * 0.5
    elif CriticRule.LINE_OF_ACTION in failed and previous_azimuth is not None:
        # Stand near where the last camera stood: the same side of the line by construction.
        azimuth = _beside(previous_azimuth, 35.0)[0]
    else:
        reference = spec.azimuth_deg if previous_azimuth is None else previous_azimuth
        azimuth = _beside(reference, 40.0)[attempt - 1]
    return step_round_to(retake, azimuth)


def step_round_to(retake: Retake, azimuth: float) -> ShotSpec:
    """The same shot, its move kept, with its camera at ``azimuth`` round the subject: a
    reaction seen from behind is met from the front (a follow becomes a lead), and a pan or
    truck with a walker turns the way they cross the new frame (given the ``blocking``)."""
    spec, failed, blocking = retake.spec, retake.failed, retake.blocking
    movement = spec.movement
    if CriticRule.FACE_SEEN in failed and movement == "follow":
        movement = "lead"  # a reaction is met from the front, not followed from behind
    if blocking is not None:
        subject = spec.subjects[0] if spec.subjects else None
        movement = _sideways(movement, blocking, subject, spec.start_frame, spec.frames, azimuth)
    moved = replace(spec, azimuth_deg=azimuth, movement=movement)
    moved = replace(
        moved,
        reason=replace(
            rules_that_hold(spec.reason, spec, moved),
            moved_deg=round(abs(wrap_deg(azimuth - spec.azimuth_deg)), 5),
            failed=tuple(sorted(failed)),
        ),
    )
    return replace(moved, why=render(moved))


def plainer(retake: Retake) -> ShotSpec:
    """A plainer version of a shot the critic rejected; each ``attempt`` (1 to 4) gives up more.

    1: the move becomes its simpler cousin (``MovementTraits.simpler``: a zoom for a dolly in,
    a pan with someone who walked out of a static frame, given the ``blocking``); 2: a static,
    level single of the same size and (softened) angle,
    or on the shot's own rig where that is as plain (``MovementTraits.plain_rig``: a handheld
    shot gives up its framing and angle first, since its shake is what the style or the chaos
    asked for); 3: the same at eye level; 4: a static eye-level medium shot (or wide, for an
    establishing shot or a moving subject), beside the previous camera (``previous_azimuth``,
    measured like ``azimuth_deg``) after a cut that broke a cut rule.
    """
    spec, failed, attempt = retake.spec, retake.failed, retake.attempt
    previous_azimuth, blocking = retake.previous_azimuth, retake.blocking
    if attempt == 1:
        movement = MOVEMENT_TRAITS[spec.movement].simpler
        subject = spec.subjects[0] if spec.subjects else None
        if blocking is not None and subject is not None:
            if (
                movement == "static"
                and CriticRule.SUBJECT_IN_FRAME in failed
                and _slot_travel(blocking, spec.start_frame, spec.frames)[subject] >= PAN_WITH_MIN_M
            ):
                movement = "pan_right"  # someone who walks out of a locked-off frame is panned with
            if movement in PANS and spec.movement not in SIDEWAYS:
                # A follow's, a lead's or a whip pan's plainer pan turns the way its subject
                # crosses the frame, as an operator's would; only a truck's keeps its own side.
                movement = _sideways(
                    movement, blocking, subject, spec.start_frame, spec.frames, spec.azimuth_deg
                )
        revised = replace(
            spec,
            movement=movement,
            end_size=spec.end_size if MOVEMENT_TRAITS[movement].size_change else spec.size,
            angle=SOFTER_ANGLE.get(spec.angle, spec.angle),
        )
    elif attempt in (2, 3):
        revised = replace(
            spec,
            movement=spec.movement if MOVEMENT_TRAITS[spec.movement].plain_rig else "static",
            end_size=spec.size,
            dutch_deg=0.0,
            framing="single" if spec.subjects and spec.framing != "establishing" else spec.framing,
            subjects=spec.subjects[:1] if spec.framing != "establishing" else spec.subjects,
            # The angle says who holds the power or who is exposed: it is the last thing a
            # still single gives up.
            angle=SOFTER_ANGLE.get(spec.angle, spec.angle) if attempt == 2 else "eye_level",
        )
    else:
        # A subject who walks out of a static frame, or so far toward or away from it that its size
        # cannot hold, needs the widest view to stay in it at a size that holds.
        leaves = CriticRule.SUBJECT_IN_FRAME in failed
        widest = leaves or CriticRule.END_SIZE in failed
        subject = spec.subjects[0] if spec.subjects else None
        walker = (
            blocking is not None
            and subject is not None
            and _slot_travel(blocking, spec.start_frame, spec.frames)[subject] >= MOVING_M
        )
        wide = widest or spec.framing == "establishing" or walker
        wide = wide or MOVEMENT_TRAITS[spec.movement].travels
        size = "EWS" if widest else "WS" if wide else "MS"
        if spec.framing != "establishing":
            subjects = spec.subjects[:1]
        else:
            # An establishing shot that people cross out of is held on the place itself.
            subjects = () if leaves else spec.subjects
        revised = replace(
            spec,
            size=size,
            end_size=size,
            movement="static",
            dutch_deg=0.0,
            angle="eye_level",
            framing=spec.framing if spec.framing == "establishing" else "single",
            subjects=subjects,
            lens_mm=35.0,
        )
        # After a cut that broke the 180° or 30° rule, the last resort stands beside the
        # previous camera, where its own new framing cannot cut across the line again.
        if failed & CUT_RULES and previous_azimuth is not None:
            revised = replace(revised, azimuth_deg=_beside(previous_azimuth, 35.0)[0])
    revised = replace(
        revised,
        reason=replace(
            rules_that_hold(spec.reason, spec, revised),
            repaired_from=describe(spec),
            failed=tuple(sorted(failed)),
            moved_deg=0.0,
            runner_up="",
            expressive="",
        ),
    )
    return replace(revised, why=render(revised))


def _line_redrawn(first: Line, second: Line) -> bool:
    """Whether the line of action ``second`` is new since the shot before's ``first``: drawn by
    an entrance (there was none), or turned ``LINE_REDRAWN_DEG`` or more by someone's walk."""
    if second is None:
        return False
    if first is None:
        return True
    turn = floor_heading_deg(second[1] - second[0]) - floor_heading_deg(first[1] - first[0])
    return abs(wrap_deg(turn)) >= LINE_REDRAWN_DEG
