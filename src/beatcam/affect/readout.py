"""What a beat's sentence vector says about its feeling and function: a small fitted readout.

A vote of the nearest labelled beats is noisy: a beat's neighbours share its topic ("the
letter", "the storm") more often than its feeling or what it does in the story. Linear maps
fitted to every labelled beat at once learn which directions of the sentence space carry
dominance, fear or a realisation: ridge regression for the numbers and emotion weights, a
multinomial logistic regression for the function and the intent. All are fitted
deterministically (a linear solve; full-batch gradient descent, or for the intent L-BFGS to
the optimum, from zeros, as ``framing.py``'s readouts are) by
``scripts/build_affect_index.py`` and shipped as plain numbers beside the labelled beats' vectors.
The intent's regression also learns from the beats of beatcam's own bench whose writers named the
intent they meant (``WrittenIntents``): other hands than the labelled beats', the way a user
writes. It reads the beat's words beside its vector (``bag.py``): a realisation or a pursuit is
often one verb the vector blurs.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from beatcam.affect import bag, embedding, neighbours
from beatcam.affect.neighbours import INTENT_LABELS, LabelledBeat
from beatcam.errors import StageError
from beatcam.model.vocab import EMOTIONS, FUNCTIONS

# Chosen by 5-fold cross-validation on the training split of the labelled beats
# (`bench/affect_accuracy.py --tune-readout`, figures there): function accuracy is flat from 1e-4
# to 1e-3 and 1e-4 has the best log loss, which matters because the director reads these
# probabilities as how sure it is; the ridge penalty 1 has the lowest mean absolute error.
PENALTY: Final = 1e-4  # logistic regression: L2 on the weights, per example
# The intent's regression is solved to its optimum (L-BFGS), its penalty alone the regulariser:
# 1,500 steps of gradient descent had stopped it short. Chosen by 5-fold cross-validation over
# the bench's files (each file's written intents read by a fit to the other folds' and all the
# labelled beats), accuracy / accuracy on the charged intents / log loss:
#     descent, 1,500 steps, 1e-4   .659 / .574 / 1.235   (the shipped fit until 2026-12-07)
#     descent, 3,000 steps, 1e-4   .666 / .586 / 1.167
#     optimum, 1e-3                .614 / .504 / 1.600
#     optimum, 3e-4                .660 / .573 / 1.281
#     optimum, 1e-4                .672 / .593 / 1.131
#     optimum, 3e-5                .670 / .595 / 1.101
#     optimum, 1e-5                .662 / .589 / 1.186
# 1e-4 reads the bench's beats best; 3e-5, with the lowest log loss on them, was surer than it
# should be of the short lines of a screenplay, which no fold holds ("Is just burp, Dragon."
# read shock at .58 and was shot handheld: tests/test_screenplay_direction.py).
INTENT_PENALTY: Final = 1e-4
MAX_SOLVER_STEPS: Final = 2000  # L-BFGS stops well before (about 100 steps at 1e-4)
RIDGE: Final = 1.0  # ridge regression: L2 on the weights
STEPS: Final = 1500
STEP_SIZE: Final = 2.0
NUMBERS: Final = ("valence", "arousal", "dominance", "intensity")
LOWEST: Final = np.array([-1.0, -1.0, -1.0] + [0.0] * (1 + len(EMOTIONS)))


@dataclass(frozen=True)
class Readout:
    """``function_weights`` ``(d, F)`` and ``function_bias`` ``(F,)`` of the regression over
    FUNCTIONS; ``value_weights`` ``(d + 1, 4 + 8)`` maps a vector with a trailing 1 to the
    four numbers, then the eight emotions; ``intent_weights`` ``(d + terms, I)`` and
    ``intent_bias`` ``(I,)`` are the regression over the intent labels (the intents, then
    none) of a vector and its beat's bag over the ``intent_terms`` (``bag.features``)."""

    function_weights: NDArray[np.float32]
    function_bias: NDArray[np.float32]
    value_weights: NDArray[np.float32]
    intent_weights: NDArray[np.float32]
    intent_bias: NDArray[np.float32]
    intent_terms: tuple[str, ...]


@dataclass(frozen=True)
class WrittenIntents:
    """Beats with the intent label their writer meant, one each, and their unit vectors
    ``(n, d)``: examples for the intent regression only (they carry no function, numbers or
    emotions)."""

    texts: tuple[str, ...]
    vectors: NDArray[np.float32]
    intents: tuple[str, ...]


def written_digest(labels: Sequence[tuple[str, str]]) -> str:
    """SHA-256 of written (beat, intent) pairs in order: what the shipped intent regression
    learnt from besides the labelled beats, so a test can tell a stale one."""
    return neighbours.lines_digest(f"{text}\t{intent}" for text, intent in labels)


@dataclass(frozen=True)
class SentenceReading:
    """One beat as its sentence vector reads: numbers, emotion weights, function odds."""

    valence: float
    arousal: float
    dominance: float
    intensity: float
    emotions: Mapping[str, float]  # all eight keys
    log_probabilities: tuple[float, ...]  # one per FUNCTIONS, natural log
    intent_log_probabilities: tuple[float, ...]  # one per INTENT_LABELS, natural log


