"""The critic: measures every shot against its own words and every cut against the grammar.

Shot rules: size, end size, angle, dutch, movement (docs/design.md section 3), subject in front
and in frame, headroom, an over-the-shoulder's shoulder in the picture, the camera clear of the
set and the cast and above the ground, lens in range, dolly and crane speeds. Cut rules: the
180° rule and the 30° rule. The critic only measures and reports; the pipeline decides what to
repair.
"""

from __future__ import annotations

import math

import numpy as np

from beatcam.critic.measure import Track, peak_speed_and_acceleration
from beatcam.critic.movement import MOVEMENT_CHECKS
from beatcam.model import JUMP_SIZE_STEPS, Check, CriticRule, Critique, Shot, ShotPlan, ShotSpec
from beatcam.model.geometry import (
    BODY_RADIUS_M,
    Bodies,
    FloatArray,
    View,
    bodies_over,
    depth_of,
    heading_deg,
    side_of_line,
    wrap_deg,
    yaw_pitch_roll_deg,
)
from beatcam.model.sets import line_of_action
from beatcam.model.setups import box_extents, rig_for, rig_room
from beatcam.model.vocab import (
    ALL_IN_FRAME,
    DUTCH_MIN_DEG,
    EVERY_FACE_CLEAR,
    FOCAL_MAX_MM,
    FOCAL_MIN_MM,
    HEAD_IN_FRAME_SIZES,
    MOVEMENT_TRAITS,
    SIZES,
    angle_for_pitch,
    size_for_frame_height,
)

__all__ = ["critique", "critique_cut", "critique_shot", "reacts"]

FRAME_LIMIT = 1.0
SET_CLEARANCE_M = 0.05
CAST_CLEARANCE_M = 0.3
GROUND_CLEARANCE_M = 0.05
MAX_SPEED_M_S = 12.0
MAX_ACCELERATION_M_S2 = 15.0
LINE_TOLERANCE_M = 0.3
MAX_HIDDEN_SHARE = 0.1
# A body outside the shot wider than this share of the frame crowds it.
STRANGER_WIDTH = 1.0 / 3.0
# A cut to the same person in the same framing is a new shot to the eye when the camera turns
# this far round them, or the size changes by ``model.JUMP_SIZE_STEPS``; else it jumps.
THIRTY_DEGREES = 30.0
# A reaction is played on the face: the main shot of a beat that realises or reacts must see it,
# the face turned within this of the camera (past it only an ear and the back of the head
# remain) on at least this share of the shot's frames (a turn to the lens mid-shot counts).
FACE_SEEN_DEG = 100.0
FACE_SEEN_SHARE = 0.5
# An over-the-shoulder looks past the near person (``subjects[1]``), whose head and shoulder
# fill the frame's edge (Thompson & Bowen, Grammar of the Shot): their eye point lies in front
# of the lens and inside the frame, or outside its edge by less than half a head's width at its
# depth (a head is about 0.16 m across, so some of it is still in the picture), on at least
# half the frames, as a reaction's face is asked for (FACE_SEEN_SHARE): a shot that shows the
# shoulder for less is a single. Frames after the near person has stepped away from where the
# shot found them (their eyes this far over the floor: more than a lean or a shift of weight,
# about a step) do not count: walking out of the frame is their action, not the camera's fault.
NEAR_HEAD_HALF_WIDTH_M = 0.08
SHOULDER_SHARE = 0.5
NEAR_STEPS_AWAY_M = 0.5
REACTIONS = frozenset({"realisation", "shock"})  # functions and intents played on the face
FACE_FRAMINGS = frozenset({"single", "two_shot", "over_shoulder", "group"})


def _track(plan: ShotPlan, shot: Shot, name: str | None = None) -> Track:
    subject = name or (shot.subjects[0] if shot.subjects else None)
    eyes = plan.blocking[subject].eyes(shot.start_frame, shot.frames) if subject else None
    camera = shot.camera
    return Track(camera.position, camera.rotation, camera.focal_mm, eyes, plan.sensor_mm, plan.fps)


def _check(
    rule: CriticRule, shot: str, passed: bool, measured: dict[str, float | str], expected: str
) -> Check:
    rounded: dict[str, float | str] = {
        key: round(value, 4) if isinstance(value, float) else value
        for key, value in measured.items()
    }
    return Check(rule, shot, bool(passed), rounded, expected)


