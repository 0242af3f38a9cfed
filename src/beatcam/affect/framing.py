"""How the books frame a beat written like this one: readouts of the sentence vector.

The grammar's rules read what a beat does (someone walks, a stranger arrives, one stands over
another), but how close and from where a beat is seen also lives in how it is written: forty
thousand people on their feet, a field running to every horizon, a smile that freezes for half
a second, a figure dwarfed by the hall around it, a name heard through a grille, two people
doing one thing side by side. For each framing field (size, angle, movement, framing) a
logistic regression from the sentence vector to the field's values, fitted to the tuning split
of beatcam's own bench (``bench/*.yaml``, MIT; framing from the situations whose books say how
they are framed), learns which
directions of the sentence space ask for a wide frame or a close one, a look down or up, a move
in or a still camera, one person in the frame or two; and, beside the vector, which of the
beat's words do (``bag.py``: "tails", "sprints", "circle"). They are fitted by
``scripts/build_framing_readout.py`` and shipped as plain numbers; the held-out split that
measures the director is never part of them.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from beatcam.affect import bag, embedding, neighbours, readout
from beatcam.errors import StageError
from beatcam.model.vocab import ANGLES, FRAMINGS, MOVEMENTS, SIZES, moves_where

READOUT_FILE: Final = "framing_readout.npz"
BUILD_SCRIPT: Final = "scripts/build_framing_readout.py"
# The fields read, with their values in the order the arrays hold them.
FIELDS: Final[Mapping[str, tuple[str, ...]]] = {
    "size": SIZES,
    "angle": ANGLES,
    "movement": MOVEMENTS,
    "framing": FRAMINGS,
}
# Each regression is solved to its optimum at this penalty, its only regulariser: chosen by
# 5-fold cross-validation over the bench's files, the lowest log loss of 3e-4, 1e-4 and 3e-5
# for every field but movement (level with 3e-5), and the readout's own first value more often
# accepted where the books reject the neutral value than by 1,500 steps of gradient descent
# (`scripts/build_framing_readout.py --validate`, figures in its docstring).
PENALTY: Final = 1e-4
# A situation's books often accept several values (push in or zoom in; crane up or pull out).
# The movement's readout learns the probability that the books accept the beat framed at any
# of them, the set as a whole; the others learn each accepted value at an equal share. Chosen by
# the same 5-fold cross-validation (the readout's first value accepted, marked / unmarked,
# share -> set, before ``ONE_CLASS``): movement .473 / .912 -> .505 / .911, angle .500 / .971
# -> .525 / .977, size .619 / .888 -> .525 / .926, framing .588 / .921 -> .574 / .930; and by
# the director itself, reading its beats with readouts fitted out of fold
# (scripts/fit_classical.py's staging, marked / unmarked over the 5,997 tuning situations): a
# movement read as a set took movement .566 / .821 -> .589 / .823, every other field within
# .004, where angle read as a set too traded marked angles for plain ones (.706 / .912 -> .671
# / .937). With ``ONE_CLASS`` the movement readout's first value reads .482 / .920 (a class's
# two values halve its belief) and the log loss of the accepted set falls .944 (shares) ->
# .862 -> .846; the director, at its movement gain (``direct/grammar.READOUT_GAIN``), .576 /
# .826.
SET_LIKELIHOOD: Final = frozenset({"movement"})


@dataclass(frozen=True)
class FieldReadout:
    """``weights`` ``(d + terms, values)`` and ``bias`` ``(values,)`` of one field's
    regression from a unit vector and its beat's bag over ``terms`` (``bag.features``)."""

    weights: NDArray[np.float32]
    bias: NDArray[np.float32]
    terms: tuple[str, ...]


def targets(field: str, accepted: Sequence[Collection[str]]) -> NDArray[np.float64]:
    """One row per situation: its accepted values of ``field`` share 1 equally."""
    values = FIELDS[field]
    rows = np.zeros((len(accepted), len(values)))
    for row, chosen in zip(rows, accepted, strict=True):
        if not chosen or not set(chosen) <= set(values):
            raise ValueError(f"accepted {field}s must be some of {values}, not {sorted(chosen)}")
        row[[values.index(value) for value in chosen]] = 1.0 / len(chosen)
    return rows


