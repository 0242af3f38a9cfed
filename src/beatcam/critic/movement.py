"""Does the track do what its movement word says? One test per word of docs/design.md section 3."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from beatcam.critic.measure import (
    Track,
    along_first_axes,
    azimuth_change_deg,
    jitter_rms,
    max_focal_change,
    max_offset_m,
    max_turn_deg,
    peak_yaw_rate,
)

Measured = dict[str, float]
Verdict = tuple[bool, Measured, str]


def _static(t: Track) -> Verdict:
    m = {"moved_m": max_offset_m(t.position), "turned_deg": max_turn_deg(t.rotation)}
    m["focal_change"] = max_focal_change(t.focal_mm)
    ok = m["moved_m"] < 0.02 and m["turned_deg"] < 0.5 and m["focal_change"] < 0.01
    return ok, m, "moves < 2 cm, turns < 0.5°, focal changes < 1 %"


def _dolly(direction: int) -> Callable[[Track], Verdict]:
    """push_in (+1) / pull_out (-1): subject depth falls/rises ≥ 15 % with focal steady."""

    def check(t: Track) -> Verdict:
        m = {"focal_change": max_focal_change(t.focal_mm)}
        if t.eyes is None:
            m["forward_m"] = float(along_first_axes(t)[2])
            ok = direction * m["forward_m"] >= 0.5 and m["focal_change"] < 0.05
            return ok, m, f"camera moves ≥ 0.5 m {'forward' if direction > 0 else 'back'}"
        depth = t.depth()
        m["depth_ratio"] = float(depth[-1] / depth[0])
        grew = m["depth_ratio"] <= 0.85 if direction > 0 else m["depth_ratio"] >= 1.15
        return grew and m["focal_change"] < 0.05, m, "depth changes ≥ 15 %, focal < 5 %"

    return check


def _zoom(direction: int) -> Callable[[Track], Verdict]:
    def check(t: Track) -> Verdict:
        m = {
            "moved_m": max_offset_m(t.position),
            "focal_ratio": float(t.focal_mm[-1] / t.focal_mm[0]),
        }
        zoomed = m["focal_ratio"] >= 1.2 if direction > 0 else m["focal_ratio"] <= 0.8
        return zoomed and m["moved_m"] < 0.05, m, "camera still (< 5 cm), focal changes ≥ 20 %"

    return check


def _dolly_zoom(direction: int) -> Callable[[Track], Verdict]:
    def check(t: Track) -> Verdict:
        if t.eyes is None:
            return False, {}, "a dolly zoom needs a subject"
        depth, frame_height = t.depth(), t.frame_height()
        m = {
            "depth_ratio": float(depth[-1] / depth[0]),
            "focal_ratio": float(t.focal_mm[-1] / t.focal_mm[0]),
            "frame_height_drift": float(np.max(np.abs(frame_height / frame_height[0] - 1.0))),
        }
        if direction > 0:
            moved = m["depth_ratio"] <= 0.8 and m["focal_ratio"] < 1.0
        else:
            moved = m["depth_ratio"] >= 1.2 and m["focal_ratio"] > 1.0
        ok = moved and m["frame_height_drift"] <= 0.05
        return ok, m, "moves ≥ 20 % of depth, focal the other way, frame height within 5 %"

    return check


def _truck(direction: int) -> Callable[[Track], Verdict]:
    def check(t: Track) -> Verdict:
        m = {"sideways_m": float(along_first_axes(t)[0])}
        return direction * m["sideways_m"] >= 0.5, m, "≥ 0.5 m along the camera's own X"

    return check


def _pan(direction: int) -> Callable[[Track], Verdict]:
    def check(t: Track) -> Verdict:
        yaw = t.angles()[:, 0]
        m = {"moved_m": max_offset_m(t.position), "yaw_change_deg": float(yaw[-1] - yaw[0])}
        turned = direction * m["yaw_change_deg"] >= 10.0
        return turned and m["moved_m"] < 0.05, m, "camera still, yaw turns ≥ 10°"

    return check


def _tilt(direction: int) -> Callable[[Track], Verdict]:
    """tilt_up (+1) raises the view: pitch (positive down) falls by ≥ 8°."""

    def check(t: Track) -> Verdict:
        pitch = t.angles()[:, 1]
        m = {"moved_m": max_offset_m(t.position), "pitch_change_deg": float(pitch[-1] - pitch[0])}
        turned = -direction * m["pitch_change_deg"] >= 8.0
        return turned and m["moved_m"] < 0.05, m, "camera still, pitch turns ≥ 8°"

    return check


def _rise(direction: int, low: float, high: float) -> Callable[[Track], Verdict]:
    def check(t: Track) -> Verdict:
        pitch = t.angles()[:, 1]
        m = {
            "rise_m": float(t.position[-1, 1] - t.position[0, 1]),
            "pitch_drift_deg": float(np.max(np.abs(pitch - pitch[0]))),
        }
        ok = low <= direction * m["rise_m"] <= high
        if high < np.inf:
            ok = ok and m["pitch_drift_deg"] < 5.0
            return ok, m, f"rises/falls {low}–{high} m, pitch changes < 5°"
        return ok, m, f"rises/falls ≥ {low} m"

    return check


def _arc(direction: int) -> Callable[[Track], Verdict]:
    """arc_left (-1 along the camera's X) / arc_right (+1)."""

    def check(t: Track) -> Verdict:
        if t.eyes is None:
            return False, {}, "an arc needs a subject"
        depth = t.depth()
        m = {
            "azimuth_change_deg": azimuth_change_deg(t),
            "sideways_m": float(along_first_axes(t)[0]),
            "depth_drift": float(np.max(np.abs(depth / depth[0] - 1.0))),
        }
        ok = (
            abs(m["azimuth_change_deg"]) >= 20.0
            and direction * m["sideways_m"] > 0
            and m["depth_drift"] <= 0.15
        )
        return ok, m, "turns ≥ 20° around the subject toward its own side, depth within 15 %"

    return check


def _travel(ahead: bool) -> Callable[[Track], Verdict]:
    def check(t: Track) -> Verdict:
        if t.eyes is None:
            return False, {}, "following needs a subject"
        subject_move = t.eyes[-1] - t.eyes[0]
        camera_move = t.position[-1] - t.position[0]
        travel = float(np.linalg.norm(subject_move))
        norms = travel * float(np.linalg.norm(camera_move))
        depth = t.depth()
        middle = t.frames // 2
        lead = float((t.position[middle] - t.eyes[middle]) @ subject_move) / max(travel, 1e-9)
        m = {
            "subject_travel_m": travel,
            "cosine": float(subject_move @ camera_move) / norms if norms > 0 else 0.0,
            "depth_drift": float(np.max(np.abs(depth / depth[0] - 1.0))),
            "camera_ahead_m": lead,
        }
        ok = travel >= 1.0 and m["cosine"] >= 0.7 and m["depth_drift"] <= 0.25
        ok = ok and (lead > 0 if ahead else lead <= 0.3)
        where = "ahead of" if ahead else "behind or beside"
        return ok, m, f"subject travels ≥ 1 m, camera travels with it {where} it, depth ± 25 %"

    return check


def _handheld(t: Track) -> Verdict:
    position_mm, rotation_deg = jitter_rms(t)
    m = {"jitter_mm": position_mm, "jitter_deg": rotation_deg}
    ok = 3.0 <= position_mm <= 50.0 and 0.1 <= rotation_deg <= 2.0
    return ok, m, "jitter 3–50 mm and 0.1–2° RMS"


def _whip(t: Track) -> Verdict:
    m = {"peak_yaw_rate_deg_s": peak_yaw_rate(t)}
    return m["peak_yaw_rate_deg_s"] >= 360.0, m, "peak yaw rate ≥ 360°/s"


MOVEMENT_CHECKS: dict[str, Callable[[Track], Verdict]] = {
    "static": _static,
    "push_in": _dolly(1),
    "pull_out": _dolly(-1),
    "zoom_in": _zoom(1),
    "zoom_out": _zoom(-1),
    "dolly_zoom_in": _dolly_zoom(1),
    "dolly_zoom_out": _dolly_zoom(-1),
    "truck_left": _truck(-1),
    "truck_right": _truck(1),
    "pan_left": _pan(1),
    "pan_right": _pan(-1),
    "tilt_up": _tilt(1),
    "tilt_down": _tilt(-1),
    "pedestal_up": _rise(1, 0.2, 1.0),
    "pedestal_down": _rise(-1, 0.2, 1.0),
    "crane_up": _rise(1, 1.0, np.inf),
    "crane_down": _rise(-1, 1.0, np.inf),
    "arc_left": _arc(-1),
    "arc_right": _arc(1),
    "follow": _travel(ahead=False),
    "lead": _travel(ahead=True),
    "handheld": _handheld,
    "whip_pan": _whip,
}
