"""The script stage from the outside: scene files and stdin bytes in, Scenes or one-line errors."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beatcam.errors import SceneError
from beatcam.model.scene import Character, Scene, ShotPin
from beatcam.model.sets import PRESETS
from beatcam.model.vocab import (
    ANGLES,
    MAX_BEAT_CHARS,
    MAX_BEATS,
    MAX_INPUT_BYTES,
    MOVEMENTS,
    SIZES,
)
from beatcam.script import read_scenes, slugify

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,46}[a-z0-9])?$")


def one(source: str, text: str) -> Scene:
    """The single scene read from ``text`` as if it were the file ``source``."""
    (scene,) = read_scenes(source, text.encode())
    return scene


def refused(source: str, data: bytes | str, *fragments: str) -> str:
    """Read ``data``, expect a one-line SceneError containing every fragment; return it."""
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(SceneError) as info:
        read_scenes(source, raw)
    message = str(info.value)
    assert "\n" not in message and message.strip() == message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def texts(scene: Scene) -> list[str]:
    return [beat.text for beat in scene.beats]


def names(scene: Scene) -> list[str]:
    return [character.name for character in scene.cast]


# --- the bundled examples -------------------------------------------------------------------


def test_every_example_parses_into_well_formed_scenes() -> None:
    files = sorted(EXAMPLES.iterdir())
    assert {path.suffix for path in files} >= {".yaml", ".txt", ".md", ".fountain"}
    for path in files:
        scenes = read_scenes(str(path))
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        for scene in scenes:
            assert scene.source_sha256 == digest
            assert SLUG.match(scene.slug)
            assert scene.cast and scene.beats
            assert [beat.index for beat in scene.beats] == list(range(len(scene.beats)))
            assert scene.set_preset in PRESETS


def test_the_letter_demo() -> None:
    (scene,) = read_scenes(str(EXAMPLES / "the-letter.yaml"))
    assert (scene.title, scene.slug, scene.set_preset) == ("The Letter", "the-letter", "kitchen")
    mara, tom = scene.cast
    assert (mara.name, mara.height_m, tom.name, tom.height_m) == ("Mara", 1.68, "Tom", 1.75)
    assert scene.cast_explicit and scene.fps == 24 and scene.aspect == "16:9"
    assert 8 <= len(scene.beats) <= 10
    assert [beat.seconds for beat in scene.beats if beat.seconds] == [6.0]
    assert "forged" in " ".join(texts(scene))


def test_examples_name_no_camera_words() -> None:
    camera_words = re.compile(
        r"\b(camera|close-?up|wide shot|push(es)? in|dolly|pan(s)?|tilt(s)?|zoom(s)?|crane|"
        r"lens|angle|frame)\b",
        re.IGNORECASE,
    )
    for path in EXAMPLES.iterdir():
        for scene in read_scenes(str(path)):
            for text in texts(scene):
                assert not camera_words.search(text), (path.name, text)


def test_example_casts_and_sets() -> None:
    found = {
        path.name: [(names(s), s.set_preset) for s in read_scenes(str(path))]
        for path in EXAMPLES.iterdir()
    }
    assert found["lighthouse.txt"] == [(["Ines"], "landscape")]
    assert found["standoff.md"] == [(["Vera", "Colm"], "office")]
    assert found["the-chase.yaml"] == [(["Jonah", "Kite"], "corridor")]
    assert found["two-scenes.fountain"] == [(["Ruth"], "corridor"), (["Amos", "Ruth"], "street")]


# --- plain text and Markdown ----------------------------------------------------------------


def test_plain_text_headers_and_list_markers() -> None:
    scene = one(
        "s.md",
        "# The Letter\n\ncast: Mara, Tom\nSET: Kitchen\n\n"
        "- Mara opens it.\n* Tom waits.\n+ A cup falls.\n1. One.\n12) Twelve.\n"
        "## Part two\n---\n   Plain line, indented.   \n-not a marker\n",
    )
    assert scene.title == "The Letter" and scene.set_preset == "kitchen"
    assert names(scene) == ["Mara", "Tom"] and scene.cast_explicit
    assert texts(scene) == [
        "Mara opens it.",
        "Tom waits.",
        "A cup falls.",
        "One.",
        "Twelve.",
        "Plain line, indented.",
        "-not a marker",
    ]


def test_plain_text_title_line_and_fallbacks(tmp_path: Path) -> None:
    assert one("x.txt", "Title: Dawn\nShe wakes.").title == "Dawn"
    path = tmp_path / "quiet-morning.txt"
    path.write_text("She wakes.\n")
    (from_file,) = read_scenes(str(path))
    assert (from_file.title, from_file.slug) == ("quiet-morning", "quiet-morning")
    from_stdin = one("-", "She wakes.\n")
    assert (from_stdin.title, from_stdin.slug) == ("Untitled scene", "untitled-scene")


def test_header_lines_after_the_first_beat_are_beats() -> None:
    scene = one("x.txt", "She sets the table.\nSet: the scene for later.\n")
    assert texts(scene) == ["She sets the table.", "Set: the scene for later."]
    assert scene.set_preset is None


def test_plain_text_refusals() -> None:
    refused("x.txt", "Set: moon\nShe waits.", "unknown set 'moon'", "kitchen", "landscape")
    refused("x.txt", "Cast: Mara\nCast: Tom\nShe waits.", "'Cast:' is given twice")
    refused("x.txt", "Cast: Mara, mara\nShe waits.", "twice")
    refused("x.txt", "Cast: ,\nShe waits.", "names nobody")


def test_bom_and_crlf_are_normalised() -> None:
    lf = read_scenes("x.txt", b"# T\nCast: Mara\nMara waits.\nShe sits.\n")[0]
    crlf = read_scenes("x.txt", b"\xef\xbb\xbf# T\r\nCast: Mara\r\nMara waits.\rShe sits.\r\n")[0]
    assert (crlf.title, crlf.cast, crlf.beats) == (lf.title, lf.cast, lf.beats)
    assert crlf.source_sha256 != lf.source_sha256


# --- cast inference -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cast"),
    [
        ("Mara opens the letter.", []),
        ("Mara opens the letter.\nMara freezes.", ["Mara"]),
        ("The letter shakes in the hand of Mara.", ["Mara"]),
        ("Mara reads. Then Tom's keys rattle in the door.", ["Tom"]),
        ("Mara reads. Tom enters and Mara looks up.", ["Mara"]),
        ("Mara reads. Tom enters. Mara looks at Tom.", ["Mara", "Tom"]),
        ("Slowly it opens.\nSlowly it closes.", []),
        ("Rain falls.\nRain beats on the glass. The rain stops.", []),
        ("On Monday in April she calls. The Letter is gone. She and I wait.", ["Letter"]),
        ("Dr. Ames arrives. Ames sits. Mr. Kay waits.", ["Ames", "Kay"]),
        ("MARA shouts. Zoë and Étienne run.", ["Étienne"]),
    ],
)
def test_cast_inference(text: str, cast: list[str]) -> None:
    scene = one("x.txt", text)
    assert names(scene) == cast
    assert not scene.cast_explicit
    assert all(c == Character(name=c.name) for c in scene.cast)


# --- YAML -----------------------------------------------------------------------------------


FULL_FORM = """
title: Pins
cast:
  - Mara
  - {name: Tom, height_m: 1.9, position: [1, -2.5], facing_deg: -90}
