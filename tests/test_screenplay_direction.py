"""Screenplays directed: dialogue covered as a DP would, camera words taken as hints."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

from beatcam.export import plan_json
from beatcam.model import ShotPlan
from beatcam.model.vocab import SIZES
from beatcam.pipeline import plan_scene
from beatcam.script import read_scenes

KITCHEN = """\
Title: The Rent

INT. KITCHEN - NIGHT

MARA, 30s, sits at the table with a stack of unopened bills. TOM, 30s, comes in with the shopping.

TOM
You didn't open them.

MARA
(quietly)
I can't.

TOM
Mara, we're three months behind.

MARA
I know. I know what we are.

Tom sets the bags down and sits across from her.

TOM
Then open them with me.
"""

HINTS = """\
INT. STAIRWELL - NIGHT

ANA climbs the last steps. Overhead POV, whip pan, extreme close up on her eyes, crane up.

ANA
Is anyone there?

EXT. ROOF - NIGHT

Worm's eye view as Ana runs to the edge. The camera pulls back to reveal the whole city.
"""


def test_dialogue_is_covered_from_the_speaker_with_reverses_and_shared_frames() -> None:
    (scene,) = read_scenes("rent.fountain", KITCHEN.encode())
    plan, verdict = plan_scene(scene)
    assert verdict.pass_rate == 1.0
    spoken = [beat for beat in plan.beats if beat.speaker is not None]
    assert [beat.speaker for beat in spoken] == ["Tom", "Mara", "Tom", "Mara", "Tom"]
    first_shots = {
        beat.index: next(shot for shot in plan.shots if shot.beat == beat.index) for beat in spoken
    }
    # The camera is on whoever speaks: they are the first shot's subject (facing it, in an
    # over-the-shoulder), and the line is played between them and the one they answer.
    for beat in spoken:
        assert first_shots[beat.index].subjects[0] == beat.speaker
        assert set(beat.affect.characters) == {"Mara", "Tom"}
    # Shot / reverse shot: consecutive lines by different people cut across the exchange.
    for before, after in pairwise(spoken):
        assert first_shots[before.index].subjects[0] != first_shots[after.index].subjects[0]
    framings = {shot.framing for shot in plan.shots if plan.beats[shot.beat].speaker}
    assert framings & {"over_shoulder", "two_shot"}, framings


def test_camera_words_in_a_screenplay_are_hints_never_failures(tmp_path: Path) -> None:
    script = tmp_path / "hints.fountain"
    script.write_text(HINTS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "beatcam", "plan", str(script), "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    whys = []
    for folder in sorted((tmp_path / "out").iterdir()):
        if folder.is_dir():
            document = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
            assert all(beat["speaker"] in (None, "Ana") for beat in document["beats"])
            whys += [shot["why"] for shot in document["shots"]]
    said = [why for why in whys if "asked for in the script" in why]
    assert said, whys
    # What the set could not give is named in crew words, not refused.
    assert any("cannot be shot here" in why for why in said), said


SAID_NOT_DONE = """\
INT. STUDIO - DAY

SCOTT, 30s, leans on his desk. BAXTER, 30s, tunes a guitar across the room.

SCOTT
I was going to go down to the gallery tomorrow. I've got to run.

BAXTER
Then run.

