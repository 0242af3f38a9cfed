"""How the director covers screenplays others wrote: the public scripts of tests/data/screenplays.

Plans every scene of every public screenplay there (their licences are in its SOURCES.md) and
counts what a DP reading the plans would:
- the shots that keep the camera still or at eye level;
- the scenes without a single move;
- the establishing shots and the over-the-shoulders;
- the plans that fail their own critic.

For dialogue it counts:
- how often a line's shot moves;
- how often a cut from one line to the next keeps the size;
- the lines whose first shot is on another face than their speaker's (lines heard off screen
  apart);
- the lines heard, not seen.

With ``--against REF``, REF's code plans the same scripts in the same run, beside this code's.

    .venv/bin/python bench/screenplays.py [--against REF]
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from pathlib import Path

from cold_start import by_code

ROOT = Path(__file__).resolve().parents[1]
SCREENPLAYS = ROOT / "tests" / "data" / "screenplays"
SUFFIXES = (".fountain", ".fdx")
# The figures in the order they are printed, with how each is written.
FIGURES = (
    ("scenes", "{:.0f}"),
    ("shots", "{:.0f}"),
    ("static", "{:.3f}"),
    ("eye level", "{:.3f}"),
    ("push-ins", "{:.0f}"),
    ("scenes without a move", "{:.0f}"),
    ("establishing shots", "{:.0f}"),
    ("over-the-shoulders", "{:.0f}"),
    ("plans failing their critic", "{:.0f}"),
    ("lines", "{:.0f}"),
    ("lines heard, not seen", "{:.0f}"),
    ("line shots moving", "{:.3f}"),
    ("same-size cuts between lines", "{:.3f}"),
    ("lines seen opening on another face", "{:.0f}"),
)


def figures() -> dict[str, float]:
    """The figures of this interpreter's beatcam (see module doc), the cache off."""
    from beatcam.pipeline import plan_scene
    from beatcam.script import read_scenes

    counts: Counter[str] = Counter()
    moving_lines = line_shots = same_size = line_cuts = 0
    for path in sorted(p for p in SCREENPLAYS.iterdir() if p.suffix in SUFFIXES):
        for scene in read_scenes(str(path)):
            plan, verdict = plan_scene(scene)
            counts["scenes"] += 1
            counts["plans failing their critic"] += verdict.pass_rate < 1.0
            counts["scenes without a move"] += all(s.movement == "static" for s in plan.shots)
            for shot in plan.shots:
                counts["shots"] += 1
                counts["static"] += shot.movement == "static"
                counts["eye level"] += shot.angle == "eye_level"
                counts["push-ins"] += shot.movement == "push_in"
                counts["establishing shots"] += shot.framing == "establishing"
                counts["over-the-shoulders"] += shot.framing == "over_shoulder"
            heard = {b.index for b in scene.beats if getattr(b, "unseen", False)}
            spoken = {beat.index: beat.speaker for beat in scene.beats if beat.speaker}
            counts["lines"] += len(spoken)
            counts["lines heard, not seen"] += len(heard)
            first = {shot.beat: shot for shot in reversed(plan.shots)}
            counts["lines seen opening on another face"] += sum(
                first[index].subjects[:1] != (speaker,)
                for index, speaker in spoken.items()
                if index not in heard
            )
            on_lines = [shot for shot in plan.shots if shot.beat in spoken]
            line_shots += len(on_lines)
            moving_lines += sum(shot.movement != "static" for shot in on_lines)
            for before, after in pairwise(on_lines):
                if after.beat != before.beat:
                    line_cuts += 1
                    same_size += after.size == before.size
    shots = max(1, counts["shots"])
    return {
        **{name: float(counts[name]) for name, _ in FIGURES},
        "static": counts["static"] / shots,
        "eye level": counts["eye level"] / shots,
        "line shots moving": moving_lines / max(1, line_shots),
        "same-size cuts between lines": same_size / max(1, line_cuts),
    }


def main() -> None:
    results = by_code(__doc__, __file__, figures)
    print(f"{'figure':<38}" + "".join(f"{name:>12}" for name in results))
    for figure, style in FIGURES:
        row = [style.format(result[figure]) for result in results.values()]
        print(f"{figure:<38}" + "".join(f"{value:>12}" for value in row))


if __name__ == "__main__":
    main()