set: street
fps: 30
aspect: 2.39
beats:
  - Mara waits.
  - text: |
      Tom arrives,
      late.
    seconds: 4.5
    camera: {size: cu, angle: eye level, movement: push-in, framing: single,
             lens_mm: 85, dutch_deg: -10}
  - text: Mara leaves.
    camera: {movement: pull_out}
"""


def test_yaml_full_form_with_pins() -> None:
    scene = one("s.yaml", FULL_FORM)
    assert (scene.title, scene.set_preset, scene.fps, scene.aspect) == (
        "Pins",
        "street",
        30,
        "2.39",
    )
    assert scene.cast == (
        Character("Mara"),
        Character("Tom", height_m=1.9, position=(1.0, -2.5), facing_deg=-90.0),
    )
    assert scene.cast_explicit
    assert texts(scene) == ["Mara waits.", "Tom arrives, late.", "Mara leaves."]
    assert [beat.seconds for beat in scene.beats] == [None, 4.5, None]
    assert scene.beats[0].pin.is_empty()
    assert scene.beats[1].pin == ShotPin("CU", "eye_level", "push_in", "single", 85.0, -10.0)
    assert scene.beats[2].pin == ShotPin(movement="pull_out")


def test_a_scene_written_as_json_is_read_as_the_same_yaml() -> None:
    """JSON is YAML's subset: a tool that writes scenes as JSON gets the same scene."""
    as_json = one("s.json", json.dumps(yaml.safe_load(FULL_FORM)))
    as_yaml = one("s.yaml", FULL_FORM)
    assert as_json.beats[1].pin.lens_mm == 85.0
    assert dataclasses.replace(as_json, source_sha256="") == dataclasses.replace(
        as_yaml, source_sha256=""
    )


