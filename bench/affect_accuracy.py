"""How well the affect stage predicts labelled beats it has not seen: lexicon, sentence, blend.

The labelled beats are split 80/20 by a stable hash of each sentence (``neighbours.held_out``);
the held-out fifth is read by the word lists alone, by the sentence readout (fitted to the
other four fifths only), and by the blend of both that ``read_affect`` uses, and compared with
a constant baseline (training mean for numbers, majority for labels) measured in the same run.
Each beat is read as a scene's second beat (never the establishing opener), with no cast. Also
times the numpy encoder: cold start in a fresh interpreter, and warm throughput.

    .venv/bin/python bench/affect_accuracy.py                # the report
    .venv/bin/python bench/affect_accuracy.py --tune-readout # readout penalties, 5-fold CV
    .venv/bin/python bench/affect_accuracy.py --tune-blend   # blend weights, training split only
    .venv/bin/python bench/affect_accuracy.py --tune-intent  # intent gains, training split only
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from beatcam.affect import WordReading, embedding, neighbours, read_words, readout
from beatcam.affect.blend import (
    MIN_EMOTION_SHARE,
    MIN_LEXICON_WEIGHT,
    WEIGHTS,
    BlendWeights,
    blend,
    choose_function,
    function_belief,
)
from beatcam.affect.intent import WEIGHTS as INTENT_WEIGHTS
from beatcam.affect.intent import IntentWeights, intent_belief
from beatcam.affect.neighbours import INTENT_LABELS, LabelledBeat
from beatcam.affect.readout import SentenceReading
from beatcam.model.scene import CastNames
from beatcam.model.vocab import FUNCTIONS

SIGN_DEAD_ZONE = 0.1  # labels closer to 0 than this have no sign and are left out of agreement
TUNE_PENALTY = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2)
TUNE_RIDGE = (0.1, 0.3, 1.0, 2.0, 3.0, 10.0)
FOLDS = 5
BLEND_LEXICON = (0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 10.0)
BLEND_SHARE = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
BLEND_CUE_GAIN = (0.0, 1.0, 2.0, 3.0, 4.0, 6.0)
BLEND_MOTION_GAIN = (0.0, 0.5, 1.0, 2.0, 3.0)
INTENT_CUE_GAIN = (0.0, 1.0, 2.0, 3.0)
INTENT_FUNCTION_GAIN = (0.0, 1.0, 2.0, 3.0, 4.0)
INTENT_DOMINANCE_GAIN = (0.0, 1.0, 2.0, 3.0)
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


def sentence_scores(
    readings: Sequence[SentenceReading], truth: Sequence[LabelledBeat]
) -> dict[str, float]:
    """The sentence readout alone."""
    vad = np.array([[r.valence, r.arousal, r.dominance] for r in readings])
    top = [max(r.emotions, key=r.emotions.__getitem__) for r in readings]
    functions = [FUNCTIONS[int(np.argmax(r.log_probabilities))] for r in readings]
    return scores(truth, vad, functions, top)


def lexicon_scores(
    readings: Sequence[WordReading], truth: Sequence[LabelledBeat]
) -> dict[str, float]:
    vad = np.array(
        [[r.feelings.valence, r.feelings.arousal, r.feelings.dominance] for r in readings]
    )
    top = [max(r.feelings.emotions, key=r.feelings.emotions.__getitem__) for r in readings]
    return scores(truth, vad, [r.function.function for r in readings], top)


def blend_scores(
    words: Sequence[WordReading],
    readings: Sequence[SentenceReading],
    truth: Sequence[LabelledBeat],
    weights: BlendWeights = WEIGHTS,
) -> dict[str, float]:
    blended = [
        blend(w.feelings, w.function, r, (), w.intent_cues, weights)
        for w, r in zip(words, readings, strict=True)
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


def out_of_fold(
    vectors: NDArray[np.float32],
    train: Sequence[LabelledBeat],
    penalty: float = readout.PENALTY,
    ridge: float = readout.RIDGE,
) -> list[SentenceReading]:
    """Each training beat read by a readout fitted on the other folds only."""
    readings: list[SentenceReading | None] = [None] * len(train)
    for fold in range(FOLDS):
        held = np.arange(fold, len(train), FOLDS)
        rest = np.setdiff1d(np.arange(len(train)), held)
        fitted = readout.fit(vectors[rest], [train[i] for i in rest], penalty, ridge)
        texts = [train[int(i)].text for i in held]
        for i, reading in zip(held, readout.read(fitted, vectors[held], texts), strict=True):
            readings[i] = reading
    return [r for r in readings if r is not None]


def log_loss(beliefs: Sequence[Mapping[str, float]], truth: Sequence[LabelledBeat]) -> float:
    """Mean negative log-probability of the labelled function (lower is better calibrated)."""
    return float(
        -np.mean([np.log(max(b[t.function], 1e-9)) for b, t in zip(beliefs, truth, strict=True)])
    )


def tune_readout(vectors: NDArray[np.float32], train: Sequence[LabelledBeat]) -> None:
    """The readout alone, 5-fold over the training split: each penalty of either map."""
    for penalty in TUNE_PENALTY:
        readings = out_of_fold(vectors, train, penalty=penalty)
        beliefs = [dict(zip(FUNCTIONS, np.exp(r.log_probabilities), strict=True)) for r in readings]
        accuracy = sentence_scores(readings, train)["function acc"]
        print(
            f"function penalty {penalty:g}: accuracy {accuracy:.3f}, "
            f"log loss {log_loss(beliefs, train):.3f}"
        )
    for ridge in TUNE_RIDGE:
        result = sentence_scores(out_of_fold(vectors, train, ridge=ridge), train)
        mae = np.mean([result[f"{name} MAE"] for name in neighbours.BIPOLAR])
        print(
            f"ridge {ridge:g}: mean VAD MAE {mae:.3f} "
            + " ".join(f"{name} {result[f'{name} MAE']:.3f}" for name in neighbours.BIPOLAR)
            + f", top emotion {result['top emotion acc']:.3f}"
        )


def read_alone(beats: Sequence[LabelledBeat]) -> list[WordReading]:
    """The word lists' reading of each labelled beat, as a non-opening beat with no cast."""
    nobody = CastNames.of(())
    return [read_words(b.text, nobody) for b in beats]


