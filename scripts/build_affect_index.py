"""Rebuild src/beatcam/affect/data/labelled_beats.npz (vectors and readouts) and
labelled_beats.json (the beats pre-parsed, which a plan reads instead of the YAML) from
labelled_beats.yaml, and the intent readout from those beats and from the bench's tuning
situations whose writers named the intent they meant (``bench/director.py``'s
``written_labels``; held-out situations are never read).

Run after editing the labelled beats or a bench situation:
``.venv/bin/python scripts/build_affect_index.py``. ``--validate`` instead leaves out one bench
file's written intents at a time, fits the intent readout to the labelled beats and the other
files, and reports how often its first label is the one the left-out file's writer meant, on
their marked beats (an intent) and plain ones ("none") apart; ``--bag-scale 0`` reads the
sentence vector alone.

Measured 2026-12-06 with a prototype of this check (the 14 files blind5 to blind18, 2,100 beats,
penalty 1e-4, the prior shift of ``affect/intent.py``, the bag's terms cut by a plain regex rather
than ``affect/words.tokenize``): marked .327 from the vector alone, .369 with the bag at scale 0.5
(``affect/bag.py``); all beats .464 and .497. A run takes about half an hour on two busy cores.
The archive is byte-reproducible: fixed member timestamps, float16 unit vectors, and the
SHA-256 of the example sentences so beatcam can tell a stale index from a fresh one.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path
from unittest import mock

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import director as bench  # noqa: E402  (bench/ is not a package)
from beatcam import blas  # noqa: E402
from beatcam.affect import bag, embedding, neighbours, readout  # noqa: E402
from beatcam.affect.intent import PRIOR_SHIFT  # noqa: E402
from beatcam.affect.neighbours import INTENT_LABELS  # noqa: E402
from beatcam.files import atomic_path, write_atomic  # noqa: E402

DATA = ROOT / "src/beatcam/affect/data"
TARGET = DATA / neighbours.INDEX_FILE
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest zip timestamp: the same bytes on every build


def index_arrays() -> dict[str, NDArray[np.generic]]:
    """The arrays the index holds: float16 vectors, the readout fitted to them (as beatcam reads
    them back: renormalised float32) and to the bench's written intents, the digests of both
    and the model name."""
    examples = neighbours.labelled_examples()
    vectors = embedding.encode([b.text for b in examples]).astype(np.float16)
    unit = vectors.astype(np.float32)
    unit /= np.linalg.norm(unit, axis=1, keepdims=True)
    written = bench.written_intents()
    with blas.one_thread():  # as a plan runs: the same fit on any machine, a quarter the CPU
        fitted = readout.fit(unit, examples, written=written)
    return {
        "vectors": vectors,
        "function_weights": fitted.function_weights,
        "function_bias": fitted.function_bias,
        "value_weights": fitted.value_weights,
        "intent_weights": fitted.intent_weights,
        "intent_bias": fitted.intent_bias,
        "intent_terms": np.array(fitted.intent_terms),
        "labels_sha256": np.array(neighbours.labels_digest(examples)),
        "written_sha256": np.array(readout.written_digest(bench.written_labels())),
        "model": np.array(
            f"{embedding.MODEL_PROVENANCE['name']} ({embedding.MODEL_PROVENANCE['package']} "
            f"{embedding.MODEL_PROVENANCE['version']})"
        ),
    }


def write_npz(target: Path, arrays: dict[str, NDArray[np.generic]]) -> None:
    """Write ``arrays`` as an .npz that ``np.load`` reads, with no wall-clock in the bytes."""
    with atomic_path(target) as temporary, zipfile.ZipFile(temporary, "w") as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, array, allow_pickle=False)
            member = zipfile.ZipInfo(f"{name}.npy", date_time=ZIP_EPOCH)
            # Stored, not deflated: float16 vectors shrink by 8 % deflated, and inflating them
            # was 0.01 s of every cold plan.
            member.compress_type = zipfile.ZIP_STORED
            archive.writestr(member, buffer.getvalue())


def validate() -> None:
    """Leave out one bench file's written intents at a time; print how often the intent
    readout fitted without them reads each left-out beat's first label as its writer meant."""
    examples = neighbours.labelled_examples()
    by_file = {
        path.name: labels
        for path in bench.SITUATION_FILES
        if (labels := bench.written_labels((path,)))
    }
    vectors = {
        name: embedding.encode([text for text, _ in labels]) for name, labels in by_file.items()
    }
    hits = {True: 0, False: 0}
    counts = {True: 0, False: 0}
    for left_out, labels in by_file.items():
        others = [name for name in by_file if name != left_out]
        written = readout.WrittenIntents(
            tuple(text for name in others for text, _ in by_file[name]),
            np.vstack([vectors[name] for name in others]),
            tuple(intent for name in others for _, intent in by_file[name]),
        )
        with blas.one_thread():
            fitted = readout.fit(neighbours.stored_index(), examples, written=written)
            odds = readout.intent_log_probabilities(
                fitted, vectors[left_out], [text for text, _ in labels]
            )
        first = (odds + PRIOR_SHIFT).argmax(axis=1)
        for (_, meant), label in zip(labels, first, strict=True):
            marked = meant != "none"
            counts[marked] += 1
            hits[marked] += INTENT_LABELS[label] == meant
        print(f"{left_out}: {len(labels)} beats", flush=True)
    print(
        f"intent readout, bag scale {bag.BAG_SCALE:g}: marked {hits[True] / counts[True]:.3f} "
        f"({counts[True]}), plain {hits[False] / counts[False]:.3f} ({counts[False]})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--validate", action="store_true", help="leave-one-file-out figures")
    parser.add_argument("--bag-scale", type=float, help="with --validate: the bag's length")
    args = parser.parse_args(argv)
    if args.validate:
        scale = bag.BAG_SCALE if args.bag_scale is None else args.bag_scale
        with mock.patch.object(bag, "BAG_SCALE", scale):
            validate()
        return 0
    labels = (DATA / neighbours.LABELS_FILE).read_text(encoding="utf-8")
    write_atomic(DATA / neighbours.STORE_FILE, neighbours.store_text(labels))
    neighbours.labelled_examples.cache_clear()  # read from the store just written
    arrays = index_arrays()
    write_npz(TARGET, arrays)
    print(f"wrote {TARGET} ({arrays['vectors'].shape[0]} examples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