def _inside_boxes(plan: ShotPlan, shot: Shot) -> list[str]:
    """The set boxes the camera is inside on any frame, with the room its rig must keep round
    them (``setups.rig_room``) and ``SET_CLEARANCE_M`` more."""
    room = rig_room(plan.set.boxes, on_floor=rig_for(shot) != "crane")
    entered = room.entered(shot.camera.position, SET_CLEARANCE_M).any(axis=0)
    return [plan.set.boxes[piece].name for piece in np.flatnonzero(entered)]


def _cast_clearance(plan: ShotPlan, shot: Shot) -> tuple[float, str]:
    """Closest approach (m) of the camera to any character's body it is not looking through."""
    exempt = shot.subjects[1] if shot.framing == "pov" and len(shot.subjects) > 1 else None
    closest, who = np.inf, ""
    frames = slice(shot.start_frame, shot.start_frame + shot.frames)
    for name, track in plan.blocking.tracks.items():
        if name == exempt:
            continue
        feet = track.position[frames]
        offset = shot.camera.position - feet
        horizontal = np.linalg.norm(offset[:, [0, 2]], axis=1) - BODY_RADIUS_M
        overhead = shot.camera.position[:, 1] > track.height_m + BODY_RADIUS_M
        distance = float(np.min(np.where(overhead, np.inf, horizontal)))
        if distance < closest:
            closest, who = distance, name
    return closest, who


def _bodies(plan: ShotPlan, shot: Shot, seen: str) -> Bodies:
    """Where every body but ``seen``'s own (and the one a point of view looks out of) stands on
    each frame of the shot, and how high its head is: what can stand in the way of ``seen``."""
    exempt = {seen}
    if shot.framing == "pov" and len(shot.subjects) > 1:
        exempt.add(shot.subjects[1])
    window = slice(shot.start_frame, shot.start_frame + shot.frames)
    return bodies_over(
        [
            (track.position[window], track.head_tops(shot.start_frame, shot.frames))
            for name, track in plan.blocking.tracks.items()
            if name not in exempt
        ],
        shot.frames,
    )


def _companions(plan: ShotPlan, shot: Shot) -> tuple[tuple[FloatArray, Bodies], ...]:
    """The other people a group shot holds (``EVERY_FACE_CLEAR``), each one's eyes and the bodies
    that could hide them: their faces must be as clear as the subject's."""
    if shot.framing not in EVERY_FACE_CLEAR:
        return ()
    return tuple(
        (plan.blocking[name].eyes(shot.start_frame, shot.frames), _bodies(plan, shot, name))
        for name in shot.subjects[1:]
    )


def _crowded_share(plan: ShotPlan, shot: Shot, track: Track) -> float:
    """The share of the shot's frames in which a body outside the shot (nobody it names) covers
    more than ``STRANGER_WIDTH`` of the frame's width: someone walking through the foreground
    for a moment is life, someone parked across the lens is a mistake."""
    frames = slice(shot.start_frame, shot.start_frame + shot.frames)
    crowded = np.zeros(shot.frames, dtype=bool)
    for name, body in plan.blocking.tracks.items():
        if name in shot.subjects:
            continue
        feet = body.position[frames]
        x, feet_y = track.image_points(feet).T
        head_y = track.image_points(feet + np.array([0.0, body.height_m, 0.0]))[:, 1]
        depth = depth_of(feet, track.position, track.matrices)
        half = BODY_RADIUS_M * track.focal_mm / np.maximum(depth, 1e-6) / (plan.sensor_mm[0] / 2)
        width = np.clip(np.minimum(x + half, 1.0) - np.maximum(x - half, -1.0), 0.0, 2.0) / 2.0
        upright = (head_y > -1.0) & (feet_y < 1.0)  # NaN (behind the lens) compares False
        crowded |= upright & (np.nan_to_num(width) > STRANGER_WIDTH)
    return float(np.mean(crowded))


def reacts(plan: ShotPlan, shot: ShotSpec) -> bool:
    """Whether ``shot``'s beat realises or reacts, by its narrative function or the intent
    that chose the shot's device: a beat played on a face."""
    intent = shot.intent.name if shot.intent else None
    return plan.beats[shot.beat].affect.function in REACTIONS or intent in REACTIONS


def _plays_a_reaction(plan: ShotPlan, shot: Shot) -> bool:
    """Whether ``shot`` is the main shot (the longest that frames a person) of a beat that
    realises or reacts."""
    if not reacts(plan, shot):
        return False
    framed = [s for s in plan.shots if s.beat == shot.beat and s.framing in FACE_FRAMINGS]
    return bool(framed) and max(framed, key=lambda s: s.frames) is shot