Scott walks to the window.
"""


def test_a_line_of_dialogue_is_said_not_acted(tmp_path: Path) -> None:
    """A speaker who says "I've got to run" keeps their mark while saying it; an action
    line that walks someone moves them (so the measure can tell the two apart)."""
    script = tmp_path / "studio.fountain"
    script.write_text(SAID_NOT_DONE, encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "beatcam", "plan", str(script), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (folder,) = (path for path in out.iterdir() if path.is_dir())
    document = json.loads((folder / "plan.json").read_text(encoding="utf-8"))
    beats = document["beats"]
    assert [beat["speaker"] for beat in beats] == [None, "Scott", "Baxter", None]

    def travel_m(name: str, beat: dict[str, object]) -> float:
        start, frames = int(str(beat["start_frame"])), int(str(beat["frames"]))
        path = document["blocking"][name]["position"][start : start + frames]
        return sum(math.dist(a, b) for a, b in pairwise(path))

    assert travel_m("Scott", beats[1]) == 0.0
    assert travel_m("Baxter", beats[2]) == 0.0
    assert travel_m("Scott", beats[3]) > 1.0


def _planned_lines(screenplay: str, title: str, nth: int = 0) -> tuple[ShotPlan, set[int]]:
    """The ``nth`` scene headed ``title`` of a public screenplay of data/screenplays (see its
    SOURCES.md), planned and passing its own critic, and the indices of its beats that are
    lines of dialogue."""
    path = Path(__file__).parent / "data" / "screenplays" / f"{screenplay}.fountain"
    headed = [scene for scene in read_scenes(str(path), path.read_bytes()) if scene.title == title]
    plan, verdict = plan_scene(headed[nth])
    assert verdict.pass_rate == 1.0
    return plan, {beat.index for beat in plan.beats if beat.speaker is not None}


def test_an_exchange_of_lines_is_cut_on_faces_matched_in_size() -> None:
    """A public screenplay's exchange between two (The Last Birthday Card, scene 32, see
    data/screenplays/SOURCES.md): no line is covered with an insert, which would frame the
    speaker's empty hands, and most cuts from one line to the next keep the size (matched
    reverse angles), none by more than three steps."""
    plan, spoken = _planned_lines("the-last-birthday-card", "ON THE TV")
    assert len(spoken) >= 15
    assert all(shot.framing != "insert" for shot in plan.shots if shot.beat in spoken)
    steps = [
        abs(SIZES.index(before.size) - SIZES.index(after.size))
        for before, after in pairwise(plan.shots)
        if {before.beat, after.beat} <= spoken and before.beat != after.beat
    ]
    assert len(steps) >= 12
    assert sum(step == 0 for step in steps) > len(steps) / 2, steps
    assert max(steps) <= 3, steps


def test_an_exchange_builds_to_one_turn_pushed_in_on_a_clean_single() -> None:
    """The Last Birthday Card's hillside standoff (19 lines, their action between) as a DP
    shapes an exchange: no line's reverse is tighter than the line it turns on, which comes
    late, is the only line the camera moves on, and is pushed in on in a clean single of its
    speaker. (This was the same film's kitchen call, at the start code of issue 14 fourteen
    locked-off over-the-shoulders at MS and MCU; since the intent readout is fitted to its
    optimum, the kitchen's turn, "I can handle him.", reads a little more vulnerable and is
    held in an over-the-shoulder, 0.03 ahead of the push-in.)"""
    plan, lines = _planned_lines("the-last-birthday-card", "EXT. MARIN HILLSIDE, THE NEXT DAY")
    assert (len(lines), len(plan.beats)) == (19, 50)
    on_lines = [shot for shot in plan.shots if shot.beat in lines]
    moving = [shot for shot in on_lines if shot.movement != "static"]
    assert [shot.movement for shot in moving] == ["push_in"], moving
    (turn,) = moving
    assert turn.beat >= len(plan.beats) // 2
    assert turn.framing == "single"
    assert turn.subjects == (plan.beats[turn.beat].speaker,)
    before = [SIZES.index(shot.size) for shot in on_lines if shot.beat < turn.beat]
    assert before[0] == min(before) < max(before) <= SIZES.index(turn.size), before


def test_a_line_after_its_speaker_acts_is_still_shot_on_the_speaker() -> None:
    """The Last Birthday Card's hillside standoff (19 lines, their action between): a line
    said by the one the last action shot was on is the speaker's too, not a cut away to
    whoever listens ("Nak's smile glimmers." / NAK: "Actually, watch this.", the turn pushed
    in on, had been shot on Scott). Every line the camera moves on is on its speaker, and at
    most two open on another face (three, the moving turn among them, at the start code)."""
    plan, lines = _planned_lines("the-last-birthday-card", "EXT. MARIN HILLSIDE, THE NEXT DAY")
    first = {shot.beat: shot for shot in reversed(plan.shots)}
    assert len(lines) == 19
    elsewhere = [index for index in lines if first[index].subjects[0] != plan.beats[index].speaker]
    assert len(elsewhere) <= 2, elsewhere
    moving = [shot for shot in plan.shots if shot.beat in lines and shot.movement != "static"]
    assert moving
    assert all(shot.subjects[0] == plan.beats[shot.beat].speaker for shot in moving), moving


OFF_SCREEN = """\
INT. KITCHEN - NIGHT

MARA, 30s, chops onions at the counter.

TOM (O.S.)
Is dinner ready?

MARA
Ten minutes!

TOM (O.S.)
I'm starving.

MARA
Then come and help.

TOM enters, rubbing his hands.

