"""The words a scene calls its cast by: every stage finds the same person in "Bob" where the
screenplay's cast says CYBER BOB, and nobody in "the two of them" where it says PATRON TWO."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from beatcam.model.scene import Beat, CastNames, Character, Scene
from beatcam.pipeline import plan_scene
from beatcam.script import read_scenes

SCREENPLAYS = Path(__file__).resolve().parent / "data" / "screenplays"
LAB = """INT. LAB - DAY

CYBER BOB, 40, stands by the window. CYBER BOSS, ageless, waits at the desk.

CYBER BOSS
Sit down.

Bob sits down and folds his arms.
"""


def called(cast: tuple[str, ...], *texts: str) -> dict[tuple[str, ...], str]:
    return dict(CastNames.of([Character(name) for name in cast], texts).names)


def test_a_unique_last_word_calls_its_person_unless_the_scene_writes_it_lower_case() -> None:
    words = called(
        ("Cyber Bob", "Cyber Boss", "Patron Two", "Patron Five", "Jacob Billups", "Dick Steel"),
        "Bob waves at Boss. The two of them laugh.",
        "Billups reads for five minutes; a steel door slams.",
    )
    assert words[("bob",)] == "Cyber Bob"
    assert words[("boss",)] == "Cyber Boss"
    assert words[("billups",)] == "Jacob Billups"
    assert words[("jacob",)] == "Jacob Billups"  # a unique first word, as before
    assert words[("cyber", "bob")] == "Cyber Bob"
    for nobody in ("two", "five", "steel", "cyber", "patron"):
        assert (nobody,) not in words, nobody  # lower case in the text, or shared


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(["Ana", "Bob", "Cyber", "Two", "Lee", "Park"]), min_size=1, max_size=3
        ),
        min_size=1,
        max_size=4,
        unique_by=tuple,
    ),
    st.text(alphabet="abcdefg ABob.two", max_size=40),
)
def test_every_word_calls_one_person_who_has_it_in_their_name(
    names: list[list[str]], text: str
) -> None:
    cast = tuple(" ".join(words) for words in names)
    words = CastNames.of([Character(name) for name in cast], [text]).names
    shortened: dict[tuple[str, ...], str] = {}
    for sequence, name in words:
        assert name in cast
        assert set(sequence) <= {word.lower() for word in name.split()}
        if sequence != tuple(name.lower().split()):  # a shortened name calls one person
            assert shortened.setdefault(sequence, name) == name
            assert sequence not in {tuple(other.lower().split()) for other in cast}
    lengths = [len(sequence) for sequence, _ in words]
    assert lengths == sorted(lengths, reverse=True)  # the longest name is tried first


def test_bob_sits_and_the_camera_is_on_him() -> None:
    """At the start code "Bob sits down" named nobody: the beat was shot on Cyber Boss, whose
    beat came before, and nobody sat."""
    (scene,) = read_scenes("lab.fountain", LAB.encode("utf-8"))
    plan, verdict = plan_scene(scene)
    (beat,) = [beat for beat in plan.beats if beat.text.startswith("Bob sits")]
    assert beat.affect.characters[0] == "Cyber Bob"
    shots = [shot for shot in plan.shots if shot.beat == beat.index]
    assert shots and all(shot.subjects[0] == "Cyber Bob" for shot in shots)
    last = beat.start_frame + beat.frames - 1
    assert plan.blocking["Cyber Bob"].pose[last] == "sit"
    assert verdict.passed


def test_the_screenplay_shoots_bob_where_it_says_bob() -> None:
    """Cyber Bob's sewer scene: "Bob shouts at the phone" and "Bob is affronted" were shot on
    the dog at the start code (the beats named nobody, so the dog's beat before carried)."""
    scenes = read_scenes(str(SCREENPLAYS / "cyber-bob-ep00001.fountain"))
    for opening in ("Bob shouts at the phone.", "Bob is affronted."):
        (scene,) = [s for s in scenes if any(beat.text == opening for beat in s.beats)]
        plan, _ = plan_scene(scene)
        (beat,) = [beat for beat in plan.beats if beat.text == opening]
        shots = [shot for shot in plan.shots if shot.beat == beat.index]
        assert shots and shots[0].subjects[0] == "Cyber Bob", opening


def test_a_common_first_word_calls_nobody() -> None:
    """THE DOCTOR is not "the door", OLD MAN not "an old photograph"."""
    words = called(("The Doctor", "Old Man", "Amy"), "Amy opens the door.", "an old photograph")
    assert ("the",) not in words and ("old",) not in words
    assert words[("doctor",)] == "The Doctor"  # never written in lower case here


def test_the_director_finds_names_in_any_script_as_the_reading_does() -> None:
    """Zoë, Renée and Seán O’Brien sit because their beats say so: the director's words had
    been ASCII only, so it found none of them (and sat nobody) where the reading found all."""
    cast = (Character("Zoë"), Character("Renée Dupont"), Character("Seán O’Brien"))
    texts = ("Zoë sits down.", "Renée sits on the bench.", "O’Brien sits by the door.")
    scene = Scene("names", cast, tuple(Beat(index, text) for index, text in enumerate(texts)))
    plan, _ = plan_scene(scene)
    for beat, member in zip(plan.beats, cast, strict=True):
        assert beat.affect.characters[0] == member.name
        last = beat.start_frame + beat.frames - 1
        assert plan.blocking[member.name].pose[last] == "sit", member.name