def intent_beliefs(
    words: Sequence[WordReading],
    readings: Sequence[SentenceReading],
    weights: IntentWeights = INTENT_WEIGHTS,
) -> list[dict[str, float]]:
    """Each beat's belief over the intent labels, as ``read_affect`` forms it."""
    result = []
    for w, r in zip(words, readings, strict=True):
        functions = function_belief(w.function, r.log_probabilities)
        result.append(
            intent_belief(
                w.intent_cues, r.intent_log_probabilities, functions, r.dominance, weights
            )
        )
    return result


def intent_scores(
    beliefs: Sequence[Mapping[str, float]], truth: Sequence[LabelledBeat]
) -> dict[str, float]:
    """Accuracy, macro precision and recall over the intents (none excluded), and log loss."""
    chosen = [max(INTENT_LABELS, key=belief.__getitem__) for belief in beliefs]
    labels = [t.intent for t in truth]
    precision, recall = [], []
    for name in INTENT_LABELS[:-1]:
        hits = sum(c == name == t for c, t in zip(chosen, labels, strict=True))
        said, true = chosen.count(name), labels.count(name)
        if true:
            recall.append(hits / true)
        if said:
            precision.append(hits / said)
    return {
        "intent acc": float(np.mean([c == t for c, t in zip(chosen, labels, strict=True)])),
        "intent precision": float(np.mean(precision)) if precision else 0.0,
        "intent recall": float(np.mean(recall)) if recall else 0.0,
        "intent log loss": float(
            -np.mean([np.log(max(b[t], 1e-9)) for b, t in zip(beliefs, labels, strict=True)])
        ),
    }