def log_softmax(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise natural-log softmax, shifted by each row's largest logit so nothing overflows."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    result: NDArray[np.float64] = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return result


def _with_bias(vectors: NDArray[np.float32]) -> NDArray[np.float64]:
    return np.hstack([vectors.astype(np.float64), np.ones((len(vectors), 1))])


def fit_function(
    vectors: NDArray[np.float32],
    labels: Sequence[str],
    penalty: float = PENALTY,
    steps: int = STEPS,
    classes: Sequence[str] = FUNCTIONS,
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Weights and bias of the logistic regression of one label of ``classes`` (the functions
    unless told) per unit vector."""
    if len(labels) != len(vectors) or not len(vectors):
        raise ValueError("fit needs one label per vector, and at least one vector")
    return fit_softmax(vectors, _one_hot(labels, classes), penalty, steps)


def _one_hot(labels: Sequence[str], classes: Sequence[str]) -> NDArray[np.float64]:
    """``(n, len(classes))``: a 1 in each label's class, its row's only weight."""
    return np.eye(len(classes))[[list(classes).index(name) for name in labels]]


def fit_softmax(
    vectors: NDArray[np.float32],
    target: NDArray[np.float64],
    penalty: float = PENALTY,
    steps: int = STEPS,
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Weights and bias of the logistic regression whose class probabilities per unit vector
    should be the rows of ``target`` ``(n, classes)``, each summing to 1 (a one-hot label, or
    a share spread over several acceptable answers)."""
    x = vectors.astype(np.float64)
    weights = np.zeros((x.shape[1], target.shape[1]))
    bias = np.zeros(target.shape[1])
    for _ in range(steps):
        _, weights_gradient, bias_gradient = _gradients(x, weights, bias, target, penalty)
        weights -= STEP_SIZE * weights_gradient
        bias -= STEP_SIZE * bias_gradient
    return weights.astype(np.float32), bias.astype(np.float32)


def _gradients(
    x: NDArray[np.float64],
    weights: NDArray[np.float64],
    bias: NDArray[np.float64],
    target: NDArray[np.float64],
    penalty: float,
    of_set: bool = False,
) -> tuple[float, NDArray[np.float64], NDArray[np.float64]]:
    """The regression's log loss, the mean over rows, and the gradients of its penalised loss (that
    loss plus half ``penalty`` times the squared weights) by the weights and by the bias. The
    log loss is against ``target``'s shares, or with ``of_set`` that of each row's set of
    accepted classes (its 1s) as a whole."""
    log_p = log_softmax(x @ weights + bias)
    if of_set:
        with np.errstate(divide="ignore"):
            in_set = log_p + np.log(target)  # -inf outside the set
        log_set = in_set.max(axis=1, keepdims=True)
        log_set += np.log(np.exp(in_set - log_set).sum(axis=1, keepdims=True))
        loss = -float(log_set.sum()) / len(x)
        error = np.exp(log_p) - np.exp(in_set - log_set)  # the set's own share of each class
    else:
        loss = -float((target * log_p).sum()) / len(x)
        error = np.exp(log_p) - target
    return loss, x.T @ error / len(x) + penalty * weights, error.mean(axis=0)


def fit(
    vectors: NDArray[np.float32],
    examples: Sequence[LabelledBeat],
    penalty: float = PENALTY,
    ridge: float = RIDGE,
    written: WrittenIntents | None = None,
) -> Readout:
    """Fit every map to unit vectors ``(n, d)`` of the labelled ``examples`` (same order), the
    intent's to the ``written`` intents as well, if given. ``penalty`` is the function's; the
    intent's is its own (``INTENT_PENALTY``)."""
    weights, bias = fit_function(vectors, [b.function for b in examples], penalty)
    intent_weights, intent_bias, terms = fit_intent(vectors, examples, written=written)
    targets = np.array(
        [
            [getattr(b, name) for name in NUMBERS] + [b.emotions.get(e, 0.0) for e in EMOTIONS]
            for b in examples
        ]
    )
    x = _with_bias(vectors)
    gram = x.T @ x + ridge * np.eye(x.shape[1])
    values = np.linalg.solve(gram, x.T @ targets)
    return Readout(weights, bias, values.astype(np.float32), intent_weights, intent_bias, terms)


def fit_intent(
    vectors: NDArray[np.float32],
    examples: Sequence[LabelledBeat],
    penalty: float = INTENT_PENALTY,
    written: WrittenIntents | None = None,
) -> tuple[NDArray[np.float32], NDArray[np.float32], tuple[str, ...]]:
    """The intent's regression alone (``fit``'s ``intent_weights``, ``intent_bias`` and
    ``intent_terms``): what a refit with other written intents changes."""
    texts = [b.text for b in examples]
    intent_vectors, intents = vectors, [b.intent for b in examples]
    if written is not None:
        intent_vectors = np.vstack([vectors, written.vectors.astype(vectors.dtype)])
        texts += written.texts
        intents += written.intents
    terms = bag.vocabulary(texts)
    target = _one_hot(intents, INTENT_LABELS)
    weights, bias = optimum_softmax(bag.features(intent_vectors, texts, terms), target, penalty)
    return weights, bias, terms


def optimum_softmax(
    vectors: NDArray[np.float32],
    target: NDArray[np.float64],
    penalty: float,
    of_set: bool = False,
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Weights and bias of ``fit_softmax``'s regression solved to its optimum by L-BFGS, from
    zeros, so the same inputs give the same numbers. Against shares the loss is convex and its
    minimum depends on the penalty alone, not on when descent stops. With ``of_set``, ``target``
    marks each row's acceptable classes with 1s and the loss is the probability of the set as a
    whole: a beat the books would take pushed in or zoomed loses nothing when the readout puts
    all of it on the push-in, as other beats written alike want. That loss is not convex; from
    zeros every set starts level, as the shares would have it."""
    from scipy.optimize import minimize  # only a fit needs it, never a plan

    x = vectors.astype(np.float64)
    dim, classes = x.shape[1], target.shape[1]

    def unpacked(theta: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        return theta[: dim * classes].reshape(dim, classes), theta[dim * classes :]

    def loss_and_gradient(theta: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        weights, bias = unpacked(theta)
        loss, weights_gradient, bias_gradient = _gradients(
            x, weights, bias, target, penalty, of_set
        )
        loss += 0.5 * penalty * float((weights**2).sum())
        return loss, np.concatenate([weights_gradient.ravel(), bias_gradient])

    solved = minimize(
        loss_and_gradient,
        np.zeros(dim * classes + classes),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": MAX_SOLVER_STEPS},
    )
    weights, bias = unpacked(solved.x)
    return weights.astype(np.float32), bias.astype(np.float32)


def log_probabilities(readout: Readout, vectors: NDArray[np.float32]) -> NDArray[np.float64]:
    """``(m, len(FUNCTIONS))`` natural-log probabilities of each function for each vector."""
    weights = readout.function_weights.astype(np.float64)
    return log_softmax(vectors.astype(np.float64) @ weights + readout.function_bias)


def intent_log_probabilities(
    readout: Readout, vectors: NDArray[np.float32], texts: Sequence[str]
) -> NDArray[np.float64]:
    """``(m, len(INTENT_LABELS))`` natural-log probabilities of each intent label per beat
    (its text and unit vector)."""
    weights = readout.intent_weights.astype(np.float64)
    features = bag.features(vectors, texts, readout.intent_terms)
    return log_softmax(features.astype(np.float64) @ weights + readout.intent_bias)


def read(
    readout: Readout, vectors: NDArray[np.float32], texts: Sequence[str]
) -> list[SentenceReading]:
    """One reading per beat (its text and unit vector, ``(m, d)``), every number inside its
    range."""
    values = np.clip(_with_bias(vectors) @ readout.value_weights.astype(np.float64), LOWEST, 1.0)
    odds = log_probabilities(readout, vectors)
    intent_odds = intent_log_probabilities(readout, vectors, texts)
    return [
        SentenceReading(
            valence=float(row[0]),
            arousal=float(row[1]),
            dominance=float(row[2]),
            intensity=float(row[3]),
            emotions={name: float(w) for name, w in zip(EMOTIONS, row[4:], strict=True)},
            log_probabilities=tuple(float(p) for p in line),
            intent_log_probabilities=tuple(float(p) for p in intents),
        )
        for row, line, intents in zip(values, odds, intent_odds, strict=True)
    ]


ARRAYS: Final = (
    "function_weights", "function_bias", "value_weights", "intent_weights", "intent_bias",
)  # fmt: skip


@functools.cache
def stored() -> Readout:
    """The readout fitted to all of beatcam's labelled beats, shipped in the index archive."""
    neighbours.stored_index()  # the archive must match the labelled beats it was fitted to
    arrays = neighbours.index_arrays()
    if (
        any(name not in arrays for name in (*ARRAYS, "intent_terms"))
        or arrays["function_bias"].shape != (len(FUNCTIONS),)
        or arrays["intent_bias"].shape != (len(INTENT_LABELS),)
        or len(arrays["intent_weights"]) != embedding.DIM + len(arrays["intent_terms"])
    ):
        raise StageError(
            "affect",
            f"the stored {neighbours.INDEX_FILE} has no readout for {len(FUNCTIONS)} "
            f"functions and {len(INTENT_LABELS)} intent labels; run {neighbours.BUILD_SCRIPT}",
        )
    function_weights, function_bias, value_weights, intent_weights, intent_bias = (
        arrays[name].astype(np.float32) for name in ARRAYS
    )
    terms = tuple(str(term) for term in arrays["intent_terms"])
    return Readout(
        function_weights, function_bias, value_weights, intent_weights, intent_bias, terms
    )
