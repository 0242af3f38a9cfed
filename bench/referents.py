"""Whom a beat is about, where its words say so with a pronoun, in screenplays others wrote.

Reads every scene of the public screenplays of tests/data/screenplays and compares the first
character of each action beat that ``bench/referents.yaml`` labels (a reader's answer, written
blind) with whom beatcam's affect stage reads it to be about: the shot's first subject. It
prints the share right over all labelled beats, over those the reader was sure of, and apart
for scenes of more than two people (where "she" may be any of several) and of two or fewer;
then each beat read otherwise. A label finds its beat by the beat's first words (``text``), so
a code that splits a scene otherwise (a writer's note is no beat) reads the same beats; a label
whose beat a code does not have is counted apart ("no such beat"). With ``--against REF``,
REF's code is read in the same run.

    .venv/bin/python bench/referents.py [--against REF]
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from cold_start import by_code

ROOT = Path(__file__).resolve().parents[1]
SCREENPLAYS = ROOT / "tests" / "data" / "screenplays"
LABELS = Path(__file__).resolve().parent / "referents.yaml"
# A reader's answer that names no one cast member: nothing for the first character to match.
NO_ONE = frozenset({"none", "group"})
PAIR = 2  # at most two people: a pronoun has at most one other to mean


def read() -> dict[str, object]:
    """This interpreter's beatcam against the labels: counts, and the beats read otherwise."""
    from beatcam.affect import read_affect
    from beatcam.script import read_scenes

    counts: Counter[str] = Counter()
    missed = []
    scenes: dict[str, tuple[object, ...]] = {}
    affects: dict[tuple[str, int], tuple[tuple[str, ...], ...]] = {}
    for label in yaml.safe_load(LABELS.read_text(encoding="utf-8")):
        if label["about"] in NO_ONE:
            continue
        script, number = label["script"], label["scene"]
        if script not in scenes:
            scenes[script] = read_scenes(str(SCREENPLAYS / script))
        scene = scenes[script][number]
        beat = next(
            (i for i, b in enumerate(scene.beats) if b.text.startswith(label["text"])), None
        )
        if beat is None:
            counts["no such beat"] += 1
            continue
        if (script, number) not in affects:
            affects[script, number] = tuple(a.characters for a in read_affect(scene).affects)
        people = affects[script, number][beat]
        right = bool(people) and people[0] == label["about"]
        crowd = "more than two" if len(scene.cast) > PAIR else "two or fewer"
        for group in ("all", crowd, *(("sure",) if label["confidence"] == "sure" else ())):
            counts[group] += 1
            counts[f"{group} right"] += right
        if not right:
            text = scene.beats[beat].text
            missed.append(
                f"{script} {number}:{beat} {label['about']} read as "
                f"{people[0] if people else 'no one'}: {text[:60]}"
            )
    return {"counts": dict(counts), "missed": missed}


def main() -> None:
    results = by_code(__doc__, __file__, read)
    print(f"{'beats':<16}" + "".join(f"{name:>16}" for name in results))
    for group in ("all", "sure", "more than two", "two or fewer"):
        cells = []
        for result in results.values():
            counts = result["counts"]
            assert isinstance(counts, dict)
            right, total = counts.get(f"{group} right", 0), counts.get(group, 0)
            cells.append(f"{right:>4}/{total:<4} {right / max(total, 1):.3f}")
        print(f"{group:<16}" + "".join(f"{cell:>16}" for cell in cells))
    absent = [result["counts"].get("no such beat", 0) for result in results.values()]
    print(f"{'no such beat':<16}" + "".join(f"{count:>16}" for count in absent))
    for name, result in results.items():
        missed = result["missed"]
        assert isinstance(missed, list)
        print(f"\n{name}: read otherwise ({len(missed)})")
        print("\n".join(f"  {line}" for line in missed))


if __name__ == "__main__":
    main()
