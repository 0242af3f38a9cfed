"""Fit the framing readouts (``src/beatcam/affect/framing.py``: size, angle, movement and
framing) to the bench's tuning split and write ``src/beatcam/affect/data/framing_readout.npz``.

Run after editing a bench situation: ``.venv/bin/python scripts/build_framing_readout.py``.
Only situations that are not held out are read, so the held-out split still measures the
director honestly. ``--validate`` leaves out one of the bench's files at a time, fits to the
rest and reports how often a readout's own first value is one the left-out file accepts, for
situations whose books reject the neutral value (marked: not MS, not eye level, not static)
and accept it (unmarked) apart.

Measured 2026-12-04 (1,947 situations, nine files), the readout's own first value against the
director's before the readouts joined its grammar: size marked .604 (director .591, 616),
unmarked .889 (.748, 1,331) at penalty 1e-4; 3e-5 gives .612 / .884, 1e-3 .511 / .940; the
file the director did worst on, blind11, gets .512 marked (director .244). Angle alone is
weaker than the director (marked .318 against .622) but adds to it: see ``direct/grammar.py``.
Movement alone (the same nine files, marked: not static): marked .225 against the director's
.480, unmarked .899 at penalty 1e-4 (1e-3: .060 / .972); it too adds to the grammar.
Framing (2026-12-05, the 1,440 of 2,847 tuning situations that say how they are framed,
marked: not a single): marked .482, unmarked .926 at penalty 1e-4 (3e-5 .488 / .925, 1e-3
.355 / .960), against the director's .525 / .907 without it; with it, see ``READOUT_GAIN``.
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


def validate(split: list[tuple[Path, bench.Situation]], penalties: list[float]) -> None:
    """Leave one file out at a time; print how often each readout's first value is accepted."""
    texts = [situation.beat for _, situation in split]
    vectors = embedding.encode(texts)
    files = sorted({path for path, _ in split})
    for field, values in framing.FIELDS.items():
        mask, accepted = judged(split, field)
        paths = [path for (path, _), m in zip(split, mask, strict=True) if m]
        judged_vectors = vectors[mask]
        judged_texts = [text for text, m in zip(texts, mask, strict=True) if m]
        for penalty in penalties:
            hits = np.zeros(len(accepted), dtype=bool)
            for left_out in files:
                test = np.array([path == left_out for path in paths])
                kept = [a for a, t in zip(accepted, test, strict=True) if not t]
                fit_texts, test_texts = (
                    [text for text, t in zip(judged_texts, test, strict=True) if t == side]
                    for side in (False, True)
                )
                with blas.one_thread():
                    fitted = framing.fit(field, judged_vectors[~test], fit_texts, kept, penalty)
                first = framing.beliefs(fitted, judged_vectors[test], test_texts).argmax(axis=1)
                rows = np.flatnonzero(test)
                hits[rows] = [values[f] in accepted[r] for f, r in zip(first, rows, strict=True)]
            marked = np.array([NEUTRAL[field] not in a for a in accepted])
            print(
                f"{field}, penalty {penalty:g}: marked {hits[marked].mean():.3f} "
                f"({marked.sum()}), unmarked {hits[~marked].mean():.3f} ({(~marked).sum()})"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--validate", action="store_true", help="leave-one-file-out figures")
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
            f"{field}_usual": framing.targets(field, accepted).mean(axis=0),
        }
    write_npz(TARGET, arrays)
    print(f"wrote {TARGET} (fitted to {len(split)} situations)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
