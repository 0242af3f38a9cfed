"""Screenplays from the outside: real Fountain and Final Draft files in, scenes and beats out."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beatcam.errors import SceneError
from beatcam.model.scene import Scene
from beatcam.script import read_scenes
from beatcam.script.dialogue import MIN_LINE_SECONDS, WORDS_PER_MINUTE

SCREENPLAYS = Path(__file__).resolve().parent / "data" / "screenplays"
FOUNTAINS = sorted(SCREENPLAYS.glob("*.fountain"))
# Headings with nothing under them, which are skipped: Brick & Steel's ".OPENING TITLES".
EMPTY_HEADINGS = {"brick-and-steel.fountain": 1}
MASTER_HEADING = re.compile(r"(?:INT|EXT|EST|INT\./EXT|I/E)[. ]", re.IGNORECASE)
HEADING_LINE = re.compile(r"^(?:(?:INT|EXT|EST|INT\./EXT|I/E)[. ]|\.[^.\s])", re.IGNORECASE)
NOT_PEOPLE = re.compile(
    r"\b(?:super|title|montage|back to|intercut|with|the end|push|hold|music|gasps|cheers|"
    r"drum|roll|fade|cut|int|ext|pov|angle)\b",
    re.IGNORECASE,
)


def fountain(text: str, source: str = "f.fountain") -> tuple[Scene, ...]:
    return read_scenes(source, text.encode())


def beats(scene: Scene) -> list[tuple[str | None, str]]:
    return [(beat.speaker, beat.text) for beat in scene.beats]


def cast(scenes: tuple[Scene, ...]) -> set[str]:
    return {character.name for scene in scenes for character in scene.cast}


def headings(path: Path) -> int:
    """Scene headings counted by the spec's rule (a heading line after a blank line), but the
    shot headings: forced ones, not INT. or EXT., whose next paragraph begins in lower case."""
    lines = ["", *(line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines())]
    count = 0
    for at, (before, line) in enumerate(pairwise(lines), start=1):
        if not before and HEADING_LINE.match(line):
            following = [later for later in lines[at + 1 :] if later][:1]
            shot = line.startswith(".") and not MASTER_HEADING.match(line[1:])
            count += not (shot and following and following[0][0].islower())
    return count


def refused(source: str, text: str | bytes, *fragments: str) -> str:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(SceneError) as info:
        read_scenes(source, data)
    message = str(info.value)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


# --- real screenplays -----------------------------------------------------------------------


@pytest.mark.parametrize("path", [*FOUNTAINS, SCREENPLAYS / "night-ferry.fdx"], ids=str)
def test_real_screenplays_read_into_scenes_with_dialogue(path: Path) -> None:
    scenes = read_scenes(str(path))
    if path.suffix == ".fountain":
        assert len(scenes) == headings(path) - EMPTY_HEADINGS.get(path.name, 0)
    assert all(scene.from_screenplay and scene.beats for scene in scenes)
    assert not [name for name in cast(scenes) if NOT_PEOPLE.search(name)]
    spoken = [beat for scene in scenes for beat in scene.beats if beat.speaker]
    assert len(spoken) >= 4
    for scene in scenes:
        names = {character.name for character in scene.cast}
        assert {beat.speaker for beat in scene.beats if beat.speaker and not beat.unseen} <= names
        for beat in scene.beats:
            assert (beat.seconds is None) == (beat.speaker is None), beat
            assert "~" not in beat.text and "[[" not in beat.text and "/*" not in beat.text


def test_six_real_fountain_screenplays_are_kept() -> None:
    assert len(FOUNTAINS) >= 6
    sources = (SCREENPLAYS / "SOURCES.md").read_text()
    assert all(path.name in sources for path in SCREENPLAYS.iterdir() if path.suffix != ".md")


@pytest.mark.parametrize(
    ("name", "people"),
    [
        ("cyber-bob-ep00001.fountain", {"Cyber Bob", "Cyber Boss", "Dog", "Margaret"}),
        (
            "the-library-freak-out.fountain",
            {"Chalf", "Charya", "Nar", "Yor", "Thrain", "Patron One", "Patron Two"}
            | {"Patron Five", "Patrons Three And Four"},
        ),
        ("ascent-to-guru-peak.fountain", {"Yorblef", "Guru"}),
        (
            "brick-and-steel.fountain",
            {"Brick Braddock", "Dick Steel", "Cognito", "Dan", "Jack", "Minion", "Handsome Man"},
        ),
    ],
)
def test_real_casts(name: str, people: set[str]) -> None:
    assert cast(read_scenes(str(SCREENPLAYS / name))) == people


def test_real_script_details() -> None:
    bob = read_scenes(str(SCREENPLAYS / "cyber-bob-ep00001.fountain"))
    assert bob[0].film == (
        "BOB THE CYBER PAWN AND HIS CYBER CLOUD BOSS THING EPISODE 1: TRAFFIC CONTROL DOGS"
    )
    # "BOB" and "CYBER BOB" speak; one person, named as introduced.
    assert beats(bob[0])[1] == ("Cyber Bob", "Hi hello.")
    pulpit = read_scenes(str(SCREENPLAYS / "pulpit-fire.fountain"))  # CRLF line ends
    sung = pulpit[0].beats[-3]
    assert (sung.speaker, sung.text[:31]) == ("Nob", "You wait, you wait for the mean")


# --- the Fountain syntax --------------------------------------------------------------------


def test_a_dialogue_only_scene_is_a_scene_and_an_empty_heading_is_skipped() -> None:
    scenes = fountain(
        "INT. KITCHEN - NIGHT\n\nMARA\nHello?\n\nEXT. STREET - DAY\n\n"
        "EXT. GARDEN - DAY\n\nTOM\n(whispering)\nOver here.\n"
    )
    assert [scene.title for scene in scenes] == ["INT. KITCHEN - NIGHT", "EXT. GARDEN - DAY"]
    assert beats(scenes[1]) == [("Tom", "Over here.")]
    assert scenes[1].beats[0].parenthetical == "whispering"
    refused("f.fountain", "INT. KITCHEN - NIGHT\n\nEXT. STREET - DAY\n", "f.fountain: no scene")


def test_boneyard_notes_and_structure_are_not_beats() -> None:
    (scene,) = fountain(
        "Title: _**Dusk**_\nAuthor: A. Writer\n\n# ACT ONE\n\n= Mara learns the truth.\n\n"
        "INT. KITCHEN - NIGHT #12#\n\nMara reads. /* cut this */ She stops. [[tone?]]\n\n"
        "/*\nMARA\nA cut line.\n*/\n\n===\n\n>THE END<\n\n"
        "[[a note\nover two lines]]\n\nShe sits.\n\nCUT TO:\n"
    )
    assert scene.film == "Dusk" and scene.title == "INT. KITCHEN - NIGHT"
    assert beats(scene) == [(None, "Mara reads. She stops."), (None, "She sits.")]


def test_a_writers_note_to_the_reader_is_no_beat() -> None:
    (scene,) = fountain(
        "INT. KITCHEN - NIGHT\n\nMARA, 40, wipes the counter.\n\n"
        '**NOTE: We will call this character "she" throughout.**\n\n'
        "Note: the kitchen can be any kitchen.\nTOM, her son, comes in.\n\n"
        "**Note: the music can be\nany music at all.**\n\n"
        "She stops. A note lies on the table.\n"
    )
    assert beats(scene) == [
        (None, "MARA, 40, wipes the counter."),
        (None, "TOM, her son, comes in."),  # the note was its line, the action is the rest
        (None, "She stops. A note lies on the table."),  # a note on the table is on screen
    ]


def test_forced_elements() -> None:
    (scene,) = fountain(
        ".SNIPER SCOPE POV\n\n!SCANNING THE AISLES...\nWhere is that pit boss?\n\n"
        "@McCLANE\nYippie ki-yay!\n\n> Burn to white.\n\nHe waits.\n"
    )
    assert scene.title == "SNIPER SCOPE POV"
    assert beats(scene) == [
        (None, "SCANNING THE AISLES... Where is that pit boss?"),
        ("McCLANE", "Yippie ki-yay!"),
        (None, "He waits."),
    ]


def test_a_shot_heading_is_a_shot_of_its_scene() -> None:
    """A forced heading that is not INT. or EXT. and runs on into its action is a shot heading:
    its words begin the beat, it is no new scene, and its capitals name no one ("NEAR THE
    BARN," would be introduced if it were action). One that does not run on, before speech or
    a sentence of its own ("20 cows..."), is a scene heading, as Fountain has it."""
    scenes = fountain(
        "EXT. HILLSIDE - DAY\n\nMara parks the van at the top of the road.\n\n"
        ".THE VAN\n\nbegins to roll down the hill.\n\n"
        ".NEAR THE BARN,\n\nit rolls to a stop.\n\n"
        ".OUTSIDE,\n\nMARA\nMy van!\n\n"
        ".THE FIELD\n\n20 cows look up.\n\n"
        ".AT THE BOTTOM\n\nTOM\nWhat van?\n\n"
        "INT. GARAGE - NIGHT\n\nrain on the roof.\n"
    )
    assert [scene.title for scene in scenes] == [
        "EXT. HILLSIDE - DAY",
        "OUTSIDE,",
        "THE FIELD",
        "AT THE BOTTOM",
        "INT. GARAGE - NIGHT",
    ]
    assert beats(scenes[0]) == [
        (None, "Mara parks the van at the top of the road."),
        (None, "THE VAN begins to roll down the hill."),
        (None, "NEAR THE BARN, it rolls to a stop."),
    ]
    assert beats(scenes[2]) == [(None, "20 cows look up.")]
    assert beats(scenes[4]) == [(None, "rain on the roof.")]
    assert cast(scenes) == {"Mara", "Tom"}


def test_a_shot_heading_before_any_scene_starts_the_first() -> None:
    (scene,) = fountain(".THE VAN\n\nbegins to roll down the hill.\n")
    assert scene.title == "THE VAN"
    assert beats(scene) == [(None, "THE VAN begins to roll down the hill.")]


def test_a_voice_off_screen_is_heard_not_seen() -> None:
    """A cue marked O.S., O.C. or OFF (whatever else it carries) is a line whose speaker is
    not in the picture, and one only ever heard is not on the set. A voice-over is a
    narrator's, heard, unless the scene's action names its speaker: then it is their thought,
    and the shot may be on them."""
    (scene,) = fountain(
        "INT. KITCHEN - NIGHT\n\nMARA chops onions.\n\n"
        "TOM (O.S.)\nIs dinner ready?\n\nMARA\nTen minutes!\n\n"
        "MOTHER (O.C.) (CONT'D)\nAnd wash your hands.\n\nTOM (off)\nStarving.\n\n"
        "MARA (V.O.)\nHe was always starving.\n\n"
        "NARRATOR (V.O.)\nShe never told him.\n"
    )
    assert [(beat.speaker, beat.unseen) for beat in scene.beats[1:]] == [
        ("Tom", True),
        ("Mara", False),
        ("Mother", True),
        ("Tom", True),
        ("Mara", False),
        ("Narrator", True),
    ]
    assert [character.name for character in scene.cast] == ["Mara"]


def test_the_far_end_of_an_intercut_call_is_heard_not_seen() -> None:
    """After an INTERCUT transition, someone of the scene before who speaks here and is named
    in none of this scene's action is on the other end of the line: heard, not on this set.
    Whoever this scene's action names is here, whatever scene they came from."""
    scenes = fountain(
        "INT. OFFICE - DAY\n\nANA picks up the phone.\n\nANA\nHello?\n\n"
        "> INTERCUT WITH:\n\nINT. CAR - DAY\n\nBEN drives, phone to his ear.\n\n"
        "BEN\nIt's me.\n\nANA\nWhere are you?\n\n"
        "INT. HALL - DAY\n\nBen walks in.\n\nANA\nYou're late.\n"
    )
    office, car, hall = scenes
    assert [c.name for c in car.cast] == ["Ben"]
    assert [(beat.speaker, beat.unseen) for beat in car.beats[1:]] == [
        ("Ben", False),
        ("Ana", True),
    ]
    assert not any(beat.unseen for beat in (*office.beats, *hall.beats))  # no intercut there
    assert [c.name for c in hall.cast] == ["Ben", "Ana"]


def test_an_intercut_line_of_action_directs_the_scene_it_is_in() -> None:
    """A line of action "INTERCUT - PHONE CALL" is the direction, not a beat: the
    call that follows it in the car is cut with the kitchen before, whose Mara is heard. A
    line that only mentions an intercut is a beat like any other."""
    kitchen, car = fountain(
        "INT. KITCHEN - NIGHT\n\nMARA dials.\n\nINT. CAR - NIGHT\n\nTOM answers, driving.\n\n"
        "INTERCUT - PHONE CALL\n\nMARA\nWhere are you?\n\nTOM\nDriving.\n"
    )
    assert [(beat.speaker, beat.unseen) for beat in car.beats] == [
        (None, False),
        ("Mara", True),
        ("Tom", False),
    ]
    assert [c.name for c in car.cast] == ["Tom"]
    assert [c.name for c in kitchen.cast] == ["Mara"]
    (festival,) = fountain("INT. HALL - DAY\n\nMARA reads about the Intercut Festival.\n")
    assert len(festival.beats) == 1


def test_a_final_draft_shot_runs_on_into_its_action() -> None:
    paragraphs = [
        ("Scene Heading", "EXT. HILLSIDE - DAY"),
        ("Action", "Mara parks the van."),
        ("Shot", "THE VAN"),
        ("Action", "begins to roll."),
        ("Shot", "ANGLE ON MARA"),
        ("Action", "She runs."),
    ]
    xml = "".join(
        f'<Paragraph Type="{kind}"><Text>{text}</Text></Paragraph>' for kind, text in paragraphs
    )
    (scene,) = read_scenes("s.fdx", f"<FinalDraft><Content>{xml}</Content></FinalDraft>".encode())
    assert [beat.text for beat in scene.beats] == [
        "Mara parks the van.",
        "THE VAN begins to roll.",
        "She runs.",
    ]


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        (".ИНТ. КУХНЯ - НОЧЬ", "ИНТ. КУХНЯ - НОЧЬ"),
        (".НАТ. УЛИЦА - ДЕНЬ", "НАТ. УЛИЦА - ДЕНЬ"),
        (".内 台所 夜", "内 台所 夜"),
        (".外 海岸 朝", "外 海岸 朝"),
    ],
)
def test_forced_headings_in_any_script(heading: str, title: str) -> None:
    for source in ("f.fountain", "-"):
        (scene,) = fountain(f"{heading}\n\nОна ждёт. 彼女は待つ。\n", source)
        assert scene.title == title