TOM
What can I do?
"""


def test_a_voice_off_screen_is_played_on_whom_it_is_said_to() -> None:
    """Lines cued O.S. are heard while the camera stays on the one who hears them: no shot of
    those lines frames their speaker (every shot of them was on Tom, still off stage), their
    why says he is heard, and plan.json keeps it; once he walks in, his own line is on him."""
    (scene,) = read_scenes("kitchen.fountain", OFF_SCREEN.encode())
    plan, verdict = plan_scene(scene)
    assert verdict.pass_rate == 1.0
    heard = [beat.index for beat in scene.beats if beat.unseen]
    assert heard == [1, 3]
    for shot in plan.shots:
        if shot.beat in heard:
            assert shot.subjects == ("Mara",), shot
            assert shot.reason.heard == "Tom" and "Tom is heard off screen." in shot.why
        else:
            assert not shot.reason.heard and "heard off screen" not in shot.why
    again = plan_json.loads(plan_json.dumps(plan))
    assert [shot.reason for shot in again.shots] == [shot.reason for shot in plan.shots]
    (seen,) = [shot for shot in plan.shots if shot.beat == 6][:1]
    assert seen.subjects[0] == "Tom"


def test_a_voice_only_heard_is_never_on_the_set() -> None:
    """A voice heard off screen and never seen (Tom never comes in, and his mother calls from
    upstairs) is no one on the set: the scene is planned with Mara alone, every line on her."""
    heard = OFF_SCREEN.split("TOM enters")[0] + "MOTHER (O.S.)\nStop shouting, both of you.\n"
    (scene,) = read_scenes("kitchen.fountain", heard.encode())
    assert [character.name for character in scene.cast] == ["Mara"]
    plan, verdict = plan_scene(scene)
    assert verdict.pass_rate == 1.0
    assert {shot.subjects for shot in plan.shots if shot.framing != "establishing"} == {("Mara",)}


def test_an_intercut_call_is_shot_on_this_side_and_heard_from_the_other() -> None:
    """The Last Birthday Card's first call ("> INTERCUT WITH:" from Baxter's flat to Scott's):
    Baxter, at the far end of the line, is not staged in Scott's flat with him (he was, and
    the two were covered in each other's company); every shot is on Scott, and Baxter's lines
    say he is heard."""
    plan, lines = _planned_lines("the-last-birthday-card", "INT. SCOTT'S APARTMENT")
    assert "Baxter" not in plan.blocking.tracks
    assert {shot.subjects for shot in plan.shots} == {("Scott",)}
    baxters = {beat.index for beat in plan.beats if beat.speaker == "Baxter"}
    assert len(baxters) >= 5 and baxters <= lines
    for shot in plan.shots:
        assert ("Baxter is heard off screen." in shot.why) == (shot.beat in baxters)


def test_a_shot_heading_begins_the_action_it_runs_on_into() -> None:
    """The same kitchen: the script's shot headings ".THE FINGER" and ".SCOTT" run on into
    their action ("clicks off the speakerphone.", "hangs up. He looks dazed."), so they are
    shots of the scene, not scenes of their own, and "SCOTT hangs up" is shot on Scott."""
    plan, lines = _planned_lines("the-last-birthday-card", "SCOTT, IN BAXTER'S KITCHEN")
    (hangs_up,) = [beat for beat in plan.beats if beat.text.startswith("SCOTT hangs up.")]
    assert hangs_up.index not in lines
    assert {shot.subjects[0] for shot in plan.shots if shot.beat == hangs_up.index} == {"Scott"}


def test_a_line_that_speaks_of_fire_is_not_a_fire() -> None:
    """Pulpit Fire's monologue (see data/screenplays/SOURCES.md): "Oh yes. Fire. Fire, fire,
    fire." is said, so no line reads chaos, a chase or a fall, and none is shot handheld (two
    were at the start code); "Fire appears around him", an action line, still reads chaos."""
    plan, lines = _planned_lines("pulpit-fire", "INT. SUPERNACLE--DAY")
    happenings = {"chaos", "pursuit", "vertigo"}
    assert len(lines) >= 8
    for beat in plan.beats:
        read = {name for name, p in beat.affect.intent_belief.items() if p > 0.0}
        if beat.index in lines:
            assert not read & happenings, (beat.text, read)
        elif beat.text == "Fire appears around him.":
            assert "chaos" in read
    assert all(shot.movement != "handheld" for shot in plan.shots if shot.beat in lines)


def test_no_line_of_dialogue_shakes_the_camera() -> None:
    """The Library Freak-Out's long exchange (scene 2): a shaken camera needs a body in
    physical chaos, so no line is shot handheld, whatever its words (two were at the start
    code, on "Shushing is louder than burp why?" and its answer)."""
    plan, lines = _planned_lines("the-library-freak-out", "INT. LIBRARY--DAY")
    assert len(lines) >= 30
    assert all(shot.movement != "handheld" for shot in plan.shots if shot.beat in lines)


def test_a_lie_an_earlier_beat_began_does_not_hold_the_camera_still() -> None:
    """A body at rest holds the camera still where the beat says they lie ("Tom lies still and
    stares up"), not for every beat after a fall: Yorblef collapses at the guru's feet and talks
    on from the ground for twenty beats, and the first version of this rule held every one of them
    locked off, his jolt of realisation too (459c1ee; a push-in before it)."""
    path = Path(__file__).parent / "data" / "screenplays" / "ascent-to-guru-peak.fountain"
    scene = next(s for s in read_scenes(str(path)) if any("collapses" in b.text for b in s.beats))
    plan, _ = plan_scene(scene)
    after_the_fall = [
        shot
        for shot in plan.shots
        if shot.beat > 2
        and shot.subjects[:1] == ("Yorblef",)
        and "lie" in plan.blocking["Yorblef"].pose[shot.start_frame :][: shot.frames]
    ]
    assert len(after_the_fall) >= 10
    for shot in after_the_fall:
        assert "a body at rest holds still" not in dict(shot.reason.rules), shot.why
    jolt = next(shot for shot in plan.shots if "jolts in realization" in plan.beats[shot.beat].text)
    assert jolt.movement != "static"
