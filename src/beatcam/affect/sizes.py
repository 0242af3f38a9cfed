"""How close the books frame a beat written like this one: a readout of the sentence vector.

The grammar's size rules read what a beat does (someone walks, a stranger arrives), but how
close a beat is seen also lives in how it is written: forty thousand people on their feet, a
field running to every horizon, a smile that freezes for half a second. A logistic regression
from the sentence vector to the eight sizes, fitted to the tuning split of beatcam's own bench
(``bench/*.yaml``, MIT; each situation's accepted sizes share its weight equally), learns which
directions of the sentence space ask for a wide frame or a close one. It is fitted by
``scripts/build_size_readout.py`` and shipped as plain numbers; the held-out split that
measures the director is never part of it.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from beatcam.affect import embedding, neighbours, readout
from beatcam.errors import StageError
from beatcam.model.vocab import SIZES

READOUT_FILE: Final = "size_readout.npz"
BUILD_SCRIPT: Final = "scripts/build_size_readout.py"
# Chosen by leaving out one of the bench's splits at a time and measuring the readout's own
# size on it (`scripts/build_size_readout.py --validate`, figures in its docstring): a weaker
# penalty than the function readout's, since each situation's target is already a spread.
PENALTY: Final = 1e-4


@dataclass(frozen=True)
class SizeReadout:
    """``weights`` ``(d, len(SIZES))`` and ``bias`` ``(len(SIZES),)`` of the regression."""

    weights: NDArray[np.float32]
    bias: NDArray[np.float32]


def targets(accepted: Sequence[Collection[str]]) -> NDArray[np.float64]:
    """One row per situation: its accepted sizes share 1 equally, the others get 0."""
    rows = np.zeros((len(accepted), len(SIZES)))
    for row, sizes in zip(rows, accepted, strict=True):
        if not sizes or not set(sizes) <= set(SIZES):
            raise ValueError(f"accepted sizes must be some of {SIZES}, not {sorted(sizes)}")
        row[[SIZES.index(size) for size in sizes]] = 1.0 / len(sizes)
    return rows


def fit(
    vectors: NDArray[np.float32], accepted: Sequence[Collection[str]], penalty: float = PENALTY
) -> SizeReadout:
    """The readout fitted to unit vectors ``(n, d)`` and each one's accepted sizes."""
    if len(accepted) != len(vectors) or not len(vectors):
        raise ValueError("fit needs one set of accepted sizes per vector, and at least one")
    return SizeReadout(*readout.fit_softmax(vectors, targets(accepted), penalty))


def beliefs(fitted: SizeReadout, vectors: NDArray[np.float32]) -> NDArray[np.float64]:
    """``(m, len(SIZES))``: how likely the books are to frame each vector's beat at each size."""
    weights = fitted.weights.astype(np.float64)
    logits = vectors.astype(np.float64) @ weights + fitted.bias
    return np.exp(readout.log_softmax(logits))


@functools.cache
def _arrays() -> dict[str, NDArray[np.generic]]:
    with neighbours.data_file(READOUT_FILE).open("rb") as handle, np.load(handle) as npz:
        arrays = {name: np.asarray(npz[name]) for name in npz.files}
    shapes = {
        "weights": (embedding.DIM, len(SIZES)),
        "bias": (len(SIZES),),
        "usual": (len(SIZES),),
        "situations_sha256": (),
    }
    if any(arrays.get(name, np.zeros(1)).shape != shape for name, shape in shapes.items()):
        raise StageError(
            "affect", f"the stored {READOUT_FILE} has no readout for {SIZES}; run {BUILD_SCRIPT}"
        )
    return arrays


def stored() -> SizeReadout:
    """The readout shipped in ``data/size_readout.npz``."""
    arrays = _arrays()
    return SizeReadout(arrays["weights"].astype(np.float32), arrays["bias"].astype(np.float32))


def usual() -> dict[str, float]:
    """The share of each size among the situations the readout learned from (their accepted
    sizes sharing each one's weight): what it would say of words that say nothing about size."""
    return {size: float(share) for size, share in zip(SIZES, _arrays()["usual"], strict=True)}


def provenance() -> dict[str, str]:
    """What the shipped readout was fitted to, as a provenance entry."""
    return {
        "name": "beatcam size readout",
        "version": str(_arrays()["situations_sha256"])[:12],
        "licence": "MIT",
        "source": "a logistic regression from the sentence vector to the sizes the books accept, "
        "fitted to the situations of beatcam's own bench (bench/*.yaml, written for beatcam) "
        f"that are not held out, by {BUILD_SCRIPT}",
    }
