"""How well the affect stage predicts labelled beats it has not seen: lexicon, neighbours, blend.

The labelled beats are split 80/20 by a stable hash of each sentence (``neighbours.held_out``);
the held-out fifth is read by the word lists alone, by the neighbours (from the other four
fifths only), and by the blend of both that ``read_affect`` uses, and compared with a constant
baseline (training mean for numbers, majority for labels) measured in the same run. Each beat
is read as a scene's second beat (never the establishing opener), with no cast. Also times the
numpy encoder: cold start in a fresh interpreter, and warm throughput.

    .venv/bin/python bench/affect_accuracy.py              # the report
    .venv/bin/python bench/affect_accuracy.py --tune       # k / temperature grid, leave-one-out
    .venv/bin/python bench/affect_accuracy.py --tune-blend # blend weights, training split only
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from beatcam.affect import WordReading, embedding, neighbours, read_words
from beatcam.affect.blend import (
    MIN_EMOTION_SHARE,
    MIN_LEXICON_WEIGHT,
    WEIGHTS,
    BlendWeights,
    blend,
    choose_function,
)
from beatcam.affect.entities import CastNames
from beatcam.affect.neighbours import LabelledBeat, NeighbourGuess
from beatcam.model.vocab import FUNCTIONS

SIGN_DEAD_ZONE = 0.1  # labels closer to 0 than this have no sign and are left out of agreement
TUNE_K = (3, 5, 7, 11, 15, 21, 31, 45)
TUNE_TEMPERATURE = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
TUNE_ROWS_SHOWN = 60
BLEND_LEXICON = (0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 10.0)
BLEND_SHARE = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
BLEND_VOTE = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.01)
COLD_START = (
    "import time; t = time.perf_counter(); from beatcam.affect import embedding; "
    "embedding.encode(['A door opens.']); print(time.perf_counter() - t)"
)


def top_emotions(beat: LabelledBeat) -> set[str]:
    """The labelled emotions sharing the highest weight (any of them counts as a hit)."""
    best = max(beat.emotions.values())
    return {name for name, weight in beat.emotions.items() if weight == best}


def scores(
    truth: Sequence[LabelledBeat],
    vad: NDArray[np.float64],
    functions: Sequence[str],
    emotions: Sequence[str],
) -> dict[str, float]:
    """MAE and sign agreement per dimension, function and top-emotion accuracy."""
    labels = np.array([[b.valence, b.arousal, b.dominance] for b in truth])
    out: dict[str, float] = {}
    for j, name in enumerate(neighbours.BIPOLAR):
        out[f"{name} MAE"] = float(np.abs(vad[:, j] - labels[:, j]).mean())
        signed = np.abs(labels[:, j]) >= SIGN_DEAD_ZONE
        agree = np.sign(vad[signed, j]) == np.sign(labels[signed, j])
        out[f"{name} sign"] = float(agree.mean())
    out["function acc"] = float(
        np.mean([f == b.function for f, b in zip(functions, truth, strict=True)])
    )
    out["top emotion acc"] = float(
        np.mean([e in top_emotions(b) for e, b in zip(emotions, truth, strict=True)])
    )
    return out


def knn_scores(
    guesses: Sequence[NeighbourGuess], truth: Sequence[LabelledBeat]
) -> dict[str, float]:
    vad = np.array([[g.valence, g.arousal, g.dominance] for g in guesses])
    top = [max(g.emotions, key=g.emotions.__getitem__) for g in guesses]
    return scores(truth, vad, [g.function for g in guesses], top)


def lexicon_scores(
    readings: Sequence[WordReading], truth: Sequence[LabelledBeat]
) -> dict[str, float]:
    vad = np.array(
        [[r.feelings.valence, r.feelings.arousal, r.feelings.dominance] for r in readings]
    )
    top = [max(r.feelings.emotions, key=r.feelings.emotions.__getitem__) for r in readings]
    return scores(truth, vad, [r.function.function for r in readings], top)


def blend_scores(
    readings: Sequence[WordReading],
    guesses: Sequence[NeighbourGuess],
    truth: Sequence[LabelledBeat],
    weights: BlendWeights = WEIGHTS,
) -> dict[str, float]:
    blended = [
        blend(r.feelings, r.function, g, weights) for r, g in zip(readings, guesses, strict=True)
    ]
    vad = np.array([[b.valence, b.arousal, b.dominance] for b in blended])
    top = [max(b.emotions, key=b.emotions.__getitem__) for b in blended]
    return scores(truth, vad, [b.function for b in blended], top)


def baseline_scores(
    train: Sequence[LabelledBeat], truth: Sequence[LabelledBeat]
) -> dict[str, float]:
    """Predict the training mean VAD, the majority function and the most frequent top emotion."""
    mean = np.array([[b.valence, b.arousal, b.dominance] for b in train]).mean(axis=0)
    function = Counter(b.function for b in train).most_common(1)[0][0]
    emotion = Counter(e for b in train for e in top_emotions(b)).most_common(1)[0][0]
    n = len(truth)
    return scores(truth, np.tile(mean, (n, 1)), [function] * n, [emotion] * n)


def loss(result: dict[str, float]) -> float:
    """What tuning minimises: mean VAD MAE plus function error, equally weighted."""
    mae = np.mean([result[f"{name} MAE"] for name in neighbours.BIPOLAR])
    return float(mae + (1.0 - result["function acc"]))


def tune(vectors: NDArray[np.float32], train: Sequence[LabelledBeat]) -> None:
    """Leave-one-out over the training part for every (k, temperature) on the grid."""
    rows = []
    for k in TUNE_K:
        for temperature in TUNE_TEMPERATURE:
            guesses = []
            for i in range(len(train)):
                rest = [b for j, b in enumerate(train) if j != i]
                others = np.delete(vectors, i, axis=0)
                guesses += neighbours.guess_from_vectors(
                    vectors[i : i + 1], others, rest, k, temperature
                )
            result = knn_scores(guesses, train)
            rows.append((loss(result), k, temperature, result))
    rows.sort(key=lambda row: row[0])
    print(f"{'k':>3} {'T':>5} {'loss':>6} {'V MAE':>6} {'A MAE':>6} {'D MAE':>6} {'fn acc':>6}")
    for value, k, temperature, r in rows[:TUNE_ROWS_SHOWN]:
        print(
            f"{k:>3} {temperature:>5} {value:6.3f} {r['valence MAE']:6.3f} "
            f"{r['arousal MAE']:6.3f} {r['dominance MAE']:6.3f} {r['function acc']:6.3f}"
        )


def leave_one_out(
    vectors: NDArray[np.float32], train: Sequence[LabelledBeat]
) -> list[NeighbourGuess]:
    """Each training beat guessed from the other training beats only."""
    guesses: list[NeighbourGuess] = []
    for i in range(len(train)):
        rest = [b for j, b in enumerate(train) if j != i]
        guesses += neighbours.guess_from_vectors(
            vectors[i : i + 1], np.delete(vectors, i, axis=0), rest
        )
    return guesses


def read_alone(beats: Sequence[LabelledBeat]) -> list[WordReading]:
    """The word lists' reading of each labelled beat, as a non-opening beat with no cast."""
    nobody = CastNames.of(())
    return [read_words(b.text, nobody) for b in beats]


