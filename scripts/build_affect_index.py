"""Rebuild src/beatcam/affect/data/labelled_beats.npz (vectors and readouts) and
labelled_beats.json (the beats pre-parsed, which a plan reads instead of the YAML) from
labelled_beats.yaml, and the intent readout from those beats and from the bench's tuning
situations whose writers named the intent they meant (``bench/director.py``'s
``written_labels``; held-out situations are never read).

Run after editing the labelled beats or a bench situation:
``.venv/bin/python scripts/build_affect_index.py``.
The archive is byte-reproducible: fixed member timestamps, float16 unit vectors, and the
SHA-256 of the example sentences so beatcam can tell a stale index from a fresh one.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import director as bench  # noqa: E402  (bench/ is not a package)
from beatcam import blas  # noqa: E402
from beatcam.affect import embedding, neighbours, readout  # noqa: E402
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


def main() -> int:
    labels = (DATA / neighbours.LABELS_FILE).read_text(encoding="utf-8")
    write_atomic(DATA / neighbours.STORE_FILE, neighbours.store_text(labels))
    neighbours.labelled_examples.cache_clear()  # read from the store just written
    arrays = index_arrays()
    write_npz(TARGET, arrays)
    print(f"wrote {TARGET} ({arrays['vectors'].shape[0]} examples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