def test_dual_dialogue_extensions_and_lyrics() -> None:
    (scene,) = fountain(
        "INT. BAR - NIGHT\n\nBRICK (V.O.)\nScrew retirement.\n\nSTEEL (CONT'D) ^\n"
        "Screw retirement.\n\nBRICK\n~Happy birthday to you\n~Happy birthday\n\n"
        "~A song drifts from the jukebox\n"
    )
    assert beats(scene) == [
        ("Brick", "Screw retirement."),
        ("Steel", "Screw retirement."),
        ("Brick", "Happy birthday to you Happy birthday"),
        (None, "A song drifts from the jukebox"),
    ]
    assert [beat.dual for beat in scene.beats] == [False, True, False, False]


def test_bom_and_crlf_read_like_lf() -> None:
    text = "Title: T\n\nINT. A - DAY\n\nMARA\nHi.\n\nShe waits.\n"
    lf = read_scenes("f.fountain", text.encode())
    crlf = read_scenes("f.fountain", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert [(s.title, s.film, s.beats, s.cast) for s in lf] == [
        (s.title, s.film, s.beats, s.cast) for s in crlf
    ]


# --- dialogue timing ------------------------------------------------------------------------


def test_dialogue_is_timed_from_its_words_and_pauses() -> None:
    (scene,) = fountain(
        "INT. ROOM - DAY\n\nMARA\nI knew it was you, all along, every single day.\n\n"
        "MARA\n(beat)\nYes.\n\nMARA\n(a long pause)\nNo.\n\nMARA\n(pause)\nWell then.\n\n"
        "She leaves.\n"
    )
    per_word = 60.0 / WORDS_PER_MINUTE
    assert [beat.seconds for beat in scene.beats] == [
        pytest.approx(10 * per_word),
        pytest.approx(max(MIN_LINE_SECONDS, per_word + 1.0)),
        pytest.approx(max(MIN_LINE_SECONDS, per_word + 3.0)),
        pytest.approx(max(MIN_LINE_SECONDS, 2 * per_word + 2.0)),
        None,
    ]
    assert [beat.parenthetical for beat in scene.beats] == [
        None,
        "beat",
        "a long pause",
        "pause",
        None,
    ]


# --- the cast -------------------------------------------------------------------------------


def test_the_cast_is_people_only() -> None:
    scenes = fountain(
        "INT. TENT - NIGHT\n\nWILL BLOOM, 30s, tired, sits with EDWARD BLOOM, 60s.\n\n"
        "PUSH IN ON Edward. HOLD. MUSIC swells. The crowd GASPS. CHEERS. A DRUM ROLL.\n\n"
        "A GIRL'S VOICE calls from outside. DR. comes later. He LAUGHS LOUDLY.\n\n"
        "SUPER: THREE YEARS LATER\n\nWILL\nDad?\n\nINTERCUT WITH:\n\n"
        "EXT. FIELD - DAY\n\nMCCABE, 40s, and O'BRIEN, 50s, wait. McCabe waves. Will waves.\n\n"
        "DR. ROSS\nBACK TO the tent, gentlemen.\n"
    )
    assert [[c.name for c in scene.cast] for scene in scenes] == [
        ["Will Bloom", "Edward Bloom"],
        ["McCabe", "O'Brien", "Will Bloom", "Dr. Ross"],
    ]
    # "INTERCUT WITH:" is action by the spec (a transition ends in "TO:"): a direction, no beat.
    assert beats(scenes[0])[-1] == ("Will Bloom", "Dad?")


# --- sets -----------------------------------------------------------------------------------


def test_a_heading_chooses_the_set_and_a_note_overrides_it() -> None:
    scenes = fountain(
        "INT. KITCHEN - NIGHT\n\nShe waits.\n\nINT. KITCHEN - LATER\n\n"
        "She waits. [[set: landscape]]\n\nEXT. SUBMARINE - DAY\n\n[[ SET: Office ]]\n\nHe waits.\n"
    )
    assert [scene.set_preset for scene in scenes] == ["kitchen", "landscape", "office"]
    refused(
        "film.fountain",
        "INT. A - DAY\n\nOk.\n\nINT. KITCHEN - NIGHT\n\n[[set: moon]]\n\nShe waits.\n",
        "film.fountain scene 2 (INT. KITCHEN - NIGHT): unknown set 'moon'",
        "kitchen, ",
    )


# --- Final Draft ----------------------------------------------------------------------------


def test_final_draft_reads_like_fountain() -> None:
    first, second = read_scenes(str(SCREENPLAYS / "night-ferry.fdx"))
    assert (first.film, first.title, second.title) == (
        "Night Ferry",
        "EXT. FERRY DECK - NIGHT",
        "INT. FERRY CABIN - CONTINUOUS",
    )
    assert [c.name for c in first.cast] == ["Irena Voss", "Pavel"]
    assert first.beats[3].speaker == "Irena Voss"
    assert first.beats[3].parenthetical == "not turning; beat"
    assert (
        first.beats[3].text
        == "I crossed this water every night for thirty years. It was never cold."
    )
    assert second.set_preset == "interior"
    assert [(b.speaker, b.dual) for b in second.beats[1:3]] == [
        ("Pavel", False),
        ("Irena Voss", True),
    ]
    data = (SCREENPLAYS / "night-ferry.fdx").read_bytes()
    assert [s.title for s in read_scenes("-", data)] == [first.title, second.title]


@pytest.mark.parametrize(
    ("xml", "fragments"),
    [
        ("<FinalDraft><Content><Paragraph>", ["malformed Final Draft XML at line 1"]),
        ("<Script><Content/></Script>", ["not a Final Draft screenplay", "<Script>"]),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><FinalDraft/>',
            ["DTD or entities"],
        ),
        ("<FinalDraft><Content/></FinalDraft>", ["no scene headings"]),
    ],
)
def test_final_draft_refusals(xml: str, fragments: list[str]) -> None:
    refused("s.fdx", xml, "s.fdx: ", *fragments)


