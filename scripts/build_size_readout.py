"""Fit the size readout (``src/beatcam/affect/sizes.py``) to the bench's tuning split and write
``src/beatcam/affect/data/size_readout.npz``.

Run after editing a bench situation's sizes: ``.venv/bin/python scripts/build_size_readout.py``.
Only situations that are not held out are read, so the held-out split still measures the
director honestly. ``--validate`` leaves out one of the bench's files at a time, fits to the
rest and reports how often the readout's own first size is one the left-out file accepts, for
situations whose books reject the medium shot (marked) and accept it (unmarked) apart.

Measured 2026-12-04 (1,947 situations, nine files; marked 616, unmarked 1,331), the readout's
own first size against the director's size before the readout joined its grammar: marked .604
(director .591), unmarked .889 (director .748) at penalty 1e-4; 3e-5 gives .612 / .884, 1e-3
gives .511 / .940. The file the director did worst on, blind11, gets .512 marked (director .244).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "scripts"))

from build_affect_index import write_npz  # noqa: E402  (scripts/ is not a package)

import director as bench  # noqa: E402  (bench/ is not a package)
from beatcam import blas  # noqa: E402
from beatcam.affect import embedding, sizes  # noqa: E402
from beatcam.model.vocab import SIZES  # noqa: E402

TARGET = ROOT / "src/beatcam/affect/data" / sizes.READOUT_FILE
NEUTRAL_SIZE = "MS"  # the constant choice a marked situation's books reject


def tuning_split(paths: tuple[Path, ...]) -> list[tuple[Path, bench.Situation]]:
    """Every situation that is not held out, with the file it came from."""
    return [
        (path, situation)
        for path in paths
        for situation in bench.load_situations((path,))
        if not situation.held_out
    ]


def situations_digest(ids: list[str]) -> str:
    """Which situations the readout was fitted to, so a test can tell the held-out split apart."""
    return hashlib.sha256("\n".join(sorted(ids)).encode("utf-8")).hexdigest()


def validate(split: list[tuple[Path, bench.Situation]], penalties: list[float]) -> None:
    """Leave one file out at a time; print how often the readout's first size is accepted."""
    vectors = embedding.encode([situation.beat for _, situation in split])
    accepted = [situation.accepted["size"] for _, situation in split]
    files = sorted({path for path, _ in split})
    for penalty in penalties:
        hits = np.zeros(len(split), dtype=bool)
        for left_out in files:
            test = np.array([path == left_out for path, _ in split])
            with blas.one_thread():
                fitted = sizes.fit(
                    vectors[~test], [a for a, t in zip(accepted, test, strict=True) if not t]
                )
            first = sizes.beliefs(fitted, vectors[test]).argmax(axis=1)
            rows = np.flatnonzero(test)
            hits[rows] = [SIZES[f] in accepted[r] for f, r in zip(first, rows, strict=True)]
        marked = np.array([NEUTRAL_SIZE not in a for a in accepted])
        print(
            f"penalty {penalty:g}: marked {hits[marked].mean():.3f} ({marked.sum()}), "
            f"unmarked {hits[~marked].mean():.3f} ({(~marked).sum()})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--validate", action="store_true", help="leave-one-file-out figures")
    parser.add_argument("--penalty", type=float, action="append", help="with --validate")
    args = parser.parse_args(argv)
    split = tuning_split(bench.SITUATION_FILES)
    if args.validate:
        validate(split, args.penalty or [sizes.PENALTY])
        return 0
    vectors = embedding.encode([situation.beat for _, situation in split])
    accepted = [situation.accepted["size"] for _, situation in split]
    with blas.one_thread():  # as a plan runs: the same fit on any machine
        fitted = sizes.fit(vectors, accepted)
    write_npz(
        TARGET,
        {
            "weights": fitted.weights,
            "bias": fitted.bias,
            "usual": sizes.targets(accepted).mean(axis=0),
            "situations_sha256": np.array(situations_digest([s.id for _, s in split])),
        },
    )
    print(f"wrote {TARGET} (fitted to {len(split)} situations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