def per_intent(beliefs: Sequence[Mapping[str, float]], truth: Sequence[LabelledBeat]) -> None:
    """Precision and recall of every intent label on these beats."""
    chosen = [max(INTENT_LABELS, key=belief.__getitem__) for belief in beliefs]
    labels = [t.intent for t in truth]
    print(f"{'intent':<14}{'precision':>10}{'recall':>8}{'n':>5}")
    for name in INTENT_LABELS:
        hits = sum(c == name == t for c, t in zip(chosen, labels, strict=True))
        said, true = chosen.count(name), labels.count(name)
        precision = f"{hits / said:.2f}" if said else "-"
        recall = f"{hits / true:.2f}" if true else "-"
        print(f"{name:<14}{precision:>10}{recall:>8}{true:>5}")


def tune_intent(vectors: NDArray[np.float32], train: Sequence[LabelledBeat]) -> None:
    """Grid-search the intent gains on the training split (readout out-of-fold), by log loss:
    the director reads the belief as how sure it is, so calibration is the target."""
    words = read_alone(train)
    readings = out_of_fold(vectors, train)
    grid = []
    for cue, function, dominance in itertools.product(
        INTENT_CUE_GAIN, INTENT_FUNCTION_GAIN, INTENT_DOMINANCE_GAIN
    ):
        weights = IntentWeights(cue, function, dominance)
        result = intent_scores(intent_beliefs(words, readings, weights), train)
        grid.append((result["intent log loss"], -result["intent acc"], cue, function, dominance))
    grid.sort()
    print("intent     best by log loss (cue, function, dominance gain: log loss, accuracy):")
    for loss, negative_acc, cue, function, dominance in grid[:8]:
        print(f"  {cue:g}, {function:g}, {dominance:g}: {loss:.3f}, {-negative_acc:.3f}")


def tune_blend(vectors: NDArray[np.float32], train: Sequence[LabelledBeat]) -> None:
    """Grid-search the blend weights on the training split (readout out-of-fold).

    The loss is separable (each dimension's MAE, top-emotion error, function), so each part is
    searched on its own grid. Numbers and emotions print the whole curve with the best value and
    the best one the floors of ``blend`` allow (found words must overrule); the function grid
    prints its best rows by accuracy, with the log loss that measures the belief's calibration.
    """
    words = read_alone(train)
    readings = out_of_fold(vectors, train)
    alone = {
        "lexicon": lexicon_scores(words, train),
        "sentence": sentence_scores(readings, train),
    }
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
                getattr(blend(w.feelings, w.function, r, (), w.intent_cues, weights), dimension)
                for w, r in zip(words, readings, strict=True)
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
        result = blend_scores(words, readings, train, replace(WEIGHTS, emotion_share=share))
        rows.append((result["top emotion acc"], share))
    allowed = [row for row in rows if row[1] >= MIN_EMOTION_SHARE]
    print(
        "emotions   top-emotion acc by lexicon share: "
        + " ".join(f"{share:g}:{acc:.3f}" for acc, share in rows)
        + f"; best {max(rows)[1]:g}, best allowed {max(allowed)[1]:g}"
    )
    grid = []
    for cue_gain in BLEND_CUE_GAIN:
        for motion_gain in BLEND_MOTION_GAIN:
            weights = replace(WEIGHTS, cue_gain=cue_gain, motion_gain=motion_gain)
            beliefs = [
                function_belief(w.function, r.log_probabilities, weights)
                for w, r in zip(words, readings, strict=True)
            ]
            accuracy = float(
                np.mean(
                    [choose_function(b) == t.function for b, t in zip(beliefs, train, strict=True)]
                )
            )
            grid.append((accuracy, -log_loss(beliefs, train), cue_gain, motion_gain))
    grid.sort(reverse=True)
    print("function   best by accuracy (cue gain, motion gain: accuracy, log loss):")
    for accuracy, negative_loss, cue_gain, motion_gain in grid[:10]:
        print(f"  {cue_gain:g}, {motion_gain:g}: {accuracy:.3f}, {-negative_loss:.3f}")


def labelled_split() -> tuple[list[LabelledBeat], NDArray[np.float32], list[LabelledBeat]]:
    """The training beats, their stored vectors, and the held-out beats."""
    examples = neighbours.labelled_examples()
    train_rows = [i for i, b in enumerate(examples) if not neighbours.held_out(b.text)]
    test = [b for b in examples if neighbours.held_out(b.text)]
    return [examples[i] for i in train_rows], neighbours.stored_index()[train_rows], test