# --- property: any input gives scenes or one SceneError ------------------------------------

FOUNTAIN_LINES = st.lists(
    st.one_of(
        st.text(max_size=30),
        st.sampled_from(
            [
                "INT. KITCHEN - NIGHT",
                ".ИНТ",
                "MARA",
                "BOB ^",
                "@mara (V.O.)",
                "(beat)",
                "~la la",
                ">x<",
                "> CUT",
                "!A",
                "/*",
                "*/",
                "[[set: moon]]",
                "[[set: kitchen]]",
                "===",
                "# act",
                "= synopsis",
                "Title: x",
                "",
                "",
            ]
        ),
    ),
    max_size=25,
)
FDX_PARTS = st.lists(
    st.one_of(
        st.text(max_size=20),
        st.sampled_from(
            [
                "<FinalDraft>",
                "</FinalDraft>",
                "<Content>",
                "</Content>",
                '<Paragraph Type="Scene Heading"><Text>INT. A</Text></Paragraph>',
                '<Paragraph Type="Character"><Text>MARA</Text></Paragraph>',
                '<Paragraph Type="Dialogue"><Text>Hi.</Text></Paragraph>',
                '<Paragraph Type="Action"><Text>[[set: x]]</Text></Paragraph>',
                "<Paragraph><DualDialogue>",
                "</DualDialogue></Paragraph>",
                "<!DOCTYPE x>",
                "&amp;",
            ]
        ),
    ),
    max_size=20,
)


def check(source: str, data: bytes) -> None:
    try:
        scenes = read_scenes(source, data)
    except SceneError as err:
        assert "\n" not in str(err)
    else:
        assert scenes and all(scene.beats for scene in scenes)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=FOUNTAIN_LINES)
def test_any_fountain_text_gives_scenes_or_a_scene_error(lines: list[str]) -> None:
    check("p.fountain", "\n".join(lines).encode())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=FDX_PARTS)
def test_any_fdx_text_gives_scenes_or_a_scene_error(parts: list[str]) -> None:
    check("p.fdx", "".join(parts).encode())


@settings(max_examples=200, deadline=None)
@given(source=st.sampled_from(["p.fountain", "p.fdx"]), data=st.binary(max_size=300))
def test_any_bytes_give_scenes_or_a_scene_error(source: str, data: bytes) -> None:
    check(source, data)