def _median(values: FloatArray) -> float:
    """``np.median`` of a 1-D array, without the import of ``numpy.ma`` that np.median makes
    on its first call (a sixth of the numpy floor of a cold start): the middle value, or the
    mean of the middle two, NaN where any value is NaN (sorting puts NaN last)."""
    ordered = np.sort(values)
    middle = len(ordered) // 2
    if not len(ordered) or np.isnan(ordered[-1]):
        return math.nan
    if len(ordered) % 2:
        return float(ordered[middle])
    return float((ordered[middle - 1] + ordered[middle]) / 2.0)


def _face_check(plan: ShotPlan, shot: Shot) -> Check:
    """Whether the camera sees the subject's face: the angle between where the face points
    (body and head turn, ``Posed.face_yaw``) and the direction from the eyes to the camera."""
    name = shot.subjects[0]
    frames = slice(shot.start_frame, shot.start_frame + shot.frames)
    face = plan.blocking[name].facing_deg[frames] + plan.blocking.figure(name).face_yaw(frames)
    offset = shot.camera.position - plan.blocking[name].eyes(shot.start_frame, shot.frames)
    off = np.abs(wrap_deg(heading_deg(offset) - face))
    share = float(np.mean(off <= FACE_SEEN_DEG))
    return _check(
        CriticRule.FACE_SEEN,
        shot.id,
        share >= FACE_SEEN_SHARE,
        {"subject": name, "seen_share": share, "median_off_deg": _median(off)},
        f"{name}'s face within {FACE_SEEN_DEG:.0f}° of the camera on at least "
        f"{FACE_SEEN_SHARE:.0%} of the frames",
    )


def critique_shot(plan: ShotPlan, shot: Shot) -> list[Check]:
    """Every shot-level rule applied to one shot."""
    checks: list[Check] = []
    track = _track(plan, shot)
    middle = shot.frames // 2
    # The middle frame's pitch and roll (each frame's angles are its own: no yaw to unwrap).
    _, pitch, roll = yaw_pitch_roll_deg(track.matrices[middle : middle + 1])[0].tolist()
    if track.eyes is not None:
        frame_height = track.frame_height()
        for rule, index, word, which in (
            (CriticRule.SIZE, 0, shot.size, "first"),
            (CriticRule.END_SIZE, -1, shot.end_size, "last"),
        ):
            height = float(frame_height[index])
            band = size_for_frame_height(height)
            checks.append(
                _check(
                    rule,
                    shot.id,
                    band == word,
                    {"frame_height_m": height, "measured": band},
                    f"{word} on the {which} frame",
                )
            )
        depth = track.depth()
        checks.append(
            _check(
                CriticRule.SUBJECT_IN_FRONT,
                shot.id,
                bool(np.all(depth > 0)),
                {"min_depth_m": float(np.min(depth))},
                "positive depth on every frame",
            )
        )
        checks.extend(_framing_checks(plan, shot, track))
        if _plays_a_reaction(plan, shot):
            checks.append(_face_check(plan, shot))
    checks.append(
        _check(
            CriticRule.ANGLE,
            shot.id,
            angle_for_pitch(pitch) == shot.angle,
            {"pitch_deg": pitch, "measured": angle_for_pitch(pitch)},
            f"{shot.angle} on the middle frame",
        )
    )
    wants_dutch = abs(shot.dutch_deg) >= DUTCH_MIN_DEG
    checks.append(
        _check(
            CriticRule.DUTCH,
            shot.id,
            (abs(roll) >= DUTCH_MIN_DEG) == wants_dutch,
            {"roll_deg": roll},
            "roll ≥ 5°" if wants_dutch else "roll < 5°",
        )
    )
    passed, measured, expected = MOVEMENT_CHECKS[shot.movement](track)
    checks.append(
        _check(
            CriticRule.MOVEMENT, shot.id, passed, {"movement": shot.movement, **measured}, expected
        )
    )
    if track.eyes is not None and shot.framing != "insert":
        centers, halves = box_extents(plan.set.boxes)
        box_min, box_max = centers - halves, centers + halves
        hidden, walled_off = View(
            shot.camera.position, track.matrices, shot.camera.focal_mm, plan.sensor_mm,
            track.eyes, track.depth(), (box_min, box_max), _bodies(plan, shot, shot.subjects[0]),
            _companions(plan, shot),
        ).faults()  # fmt: skip
        share, crowded = float(np.mean(hidden)), _crowded_share(plan, shot, track)
        walled = float(np.mean(walled_off))
        checks.append(
            _check(
                CriticRule.CLEAR_VIEW,
                shot.id,
                max(share, crowded, walled) <= MAX_HIDDEN_SHARE,
                {"hidden_share": share, "crowded_share": crowded, "walled_share": walled},
                "no set piece or person hides the subject's eyes (each subject's, in a group "
                "shot), nobody outside the shot fills "
                "a third of its width and no set piece a quarter of its middle, for more than a "
                "tenth of the shot",
            )
        )
    hits = _inside_boxes(plan, shot)
    checks.append(
        _check(
            CriticRule.CLEAR_OF_THE_SET,
            shot.id,
            not hits,
            {"inside": ", ".join(hits) or "none"},
            "camera outside every set box, its rig clear of every piece standing on the floor",
        )
    )
    lowest = float(np.min(shot.camera.position[:, 1]))
    checks.append(
        _check(
            CriticRule.ABOVE_THE_GROUND,
            shot.id,
            lowest > GROUND_CLEARANCE_M,
            {"lowest_m": lowest},
            "camera above the ground",
        )
    )
    clearance, who = _cast_clearance(plan, shot)
    if np.isfinite(clearance):
        checks.append(
            _check(
                CriticRule.CLEAR_OF_THE_CAST,
                shot.id,
                clearance >= CAST_CLEARANCE_M,
                {"closest_m": clearance, "character": who},
                f"≥ {CAST_CLEARANCE_M} m from every body",
            )
        )
    focal = shot.camera.focal_mm
    lens_ok = bool(np.all((focal >= FOCAL_MIN_MM - 1e-6) & (focal <= FOCAL_MAX_MM + 1e-6)))
    checks.append(
        _check(
            CriticRule.LENS_RANGE,
            shot.id,
            lens_ok,
            {"min_mm": float(focal.min()), "max_mm": float(focal.max())},
            "12–300 mm",
        )
    )
    speed, acceleration = peak_speed_and_acceleration(track, smooth=shot.movement == "handheld")
    limit = MAX_SPEED_M_S
    if shot.movement in {"follow", "lead"} and track.eyes is not None:
        subject_speed, _ = peak_speed_and_acceleration(
            Track(track.eyes, shot.camera.rotation, focal, None, plan.sensor_mm, plan.fps),
            smooth=False,
        )
        limit = max(limit, 1.5 * subject_speed)
    checks.append(
        _check(
            CriticRule.RIG_SPEED,
            shot.id,
            speed <= limit and acceleration <= MAX_ACCELERATION_M_S2,
            {"speed_m_s": speed, "acceleration_m_s2": acceleration},
            f"≤ {limit:.0f} m/s and ≤ {MAX_ACCELERATION_M_S2:.0f} m/s²",
        )
    )
    return checks


