"""Fit the framing readouts (``src/beatcam/affect/framing.py``: size, angle, movement and
framing) to the bench's tuning split and write ``src/beatcam/affect/data/framing_readout.npz``.

Run after editing a bench situation: ``.venv/bin/python scripts/build_framing_readout.py``.
Only situations that are not held out are read, so the held-out split still measures the
director honestly. ``--validate`` deals the bench's files round ``FOLDS`` folds (as
``scripts/fit_classical.py`` does), fits to four folds' files and reads the fifth's, and
reports how often a readout's own first value is one the left-out situation accepts, for
situations whose books reject the neutral value (marked: not MS, not eye level, not static,
not a single) and accept it (unmarked) apart, and the log loss of the accepted set (how well
the probabilities the director weighs are calibrated).

Each regression is solved to its optimum (L-BFGS, ``readout.optimum_softmax``), where 1,500
steps of gradient descent had stopped it short. Measured 2026-12-07 on the 5,847 tuning
situations, marked / unmarked first-value agreement and log loss against the accepted values
at their shares, at penalty 1e-4:

    field      descent, 1,500 steps     optimum
    size       .572 / .907  1.533       .621 / .887  1.518
    angle      .458 / .976  0.757       .512 / .969  0.751
    movement   .385 / .929  1.796       .471 / .911  1.703
    framing    .565 / .927  1.148       .587 / .916  1.142

At the optimum, 1e-4 has the lowest log loss of 3e-4 (size 1.537, angle 0.759, movement
1.809, framing 1.155), 1e-4 and 3e-5 (1.542, 0.778, 1.698, 1.209). Then each field was fitted
both ways (``framing.SET_LIKELIHOOD``): to the accepted values at their shares, or to the
probability of the accepted set as a whole. On the 5,997 tuning situations, marked / unmarked
and the log loss of the accepted set, 2026-12-07:

    field      shares                   the set
    size       .619 / .888  0.537       .525 / .926  0.465
    angle      .500 / .971  0.350       .525 / .977  0.314
    movement   .473 / .912  0.944       .505 / .911  0.862
    framing    .588 / .921  0.566       .574 / .930  0.531

Movement alone is read as a set (``framing.SET_LIKELIHOOD``); its readout then also reads a
pan, truck, arc or dolly zoom whichever way it goes (``framing.ONE_CLASS``): .482 / .920,
0.846 (a class's two values halve its belief, so its first value is less often one of them).

The readouts' gains in the director's grammar (``direct/grammar.READOUT_GAIN``, and the
"written ..." rules' fitted weights) were chosen with the descent's readouts read out of fold;
a refit of those weights on the solved readouts (``scripts/fit_classical.py``, 2026-12-07)
traded marked moments for plain coverage against its unmarked floors and was not kept.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path
from typing import Final

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

from build_affect_index import write_npz  # noqa: E402  (scripts/ is not a package)

import director as bench  # noqa: E402  (bench/ is not a package)
from beatcam import blas  # noqa: E402
from beatcam.affect import embedding, framing  # noqa: E402

TARGET = ROOT / "src/beatcam/affect/data" / framing.READOUT_FILE
# The constant choice per field that a marked situation's books reject.
NEUTRAL: Final = {"size": "MS", "angle": "eye_level", "movement": "static", "framing": "single"}
# Out-of-fold readings deal the bench's files round this many folds and read each fold's
# situations with readouts fitted to the other folds' files (here, to validate; in
# scripts/fit_classical.py, to fit the director's weights). Each file was once a fold of its own
# (35 folds, over an hour of fitting on 5,397 situations); five keep every reading out of sample.
FOLDS: Final = 5


def tuning_split(paths: tuple[Path, ...]) -> list[tuple[Path, bench.Situation]]:
    """Every situation that is not held out, with the file it came from."""
    return [
        (path, situation)
        for path in paths
        for situation in bench.load_situations((path,))
        if not situation.held_out
    ]


def judged(
    split: list[tuple[Path, bench.Situation]], field: str
) -> tuple[NDArray[np.bool_], list[frozenset[str]]]:
    """Which situations of ``split`` judge ``field`` (every one judges size, angle and
    movement; framing only where the book says how), and their accepted values."""
    mask = np.array([field in situation.accepted for _, situation in split], dtype=bool)
    return mask, [
        situation.accepted[field] for _, situation in split if field in situation.accepted
    ]


def situations_digest(ids: list[str]) -> str:
    """Which situations the readout was fitted to, so a test can tell the held-out split apart."""
    return hashlib.sha256("\n".join(sorted(ids)).encode("utf-8")).hexdigest()


def fold_of(split: list[tuple[Path, bench.Situation]]) -> NDArray[np.int_]:
    """Each situation's fold: its file's place among the split's files, modulo ``FOLDS``."""
    files = {path: index for index, path in enumerate(dict.fromkeys(path for path, _ in split))}
    return np.array([files[path] % FOLDS for path, _ in split])


