"""Property tests of model/geometry's shared helpers against brute-force computations here."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beatcam.model.geometry import (
    BODY_RADIUS_M,
    floor_direction,
    heading_deg,
    side_of_line,
    sight_blocked,
    sight_blocked_by_bodies,
    wrap_deg,
)

coordinate = st.floats(-4.0, 4.0, allow_nan=False)
height = st.floats(0.0, 2.5, allow_nan=False)


def _sampled(eye: np.ndarray, target: np.ndarray, foot: np.ndarray, top: float) -> bool:
    """Walk the segment in 20,000 steps and ask whether any point is inside the cylinder."""
    t = np.linspace(0.0, 1.0, 20_001)[1:-1, None]
    points = eye + t * (target - eye)
    flat = np.hypot(points[:, 0] - foot[0], points[:, 2] - foot[2])
    inside = (flat < BODY_RADIUS_M) & (points[:, 1] >= foot[1]) & (points[:, 1] <= top)
    return bool(inside.any())


@settings(max_examples=300, deadline=None)
@given(
    eye=st.tuples(coordinate, height, coordinate),
    target=st.tuples(coordinate, height, coordinate),
    foot=st.tuples(coordinate, coordinate),
    top=st.floats(0.8, 2.0),
)
def test_a_body_blocks_exactly_the_segments_that_pass_through_it(
    eye: tuple[float, float, float],
    target: tuple[float, float, float],
    foot: tuple[float, float],
    top: float,
) -> None:
    start, end = np.array(eye), np.array(target)
    feet = np.array([[[foot[0], 0.0, foot[1]]]])
    if np.hypot(start[0] - foot[0], start[2] - foot[1]) < BODY_RADIUS_M + 1e-3:
        return  # an eye inside a body is a clearance fault, not counted as a view one
    brute = _sampled(start, end, feet[0, 0], top)
    found = bool(sight_blocked_by_bodies(start[None], end[None], feet, np.array([[top]]))[0])
    # Grazing segments (within a millimetre of the surface) may go either way.
    t = np.linspace(0.0, 1.0, 2001)[:, None]
    points = start + t * (end - start)
    flat = np.hypot(points[:, 0] - foot[0], points[:, 2] - foot[1])
    grazing = np.any(np.abs(flat - BODY_RADIUS_M) < 2e-3) or np.any(
        (flat < BODY_RADIUS_M) & (np.abs(points[:, 1] - top) < 2e-3)
    )
    if not grazing:
        assert found is brute


@given(angle=st.floats(-1e4, 1e4, allow_nan=False))
def test_wrapped_angles_are_the_same_direction_in_half_open_range(angle: float) -> None:
    wrapped = wrap_deg(angle)
    assert -180.0 <= wrapped < 180.0
    assert np.isclose(np.cos(np.deg2rad(wrapped)), np.cos(np.deg2rad(angle)), atol=1e-9)
    assert np.isclose(np.sin(np.deg2rad(wrapped)), np.sin(np.deg2rad(angle)), atol=1e-9)


def test_a_box_in_front_of_the_subject_walls_off_the_frame() -> None:
    """A level camera at the origin looking down -Z on 35 mm (36 x 20.25 mm sensor), subject 5 m
    away. A 1 m wide box 1-2 m ahead fills the middle: a ray at image x reaches |x| * 18/35 m
    sideways at 1 m, inside the box's 0.5 m for every grid column (|x| <= 0.6). The same box
    beyond the subject, or 3 m to the side, walls off nothing."""
    from beatcam.model.geometry import walled_share

    frames = 2
    position, matrices = np.zeros((frames, 3)), np.tile(np.eye(3), (frames, 1, 1))
    focal, depth = np.full(frames, 35.0), np.full(frames, 5.0)

    def share(low: list[float], high: list[float]) -> float:
        walled = walled_share(
            position, matrices, focal, (36.0, 20.25), depth, np.array([low]), np.array([high])
        )
        return float(walled[0])

    assert share([-0.5, -1.0, -2.0], [0.5, 1.0, -1.0]) == 1.0
    assert share([-0.5, -1.0, -7.0], [0.5, 1.0, -6.0]) == 0.0
    assert share([3.0, -1.0, -2.0], [4.0, 1.0, -1.0]) == 0.0
    # A box from 0.5 m to the right at 1-2 m holds the grid's column at x = 0.6 (0.31 m at 1 m,
    # 0.62 m at 2 m) but not the one at x = 0.3 (at most 0.31 m): one of five in each row.
    assert share([0.5, -1.0, -2.0], [3.0, 1.0, -1.0]) == pytest.approx(1 / 5)


@settings(max_examples=60, deadline=None)
@given(
    holds=st.lists(st.integers(1, 6), min_size=1, max_size=5),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_camera_held_still_walls_off_what_each_of_its_frames_would(
    holds: list[int], seed: int
) -> None:
    """walled_share works a held camera's rays out once per hold: the shares are the bits of
    asking frame by frame, while the subject's depth changes under the held camera."""
    from beatcam.model.geometry import held_frames, walled_share

    rng = np.random.default_rng(seed)
    position = np.concatenate([np.tile(rng.normal(0.0, 2.0, 3), (count, 1)) for count in holds])
    turns = np.concatenate([np.full(count, rng.uniform(-np.pi, np.pi)) for count in holds])
    cos, sin, zero, one = np.cos(turns), np.sin(turns), np.zeros_like(turns), np.ones_like(turns)
    rows = ((cos, zero, sin), (zero, one, zero), (-sin, zero, cos))
    matrices = np.stack([np.stack(row, axis=-1) for row in rows], axis=1)  # turned about +Y
    focal = np.full(len(turns), 24.0)
    depth = rng.uniform(0.5, 6.0, len(turns))
    centers, halves = rng.normal(0.0, 2.0, (6, 3)), rng.uniform(0.2, 1.5, (6, 3))
    low, high = centers - halves, centers + halves
    together = walled_share(position, matrices, focal, (36.0, 20.25), depth, low, high)
    alone = [
        walled_share(position[[n]], matrices[[n]], focal[[n]], (36.0, 20.25), depth[[n]], low, high)
        for n in range(len(turns))
    ]
    assert together.tobytes() == np.concatenate(alone).tobytes()
    kept, run = held_frames(position, matrices, focal)
    assert kept.tolist() == np.cumsum([0, *holds[:-1]]).tolist()  # each hold worked out once
    assert run.tolist() == [hold for hold, count in enumerate(holds) for _ in range(count)]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 6), min_size=1, max_size=12),
    st.sampled_from([1, 3, 9, 10, 20]),
    st.integers(0, 2**31 - 1),
)
def test_held_frames_are_the_frames_whose_bits_change_however_wide_the_rows(
    holds: list[int], width: int, seed: int
) -> None:
    """Narrow rows are compared column by column, wide ones at once: both find the frames
    whose bits differ from the frame before, as a plain frame-by-frame comparison does (a NaN
    held is held; 0.0 after -0.0 is a change)."""
    from beatcam.model.geometry import held_frames

    rng = np.random.default_rng(seed)
    values = rng.choice([0.0, -0.0, 1.5, np.nan], size=(len(holds), width))
    rows = np.repeat(values, holds, axis=0)
    as_bytes = [row.tobytes() for row in rows]
    changes = [0] + [n for n in range(1, len(rows)) if as_bytes[n] != as_bytes[n - 1]]
    kept, run = held_frames(rows)
    assert kept.tolist() == changes
    assert rows[kept][run].tobytes() == rows.tobytes()