# The values a readout does not tell apart, each with the class it reads instead. Which way a
# pan, truck or arc goes is the blocking's to say (where the subject walks or looks:
# ``direct._sideways``), never the words' (a beat written camera-free names no screen
# direction); which way a dolly zoom goes is the style's (classical draws in, thriller throws
# the background away: ``direct/data/style_devices.yaml``), and the books name both ways at once
# (241 of the 300 tuning situations that accept a dolly zoom accept both).
ONE_CLASS: Final = {
    **{move: move.rsplit("_", 1)[0] for move in moves_where(sideways=True)},
    "dolly_zoom_in": "dolly_zoom",
    "dolly_zoom_out": "dolly_zoom",
}


def classes(field: str) -> NDArray[np.int_]:
    """Each of ``field``'s values' class as its readout tells them apart (``ONE_CLASS``)."""
    kinds = [ONE_CLASS.get(value, value) for value in FIELDS[field]]
    order = {kind: index for index, kind in enumerate(dict.fromkeys(kinds))}
    return np.array([order[kind] for kind in kinds])


def fit(
    field: str,
    vectors: NDArray[np.float32],
    texts: Sequence[str],
    accepted: Sequence[Collection[str]],
    penalty: float = PENALTY,
) -> FieldReadout:
    """``field``'s readout fitted to beats (their texts and unit vectors ``(n, d)``) and each
    one's accepted values."""
    if len(accepted) != len(vectors) or not len(vectors):
        raise ValueError("fit needs one set of accepted values per vector, and at least one")
    terms = bag.vocabulary(texts)
    features = bag.features(vectors, texts, terms)
    of_value = classes(field)
    merged = np.zeros((len(accepted), of_value.max() + 1))
    np.add.at(merged.T, of_value, targets(field, accepted).T)
    of_set = field in SET_LIKELIHOOD
    weights, bias = readout.optimum_softmax(
        features, (merged > 0).astype(np.float64) if of_set else merged, penalty, of_set
    )
    # A class's values share its probability equally: its logit, less the log of their number.
    class_size = np.bincount(of_value)[of_value]
    return FieldReadout(
        weights[:, of_value], (bias[of_value] - np.log(class_size)).astype(np.float32), terms
    )


def beliefs(
    fitted: FieldReadout, vectors: NDArray[np.float32], texts: Sequence[str]
) -> NDArray[np.float64]:
    """``(m, values)``: how likely the books are to frame each beat (its text and unit vector)
    at each value."""
    weights = fitted.weights.astype(np.float64)
    features = bag.features(vectors, texts, fitted.terms).astype(np.float64)
    return np.exp(readout.log_softmax(features @ weights + fitted.bias))


@functools.cache
def _arrays() -> dict[str, NDArray[np.generic]]:
    with neighbours.data_file(READOUT_FILE).open("rb") as handle, np.load(handle) as npz:
        arrays = {name: np.asarray(npz[name]) for name in npz.files}
    shapes: dict[str, tuple[int, ...]] = {"situations_sha256": ()}
    for field, values in FIELDS.items():
        terms = len(arrays.get(f"{field}_terms", ()))
        shapes |= {
            f"{field}_weights": (embedding.DIM + terms, len(values)),
            f"{field}_terms": (terms,),
            f"{field}_bias": (len(values),),
            f"{field}_usual": (len(values),),
        }
    if any(arrays.get(name, np.zeros(1)).shape != shape for name, shape in shapes.items()):
        raise StageError(
            "affect",
            f"the stored {READOUT_FILE} has no readout for {sorted(FIELDS)}; run {BUILD_SCRIPT}",
        )
    return arrays


def stored(field: str) -> FieldReadout:
    """``field``'s readout as shipped in ``data/framing_readout.npz``."""
    arrays = _arrays()
    return FieldReadout(
        arrays[f"{field}_weights"].astype(np.float32),
        arrays[f"{field}_bias"].astype(np.float32),
        tuple(str(term) for term in arrays[f"{field}_terms"]),
    )


def usual() -> dict[str, dict[str, float]]:
    """Per field, each value's mean belief over the situations the readouts learned from: what
    a readout would say of words that say nothing about framing."""
    arrays = _arrays()
    return {
        field: {v: float(s) for v, s in zip(values, arrays[f"{field}_usual"], strict=True)}
        for field, values in FIELDS.items()
    }


def provenance() -> dict[str, str]:
    """What the shipped readouts were fitted to, as a provenance entry."""
    return {
        "name": "beatcam framing readout",
        "version": str(_arrays()["situations_sha256"])[:12],
        "licence": "MIT",
        "source": "logistic regressions from the sentence vector and the beat's words to the "
        "sizes, angles and movements the books accept, fitted to the situations of beatcam's "
        f"own bench (bench/*.yaml, written for beatcam) that are not held out, by {BUILD_SCRIPT}",
    }
