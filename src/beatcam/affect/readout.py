"""The narrative function read off the sentence vector by a small fitted model.

A vote of the nearest labelled beats is noisy for function: a beat's neighbours share its
topic ("the letter", "the storm") more often than what it does in the story. A multinomial
logistic regression over the 384 embedding dimensions learns which directions of the sentence
space mark a realisation or a threat, from every labelled beat at once. It is fitted by full-batch
gradient descent from zeros (deterministic, no random start) by ``scripts/build_affect_index.py``
and shipped as plain numbers beside the labelled beats' vectors.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from beatcam.affect import neighbours
from beatcam.errors import StageError
from beatcam.model.vocab import FUNCTIONS

# Chosen by 5-fold cross-validation on the training split of the labelled beats
# (`bench/affect_accuracy.py --tune-readout`): accuracy is flat from 1e-4 to 1e-3 (0.405-0.410)
# and falls beyond (0.302 at 1e-2); 1e-4 has the best log loss (1.960 against 2.167 at 1e-3),
# and the director reads these probabilities as how sure it is.
PENALTY: Final = 1e-4  # L2 on the weights, per example
STEPS: Final = 1500
STEP_SIZE: Final = 2.0


@dataclass(frozen=True)
class FunctionReadout:
    """``weights`` ``(d, len(FUNCTIONS))`` and ``bias`` ``(len(FUNCTIONS),)`` of the regression."""

    weights: NDArray[np.float32]
    bias: NDArray[np.float32]


def _log_softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    shifted = logits - logits.max(axis=1, keepdims=True)
    result: NDArray[np.float64] = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return result


def fit(
    vectors: NDArray[np.float32],
    functions: Sequence[str],
    penalty: float = PENALTY,
    steps: int = STEPS,
) -> FunctionReadout:
    """Fit the regression to unit vectors ``(n, d)`` labelled with one function each."""
    if len(functions) != len(vectors) or not len(vectors):
        raise ValueError("fit needs one function label per vector, and at least one vector")
    x = vectors.astype(np.float64)
    target = np.eye(len(FUNCTIONS))[[FUNCTIONS.index(name) for name in functions]]
    weights = np.zeros((x.shape[1], len(FUNCTIONS)))
    bias = np.zeros(len(FUNCTIONS))
    for _ in range(steps):
        error = np.exp(_log_softmax(x @ weights + bias)) - target
        weights -= STEP_SIZE * (x.T @ error / len(x) + penalty * weights)
        bias -= STEP_SIZE * error.mean(axis=0)
    return FunctionReadout(weights.astype(np.float32), bias.astype(np.float32))


def log_probabilities(
    readout: FunctionReadout, vectors: NDArray[np.float32]
) -> NDArray[np.float64]:
    """``(m, len(FUNCTIONS))`` natural-log probabilities of each function for each vector."""
    logits = vectors.astype(np.float64) @ readout.weights.astype(np.float64) + readout.bias
    return _log_softmax(logits)


@functools.cache
def stored() -> FunctionReadout:
    """The readout fitted to all of beatcam's labelled beats, shipped in the index archive."""
    arrays = neighbours.index_arrays()
    weights, bias = arrays.get("function_weights"), arrays.get("function_bias")
    if weights is None or bias is None or weights.shape[1:] != (len(FUNCTIONS),):
        raise StageError(
            "affect",
            f"the stored {neighbours.INDEX_FILE} has no function readout for "
            f"{len(FUNCTIONS)} functions; run {neighbours.BUILD_SCRIPT}",
        )
    return FunctionReadout(weights, bias)