@given(st.floats(-179.0, 179.0), st.floats(0.1, 10.0), height)
def test_a_heading_is_the_facing_whose_direction_it_is(
    degrees: float, reach: float, y: float
) -> None:
    """heading_deg inverts floor_direction (0 = +Z, counter-clockwise seen from above), in any
    leading shape, whatever the height."""
    x, z = floor_direction(degrees) * reach
    assert abs(float(heading_deg(np.array([x, y, z]))) - degrees) < 1e-9
    many = np.tile([x, y, z], (2, 3, 1))
    assert heading_deg(many).shape == (2, 3)
    assert heading_deg(np.array([1.0, 0.0, 0.0])) == 90.0  # +X is a quarter turn left of +Z


@given(coordinate, coordinate)
def test_the_side_of_the_line_is_a_signed_distance(x: float, z: float) -> None:
    """The line of action from (0, 0) to (0, 2) along +Z: +X is its left seen from above (a
    quarter turn counter-clockwise from +Z), where the distance is negative; |x| away."""
    side = side_of_line(np.array([x, z]), np.array([0.0, 0.0]), np.array([0.0, 2.0]))
    assert abs(side + x) < 1e-12


def _every_pair_slab_test(
    eyes: np.ndarray, targets: np.ndarray, lows: np.ndarray, highs: np.ndarray
) -> np.ndarray:
    """The slab test of every segment against every box, as written before boxes apart from a
    segment were skipped."""
    ray = (targets - eyes)[:, None, :]
    start = eyes[:, None, :]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        near = (lows[None] - start) / ray
        far = (highs[None] - start) / ray
    entry, exit_ = np.minimum(near, far), np.maximum(near, far)
    lower = np.fmax(np.fmax(entry[..., 0], entry[..., 1]), entry[..., 2])
    upper = np.fmin(np.fmin(exit_[..., 0], exit_[..., 1]), exit_[..., 2])
    enter, leave = np.nan_to_num(lower, nan=-np.inf), np.nan_to_num(upper, nan=np.inf)
    return np.asarray(((enter <= leave) & (enter > 0.0) & (enter < 1.0)).any(axis=1))