def shipped_fit(vectors: NDArray[np.float32], beats: Sequence[LabelledBeat]) -> readout.Readout:
    """The readout fitted as ``scripts/build_affect_index.py`` fits the shipped one, to these
    labelled beats: its intent regression learns from the bench's written intents too."""
    import director  # imports this module: read when a report needs it

    return readout.fit(vectors, beats, written=director.written_intents())


def held_out_columns(
    train: Sequence[LabelledBeat],
    train_vectors: NDArray[np.float32],
    test: Sequence[LabelledBeat],
    test_vectors: NDArray[np.float32],
) -> dict[str, dict[str, float]]:
    """Every reader's scores on the held-out beats, the readout fitted on the training beats
    (and the intent's on the bench's written intents, as shipped)."""
    readings = readout.read(
        shipped_fit(train_vectors, train), test_vectors, [beat.text for beat in test]
    )
    words = read_alone(test)
    columns = {
        "lexicon": lexicon_scores(words, test),
        "sentence": sentence_scores(readings, test),
        "blend": blend_scores(words, readings, test),
        "baseline": baseline_scores(train, test),
    }
    sentence_intents = [
        dict(zip(INTENT_LABELS, np.exp(r.intent_log_probabilities), strict=True)) for r in readings
    ]
    majority = Counter(b.intent for b in train).most_common(1)[0][0]
    constant = [{name: float(name == majority) for name in INTENT_LABELS}] * len(test)
    cue_only = intent_beliefs(words, readings, replace(INTENT_WEIGHTS, function_gain=0.0))
    columns["lexicon"].update(intent_scores(cue_only, test))
    columns["sentence"].update(intent_scores(sentence_intents, test))
    columns["blend"].update(intent_scores(intent_beliefs(words, readings), test))
    columns["baseline"].update(intent_scores(constant, test))
    return columns


def print_columns(columns: Mapping[str, Mapping[str, float]]) -> None:
    print(f"{'held-out metric':<18}" + "".join(f"{name:>9}" for name in columns))
    for metric in columns["blend"]:
        print(f"{metric:<18}" + "".join(f"{col[metric]:>9.3f}" for col in columns.values()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune-readout", action="store_true", help="grid-search the penalties")
    parser.add_argument("--tune-blend", action="store_true", help="grid-search blend weights")
    parser.add_argument("--tune-intent", action="store_true", help="grid-search intent gains")
    parser.add_argument("--per-intent", action="store_true", help="held-out P/R per intent")
    args = parser.parse_args(argv)

    train, train_vectors, test = labelled_split()
    examples = neighbours.labelled_examples()
    if args.tune_readout:
        tune_readout(train_vectors, train)
        return 0
    if args.tune_blend:
        tune_blend(train_vectors, train)
        return 0
    if args.tune_intent:
        tune_intent(train_vectors, train)
        return 0
    if args.per_intent:
        test_vectors = neighbours.stored_index()[[neighbours.held_out(b.text) for b in examples]]
        readings = readout.read(
            shipped_fit(train_vectors, train), test_vectors, [beat.text for beat in test]
        )
        per_intent(intent_beliefs(read_alone(test), readings), test)
        return 0

    cold = float(
        subprocess.run(
            [sys.executable, "-c", COLD_START], capture_output=True, text=True, check=True
        ).stdout
    )
    start = time.perf_counter()
    queries = embedding.encode([b.text for b in test])
    encode_s = time.perf_counter() - start
    print(
        f"labelled beats: {len(train) + len(test)} ({len(train)} train / {len(test)} held out), "
        f"readout penalty {readout.PENALTY:g}, ridge {readout.RIDGE:g}, "
        f"{len(FUNCTIONS)} functions"
    )
    print_columns(held_out_columns(train, train_vectors, test, queries))
    print(f"cold start (import, load model, encode 1 sentence): {cold:.2f} s")
    print(f"throughput: {len(test) / encode_s:.1f} sentences/s ({len(test)} in {encode_s:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