@pytest.mark.parametrize(
    ("value", "aspect"),
    [("16:9", "16:9"), ('"16:9"', "16:9"), ("4:3", "4:3"), ("1.85", "1.85"), ('"2.39"', "2.39")],
)
def test_yaml_aspects_quoted_or_not(value: str, aspect: str) -> None:
    assert one("s.yml", f"aspect: {value}\nbeats: [She waits.]").aspect == aspect


def test_yaml_without_cast_infers_it_and_defaults() -> None:
    scene = one("s.yaml", "beats:\n  - Mara waits for Tom.\n  - Tom is late.\n")
    assert names(scene) == ["Tom"] and not scene.cast_explicit
    assert (scene.title, scene.fps, scene.aspect, scene.set_preset) == ("s", 24, "16:9", None)


@pytest.mark.parametrize(
    ("yaml_text", "fragments"),
    [
        ("beats: [a]\ncolour: red", ["unknown scene key 'colour'", "title, cast, set"]),
        ("title: x", ["no 'beats'"]),
        ("beats: []", ["no beats"]),
        ("beats:", ["no beats"]),
        ("beats: hello", ["'beats' must be a list"]),
        ("- a\n- b", ["must be a mapping", "list"]),
        ("just words", ["must be a mapping", "str"]),
        ("beats: [a]\ncast: []", ["'cast' must be a non-empty list"]),
        ("beats: [a]\ncast: [Mara, Mara]", ["'Mara' twice"]),
        ("beats: [a]\ncast: [{height_m: 1.7}]", ["no 'name'"]),
        ("beats: [a]\ncast: [{name: M, age: 3}]", ["unknown cast key 'age'", "height_m"]),
        ("beats: [a]\ncast: [{name: M, height_m: 0.4}]", ["height_m", "0.5..2.6"]),
        ("beats: [a]\ncast: [{name: M, height_m: 2.7}]", ["height_m", "0.5..2.6"]),
        ("beats: [a]\ncast: [{name: M, height_m: tall}]", ["must be a number"]),
        ("beats: [a]\ncast: [{name: M, position: [1]}]", ["position must be [x, z]"]),
        ("beats: [a]\ncast: [{name: M, position: [1, .nan]}]", ["position"]),
        ("beats: [a]\ncast: [{name: '  '}]", ["non-empty"]),
        ("beats: [a]\ncast: [3]", ["name or a mapping"]),
        ("beats: [a]\nfps: 0", ["fps", "1..120"]),
        ("beats: [a]\nfps: 121", ["fps", "1..120"]),
        ("beats: [a]\nfps: 23.976", ["whole number"]),
        ("beats: [a]\nfps: yes", ["fps must be a number"]),
        ("beats: [a]\naspect: '21:9'", ["unknown aspect", '"16:9", "2.39", "1.85", "4:3"']),
        ("beats: [a]\nset: moon", ["unknown set", "corridor"]),
        ("beats: [a]\nset: [kitchen]", ["'set' must be a set name"]),
        ("beats: [a]\ntitle: [x]", ["'title' must be text"]),
        ("beats: [{text: a, seconds: 0}]", ["beat 1", "more than 0"]),
        ("beats: [{text: a, seconds: 601}]", ["beat 1", "0..600"]),
        ("beats: [{text: a, seconds: .inf}]", ["beat 1", "seconds"]),
        ("beats: [{text: a, mood: sad}]", ["unknown beat key 'mood'", "text, seconds, camera"]),
        ("beats: [a, {seconds: 2}]", ["beat 2", "needs a 'text'"]),
        ("beats: [a, '   ']", ["beat 2", "empty"]),
        ("beats: [a, no]", ["beat 2", "must be text", "quote"]),
        ("beats: [{text: a, camera: close}]", ["'camera' must be a mapping"]),
        ("beats: [{text: a, camera: {zoom: 2}}]", ["unknown camera key 'zoom'", "lens_mm"]),
        ("beats: [{text: a, camera: {size: huge}}]", ["unknown size 'huge'", ", ".join(SIZES)]),
        ("beats: [{text: a, camera: {angle: 3}}]", ["unknown angle 3", ", ".join(ANGLES)]),
        ("beats: [{text: a, camera: {movement: spin}}]", [", ".join(MOVEMENTS)]),
        ("beats: [{text: a, camera: {framing: wide}}]", ["unknown framing 'wide'"]),
        ("beats: [{text: a, camera: {lens_mm: 11}}]", ["lens_mm", "12..300"]),
        ("beats: [{text: a, camera: {lens_mm: 301}}]", ["lens_mm", "12..300"]),
        ("beats: [{text: a, camera: {dutch_deg: 46}}]", ["dutch_deg", "-45..45"]),
        ("beats: [{text: a, camera: {dutch_deg: true}}]", ["dutch_deg must be a number"]),
    ],
)
def test_yaml_refusals(yaml_text: str, fragments: list[str]) -> None:
    refused("scene.yaml", yaml_text, "scene.yaml", *fragments)


