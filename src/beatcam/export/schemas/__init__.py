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
    checks = [_keyword(schema, word) for word in schema if word not in ANNOTATIONS]
    return lambda value: all(check(value) for check in checks)


def _keyword(schema: Mapping[str, Any], word: str) -> Check:
    rule = schema[word]
    if word == "type":
        kinds = [TYPES[kind] for kind in ([rule] if isinstance(rule, str) else rule)]
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
        every = compile_schema(rule)
        skip = len(schema.get("prefixItems", ()))
        return lambda value: (
            not isinstance(value, list) or all(every(item) for item in value[skip:])
        )
    if word == "required":
        return lambda value: not isinstance(value, dict) or all(name in value for name in rule)
    if word == "properties":
        named = {name: compile_schema(item) for name, item in rule.items()}
        return lambda value: (
            not isinstance(value, dict)
            or all(check(value[name]) for name, check in named.items() if name in value)
        )
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
