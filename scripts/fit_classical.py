"""Fit the classical style's rule weights to the books (src/beatcam/direct/data/classical.yaml).

Classical coverage is the grammar the cinematography books teach, so its weights are chosen
to agree with them. Starting from every rule at its default weight, a coordinate ascent tries
each rule (and each sequence term) at every weight of ``GRID`` in turn, keeps the one that
raises the objective by at least ``MIN_GAIN``, and sweeps again, ``MAX_SWEEPS`` times at most.
The objective is the mean agreement over size, angle, movement, dutch, framing and the whole
shot (as ``bench/director.py`` scores them) on the tuning split of ``bench/situations.yaml``:
the held-out split is never read. No weight goes below ``GRID[0]``, so no rule of the grammar
is silenced, only balanced against the others.

Only the director runs in the loop (camera moves and critic repairs change few shots and cost
ten times the time); each situation's affect is read once. Deterministic: the same situations
give the same weights. About 15–25 minutes on two cores (17 on 460 situations).

    .venv/bin/python scripts/fit_classical.py [--workers N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import director as bench  # noqa: E402  (bench/ is not a package)
from beatcam.direct import Style, direct  # noqa: E402
from beatcam.direct.grammar import RULES  # noqa: E402
from beatcam.direct.sequence import SEQUENCE_RULES  # noqa: E402
from beatcam.files import atomic_path  # noqa: E402
from beatcam.model import AffectedScene  # noqa: E402
from beatcam.pipeline import read_affect  # noqa: E402

TARGET = ROOT / "src/beatcam/direct/data/classical.yaml"
GRID = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
MIN_GAIN = 0.001  # about two situations' worth of agreement in one field
# Early stopping: from the fourth sweep on the gains are trades of a few situations, with weights
# swinging from end to end of the grid (3 -> 0.25 -> 1.5), which is fitting noise.
MAX_SWEEPS = 3
OBJECTIVE = ("size", "angle", "movement", "dutch", "framing", bench.WHOLE_SHOT)
# Rules that only some styles switch on (default weight 0) are not part of the books' grammar.
FITTED = (*(rule.name for rule in RULES if rule.default_weight > 0), *SEQUENCE_RULES)
HEADER = """\
# The classical style's rule weights, fitted to the cinematography books by
# scripts/fit_classical.py on the tuning split of bench/situations.yaml (do not edit by hand:
# rerun the script). A weight multiplies every score its rule gives; rules not listed keep
# their default weight.
"""

_staged: list[tuple[bench.Situation, AffectedScene, int]] = []


def _stage(situations: Sequence[bench.Situation]) -> None:
    """Read every situation's affect once, before the workers fork."""
    for situation in situations:
        scene, beat = bench.scene_for(situation)
        _staged.append((situation, read_affect(scene), beat))


def agreements(weights: Mapping[str, float]) -> dict[str, float]:
    """Agreement per objective field with the books when classical has ``weights``."""
    style = Style("classical", "fitting", weights=dict(weights))
    outcomes = []
    for situation, affected, beat in _staged:
        shots = tuple(
            bench.shot_values(shot) for shot in direct(affected, style).shots if shot.beat == beat
        )
        outcomes.append(bench.Outcome(situation, shots, 1.0))
    return {field: bench.agreement(outcomes, field)[0] for field in OBJECTIVE}


def objective(weights: Mapping[str, float]) -> float:
    scores = agreements(weights)
    return sum(scores.values()) / len(scores)


def fit(workers: int) -> tuple[dict[str, float], float]:
    weights = dict.fromkeys(FITTED, 1.0)
    best = objective(weights)
    print(f"start: objective {best:.4f}", flush=True)
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for sweep in range(1, MAX_SWEEPS + 1):
            changed = False
            for name in FITTED:
                trials = [{**weights, name: value} for value in GRID if value != weights[name]]
                scores = pool.map(objective, trials)
                # Ties go to the weight nearest the rule's default.
                pick = max(
                    range(len(trials)), key=lambda i: (scores[i], -abs(trials[i][name] - 1.0))
                )
                if scores[pick] >= best + MIN_GAIN:
                    print(
                        f"sweep {sweep}: {name!r} {weights[name]:g} -> {trials[pick][name]:g}"
                        f"  objective {best:.4f} -> {scores[pick]:.4f}",
                        flush=True,
                    )
                    weights, best, changed = trials[pick], scores[pick], True
            if not changed:
                break
    return weights, best


def write(weights: Mapping[str, float], before: Mapping[str, float], situations: int) -> None:
    after = agreements(weights)
    document = {
        "fitted_on": f"bench/situations.yaml, tuning split ({situations} situations)",
        "agreement": {
            field: {"default weights": round(before[field], 3), "fitted": round(after[field], 3)}
            for field in OBJECTIVE
        },
        "weights": {name: weights[name] for name in FITTED if weights[name] != 1.0},
    }
    with atomic_path(TARGET) as temporary:
        temporary.write_text(
            HEADER + yaml.safe_dump(document, sort_keys=False, width=100), encoding="utf-8"
        )
    for field in OBJECTIVE:
        print(f"{field:12s} {before[field]:.3f} -> {after[field]:.3f}")
    print(f"wrote {TARGET.relative_to(ROOT)}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="processes scoring trials")
    args = parser.parse_args(argv)
    situations = [s for s in bench.load_situations() if not s.held_out]
    print(f"reading the affect of {len(situations)} tuning situations", flush=True)
    _stage(situations)
    before = agreements(dict.fromkeys(FITTED, 1.0))
    weights, _ = fit(args.workers)
    write(weights, before, len(situations))
    return 0


if __name__ == "__main__":
    sys.exit(main())