@pytest.mark.parametrize(
    ("yaml_text", "fragments"),
    [
        ("title: x\nbeats:\n  - a\n  - [unclosed\n", ["malformed YAML at line 5"]),
        ("title: x\n\n\n  bad: indent\nbeats: [a]", ["malformed YAML at line 4"]),
        ("beats: [a]\nx: !!python/object:os.system ls", ["malformed YAML", "line 2"]),
        ("beats: [a]\nwhen: 2020-02-30", ["malformed YAML", "day is out of range"]),
        ("beats: " + "[" * 5000, ["malformed YAML"]),
    ],
)
def test_malformed_yaml_names_the_line(yaml_text: str, fragments: list[str]) -> None:
    refused("scene.yaml", yaml_text, *fragments)


# --- Fountain -------------------------------------------------------------------------------

SCREENPLAY = """Title: Night Sink
Author: Someone

INT. MARA'S APARTMENT - KITCHEN - NIGHT

MARA (30s) stands at the sink.   The tap    drips.

The phone RINGS. She lets it ring. [[a note to self]] She is **not** answering.

MARA (V.O.)
I knew.

TOM (CONT'D)
(quietly)
You knew what?

.ALLEY BEHIND THE BAR

!Rain. Tom waits under a broken light. DETECTIVE ANA RUIZ, in plain clothes, watches.

EXT. DESERT HIGHWAY - DAY

Mara drives, alone.
"""


