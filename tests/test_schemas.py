"""The compiled schema checks that every write runs: they accept what beatcam writes, and never
accept what jsonschema (the authority, and the source of every error message) rejects."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import jsonschema
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from beatcam.errors import PlanFileError
from beatcam.export import plan_json, provenance, schemas
from beatcam.model import CriticRule, Repair, ShotPlan
from beatcam.pipeline import ShootOptions, plan_scene, shoot
from beatcam.script import read_scenes

ROOT = Path(__file__).resolve().parents[1]
MUTATIONS = 300
# A list this long is a per-frame array (no other list of a plan is; a scene lasts seconds).
PER_FRAME_AT_LEAST = 24
# Values of every JSON kind, and some near the schemas' limits (negative sizes, a bad shot id).
ODD_VALUES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    -0.5,
    2.5,
    1e9,
    "",
    "x",
    "S1",
    [],
    {},
    [1],
    {"a": 1},
]


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """plan.json, critique.json and provenance.json as beatcam writes them for an example,
    every per-frame array cut to two rows so that jsonschema is quick on hundreds of variants."""
    out = tmp_path_factory.mktemp("schemas")
    result = shoot(ROOT / "examples" / "the-letter.yaml", out, ShootOptions(stages=("plan",)))
    plan = result.scenes[0].plan
    return {
        "plan": _trimmed(json.loads((out / "plan.json").read_text())),
        "critique": json.loads((out / "critique.json").read_text()),
        "provenance": json.loads(provenance.document(plan, ["plan.json", "critique.json"])),
    }


def _trimmed(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _trimmed(item) for key, item in value.items()}
    if isinstance(value, list):
        rows = value[:2] if len(value) > PER_FRAME_AT_LEAST else value
        return [_trimmed(item) for item in rows]
    return value


def _places(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every node below ``value``."""
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _places(item, (*path, index))
    return found


def _mutated(document: Any, places: list[tuple[Any, ...]], rng: random.Random) -> Any:
    """The document with one node (at one of its ``places``) replaced, removed or given an
    extra key or item."""
    changed = json.loads(json.dumps(document))
    path = rng.choice(places[1:])
    parent = changed
    for step in path[:-1]:
        parent = parent[step]
    node = parent[path[-1]]
    how = rng.randrange(3)
    if how == 1:
        del parent[path[-1]]
    elif how == 2 and isinstance(node, dict):
        node["unexpected"] = rng.choice(ODD_VALUES)
    elif how == 2 and isinstance(node, list):
        node.append(rng.choice(ODD_VALUES))
    else:
        parent[path[-1]] = rng.choice(ODD_VALUES)
    return changed


@pytest.mark.parametrize("name", ["plan", "critique", "provenance"])
def test_what_beatcam_writes_passes_the_compiled_check(
    name: str, documents: dict[str, Any]
) -> None:
    assert schemas.compile_schema(schemas.load(name))(documents[name])
    assert schemas.first_error(name, documents[name]) is None
    jsonschema.validate(documents[name], schemas.load(name))


@pytest.mark.parametrize("name", ["plan", "critique", "provenance"])
def test_the_compiled_check_rejects_whatever_jsonschema_rejects(
    name: str, documents: dict[str, Any]
) -> None:
    check = schemas.compile_schema(schemas.load(name))
    validator = jsonschema.Draft202012Validator(schemas.load(name))
    rng = random.Random(name)
    places = _places(documents[name])
    rejected = 0
    for _ in range(MUTATIONS):
        variant = _mutated(documents[name], places, rng)
        if not validator.is_valid(variant):
            rejected += 1
            assert not check(variant), json.dumps(variant)[:2000]
            assert schemas.first_error(name, variant) is not None
    assert rejected > MUTATIONS // 4  # the variants do exercise the schema


def test_a_keyword_the_compiler_does_not_know_is_refused() -> None:
    with pytest.raises(ValueError, match="patternProperties"):
        schemas.compile_schema({"type": "object", "patternProperties": {"^x": {}}})


