"""The words of a beat beside its sentence vector, for the readouts that learn from the bench.

The sentence vector carries what a beat is about and its mood, but it blurs the very words a
director reads first: "tails", "realises", "without help". The intent and framing readouts
(``readout.py``, ``framing.py``) therefore also see a bag of the beat's stems and of each pair
of neighbouring stems, over a vocabulary chosen when they are fitted: the ``BAG_TERMS`` terms
that most of the fitting beats use, each in at least ``MIN_BEATS`` of them. The bag is scaled to
length ``BAG_SCALE`` beside the unit sentence vector.

Measured 2026-12-06 with the director in the loop (classical, its fitted weights, no camera):
the readouts fitted without five bench files (blind16 to blind20, 750 situations), then those
files' situations directed, agreement with the books on marked / unmarked situations:

    bag scale   size        angle       movement    framing
    none        .565/.791   .458/.920   .370/.809   .533/.818
    0.5         .607/.785   .533/.913   .387/.807   .533/.818
    1.0         .600/.786   .559/.915   .412/.798   .533/.826
    1.5         .606/.790   .556/.899   .453/.793   .535/.836
    2.0         .603/.781   .552/.892   .464/.796   .513/.836

1.0 is shipped. 1.5 and 2 buy more marked movement on these files, but the words then outvote
what the beat's staging says (eyes that travel along a wall were trucked with, not panned:
``tests/test_director_rules.py``) and cost more of the plain angles; 2 costs the framing too.
3,000 terms instead of 1,500 changed nothing by more than .005 (at 0.5). The intent readout
alone, left out one file at a time: ``scripts/build_affect_index.py --validate``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Final

import numpy as np
from numpy.typing import NDArray

from beatcam.affect.words import tokenize

BAG_TERMS: Final = 1500
MIN_BEATS: Final = 2
# The bag's length beside a unit sentence vector (the figures above).
BAG_SCALE: Final = 1.0
PAIR: Final = "_"  # joins two neighbouring stems into one term: "look_up"
# A plan reads each beat's terms once per readout (the intent's and four framing ones): kept
# for the beats of the longest scene the benches plan (2,000) and more.
TERMS_CACHE_SIZE: Final = 8192


@lru_cache(maxsize=TERMS_CACHE_SIZE)
def terms(text: str) -> frozenset[str]:
    """The stems of a beat's words and of each two words in a row within a clause."""
    found: set[str] = set()
    previous: str | None = None
    for token in tokenize(text):
        if token.boundary:
            previous = None
            continue
        found.add(token.stem)
        if previous is not None:
            found.add(previous + PAIR + token.stem)
        previous = token.stem
    return frozenset(found)


def vocabulary(texts: Iterable[str]) -> tuple[str, ...]:
    """The ``BAG_TERMS`` terms used by most of ``texts`` (ties in alphabetical order), each
    used by at least ``MIN_BEATS`` of them: the terms a readout fitted to them can weigh."""
    used = Counter(term for text in texts for term in terms(text))
    ranked = sorted((term for term, beats in used.items() if beats >= MIN_BEATS),
                    key=lambda term: (-used[term], term))  # fmt: skip
    return tuple(ranked[:BAG_TERMS])


def features(
    vectors: NDArray[np.float32], texts: Sequence[str], known: Sequence[str]
) -> NDArray[np.float32]:
    """``(n, d + len(known))``: each unit sentence vector, then its beat's bag over the
    ``known`` terms (1 for each term the beat uses), scaled to length ``BAG_SCALE``."""
    if len(vectors) != len(texts):
        raise ValueError("features need one text per sentence vector")
    column = {term: index for index, term in enumerate(known)}
    bag = np.zeros((len(texts), len(known)), dtype=np.float32)
    for row, text in enumerate(texts):
        bag[row, [column[term] for term in terms(text) if term in column]] = 1.0
    lengths = np.linalg.norm(bag, axis=1, keepdims=True)
    bag *= np.float32(BAG_SCALE) / np.maximum(lengths, np.float32(1.0))
    return np.hstack([vectors.astype(np.float32), bag])
