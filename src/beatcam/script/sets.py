"""Set presets named by a scene, or guessed from a screenplay's scene heading."""

from __future__ import annotations

import re

from beatcam.errors import SceneError
from beatcam.model.sets import DEFAULT_PRESET, PRESETS

# Location words per preset, most specific first: "APARTMENT - KITCHEN" is a kitchen, an
# "OFFICE CORRIDOR" a corridor, a "FOREST ROAD" a street.
LOCATION_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("kitchen", frozenset({"kitchen", "kitchenette", "diner", "cafe", "canteen"})),
    ("stairwell", frozenset({"stair", "stairs", "stairwell", "staircase", "stairway"})),
    ("corridor", frozenset({"corridor", "hallway", "hall", "passage", "lobby"})),
    ("office", frozenset({"office", "study", "bureau", "precinct"})),
    ("street", frozenset({"street", "road", "alley", "alleyway", "avenue", "sidewalk", "lane"})),
    (
        "landscape",
        frozenset(
            {
                "field",
                "desert",
                "beach",
                "forest",
                "mountain",
                "mountains",
                "hill",
                "hills",
                "valley",
                "meadow",
                "moor",
                "cliff",
                "cliffs",
                "coast",
                "shore",
                "sea",
                "ocean",
                "lake",
                "river",
                "woods",
                "jungle",
                "prairie",
                "plains",
                "lighthouse",
            }
        ),
    ),
    (
        "interior",
        frozenset(
            {
                "room",
                "apartment",
                "flat",
                "house",
                "bedroom",
                "living",
                "lounge",
                "cabin",
                "bathroom",
                "attic",
                "basement",
                "home",
            }
        ),
    ),
)
_TOKEN = re.compile(r"[a-z]+")


def set_named(word: str, source: str) -> str:
    """The preset ``word`` names (case-insensitive); refuses an unknown one with the list."""
    name = word.strip().lower()
    if name not in PRESETS:
        raise SceneError(
            f"unknown set {word!r}; use one of: {', '.join(PRESETS)}",
            source,
        )
    return name


def guess_set(heading: str) -> str:
    """The preset a scene heading's location words suggest; ``empty`` when none match."""
    tokens = set(_TOKEN.findall(heading.lower()))
    for preset, words in LOCATION_WORDS:
        if tokens & words:
            return preset
    return DEFAULT_PRESET
