"""Whom "he" and "she" mean, learned from the scene's own text: a beat is about the person it
says, so its characters (and its shot's first subject) start with that person."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from beatcam.affect import read_affect
from beatcam.affect.entities import PRONOUNS, mentions
from beatcam.affect.words import tokenize
from beatcam.model.scene import Beat, CastNames, Character, Scene
from beatcam.pipeline import plan_scene
from beatcam.script import read_scenes
from conftest import BEATCAM, run_ok

STANDOFF = Path(__file__).resolve().parents[1] / "examples" / "standoff.md"
SCREENPLAYS = Path(__file__).resolve().parent / "data" / "screenplays"
REACTION = 4  # "He laughs once, then sees that she is not joking, ...": Colm's reaction


def scene_of(*texts: str, cast: tuple[str, ...] = ("Mara", "Tom")) -> Scene:
    return Scene(
        "test",
        tuple(Character(name) for name in cast),
        tuple(Beat(index, text) for index, text in enumerate(texts)),
    )


def characters_of(*texts: str, cast: tuple[str, ...] = ("Mara", "Tom")) -> list[tuple[str, ...]]:
    return [affect.characters for affect in read_affect(scene_of(*texts, cast=cast)).affects]


def test_the_offer_reaction_is_colms() -> None:
    (scene,) = read_scenes(str(STANDOFF))
    read = [affect.characters for affect in read_affect(scene).affects]
    assert scene.beats[REACTION].text.startswith("He laughs once")
    assert read[REACTION] == ("Colm", "Vera")
    assert read[REACTION - 1] == ("Vera", "Colm")  # "Vera ... tells him": Colm joins, after her
    assert read[-2][0] == "Colm"  # "He straightens to his full height, ..."


def test_the_offer_plan_films_colms_reaction_on_colm(tmp_path: Path) -> None:
    run_ok([*BEATCAM, "plan", str(STANDOFF), "-o", str(tmp_path), "-q"])
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert plan["beats"][REACTION]["text"].startswith("He laughs once")
    shots = [shot for shot in plan["shots"] if shot["beat"] == REACTION]
    assert shots
    assert all(shot["subjects"][0] == "Colm" for shot in shots)


def test_a_pronoun_refers_back_within_its_beat() -> None:
    read = characters_of(
        "Mara reads the letter and she smiles.", "Tom comes in.", "She looks up at him."
    )
    # "she" is Mara's within her beat, so "She looks up" is Mara's, not the beat before's.
    assert read == [("Mara",), ("Tom",), ("Mara",)]  # nothing says Tom is "him"


def test_an_unsettled_pronoun_keeps_the_people_of_the_beat_before() -> None:
    cast = ("Jonah", "Kite")
    read = characters_of(
        "Jonah listens at the door, his breath held.",
        "Kite shouts his name.",
        "He runs.",  # both are "he": nothing settles which
        "They stop.",
        cast=cast,
    )
    assert read[2:] == [("Kite",), ("Kite",)]
    nobody_said = characters_of("Tom enters.", "She sits down.")  # no evidence who "she" is
    assert nobody_said == [("Tom",), ("Tom",)]


def test_dialogue_teaches_nothing() -> None:
    """In a line, "he" is whom the speaker means: Amos's "Ruth, he said..." is not Ruth."""
    screenplay = (
        "INT. WARD - NIGHT\n\nRuth takes off her cardigan.\n\nAmos shivers in his gown.\n\n"
        "RUTH\nCome inside.\n\nAMOS\nRuth, he said he would come.\n\nHe looks at the door.\n"
    )
    (scene,) = read_scenes("ward.fountain", screenplay.encode("utf-8"))
    read = [affect.characters for affect in read_affect(scene).affects]
    assert read == [("Ruth",), ("Amos",), ("Ruth", "Amos"), ("Amos", "Ruth"), ("Amos",)]


WORDS: tuple[str, ...] = ("Mara", "Tom", "he", "she", "him", "her", "his", "herself", "they")
WORDS += ("the", "hand", "sits", "looks", "at", "for", "and", ",", ".", ";")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(WORDS), max_size=12), min_size=1, max_size=4),
    st.sampled_from([("Mara",), ("Mara", "Tom"), ("Mara", "Tom", "Ana")]),
)
def test_resolution_only_picks_from_the_cast_and_keeps_the_named(
    beats: list[list[str]], cast: tuple[str, ...]
) -> None:
    texts = [" ".join(words) for words in beats]
    read = characters_of(*texts, cast=cast)
    names = CastNames.of([Character(name) for name in cast])
    named = [tuple(dict.fromkeys(n for _, n in mentions(tokenize(text), names))) for text in texts]
    for people, said in zip(read, named, strict=True):
        assert set(people) <= set(cast)
        assert set(said) <= set(people)
    if not any(word in PRONOUNS for words in beats for word in words):
        assert read == named  # no pronoun: exactly the names, as before


