"""How often the camera honours the director's words, before and after the critic's repairs.

Plans generated scenes (random beats from the labelled examples, random cast size, set and
style, seeded) and reports, over every check of every plan: the pass rate of the director's
first wording (the baseline, measured in the same run) and of the repaired plan, and how many
shots needed a repair.

    .venv/bin/python bench/critic.py [--scenes 40] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace

from beatcam.affect import read_affect
from beatcam.affect.neighbours import labelled_examples
from beatcam.critic import critique
from beatcam.direct import STYLES, direct
from beatcam.model import Beat, Character, Scene
from beatcam.model.sets import PRESETS
from beatcam.pipeline import planning as pipeline

NAMES = ("Mara", "Tom", "Ines", "Kofi")


def scene(rng: random.Random, sentences: list[str], index: int) -> Scene:
    cast = tuple(Character(name) for name in NAMES[: rng.randint(1, 3)])
    texts = rng.sample(sentences, rng.randint(3, 9))
    lead = [f"{cast[0].name} waits."]  # name the cast so the beats have someone to be about
    beats = tuple(Beat(i, text) for i, text in enumerate(lead + texts))
    return Scene(
        title=f"Generated {index}",
        cast=cast,
        beats=beats,
        set_preset=rng.choice(sorted(PRESETS)),
        cast_explicit=True,
        source_sha256="0" * 64,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenes", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    sentences = [example.text for example in labelled_examples()]
    first_checks = first_passed = final_checks = final_passed = shots = repaired = 0
    start = time.perf_counter()
    for index in range(options.scenes):
        generated = scene(rng, sentences, index)
        style = rng.choice(sorted(STYLES))
        direction = direct(read_affect(generated), style)
        first = [pipeline._shot(spec, direction, generated, 0) for spec in direction.shots]
        unrepaired = pipeline._assemble(generated, direction, first, 0, ())
        verdict = critique(unrepaired)
        first_checks += len(verdict.checks)
        first_passed += len(verdict.checks) - len(verdict.failures)
        plan, final = pipeline.plan_scene(generated, style=style)
        final_checks += len(final.checks)
        final_passed += len(final.checks) - len(final.failures)
        shots += len(plan.shots)
        repaired += sum(
            1
            for before, after in zip(unrepaired.shots, plan.shots, strict=True)
            if replace(before, camera=after.camera) != after
        )
        for failure in final.failures:
            print(f"  still failing: {generated.title} {failure.target} {failure.rule}")
    seconds = time.perf_counter() - start
    print(f"{options.scenes} generated scenes, {shots} shots, {seconds:.1f} s")
    print(f"director's first wording (baseline): {first_passed / first_checks:.2%} of checks pass")
    print(f"after the critic's repairs:          {final_passed / final_checks:.2%} of checks pass")
    print(f"shots repaired: {repaired} ({repaired / shots:.1%})")


if __name__ == "__main__":
    main()