# Coordinates on a coarse grid as often as not, so that ends lie on box faces, segments run
# along a face or parallel to an axis, and boxes are flat: the cases where skipping a box apart
# from a segment could disagree with testing it.
grid_or_any = st.sampled_from([-1.0, 0.0, 0.5, 1.0, 2.0]) | st.floats(-3.0, 3.0)
corner = st.tuples(grid_or_any, grid_or_any, grid_or_any)
# A segment's end may also be NaN (a set's boxes are finite).
end = st.tuples(*(grid_or_any | st.just(np.nan),) * 3)


@settings(max_examples=300, deadline=None)
@given(
    segments=st.lists(st.tuples(end, end), min_size=1, max_size=8),
    boxes=st.lists(st.tuples(corner, corner), max_size=5),
)
def test_sight_blocked_is_the_slab_test_of_every_pair(
    segments: list[tuple[tuple[float, ...], tuple[float, ...]]],
    boxes: list[tuple[tuple[float, ...], tuple[float, ...]]],
) -> None:
    eyes = np.array([eye for eye, _ in segments])
    targets = np.array([target for _, target in segments])
    corners = np.array(boxes).reshape(-1, 2, 3)
    lows, highs = corners.min(axis=1), corners.max(axis=1)
    expected = _every_pair_slab_test(eyes, targets, lows, highs)
    assert np.array_equal(sight_blocked(eyes, targets, lows, highs), expected)


def _every_box_walled_share(
    positions: np.ndarray,
    matrices: np.ndarray,
    focal: np.ndarray,
    depth: np.ndarray,
    lows: np.ndarray,
    highs: np.ndarray,
) -> np.ndarray:
    """walled_share as written before boxes apart from a camera's rays were skipped: every
    frame's rays against every box."""
    from beatcam.model.geometry import WALL_GRID, WALL_NEARER

    sensor = (36.0, 20.25)
    local = np.stack(
        [
            WALL_GRID[:, 0][None] * (sensor[0] / 2.0) / focal[:, None],
            WALL_GRID[:, 1][None] * (sensor[1] / 2.0) / focal[:, None],
            -np.ones((len(focal), len(WALL_GRID))),
        ],
        axis=-1,
    )
    rays = np.einsum("nij,nkj->nki", matrices, local)[:, :, None, :]
    start = positions[:, None, None, :]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        near = (lows[None, None] - start) / rays
        far = (highs[None, None] - start) / rays
    entry, exit_ = np.minimum(near, far), np.maximum(near, far)
    lower = np.fmax(np.fmax(entry[..., 0], entry[..., 1]), entry[..., 2])
    upper = np.fmin(np.fmin(exit_[..., 0], exit_[..., 1]), exit_[..., 2])
    lower, upper = np.nan_to_num(lower, nan=-np.inf), np.nan_to_num(upper, nan=np.inf)
    crossing = np.where((lower <= upper) & (upper > 0.0), np.maximum(lower, 0.0), np.inf)
    return np.asarray((crossing.min(axis=2) < WALL_NEARER * depth[:, None]).mean(axis=1))


# Cameras turned a quarter at a time as often as not, so that rays run exactly along an axis
# (steps of +0.0 and -0.0), where skipping a box apart from the rays could go wrong.
quarter_turns = st.sampled_from(
    [np.eye(3), np.eye(3)[[2, 0, 1]], -np.eye(3), np.diag([1.0, -1.0, -1.0])]
)


@settings(max_examples=300, deadline=None)
@given(
    holds=st.lists(st.integers(1, 4), min_size=1, max_size=5),
    turned=st.lists(quarter_turns | st.just(None), min_size=5, max_size=5),
    depths=st.lists(
        st.floats(-1.0, 8.0) | st.sampled_from([np.nan, np.inf, 0.0]), min_size=20, max_size=20
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_walled_share_is_every_box_against_every_ray(
    holds: list[int], turned: list[np.ndarray | None], depths: list[float], seed: int
) -> None:
    """Skipping the boxes apart from a camera's rays gives the shares of testing every box."""
    from beatcam.model.geometry import walled_share

    rng = np.random.default_rng(seed)
    frames = sum(holds)
    cameras = []
    for hold, turn in zip(holds, turned, strict=False):
        q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
        matrix = q if turn is None else turn
        cameras += [(np.round(rng.normal(0.0, 2.0, 3) * 2.0) / 2.0, matrix)] * hold
    positions = np.array([position for position, _ in cameras])
    matrices = np.array([matrix for _, matrix in cameras])
    focal = np.full(frames, 24.0)
    depth = np.array(depths[:frames])
    corners = np.round(rng.normal(0.0, 3.0, (12, 2, 3)) * 2.0) / 2.0
    lows, highs = corners.min(axis=1), corners.max(axis=1)
    expected = _every_box_walled_share(positions, matrices, focal, depth, lows, highs)
    found = walled_share(positions, matrices, focal, (36.0, 20.25), depth, lows, highs)
    assert found.tobytes() == expected.tobytes()
