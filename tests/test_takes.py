"""A cut changes what we see: a beat never cuts from a shot to the very same shot."""

from __future__ import annotations

import dataclasses
import itertools
import json
import subprocess
import sys
from pathlib import Path

from beatcam.affect import read_affect
from beatcam.direct import direct
from beatcam.script import read_scenes

ROOT = Path(__file__).resolve().parents[1]
# A long, lifted beat the director covers in two slots, both of which want the same crane up.
VALLEY = """# The Valley
Cast: Priya
Priya kneels in the trench at dawn, brushing earth from a row of clay pots.
Priya brushes the dust from a single carved stone tooth, then rises to find it belongs to a \
giant statue buried across the whole valley floor.
She sits down on the edge of the trench and laughs.
"""
SHOT_FIELDS = ("size", "end_size", "angle", "dutch_deg", "movement", "framing", "subjects")


def _same_shot_cuts(shots: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [
        (before["id"], after["id"])
        for before, after in itertools.pairwise(shots)
        if before["beat"] == after["beat"]
        and all(before[field] == after[field] for field in SHOT_FIELDS)
    ]


def test_a_beat_plays_one_shot_whole_rather_than_cutting_to_it_again(tmp_path: Path) -> None:
    scene = tmp_path / "valley.txt"
    scene.write_text(VALLEY, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "beatcam", "plan", str(scene), "-o", str(tmp_path / "out"), "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    plan = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    shots = plan["shots"]
    assert not _same_shot_cuts(shots)
    # The discovery is one crane up over the whole beat, every frame of it tracked.
    discovery = [shot for shot in shots if shot["beat"] == 1]
    beat = next(beat for beat in plan["beats"] if beat["index"] == 1)
    assert [shot["movement"] for shot in discovery] == ["crane_up"]
    assert discovery[0]["frames"] == beat["frames"] == len(discovery[0]["camera"]["position"])


def test_every_example_cuts_only_to_another_shot() -> None:
    for example in sorted((ROOT / "examples").glob("*.*")):
        for scene in read_scenes(str(example), example.read_bytes()):
            direction = direct(read_affect(scene))
            shots = [dataclasses.asdict(spec) for spec in direction.shots]
            assert not _same_shot_cuts(shots), example.name


def test_shot_lengths_the_writer_asked_for_keep_their_cuts(tmp_path: Path) -> None:
    (scene,) = read_scenes(str(tmp_path / "valley.txt"), VALLEY.encode("utf-8"))
    asked = dataclasses.replace(
        scene,
        beats=tuple(
            dataclasses.replace(beat, shot_seconds=((0, 3.0),)) if beat.index == 1 else beat
            for beat in scene.beats
        ),
    )
    shots = [spec for spec in direct(read_affect(asked)).shots if spec.beat == 1]
    assert len(shots) == 2
    assert shots[0].frames == round(3.0 * scene.fps)
