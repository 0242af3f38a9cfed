"""A seated character rendered from the side: its hips are measured in the matte pass and
projected back to metres, not read from the plan, and found resting on the chair's seat."""

from __future__ import annotations

import numpy as np
import pytest

from beatcam.export import plan_json
from beatcam.model.geometry import look_at, quat_to_matrix
from beatcam.model.plan import ShotPlan
from beatcam.model.props import SEAT_FORWARD_M, SEAT_SIZE_M, SEAT_TOP_M
from beatcam.model.skeleton import BONE_INDEX, BONES, HIP_RATIO, KNEE_RATIO
from beatcam.render.projection import picture_rect, view_projections
from beatcam.render.scene import SceneRenderer, matte_colour
from conftest import plan_and_export

SIZE = (480, 480)
FOCAL_MM = 50.0
SIDE_M = 4.0
# Hips within 3 cm of seat height: about two pixels here, and a third of a thigh's thickness.
HIP_TOLERANCE_M = 0.03
KNEE_CLEARANCE_M = 0.05


@pytest.fixture(scope="module")
def seated(tmp_path_factory: pytest.TempPathFactory) -> ShotPlan:
    folder = tmp_path_factory.mktemp("seated")
    plan_and_export(folder, "seated.txt", "Cast: Mara\nSet: office\nMara sits down and waits.\n")
    return plan_json.read(folder / "plan.json")


def test_a_seated_characters_hips_render_at_seat_height(seated: ShotPlan) -> None:
    track = seated.blocking["Mara"]
    frame = seated.frames - 1
    assert track.pose[frame] == "sit"
    (chair,) = [prop for prop in seated.set.props if prop.name == "chair"]
    heading = np.deg2rad(chair.facing_deg[frame])
    front = np.array([np.sin(heading), 0.0, np.cos(heading)])
    side = np.array([np.cos(heading), 0.0, -np.sin(heading)])
    # Look from the side, level, at the middle of the seat: the thighs lie across it.
    seat = chair.position[frame] + SEAT_FORWARD_M * front + np.array([0.0, SEAT_TOP_M, 0.0])
    eye = seat + SIDE_M * side
    rotation = look_at(eye[None], seat[None])
    rect = picture_rect(SIZE, "4:3")
    matrix = view_projections(eye[None], rotation, np.array([FOCAL_MM]), 27.0, rect.aspect)[0]
    with SceneRenderer(seated, SIZE) as renderer:
        image = renderer.render(
            frame, matrix, eye, (rect.x, rect.y, rect.width, rect.height), matte=True
        ).copy()
    body = np.all(image == np.array(matte_colour(0, head=False), dtype=np.uint8), axis=2)
    pixels_per_m = FOCAL_MM / 27.0 * rect.height / SIDE_M  # at the body's plane
    # Near the seat's front edge, past the hands resting on the thighs: only a thigh is there.
    near_knee = (SEAT_SIZE_M / 2.0 - KNEE_CLEARANCE_M) * front
    right = quat_to_matrix(rotation)[0][:, 0]
    column = round(rect.x + rect.width / 2.0 + float(near_knee @ right) * pixels_per_m)
    rows = np.flatnonzero(body[:, column])
    assert len(rows) > 5, "no thigh over the seat"
    centre_row = (rows.min() + rows.max() + 1) / 2.0
    hips_m = SEAT_TOP_M + (rect.y + rect.height / 2.0 - centre_row) / pixels_per_m
    thigh = BONES[BONE_INDEX["l_thigh"]].radius * track.height_m
    assert hips_m == pytest.approx(SEAT_TOP_M + thigh, abs=HIP_TOLERANCE_M)  # resting on it
    assert hips_m == pytest.approx(KNEE_RATIO * track.height_m, abs=HIP_TOLERANCE_M)
    assert hips_m < HIP_RATIO * track.height_m - 0.3  # far below a standing figure's hips
