"""Fuzz every scene reader: random text and bytes must give scenes or one SceneError.

For the given number of minutes, builds inputs for each form (txt, md, yaml, fountain, fdx)
from lines that matter to that form mixed with random characters and raw bytes, reads each
with ``read_scenes`` and counts the cases and the crashes (any exception but SceneError, or a
SceneError of more than one line). Prints the first crash of each kind and exits 1 if any.

    .venv/bin/python bench/fuzz_readers.py [--minutes 10] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import time
import traceback
from collections import Counter
from collections.abc import Sequence

from beatcam.errors import SceneError
from beatcam.script import read_scenes

PIECES = {
    ".txt": ["# Title", "Cast: Mara, Tom", "Set: kitchen", "Set: moon", "- Mara runs.", "1. Tom"],
    ".md": ["# Title", "## Part", "---", "* Mara waits.", "Cast: ,", "Title: x"],
    ".yaml": ["beats:", "  - a beat", "  - text: x", "    seconds: 2", "cast: [Mara]", "fps: 0"],
    ".fountain": [
        "INT. KITCHEN - NIGHT",
        ".ИНТ. КУХНЯ",
        "MARA",
        "TOM (V.O.) ^",
        "@mccabe",
        "(beat)",
        "~la",
        ">THE END<",
        "> CUT",
        "!A",
        "/*",
        "*/",
        "[[set: moon]]",
        "===",
        "# act",
        "= synopsis",
        "Title: x",
    ],
    ".fdx": [
        "<FinalDraft><Content>",
        "</Content></FinalDraft>",
        '<Paragraph Type="Scene Heading"><Text>INT. A</Text></Paragraph>',
        '<Paragraph Type="Character"><Text>MARA (O.S.)</Text></Paragraph>',
        '<Paragraph Type="Dialogue"><Text>Hi.</Text></Paragraph>',
        '<Paragraph Type="Parenthetical"><Text>(pause)</Text></Paragraph>',
        "<Paragraph><DualDialogue>",
        "</DualDialogue></Paragraph>",
        "<!DOCTYPE x [<!ENTITY a 'b'>]>",
        "&a;",
    ],
}
ALPHABET = "abcXYZ .:-_*~!@#^()[]/<>&'\"\t\u00e9\u0416\u5185\ufeff\r"


def case(rng: random.Random, suffix: str) -> bytes:
    """One input for ``suffix``: form lines and random text, sometimes raw bytes."""
    if rng.random() < 0.1:
        return rng.randbytes(rng.randint(0, 400))
    lines = []
    for _ in range(rng.randint(0, 30)):
        if rng.random() < 0.6:
            lines.append(rng.choice(PIECES[suffix]))
        else:
            lines.append("".join(rng.choices(ALPHABET, k=rng.randint(0, 25))))
    joiner = "" if suffix == ".fdx" and rng.random() < 0.5 else rng.choice(["\n", "\n\n", "\r\n"])
    return joiner.join(lines).encode()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to fuzz")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    cases: Counter[str] = Counter()
    crashes: Counter[str] = Counter()
    deadline = time.monotonic() + args.minutes * 60.0
    while time.monotonic() < deadline:
        suffix = rng.choice(list(PIECES))
        data = case(rng, suffix)
        cases[suffix] += 1
        try:
            read_scenes(f"fuzz{suffix}", data)
        except SceneError as err:
            if "\n" in str(err):
                crashes[suffix] += 1
                print(f"{suffix}: multi-line SceneError for {data[:200]!r}")
        except Exception:
            crashes[suffix] += 1
            if crashes[suffix] == 1:
                print(f"{suffix}: crash for {data[:200]!r}\n{traceback.format_exc()}")
    for suffix in PIECES:
        print(f"{suffix:10} {cases[suffix]:8,} cases {crashes[suffix]:4} crashes")
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
