"""How well the labelled-beat neighbours predict affect on beats they have not seen.

The labelled beats are split 80/20 by a stable hash of each sentence (``neighbours.held_out``);
the held-out fifth is predicted from the other four fifths only and compared with a constant
baseline (training mean for numbers, majority for labels) measured in the same run. Also times
the numpy encoder: cold start in a fresh interpreter, and warm throughput.

    .venv/bin/python bench/affect_accuracy.py          # the report
    .venv/bin/python bench/affect_accuracy.py --tune   # the k / temperature grid, leave-one-out
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from beatcam.affect import embedding, neighbours
from beatcam.affect.neighbours import LabelledBeat, NeighbourGuess
from beatcam.model.vocab import FUNCTIONS

SIGN_DEAD_ZONE = 0.1  # labels closer to 0 than this have no sign and are left out of agreement
TUNE_K = (3, 5, 7, 11, 15, 21, 31, 45)
TUNE_TEMPERATURE = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0)
TUNE_ROWS_SHOWN = 60
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="grid-search k and temperature")
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

    print(
        f"labelled beats: {len(examples)} ({len(train)} train / {len(test)} held out), "
        f"k={neighbours.DEFAULT_K}, temperature={neighbours.TEMPERATURE}, "
        f"{len(FUNCTIONS)} functions"
    )
    print(f"{'held-out metric':<18} {'kNN':>7} {'baseline':>9}")
    for name in knn:
        print(f"{name:<18} {knn[name]:7.3f} {base[name]:9.3f}")
    print(f"cold start (import, load model, encode 1 sentence): {cold:.2f} s")
    print(f"throughput: {len(test) / encode_s:.1f} sentences/s ({len(test)} in {encode_s:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