def _in_frame(plan: ShotPlan, shot: Shot, track: Track, name: str) -> Check:
    eyes = plan.blocking[name].eyes(shot.start_frame, shot.frames)
    image = track.image_points(eyes)
    if MOVEMENT_TRAITS[shot.movement].lands:
        image = image[-1:]
    inside = np.all(np.abs(image) <= FRAME_LIMIT, axis=1) & np.all(np.isfinite(image), axis=1)
    worst = float(np.nanmax(np.abs(image))) if np.any(np.isfinite(image)) else float("inf")
    return _check(
        CriticRule.SUBJECT_IN_FRAME,
        shot.id,
        bool(np.all(inside)),
        {"subject": name, "worst_extent": worst, "frames_out": int(np.sum(~inside))},
        "eyes inside the frame on every frame",
    )


def _shoulder_check(plan: ShotPlan, shot: Shot, track: Track) -> Check:
    """Whether an over-the-shoulder has the shoulder it looks over in the picture: the near
    person's eye point within ``NEAR_HEAD_HALF_WIDTH_M`` of the frame at its own depth, on at
    least ``SHOULDER_SHARE`` of the frames before they step away (``NEAR_STEPS_AWAY_M``)."""
    name = shot.subjects[1]
    eyes = plan.blocking[name].eyes(shot.start_frame, shot.frames)
    stays = np.hypot(*(eyes - eyes[0])[:, [0, 2]].T) <= NEAR_STEPS_AWAY_M
    stays = np.logical_and.accumulate(stays)  # from the first step away on, they have gone
    depth = depth_of(eyes, track.position, track.matrices)
    image = track.image_points(eyes)
    # The margin in image units: metres over the half frame (width, height) at that depth.
    half_frame = np.maximum(depth, 1e-6)[:, None] * np.asarray(track.sensor_mm) / 2.0
    margin = NEAR_HEAD_HALF_WIDTH_M * track.focal_mm[:, None] / half_frame
    reach = np.nan_to_num(np.abs(image) - margin, nan=np.inf).max(axis=1)[stays]
    share = float(np.mean((depth[stays] > 0.0) & (reach <= FRAME_LIMIT)))
    return _check(
        CriticRule.SHOULDER_IN_FRAME,
        shot.id,
        share >= SHOULDER_SHARE,
        {
            "subject": name,
            "share_in": share,
            "frames_judged": int(stays.sum()),
            "worst_extent": float(reach.max()),
        },
        f"{name}'s head within {NEAR_HEAD_HALF_WIDTH_M:.2f} m of the frame on at least "
        f"{SHOULDER_SHARE:.0%} of the frames before they step away",
    )