def validate(split: list[tuple[Path, bench.Situation]], penalties: list[float]) -> None:
    """Deal the files round ``FOLDS`` folds; per field and penalty, print how often each
    readout's first value is accepted out of fold, marked and unmarked apart, and its log loss."""
    texts = [situation.beat for _, situation in split]
    vectors = embedding.encode(texts)
    folds = fold_of(split)
    for penalty in penalties:
        for field, values in framing.FIELDS.items():
            mask, accepted = judged(split, field)
            judged_folds, judged_vectors = folds[mask], vectors[mask]
            judged_texts = [text for text, m in zip(texts, mask, strict=True) if m]
            in_set = framing.targets(field, accepted) > 0
            hits = np.zeros(len(accepted), dtype=bool)
            loss = 0.0
            for fold in range(FOLDS):
                test = judged_folds == fold
                fit_texts, test_texts = (
                    [text for text, t in zip(judged_texts, test, strict=True) if t == side]
                    for side in (False, True)
                )
                kept = [chosen for chosen, t in zip(accepted, test, strict=True) if not t]
                with blas.one_thread():
                    fitted = framing.fit(field, judged_vectors[~test], fit_texts, kept, penalty)
                belief = framing.beliefs(fitted, judged_vectors[test], test_texts)
                loss -= float(np.log((belief * in_set[test]).sum(axis=1)).sum())
                rows = np.flatnonzero(test)
                hits[rows] = [
                    values[first] in accepted[row]
                    for first, row in zip(belief.argmax(axis=1), rows, strict=True)
                ]
            marked = np.array([NEUTRAL[field] not in a for a in accepted])
            print(
                f"{field}, penalty {penalty:g}: marked {hits[marked].mean():.3f} "
                f"({marked.sum()}), unmarked {hits[~marked].mean():.3f} ({(~marked).sum()}), "
                f"log loss {loss / len(accepted):.3f}",
                flush=True,
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--validate", action="store_true", help="5-fold figures")
    parser.add_argument("--penalty", type=float, action="append", help="with --validate")
    args = parser.parse_args(argv)
    split = tuning_split(bench.SITUATION_FILES)
    if args.validate:
        validate(split, args.penalty or [framing.PENALTY])
        return 0
    texts = [situation.beat for _, situation in split]
    vectors = embedding.encode(texts)
    arrays: dict[str, NDArray[np.generic]] = {
        "situations_sha256": np.array(situations_digest([s.id for _, s in split]))
    }
    for field in framing.FIELDS:
        mask, accepted = judged(split, field)
        judged_texts = [text for text, m in zip(texts, mask, strict=True) if m]
        with blas.one_thread():  # as a plan runs: the same fit on any machine
            fitted = framing.fit(field, vectors[mask], judged_texts, accepted)
        arrays |= {
            f"{field}_weights": fitted.weights,
            f"{field}_terms": np.array(fitted.terms),
            f"{field}_bias": fitted.bias,
            f"{field}_usual": framing.beliefs(fitted, vectors[mask], judged_texts).mean(axis=0),
        }
    write_npz(TARGET, arrays)
    print(f"wrote {TARGET} (fitted to {len(split)} situations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
