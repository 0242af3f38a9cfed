"""The JSON Schemas beatcam ships (one per file format it writes and reads back), and the one
way to check a document against them.

``first_error`` is that way. Each schema is compiled once into nested Python checks that only
say yes or no (``compile_schema``), quick enough to run on every write; only a document they
say no to is handed to ``jsonschema``, which is the authority: it decides, and its best match
is the error a caller reports. The compiled checks are kept at least as strict as the schema
(a keyword they do not know is refused when compiling, and where JSON's equality is subtle
they say no), so a yes never lets through what ``jsonschema`` would reject. ``jsonschema`` is
imported only then: it is slow to import and to run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

Check = Callable[[Any], bool]

# Keywords that describe and check nothing.
ANNOTATIONS = frozenset({"$schema", "$id", "title", "description"})


@cache
def load(name: str) -> dict[str, Any]:
    """The schema ``<name>.schema.json`` (plan, critique, provenance), parsed once."""
    text = resources.files(__name__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def first_error(name: str, document: Any) -> jsonschema.ValidationError | None:
    """None when ``document`` matches the schema ``name``; else the error ``jsonschema`` finds
    most relevant (its ``absolute_path`` and ``message`` say where and what)."""
    if _compiled(name)(document):
        return None
    import jsonschema

    error: jsonschema.ValidationError | None = jsonschema.exceptions.best_match(
        _validator(name).iter_errors(document)
    )
    return error


@cache
def _compiled(name: str) -> Check:
    return compile_schema(load(name))


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    """The validator ``jsonschema.validate`` would use, its schema checked once."""
    import jsonschema

    known = load(name)
    kind = jsonschema.validators.validator_for(known)
    kind.check_schema(known)
    return kind(known)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# JSON Schema's types as Python's json module reads them; bool is not a number.
TYPES: dict[str, Check] = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "number": _is_number,
    "integer": lambda value: _is_number(value) and float(value).is_integer(),
}


def _same(value: Any, wanted: Any) -> bool:
    """JSON equality where it is plain (strings, booleans, null, numbers of one type); anything
    subtler is "no", which hands the document to jsonschema.

    A string is any ``str``, its subclasses too: a plan's document holds the critic's rules and
    repairs as the ``StrEnum`` members they are, which JSON writes as their text. Refusing them
    sent every plan with a repair to jsonschema, ~0.2 s of a cold plan's CPU."""
    if isinstance(value, str) and isinstance(wanted, str):
        return str.__eq__(value, wanted)
    plain = isinstance(value, bool | int | float | None)
    return plain and type(value) is type(wanted) and value == wanted


def compile_schema(schema: Mapping[str, Any] | bool) -> Check:
    """A yes/no check of a document against ``schema`` (the draft 2020-12 keywords beatcam's
    schemas use); a ValueError for any other keyword, so none is silently skipped."""
    if isinstance(schema, bool):
        return lambda value: schema
    return _every([_keyword(schema, word) for word in schema if word not in ANNOTATIONS])


def _every(checks: list[Check]) -> Check:
    """Yes where each of ``checks`` says yes, asked in order until one says no: ``all`` over a
    generator written as a loop, since making and resuming a generator cost more than most
    checks (issue 19: a 10-beat plan's plan.json and critique.json 3.2 -> 1.5 ms, 500 beats'
    142 -> 61 ms)."""
    if len(checks) == 1:
        return checks[0]

    def every(value: Any) -> bool:
        for check in checks:  # noqa: SIM110 (the loop, not all(), for speed: see above)
            if not check(value):
                return False
        return True

    return every


def _every_item(check: Check, skip: int = 0) -> Check:
    """Yes where ``value`` is not a list, or ``check`` says yes to each of its items after the
    first ``skip`` (``map``: no generator either)."""
    return lambda value: not isinstance(value, list) or all(map(check, value[skip:]))


def _keyword(schema: Mapping[str, Any], word: str) -> Check:
    rule = schema[word]
    if word == "type":
        kinds = [TYPES[kind] for kind in ([rule] if isinstance(rule, str) else rule)]
        if len(kinds) == 1:
            return kinds[0]
        return lambda value: any(kind(value) for kind in kinds)
    if word in {"minimum", "maximum", "exclusiveMinimum"}:
        passes: Callable[[Any], bool] = {
            "minimum": lambda value: value >= rule,
            "maximum": lambda value: value <= rule,
            "exclusiveMinimum": lambda value: value > rule,
        }[word]
        return lambda value: not _is_number(value) or passes(value)
    if word == "minLength":
        return lambda value: not isinstance(value, str) or len(value) >= rule
    if word == "pattern":
        search = re.compile(rule).search
        return lambda value: not isinstance(value, str) or search(value) is not None
    if word == "enum":
        return lambda value: any(_same(value, wanted) for wanted in rule)
    if word == "const":
        return lambda value: _same(value, rule)
    if word in {"minItems", "maxItems"}:
        fits: Callable[[int], bool] = (
            (lambda n: n >= rule) if word == "minItems" else (lambda n: n <= rule)
        )
        return lambda value: not isinstance(value, list) or fits(len(value))
    if word == "uniqueItems":
        # Strings only: other items' JSON equality (1 == 1.0, nested values) is jsonschema's.
        return lambda value: (
            not (rule and isinstance(value, list))
            or (all(isinstance(item, str) for item in value) and len(set(value)) == len(value))
        )
    if word == "prefixItems":
        firsts = [compile_schema(item) for item in rule]
        return lambda value: (
            not isinstance(value, list)
            or all(check(item) for check, item in zip(firsts, value, strict=False))
        )
    if word == "items":
        return _every_item(compile_schema(rule), len(schema.get("prefixItems", ())))
    if word == "required":
        return lambda value: not isinstance(value, dict) or all(name in value for name in rule)
    if word == "properties":
        named = [(name, compile_schema(item)) for name, item in rule.items()]

        def properties(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            for name, check in named:  # noqa: SIM110 (a loop for speed, as in _every)
                if name in value and not check(value[name]):
                    return False
            return True

        return properties
    if word == "additionalProperties":
        other = compile_schema(rule)
        known = set(schema.get("properties", {}))
        if "patternProperties" in schema:
            raise ValueError("patternProperties is not compiled; extend compile_schema")
        return lambda value: (
            not isinstance(value, dict)
            or all(other(item) for name, item in value.items() if name not in known)
        )
    if word == "oneOf":
        options = [compile_schema(item) for item in rule]
        return lambda value: sum(1 for option in options if option(value)) == 1
    raise ValueError(f"the schema keyword {word!r} is not compiled; extend compile_schema")