def test_a_runner_is_filmed_running_not_the_one_they_run_to(tmp_path: Path) -> None:
    """ "Ruth ... runs to him": the beat is Ruth's journey, so its first shot is on her, though
    "him" (Amos) is in the beat and a still shot of him would score nearly as well."""
    screenplay = STANDOFF.parent / "two-scenes.fountain"
    run_ok([*BEATCAM, "plan", str(screenplay), "-o", str(tmp_path), "-q"])
    (street,) = tmp_path.glob("02-*/plan.json")
    plan = json.loads(street.read_text(encoding="utf-8"))
    (beat,) = [b for b in plan["beats"] if b["text"].startswith("Ruth bursts out")]
    assert beat["affect"]["characters"] == ["Ruth", "Amos"]
    first = next(shot for shot in plan["shots"] if shot["beat"] == beat["index"])
    assert first["subjects"][0] == "Ruth"


def test_the_one_a_pronoun_means_is_the_one_who_acts_it_out(tmp_path: Path) -> None:
    """ "He straightens ..., takes the chair opposite her ..., and sits": Colm sits down in the
    blocking (Vera, at her desk from the first beat, was given the sit before)."""
    run_ok([*BEATCAM, "plan", str(STANDOFF), "-o", str(tmp_path), "-q"])
    plan = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    sits = plan["beats"][-2]
    assert sits["text"].startswith("He straightens")
    colm = plan["blocking"]["Colm"]["pose"]
    assert "sit" not in colm[: sits["start_frame"]]
    assert colm[sits["start_frame"] + sits["frames"] - 1] == "sit"


def test_a_pronoun_several_use_is_the_one_the_nearest_beat_names() -> None:
    """Ana and Lena are both "she": after "Ana looks up at Tom" and Tom's shrug, "She frowns"
    is Ana's, the "she" named last, not Tom's (the people of the beat before)."""
    read = characters_of(
        "Ana reads her book.",
        "Lena sips her tea.",
        "Tom drops his keys.",
        "Ana looks up at Tom.",
        "He shrugs.",
        "She frowns.",
        cast=("Ana", "Lena", "Tom"),
    )
    assert read[4:] == [("Tom",), ("Ana",)]


def test_a_description_beside_a_name_says_the_pronoun() -> None:
    """As scripts introduce their people: "CHARYA, a stern librarian lady" is "she", and "each
    male" makes all three boys "he", so "She frowns" after Nar's tapping is Charya's."""
    cast = ("Charya", "Chalf", "Nar", "Yor")
    read = characters_of(
        "Chalf, Nar, and Yor, each male and 15, sit at a table.",
        "Charya, a stern librarian lady, sits at the desk.",
        "Nar taps the table.",
        "She frowns.",
        "He stops.",
        cast=cast,
    )
    assert read[3] == ("Charya",)
    assert read[4] == ("Nar",)  # the "he" the nearest beat names
    plain = characters_of(
        "Charya sits at the desk.", "Nar taps the table.", "She frowns.", cast=cast
    )
    assert plain[2] == ("Nar",)  # nothing says who is "she": the people of the beat before


def test_an_unsettled_they_keeps_its_place_after_a_settled_subject() -> None:
    read = characters_of(
        "Mara folds her arms.",
        "Tom and Ana fidget.",
        "She looks away and they go quiet.",
        cast=("Mara", "Tom", "Ana"),
    )
    assert read[2] == ("Mara", "Tom", "Ana")  # hers first, then theirs


def test_the_librarian_is_the_one_who_walks_back_to_her_desk() -> None:
    """The Library Freak-Out (9 cast, four of them "she"): Charya, introduced as "a
    stereotype nice Librarian lady", walks back to her desk and points to the exit; at the
    start code these were shot on Patron Two, the only "she" the scene had settled."""
    (scene,) = [
        scene
        for scene in read_scenes(str(SCREENPLAYS / "the-library-freak-out.fountain"))
        if scene.title == "INT. LIBRARY--DAY"
    ]
    read = read_affect(scene).affects
    for opening in ("She walks back to her desk and sits.", "She points to an exit."):
        (index,) = [i for i, beat in enumerate(scene.beats) if beat.text == opening]
        assert read[index].characters[0] == "Charya", opening


def test_a_name_said_before_the_pronoun_in_its_beat_is_whom_it_means() -> None:
    """Mara and Iris are both "she": "Mara looks at the table. She sits down." is Mara's, and
    she is the one who sits, though Iris was named last before the beat."""
    cast = ("Mara", "Iris")
    beats = (
        "Mara folds her arms.",
        "Iris folds her arms.",
        "Iris waves.",
        "Mara looks at the table. She sits down.",
    )
    read = characters_of(*beats, cast=cast)
    assert read[1] == ("Iris",)  # "her arms" are her own, not the other "she"'s
    assert read[3] == ("Mara",)
    plan, _ = plan_scene(scene_of(*beats, cast=cast))
    beat = plan.beats[-1]
    last = beat.start_frame + beat.frames - 1
    assert plan.blocking["Mara"].pose[last] == "sit"
    assert plan.blocking["Iris"].pose[last] != "sit"


def test_a_description_says_nothing_when_it_is_anothers_or_both() -> None:
    """ "Sarah, the boy's mother": the boy is another's; "a brother and sister": both; so
    neither makes Sarah or Ana "he", and the scene's "he" stays Tom's."""
    cast = ("Sarah", "Ana", "Ben", "Tom")
    read = characters_of(
        "Sarah, the boy's mother, waits by the gate.",
        "Ana and Ben, a brother and sister in their teens, sit on the wall.",
        "Tom shrugs his shoulders.",
        "Sarah waves.",
        "He laughs.",
        cast=cast,
    )
    assert read[-1] == ("Tom",)
