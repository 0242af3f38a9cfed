"""The set kit's geometry, for any size and place: walls cover exactly the wall less its
openings, pieces keep their volume when turned, dressing never puts a piece on anyone's mark,
and a free spot is free."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beatcam.direct.blocking import starting_marks
from beatcam.direct.dressing import (
    SITE_RADII_M,
    SITE_SWINGS_DEG,
    _beyond_walls,
    _inside,
    dress,
)
from beatcam.direct.spots import blocked, free_spot
from beatcam.model import Character, SetBox
from beatcam.model.set_kit import PIECES, WALL_THICKNESS_M, door, kind_of, wall, window
from beatcam.model.sets import INTERIORS, PRESETS

COORD = st.floats(-20.0, 20.0, allow_nan=False)


def _volume(boxes: tuple[SetBox, ...]) -> float:
    return float(sum(np.prod(box.size) for box in boxes))


def _overlap(a: SetBox, b: SetBox) -> float:
    """The volume two boxes share."""
    low = np.maximum(
        np.subtract(a.center, np.divide(a.size, 2)), np.subtract(b.center, np.divide(b.size, 2))
    )
    high = np.minimum(
        np.add(a.center, np.divide(a.size, 2)), np.add(b.center, np.divide(b.size, 2))
    )
    return float(np.prod(np.clip(high - low, 0.0, None)))


@st.composite
def walls(draw: st.DrawFn) -> tuple[float, list[tuple[str, float]]]:
    """A wall's length and openings (kind, centre) that fit in it without touching."""
    length = draw(st.floats(1.5, 20.0))
    openings: list[tuple[str, float]] = []
    cursor = 0.0
    for kind in draw(st.lists(st.sampled_from(["door", "window"]), max_size=4)):
        gap = draw(st.floats(0.05, 2.0))
        if cursor + gap + 1.2 > length:
            break
        openings.append((kind, cursor + gap + 0.6))
        cursor += gap + 1.2
    return length, openings


@given(walls(), COORD, COORD, st.booleans())
def test_a_wall_covers_exactly_the_wall_less_its_openings(
    shape: tuple[float, list[tuple[str, float]]], x: float, z: float, along_x: bool
) -> None:
    length, holes = shape
    openings = [door(at) if kind == "door" else window(at) for kind, at in holes]
    end = (x + length, z) if along_x else (x, z + length)
    boxes = wall("wall_test", (x, z), end, openings)
    height = 2.8
    cut = sum(o.width_m * (o.head_m - o.sill_m) for o in openings)
    assert np.isclose(_volume(boxes), (length * height - cut) * WALL_THICKNESS_M)
    assert all(_overlap(a, b) < 1e-9 for a, b in itertools.combinations(boxes, 2))
    for opening in openings:  # a point in the middle of each opening is in no box
        middle = (opening.sill_m + opening.head_m) / 2
        along = opening.centre_m
        point = np.array([x + along, middle, z] if along_x else [x, middle, z + along])
        assert not any(
            np.all(np.abs(point - np.array(box.center)) < np.array(box.size) / 2) for box in boxes
        )


@given(st.sampled_from(sorted(PIECES)), COORD, COORD, st.integers(0, 3))
def test_a_piece_keeps_its_shape_turned_and_names_its_kind(
    kind: str, x: float, z: float, turns: int
) -> None:
    built, turned = PIECES[kind](x, z, 0), PIECES[kind](x, z, turns)
    assert np.isclose(_volume(built), _volume(turned))
    assert all(min(box.size) > 0 and kind_of(box) == kind for box in turned)
    assert all(box.center[1] - box.size[1] / 2 >= -1e-9 for box in turned)  # on the ground


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(sorted(PRESETS)),
    st.lists(st.sampled_from(sorted(PIECES)), min_size=1, max_size=4, unique=True),
    st.integers(1, 4),
)
def test_dressing_never_puts_a_piece_on_a_mark_or_another_piece(
    preset: str, kinds: list[str], people: int
) -> None:
    dressed = dress(PRESETS[preset], [f"the {kind}" for kind in kinds])
    added = dressed.boxes[len(PRESETS[preset].boxes) :]
    assert all(_overlap(a, b) < 1e-9 for a in added for b in PRESETS[preset].boxes)
    cast = [Character(f"P{i}") for i in range(people)]
    marks = starting_marks(cast, dressed)
    points = np.array([[mark.x, mark.z] for mark in marks.values()])
    for index, point in enumerate(points):
        others = np.delete(points, index, axis=0)
        assert not blocked(point[None], dressed.boxes, others)[0]


@given(
    st.lists(
        st.tuples(COORD, COORD, st.floats(0.1, 4.0), st.floats(0.1, 4.0)), min_size=1, max_size=5
    ),
    COORD,
    COORD,
)
def test_a_free_spot_is_free(
    rectangles: list[tuple[float, float, float, float]], x: float, z: float
) -> None:
    boxes = [
        SetBox(f"box_{i}", (cx, 0.5, cz), (w, 1.0, d))
        for i, (cx, cz, w, d) in enumerate(rectangles)
    ]
    spot = free_spot(np.array([x, z]), boxes, np.zeros((0, 2)))
    assert not blocked(spot[None], boxes, np.zeros((0, 2)))[0]


@pytest.mark.parametrize("preset_name", sorted(INTERIORS))
@pytest.mark.parametrize("kind", sorted(PIECES))
def test_the_site_search_stops_only_where_no_further_site_lies_inside_the_walls(
    preset_name: str, kind: str
) -> None:
    """``site`` stops at the radius ``_beyond_walls`` gives, which only skips sites that
    ``_inside`` refuses, at every swing, so the site found (or none) is the whole search's."""
    build = PIECES[kind]
    walls = [box for box in PRESETS[preset_name].boxes if kind_of(box) == "wall"]
    outside = _beyond_walls(walls, build)
    for radius in SITE_RADII_M[outside < SITE_RADII_M]:
        for swing in SITE_SWINGS_DEG:
            heading = np.deg2rad(180.0 + swing)
            for turns in range(4):
                piece = build(
                    float(radius * np.sin(heading)), float(radius * np.cos(heading)), turns
                )
                assert not _inside(piece, walls)