def test_a_repaired_plan_passes_the_compiled_check_before_it_is_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A plan's document holds the critic's rules and repairs as their StrEnum members; the
    compiled check takes them as the strings JSON writes, so writing a repaired plan never
    falls back to jsonschema (slow to import and to run: issue 19)."""
    plan, _ = plan_scene(read_scenes(str(ROOT / "examples" / "the-letter.yaml"))[0])
    shot = plan.shots[0]
    reason = dataclasses.replace(
        shot.reason, failed=(CriticRule.LINE_OF_ACTION,), repair=Repair.PLAINER_SHOT
    )
    repaired = dataclasses.replace(plan, shots=(dataclasses.replace(shot, reason=reason),))
    monkeypatch.setattr(schemas, "_validator", _must_not_validate)
    written = json.loads(plan_json.dumps(repaired))["shots"][0]["reason"]
    assert (written["failed"], written["repair"]) == (["180-degree rule"], "plainer shot")


def _must_not_validate(name: str) -> None:
    raise AssertionError(f"jsonschema was asked about a valid {name} document")


def test_per_frame_rows_are_written_as_json_writes_them() -> None:
    """plan.json formats each run of equal rows once (``plan_json._frames_text``): the text is
    still json.dumps's, a row of a 2-D array to a line, for runs, single rows, words and none."""
    rng = random.Random(19)
    pad, closing = "      ", "    "
    for _ in range(200):
        frames, columns = rng.randint(0, 40), rng.choice([None, 3, 4])
        values = [rng.choice([0.0, 1.5, -2.25, 1e-05, 123456.78901]) for _ in range(12)]
        rows: list[Any] = []
        while len(rows) < frames:
            row = (
                rng.choice(values)
                if columns is None
                else [rng.choice(values) for _ in range(columns)]
            )
            rows += [row] * rng.randint(1, 6)
        rows = rows[:frames]
        array = np.array(rows, dtype=np.float64).reshape((frames, columns) if columns else frames)
        text = _spelled(plan_json._frames_text(plan_json._rows(array), pad, closing))
        expected = json.dumps(rows)
        if columns and rows:
            expected = "[\n" + pad + expected[1:-1].replace("], [", "],\n" + pad + "[") + "\n"
            expected += closing + "]"
        assert text == expected
        words = tuple(rng.choice(["stand", "sit", None, "Zoë"]) for _ in range(frames))
        pieces = plan_json._frames_text(plan_json._PerFrame(words), pad, closing)
        assert _spelled(pieces) == json.dumps(list(words))


# A document's leaves as plan.json meets them: numbers, words (the critic's rules are StrEnum
# members), flags and nothing; lists of words or of objects (a list of numbers is one line).
_LEAVES = st.one_of(
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.text(max_size=6),
    st.sampled_from(list(CriticRule)),
)
_KEYS = st.text(alphabet="abz_", max_size=6)  # a plan's keys are plain ASCII names
_DOCUMENTS = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.lists(st.one_of(st.text(max_size=4), st.dictionaries(_KEYS, inner, max_size=3))),
        st.dictionaries(_KEYS, inner, max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_DOCUMENTS)
def test_a_document_is_written_as_json_indents_it(document: Any) -> None:
    """plan.json's text of any value (``plan_json._encode``, which tells numbers, words and
    objects by their type first) is json.dumps's with two-space indents."""
    pieces: list[str | tuple[str, int]] = []
    plan_json._encode(document, 0, pieces)
    assert _spelled(pieces) == json.dumps(document, indent=2, ensure_ascii=False)


def _spelled(pieces: list[str | tuple[str, int]]) -> str:
    return "".join(piece if isinstance(piece, str) else piece[0] * piece[1] for piece in pieces)


def test_a_broken_row_of_a_run_is_named_by_the_first_frame_of_its_run(
    tiny_plan: ShotPlan,
) -> None:
    """plan.json's writer checks each run of equal rows once (``plan_json._rows``), and names a
    row it refuses by its frame, as the reader of a file does."""
    shot = tiny_plan.shots[1]
    rotation = np.array(shot.camera.rotation)
    rotation[30:40] = [0.5, 0.5, 0.0, 0.0]
    broken = dataclasses.replace(shot, camera=dataclasses.replace(shot.camera, rotation=rotation))
    plan = dataclasses.replace(tiny_plan, shots=(tiny_plan.shots[0], broken))
    with pytest.raises(PlanFileError, match="shots/1/camera/rotation row 30 is not a unit"):
        plan_json.runs(plan)
