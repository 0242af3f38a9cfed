"""The arc of an exchange of lines (direct/exchange.py), as properties of any scene's beats."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from beatcam.direct.exchange import MIN_LINES, exchange_places

beats = st.lists(st.tuples(st.booleans(), st.floats(0.0, 1.0)), max_size=40)


@given(beats)
def test_a_scene_of_enough_lines_turns_once_on_a_line(scene: list[tuple[bool, float]]) -> None:
    spoken = [said for said, _ in scene]
    places = exchange_places(spoken, [weight for _, weight in scene])
    assert len(places) == len(scene)
    assert all(place is None for place, said in zip(places, spoken, strict=True) if not said)
    turns = [index for index, place in enumerate(places) if place is not None and place.turn]
    if sum(spoken) < MIN_LINES:
        assert places == (None,) * len(scene)
    else:
        assert len(turns) == 1 and spoken[turns[0]]
        opening = [place.opens for place in places if place is not None]
        assert opening == [True] + [False] * (len(opening) - 1)


@given(beats)
def test_the_build_rises_to_the_turn_and_eases_after(scene: list[tuple[bool, float]]) -> None:
    places = [
        place
        for place in exchange_places([s for s, _ in scene], [w for _, w in scene])
        if place is not None
    ]
    if not places:
        return
    turn = next(index for index, place in enumerate(places) if place.turn)
    builds = [place.build for place in places]
    assert all(0.0 <= build <= 1.0 for build in builds)
    assert builds[turn] == 1.0
    assert builds[: turn + 1] == sorted(builds[: turn + 1])
    assert builds[turn:] == sorted(builds[turn:], reverse=True)


def test_a_late_line_of_the_same_weight_is_the_turn() -> None:
    """Lines that read alike turn late, where a scene's climax is."""
    places = exchange_places([True] * 6, [0.4] * 6)
    assert [place.turn for place in places if place is not None] == [False] * 5 + [True]