def test_fountain_scenes_beats_and_cast() -> None:
    scenes = read_scenes("film.fountain", SCREENPLAY.encode())
    assert [s.title for s in scenes] == [
        "INT. MARA'S APARTMENT - KITCHEN - NIGHT",
        "ALLEY BEHIND THE BAR",
        "EXT. DESERT HIGHWAY - DAY",
    ]
    assert [s.slug for s in scenes] == [
        "int-mara-s-apartment-kitchen-night",
        "alley-behind-the-bar",
        "ext-desert-highway-day",
    ]
    assert [s.set_preset for s in scenes] == ["kitchen", "street", "landscape"]
    assert texts(scenes[0]) == [
        "MARA (30s) stands at the sink. The tap drips.",
        "The phone RINGS. She lets it ring. She is not answering.",
        "I knew.",
        "You knew what?",
    ]
    assert [(b.speaker, b.parenthetical) for b in scenes[0].beats] == [
        (None, None),
        (None, None),
        ("Mara", None),
        ("Tom", "quietly"),
    ]
    assert texts(scenes[1]) == [
        "Rain. Tom waits under a broken light. DETECTIVE ANA RUIZ, in plain clothes, watches."
    ]
    assert [names(s) for s in scenes] == [
        ["Mara", "Tom"],
        ["Tom", "Detective Ana Ruiz"],
        ["Mara"],
    ]
    assert all(s.from_screenplay and s.film == "Night Sink" for s in scenes)
    assert len({s.source_sha256 for s in scenes}) == 1
    assert not any(s.cast_explicit for s in scenes)


@pytest.mark.parametrize(
    ("heading", "preset"),
    [
        ("INT. KITCHEN - NIGHT", "kitchen"),
        ("EXT. MAIN STREET - DAY", "street"),
        ("EXT. BACK ROAD - DAWN", "street"),
        ("EXT. ALLEY - NIGHT", "street"),
        ("INT. HOSPITAL CORRIDOR - NIGHT", "corridor"),
        ("INT. SCHOOL HALLWAY - DAY", "corridor"),
        ("INT. TOWN HALL - DAY", "corridor"),
        ("INT. STAIRWELL - CONTINUOUS", "stairwell"),
        ("INT. BACK STAIRS - NIGHT", "stairwell"),
        ("EXT. WHEAT FIELD - DAY", "landscape"),
        ("EXT. DESERT - DAY", "landscape"),
        ("EXT. BEACH - SUNSET", "landscape"),
        ("EXT. FOREST - NIGHT", "landscape"),
        ("EXT. MOUNTAIN PASS - DAWN", "landscape"),
        ("INT. LAW OFFICE - DAY", "office"),
        ("INT. HOTEL ROOM - NIGHT", "interior"),
        ("INT. APARTMENT - DAY", "interior"),
        ("INT./EXT. HOUSE - DAY", "interior"),
        ("INT. BEDROOM - NIGHT", "interior"),
        ("INT. LIVING ROOM - NIGHT", "interior"),
        ("INT. OFFICE CORRIDOR - DAY", "corridor"),
        ("INT. SUBMARINE - NIGHT", "empty"),
    ],
)
def test_set_is_guessed_from_the_heading(heading: str, preset: str) -> None:
    (scene,) = read_scenes("-", f"{heading}\n\nSomething happens.\n".encode())
    assert (scene.title, scene.set_preset) == (heading, preset)