def tune_blend(vectors: NDArray[np.float32], train: Sequence[LabelledBeat]) -> None:
    """Grid-search the blend weights on the training split (neighbours leave-one-out).

    The loss is separable (each dimension's MAE, top-emotion error, function error), so each
    part is searched on its own grid. Numbers and emotions print the whole curve with the best
    value and the best one the floors of ``blend`` allow (found words must overrule).
    """
    readings = read_alone(train)
    guesses = leave_one_out(vectors, train)
    alone = {"lexicon": lexicon_scores(readings, train), "kNN": knn_scores(guesses, train)}
    for name, result in alone.items():
        print(f"{name} alone on train: " + ", ".join(f"{k} {v:.4f}" for k, v in result.items()))
    labels = {
        "valence": [b.valence for b in train],
        "arousal": [b.arousal for b in train],
        "dominance": [b.dominance for b in train],
        "intensity": [b.intensity for b in train],
    }
    for dimension, truth in labels.items():
        rows = []
        for weight in BLEND_LEXICON:
            weights = replace(WEIGHTS, lexicon={**WEIGHTS.lexicon, dimension: weight})
            got = [
                getattr(blend(r.feelings, r.function, g, weights), dimension)
                for r, g in zip(readings, guesses, strict=True)
            ]
            rows.append((float(np.abs(np.array(got) - np.array(truth)).mean()), weight))
        allowed = [row for row in rows if row[1] >= MIN_LEXICON_WEIGHT]
        print(
            f"{dimension:<10} MAE by lexicon weight: "
            + " ".join(f"{w:g}:{mae:.3f}" for mae, w in rows)
            + f"; best {min(rows)[1]:g}, best allowed {min(allowed)[1]:g}"
        )
    rows = []
    for share in BLEND_SHARE:
        result = blend_scores(readings, guesses, train, replace(WEIGHTS, emotion_share=share))
        rows.append((result["top emotion acc"], share))
    allowed = [row for row in rows if row[1] >= MIN_EMOTION_SHARE]
    print(
        "emotions   top-emotion acc by lexicon share: "
        + " ".join(f"{share:g}:{acc:.3f}" for acc, share in rows)
        + f"; best {max(rows)[1]:g}, best allowed {max(allowed)[1]:g}"
    )
    votes = []
    for minimum in BLEND_VOTE:
        weights = replace(WEIGHTS, min_vote=minimum)
        picked = [
            choose_function(r.function, g, weights)[0]
            for r, g in zip(readings, guesses, strict=True)
        ]
        accuracy = float(np.mean([p == b.function for p, b in zip(picked, train, strict=True)]))
        votes.append((accuracy, minimum))
    print(
        "function   acc by the neighbours' minimum vote where no cue spoke: "
        + " ".join(f"{minimum:g}:{acc:.3f}" for acc, minimum in votes)
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="grid-search k and temperature")
    parser.add_argument("--tune-blend", action="store_true", help="grid-search blend weights")
    args = parser.parse_args(argv)

    examples = neighbours.labelled_examples()
    stored = neighbours.stored_index()
    test_rows = [i for i, b in enumerate(examples) if neighbours.held_out(b.text)]
    train_rows = [i for i, b in enumerate(examples) if not neighbours.held_out(b.text)]
    train = [examples[i] for i in train_rows]
    test = [examples[i] for i in test_rows]
    if args.tune:
        tune(stored[train_rows], train)
        return 0
    if args.tune_blend:
        tune_blend(stored[train_rows], train)
        return 0

    cold = float(
        subprocess.run(
            [sys.executable, "-c", COLD_START], capture_output=True, text=True, check=True
        ).stdout
    )
    start = time.perf_counter()
    queries = embedding.encode([b.text for b in test])
    encode_s = time.perf_counter() - start
    guesses = neighbours.guess_from_vectors(queries, stored[train_rows], train)
    knn = knn_scores(guesses, test)
    base = baseline_scores(train, test)
    readings = read_alone(test)
    lexicon = lexicon_scores(readings, test)
    blended = blend_scores(readings, guesses, test)

    print(
        f"labelled beats: {len(examples)} ({len(train)} train / {len(test)} held out), "
        f"k={neighbours.DEFAULT_K}, temperature={neighbours.TEMPERATURE}, "
        f"{len(FUNCTIONS)} functions"
    )
    print(f"{'held-out metric':<18} {'lexicon':>8} {'kNN':>7} {'blend':>7} {'baseline':>9}")
    for name in knn:
        print(
            f"{name:<18} {lexicon[name]:8.3f} {knn[name]:7.3f} {blended[name]:7.3f} "
            f"{base[name]:9.3f}"
        )
    print(f"cold start (import, load model, encode 1 sentence): {cold:.2f} s")
    print(f"throughput: {len(test) / encode_s:.1f} sentences/s ({len(test)} in {encode_s:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
