"""beatcam's word lists (``affect/data/*.yaml``), loaded and checked once per process.

The lists are data, not code, so a writer can read and extend them; this module turns them into
cue indexes keyed by stem and says where a broken list is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Final

from beatcam import cache as beatcam_cache
from beatcam import tables
from beatcam.affect.patterns import ANY_WORD, CLASS_MARK, CLAUSE_END, EXACT_MARK, Cue, CueIndex
from beatcam.affect.words import stem, stem_phrase
from beatcam.errors import StageError
from beatcam.model.vocab import EMOTIONS, FUNCTIONS, INTENTS, STAGINGS

DATA_FILES: Final = (
    "emotions.yaml",
    "dimensions.yaml",
    "modifiers.yaml",
    "functions.yaml",
    "intents.yaml",
    "actions.yaml",
    "stagings.yaml",
    "classes.yaml",
    "places.yaml",
    "props.yaml",
)
LISTS_VERSION: Final = "1"
LEXICON_NAMESPACE: Final = "lexicon"  # the built lexicon in beatcam's cache
AROUSAL: Final = "arousal"
DOMINANCE: Final = "dominance"
IGNORE_ACTION: Final = "ignore"
STRONG_CUE: Final = 1.0
WEAK_CUE: Final = 0.6
PAD_AXES: Final = 3
PLACE_CLASS: Final = "place"
# Words a staging cue steps over between its parts ("sinks slowly into the chair").
MANNER_CLASS: Final = "manner"


@dataclass(frozen=True)
class Lexicon:
    """Everything the affect stage reads beats with.

    ``affect`` holds emotion cues (label = emotion) and arousal/dominance cues; ``pad`` maps each
    emotion to its (pleasure, arousal, dominance); ``negators``/``modifiers`` are keyed by the
    words as written (tuples of lower-case words); ``function_order`` is the priority order;
    ``intents`` holds the expressive-intent cues (label = intent); ``actions`` the movement
    verbs and ``stagings`` what a camera move can follow (label = action or staging).
    """

    affect: CueIndex
    pad: Mapping[str, tuple[float, float, float]]
    negators: frozenset[tuple[str, ...]]
    modifiers: Mapping[tuple[str, ...], float]
    functions: CueIndex
    function_order: tuple[str, ...]
    intents: CueIndex
    actions: CueIndex
    stagings: CueIndex
    classes: Mapping[str, frozenset[str]]
    places: frozenset[str]
    props: Mapping[str, str]
    not_props: frozenset[str]
    digest: str


def _fail(name: str, message: str) -> StageError:
    return StageError(
        "affect", f"word list affect/data/{name}: {message}; reinstall beatcam or fix the list"
    )


def _read(name: str) -> Any:
    source = resources.files("beatcam.affect").joinpath("data", name)
    try:
        return tables.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, tables.TableError) as exc:
        raise _fail(name, f"cannot be read ({exc})") from exc


def _mapping(name: str, value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict) or not value:
        raise _fail(name, f"{where} must be a non-empty mapping")
    return value


def _words(name: str, value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _fail(name, f"{where} must be a list of words")
    return value


def _pattern(name: str, phrase: str, classes: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
    pattern = tuple(
        part.lower() if part.startswith(EXACT_MARK) else part for part in stem_phrase(phrase)
    )
    if not pattern or pattern[0] in (ANY_WORD, CLAUSE_END) or pattern[0].startswith(CLASS_MARK):
        raise _fail(name, f"cue {phrase!r} must start with a word")
    for part in pattern:
        if part.startswith(CLASS_MARK) and part[1:] not in classes:
            raise _fail(name, f"cue {phrase!r} names an unknown class {part}")
    return pattern


def _weighted(
    name: str, table: Any, label: str, classes: Mapping[str, frozenset[str]], low: float
) -> list[Cue]:
    cues = []
    for phrase, weight in _mapping(name, table, label).items():
        if not isinstance(weight, int | float) or not low <= weight <= 1.0 or weight == 0:
            raise _fail(name, f"{label}: {phrase!r} needs a non-zero weight in [{low}, 1]")
        cues.append(Cue(_pattern(name, str(phrase), classes), label, float(weight)))
    return cues


def _classes(places: list[str]) -> dict[str, frozenset[str]]:
    table = _mapping("classes.yaml", _read("classes.yaml"), "the file")
    classes = {key: frozenset(_words("classes.yaml", words, key)) for key, words in table.items()}
    classes[PLACE_CLASS] = frozenset(places)
    return classes


def _affect_cues(classes: Mapping[str, frozenset[str]]) -> tuple[list[Cue], dict[str, Any]]:
    emotions = _mapping("emotions.yaml", _read("emotions.yaml"), "the file")
    if set(emotions) != set(EMOTIONS):
        raise _fail("emotions.yaml", f"needs exactly the emotions {', '.join(EMOTIONS)}")
    cues = [
        cue
        for emotion in EMOTIONS
        for cue in _weighted("emotions.yaml", emotions[emotion], emotion, classes, 0.0)
    ]
    dimensions = _mapping("dimensions.yaml", _read("dimensions.yaml"), "the file")
    for label in (AROUSAL, DOMINANCE):
        cues += _weighted("dimensions.yaml", dimensions.get(label), label, classes, -1.0)
    return cues, dimensions


def _pad(dimensions: Mapping[str, Any]) -> dict[str, tuple[float, float, float]]:
    table = _mapping("dimensions.yaml", dimensions.get("emotion_pad"), "emotion_pad")
    pad = {}
    for emotion in EMOTIONS:
        values = table.get(emotion)
        if not isinstance(values, list) or len(values) != PAD_AXES:
            raise _fail("dimensions.yaml", f"emotion_pad: {emotion} needs [pleasure, arousal, dom]")
        pleasure, arousal, dominance = (float(value) for value in values)
        pad[emotion] = (pleasure, arousal, dominance)
    return pad


def _modifiers() -> tuple[frozenset[tuple[str, ...]], dict[tuple[str, ...], float]]:
    table = _mapping("modifiers.yaml", _read("modifiers.yaml"), "the file")
    negators = frozenset(
        tuple(phrase.split()) for phrase in _words("modifiers.yaml", table.get("negators"), "neg")
    )
    modifiers: dict[tuple[str, ...], float] = {}
    for key in ("intensifiers", "diminishers"):
        for phrase, factor in _mapping("modifiers.yaml", table.get(key), key).items():
            if not isinstance(factor, int | float) or factor <= 0:
                raise _fail("modifiers.yaml", f"{key}: {phrase!r} needs a positive factor")
            modifiers[tuple(str(phrase).split())] = float(factor)
    return negators, modifiers


def _labelled_cues(
    name: str, labels: tuple[str, ...], classes: Mapping[str, frozenset[str]]
) -> tuple[list[Cue], tuple[str, ...]]:
    """The cues of a table of ``labels`` (functions.yaml, intents.yaml) and its label order."""
    table = _mapping(name, _read(name), "the file")
    unknown = sorted(set(table) - set(labels))
    if unknown:
        raise _fail(name, f"unknown labels {unknown}; known: {', '.join(labels)}")
    cues = []
    for label, rule in table.items():
        rule = _mapping(name, rule, label)
        strong = float(rule.get("weight", STRONG_CUE))
        for key, weight in (("cues", strong), ("weak", min(strong, WEAK_CUE))):
            for phrase in _words(name, rule.get(key, []), f"{label}.{key}"):
                cues.append(Cue(_pattern(name, phrase, classes), label, weight))
    return cues, tuple(table)


def _phrase_cues(
    name: str, classes: Mapping[str, frozenset[str]], labels: tuple[str, ...] | None = None
) -> list[Cue]:
    """Unweighted phrase cues, one label per key of the file (checked against ``labels``)."""
    table = _mapping(name, _read(name), "the file")
    unknown = sorted(set(table) - set(labels)) if labels is not None else []
    if unknown:
        raise _fail(name, f"unknown labels {unknown}; known: {', '.join(labels or ())}")
    return [
        Cue(_pattern(name, phrase, classes), label)
        for label, phrases in table.items()
        for phrase in _words(name, phrases, label)
    ]


def _digest() -> str:
    """A short hash of every list, so provenance names the exact lists that read a plan."""
    sha = hashlib.sha256()
    for name in DATA_FILES:
        sha.update(resources.files("beatcam.affect").joinpath("data", name).read_bytes())
    return sha.hexdigest()[:12]


@cache
def load_lexicon() -> Lexicon:
    """Every list, read and checked, once per process.

    Stemming and indexing some two thousand cues is ~0.03 s of a cold plan, so the built
    lexicon is kept in beatcam's cache, where later runs take it ready made. Its key, as every
    key, holds the digest of beatcam's own files, these lists and this code among them: an
    edited list is built afresh. With the cache off no key is made (it digests beatcam's files).
    """
    if beatcam_cache.root() is None:
        return build_lexicon()
    entry = beatcam_cache.key(LEXICON_NAMESPACE)
    stored = beatcam_cache.get_object(LEXICON_NAMESPACE, entry)
    if isinstance(stored, Lexicon):
        return stored
    built = build_lexicon()
    beatcam_cache.put_object(LEXICON_NAMESPACE, entry, built)
    return built


def build_lexicon() -> Lexicon:
    """Read and check every list (``load_lexicon`` keeps the result)."""
    places_table = _mapping("places.yaml", _read("places.yaml"), "the file")
    places = _words("places.yaml", places_table.get("places"), "places")
    classes = _classes(places)
    affect_cues, dimensions = _affect_cues(classes)
    negators, modifiers = _modifiers()
    function_cues, function_order = _labelled_cues("functions.yaml", FUNCTIONS, classes)
    intent_cues, _ = _labelled_cues("intents.yaml", INTENTS, classes)
    props_table = _mapping("props.yaml", _read("props.yaml"), "the file")
    props = _words("props.yaml", props_table.get("props"), "props")
    not_props = _words("props.yaml", props_table.get("not_props"), "not_props")
    return Lexicon(
        affect=CueIndex(affect_cues, classes),
        pad=_pad(dimensions),
        negators=negators,
        modifiers=modifiers,
        functions=CueIndex(function_cues, classes),
        function_order=function_order,
        intents=CueIndex(intent_cues, classes),
        actions=CueIndex(_phrase_cues("actions.yaml", classes), classes),
        stagings=CueIndex(
            _phrase_cues("stagings.yaml", classes, STAGINGS), classes, classes[MANNER_CLASS]
        ),
        classes=classes,
        places=frozenset(stem_phrase(place)[-1] for place in places),
        props={stem(prop): prop for prop in sorted(props, key=len, reverse=True)},
        not_props=frozenset(stem(word) for word in not_props),
        digest=_digest(),
    )


@cache
def provenance() -> tuple[Mapping[str, str], ...]:
    """One entry per model or lexicon the stage uses: name, version, licence, source."""
    return (
        {
            "name": "vaderSentiment",
            # (unknown only for a copy installed without its metadata)
            "version": beatcam_cache.installed_version("vaderSentiment") or "unknown",
            "licence": "MIT",
            "source": "VADER lexicon and rules, rated by human raters "
            "(Hutto & Gilbert 2014); shipped inside the vaderSentiment package",
        },
        {
            "name": "beatcam affect word lists",
            "version": f"{LISTS_VERSION}+{load_lexicon().digest}",
            "licence": "MIT",
            "source": "written by hand for beatcam: Plutchik emotion, arousal, dominance, "
            "modifier, narrative-function, expressive-intent, movement, place and prop lists "
            "(affect/data)",
        },
    )