def _framing_checks(plan: ShotPlan, shot: Shot, track: Track) -> list[Check]:
    names = shot.subjects if shot.framing in ALL_IN_FRAME else shot.subjects[:1]
    if shot.framing == "insert":
        names = ()  # an insert frames the hands and what they hold, not the eyes
    checks = [_in_frame(plan, shot, track, name) for name in names]
    if shot.framing == "over_shoulder" and len(shot.subjects) >= 2:
        checks.append(_shoulder_check(plan, shot, track))
    if shot.size in HEAD_IN_FRAME_SIZES and shot.framing not in {"insert", "pov"}:
        # Judged where the composition is made: the first frame, or where the move lands.
        framed = shot.frames - 1 if MOVEMENT_TRAITS[shot.movement].lands else 0
        tops = plan.blocking[shot.subjects[0]].head_tops(shot.start_frame + framed, 1)
        top = track.image_points(np.repeat(tops, shot.frames, axis=0))[framed]
        checks.append(
            _check(
                CriticRule.HEADROOM,
                shot.id,
                bool(np.isfinite(top[1]) and top[1] <= FRAME_LIMIT),
                {"head_top_y": float(top[1])},
                "the top of the head inside the frame at MS and wider",
            )
        )
    return checks


def critique_cut(plan: ShotPlan, before: Shot, after: Shot) -> list[Check]:
    """The 180° and 30° rules across one cut."""
    target = f"{before.id}>{after.id}"
    checks = []
    frame = after.start_frame
    line = line_of_action(plan.blocking, frame, plan.set.preset)
    if line is not None:
        side_before = side_of_line(before.camera.position[-1][[0, 2]], *line)
        side_after = side_of_line(after.camera.position[0][[0, 2]], *line)
        same = side_before * side_after >= 0
        near = min(abs(side_before), abs(side_after)) < LINE_TOLERANCE_M
        motivated = after.reason.crosses_line or "pov" in {before.framing, after.framing}
        checks.append(
            _check(
                CriticRule.LINE_OF_ACTION,
                target,
                same or near or motivated,
                {"side_before_m": side_before, "side_after_m": side_after},
                "both cameras on one side of the line of action",
            )
        )
    # A frame that holds several people (a two-shot, a group) shows the same picture whichever
    # of them the beat is about: the same people, framed alike, from nearly the same place.
    same_subject = bool(before.subjects) and (
        set(before.subjects) == set(after.subjects)
        if before.framing in ALL_IN_FRAME
        else before.subjects[:1] == after.subjects[:1]
    )
    close = abs(SIZES.index(before.size) - SIZES.index(after.size)) < JUMP_SIZE_STEPS
    if same_subject and close and before.framing == after.framing:
        subject = plan.blocking[after.subjects[0]].eyes(frame, 1)[0]
        a = before.camera.position[-1] - subject
        b = after.camera.position[0] - subject
        a[1] = b[1] = 0.0
        cosine = float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-9))
        turn = float(np.degrees(np.arccos(np.clip(cosine, -1.0, 1.0))))
        checks.append(
            _check(
                CriticRule.THIRTY_DEGREES,
                target,
                turn >= THIRTY_DEGREES,
                {"turn_deg": turn},
                "≥ 30° around the subject, or a size change of two steps",
            )
        )
    return checks


def critique(plan: ShotPlan) -> Critique:
    """Every rule on every shot and cut of a plan."""
    checks: list[Check] = []
    for index, shot in enumerate(plan.shots):
        checks.extend(critique_shot(plan, shot))
        if index:
            checks.extend(critique_cut(plan, plan.shots[index - 1], shot))
    return Critique(tuple(checks))