def test_fountain_refusals() -> None:
    refused("f.fountain", "Just some action.\n\nMore action.\n", "no scene headings", "INT.")
    long_action = "word " * (MAX_BEAT_CHARS // 5 + 1)
    refused("f.fountain", f"INT. ROOM\n\nOk.\n\n{long_action}\n", "scene 1 (INT. ROOM) beat 2")


# --- picking the form -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "content", "title", "beats"),
    [
        ("-", "title: Y\nbeats:\n  - She waits.\n", "Y", 1),
        ("scene.txt", "title: Y\nbeats:\n  - She waits.\n", "Y", 2),
        ("notes.scene", "title: Y\nbeats:\n  - She waits.\n", "Y", 1),
        ("-", "INT./EXT. CAR - DAY\n\nShe drives.\n", "INT./EXT. CAR - DAY", 1),
        ("-", ".THE VOID\n\nShe floats.\n", "THE VOID", 1),
        ("notes.scene", "EXT. PIER - DAY\n\nShe waits.\n", "EXT. PIER - DAY", 1),
        ("-", "# Hello\nShe waits.\nbeats are counted here\n", "Hello", 2),
        ("-", "She reads INT. notes.\n...and the INT.\n", "Untitled scene", 2),
        ("plan.TXT", "She waits.\n", "plan", 1),
    ],
)
def test_form_by_extension_or_content(source: str, content: str, title: str, beats: int) -> None:
    (scene,) = read_scenes(source, content.encode())
    assert (scene.title, len(scene.beats)) == (title, beats)


def test_extension_wins_over_content() -> None:
    scene = one("scene.txt", "INT. KITCHEN - NIGHT\nShe waits.\n")
    assert texts(scene) == ["INT. KITCHEN - NIGHT", "She waits."]


def test_reads_standard_input_when_no_bytes_are_given(monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"Cast: Ana\nAna waits.\n"))
    monkeypatch.setattr(sys, "stdin", stdin)
    (scene,) = read_scenes("-")
    assert (scene.title, names(scene), texts(scene)) == ("Untitled scene", ["Ana"], ["Ana waits."])


def test_reads_the_file_when_no_bytes_are_given(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"beats: [She waits.]\n")
    assert texts(read_scenes(str(path))[0]) == ["She waits."]
    assert texts(read_scenes(str(path), b"beats: [Given bytes win.]")[0]) == ["Given bytes win."]
    with pytest.raises(SceneError, match="cannot read the scene file"):
        read_scenes(str(tmp_path / "missing.txt"))
    with pytest.raises(SceneError, match="cannot read the scene file"):
        read_scenes(str(tmp_path))


# --- limits ---------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["x.txt", "x.yaml", "x.fountain", "-"])
@pytest.mark.parametrize("data", [b"", b"   \n\t\n", b"\xef\xbb\xbf\r\n"])
def test_empty_input(source: str, data: bytes) -> None:
    refused(source, data, "empty input")


def test_headers_only_is_no_beats() -> None:
    refused("x.md", "# Title\nCast: Mara\nSet: kitchen\n\n## More\n---\n", "x.md", "no beats")


def test_binary_and_non_utf8_input() -> None:
    refused("x.txt", b"She waits.\x00\x01", "binary input", "not UTF-8 text")
    refused("-", b"caf\xe9 au lait", "<stdin>", "not UTF-8 text", "offset 3")
    refused("x.yaml", b"\x89PNG\r\n\x1a\n", "not UTF-8 text")


def test_oversized_input_is_refused_before_decoding() -> None:
    # Bytes that are not UTF-8: the size error, not a decoding error, proves the order.
    refused("x.txt", b"\xff" * (MAX_INPUT_BYTES + 1), "larger than the 5,000,000-byte limit")
    just_fits = b"a\n" * (MAX_INPUT_BYTES // 2)
    refused("x.txt", just_fits, f"more than the limit of {MAX_BEATS:,}")


@pytest.mark.parametrize(
    ("source", "header", "beat"),
    [
        ("x.txt", "", "She waits.\n"),
        ("x.yaml", "beats:\n", "  - She waits.\n"),
        ("x.fountain", "INT. ROOM\n\n", "She waits.\n\n"),
    ],
)
def test_too_many_beats(source: str, header: str, beat: str) -> None:
    refused(source, header + beat * (MAX_BEATS + 1), f"{MAX_BEATS + 1:,} beats", "split it")
    assert len(one(source, header + beat * MAX_BEATS).beats) == MAX_BEATS


@pytest.mark.parametrize(
    ("source", "template", "beat"),
    [("x.txt", "Cast: A\nOne.\n{}\n", 2), ("x.yaml", "beats: [one, two, '{}']", 3)],
)
def test_beat_too_long(source: str, template: str, beat: int) -> None:
    refused(source, template.format("x" * (MAX_BEAT_CHARS + 1)), f"beat {beat}", "2,001 char")
    fits = one(source, template.format("x" * MAX_BEAT_CHARS))
    assert len(fits.beats[beat - 1].text) == MAX_BEAT_CHARS


# --- identity -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("The Letter", "the-letter"),
        ("INT. KITCHEN - NIGHT", "int-kitchen-night"),
        ("Café Noël: à deux!", "cafe-noel-a-deux"),
        ("¿¡!?", "scene"),
        ("", "scene"),
        ("東京", "scene"),
        ("a" * 47 + " b c", "a" * 47),
        ("x" * 100, "x" * 48),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_source_hash_covers_the_raw_bytes() -> None:
    data = b"\xef\xbb\xbfShe waits.\r\n"
    assert read_scenes("-", data)[0].source_sha256 == hashlib.sha256(data).hexdigest()


# --- property: never any other exception ---------------------------------------------------

SOURCES = st.sampled_from(["-", "p.txt", "p.md", "p.yaml", "p.fountain", "p.unknown"])
LINES = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(
            [
                "INT. KITCHEN - NIGHT",
                ".HEADING",
                "beats:",
                "  - a beat",
                "- Mara runs.",
                "# Title",
                "Cast: Mara, Tom",
                "Set: kitchen",
                "MARA (V.O.)",
                "/* boneyard",
                "*/",
                "[[note",
                "",
                "title: [",
                "  camera: {size: CU}",
            ]
        ),
    ),
    max_size=12,
)


def check_scenes(scenes: tuple[Scene, ...]) -> None:
    assert scenes
    for scene in scenes:
        assert SLUG.match(scene.slug)
        for beat in scene.beats:
            assert beat.text and beat.text == beat.text.strip()
            assert len(beat.text) <= MAX_BEAT_CHARS
            assert len(beat.text.splitlines()) == 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=SOURCES, lines=LINES)
def test_any_text_gives_scenes_or_a_scene_error(source: str, lines: list[str]) -> None:
    try:
        scenes = read_scenes(source, "\n".join(lines).encode())
    except SceneError as err:
        assert "\n" not in str(err)
    else:
        check_scenes(scenes)


@settings(max_examples=200, deadline=None)
@given(source=SOURCES, data=st.binary(max_size=200))
def test_any_bytes_give_scenes_or_a_scene_error(source: str, data: bytes) -> None:
    try:
        scenes = read_scenes(source, data)
    except SceneError as err:
        assert "\n" not in str(err)
    else:
        check_scenes(scenes)


ANY_KEY = st.sampled_from(
    [
        "title",
        "cast",
        "set",
        "fps",
        "aspect",
        "beats",
        "name",
        "height_m",
        "position",
        "facing_deg",
        "text",
        "seconds",
        "camera",
        "size",
        "angle",
        "movement",
        "lens_mm",
        "dutch_deg",
        "framing",
        "other",
    ]
)
YAML_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-1000, 1000)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["Mara", "kitchen", "CU", "push in", "16:9", "She waits.", ""])
    | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(ANY_KEY, children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(document=st.dictionaries(ANY_KEY, YAML_VALUES, max_size=6))
def test_any_yaml_structure_gives_a_scene_or_a_scene_error(document: dict[str, object]) -> None:
    data = yaml.safe_dump(document, allow_unicode=True).encode()
    try:
        scenes = read_scenes("p.yaml", data)
    except SceneError as err:
        assert "\n" not in str(err)
    else:
        check_scenes(scenes)
        assert len(scenes) == 1 and isinstance(scenes[0].fps, int)
