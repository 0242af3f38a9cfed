"""affect stage: how each beat feels, what it does in the story, who moves and what matters.

Entry point: :func:`read_affect`. Offline and deterministic: VADER (MIT) for valence plus
beatcam's own word lists in ``affect/data`` (MIT), read by explicit rules, blended with a
readout fitted to beatcam's own labelled beats in the sentence space of all-MiniLM-L6-v2 (numpy,
no torch), so every number comes with the words and the nearest examples that drove it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from beatcam.affect import embedding, framing, neighbours, readout
from beatcam.affect.blend import blend
from beatcam.affect.entities import (
    Movements,
    acting_together,
    mention_spans,
    movements,
    others_acting,
    props,
    stagings,
    walking_group,
)
from beatcam.affect.feelings import Feelings, read_feelings
from beatcam.affect.function import Cue, FunctionReading, read_function
from beatcam.affect.intent import read_intent_cues
from beatcam.affect.lexicon import load_lexicon, provenance
from beatcam.affect.modifiers import Context
from beatcam.affect.pronouns import UNSETTLED, learn, resolve
from beatcam.affect.words import Token, tokenize
from beatcam.model.scene import AffectedScene, CastNames, Pronouns, Scene, acted_texts
from beatcam.model.vocab import ANGLES, FRAMINGS, MOVEMENTS, SIZES, Intent, Staging

__all__ = ["WordReading", "read_affect", "read_words"]

DECIMALS: Final = 4
# What a line of dialogue does on stage, whatever its verbs say.
NOTHING_DONE: Final = Movements((), ())
# The intents whose devices show a body in a physical event (the shaken camera of chaos, the
# chase's travelling camera, the drop's dolly zoom): a line that speaks of fire, a chase or a
# fall is said, not happening, so its words never read them (Nob's "Yes, fire." went handheld).
HAPPENINGS: Final = frozenset({Intent.CHAOS, Intent.PURSUIT, Intent.VERTIGO})


def _round(value: float) -> float:
    return round(value, DECIMALS) + 0.0


def _belief(values: tuple[str, ...], odds: Sequence[float]) -> dict[str, float]:
    return {value: _round(float(p)) for value, p in zip(values, odds, strict=True)}


def labelled_provenance() -> dict[str, str]:
    """The labelled-beats dataset the readout was fitted to, as a provenance entry."""
    examples = neighbours.labelled_examples()
    return {
        "name": "beatcam labelled beats",
        "version": neighbours.labels_digest(examples)[:12],
        "licence": "MIT",
        "source": f"{len(examples)} camera-free beat sentences written and labelled for beatcam "
        f"(valence, arousal, dominance, emotions, function): affect/data/{neighbours.LABELS_FILE}; "
        "the readout (ridge and logistic regression on their sentence vectors) is fitted to them "
        f"alone by {neighbours.BUILD_SCRIPT}",
    }


@dataclass(frozen=True)
class WordReading:
    """What the word lists alone read in one beat, before the sentence readout is consulted."""

    tokens: tuple[Token, ...]  # of the words that act (no words shown on a sign): its props
    feelings: Feelings
    function: FunctionReading
    named: tuple[str, ...]
    moves: Movements
    intent_cues: Mapping[str, Cue]
    staged: Movements
    walkers: tuple[str, ...]  # who walk together, in the order named (``walking_group``)


def read_words(
    text: str,
    cast: CastNames,
    previous: tuple[str, ...] = (),
    *,
    first_in_scene: bool = False,
    set_name: str | None = None,
    pronouns: Pronouns = UNSETTLED,
    spoken: bool = False,
    acted: str | None = None,
) -> WordReading:
    """The lexicon's reading of one beat; ``pronouns`` are whom the scene's "he" and "she"
    mean, ``previous`` the characters any other pronoun refers to. A ``spoken`` beat (a line
    of dialogue) is said, not done: its verbs ("I've got to run", "I was going to go down to
    the gallery") are no stage directions, so it reads no movements and no stagings.
    ``acted`` is the beat's text without words it shows written on something
    (``scene.acted_texts``; None: all of it acts): those words set the mood but name no one
    and move no one, and whoever reads them is whom the beat is about, else whom the beat
    before was about."""
    lexicon = load_lexicon()
    tokens = tokenize(text)
    context = Context.of(tokens, lexicon)
    acts = text if acted is None else acted
    shows = acts != text
    acting = Context.of(tokenize(acts), lexicon) if shows else context
    named = resolve(acting.tokens, cast, pronouns, previous)
    if shows:
        named = named or previous[:1]
    moves = NOTHING_DONE if spoken else movements(acts, acting, lexicon, cast)
    function = read_function(
        text,
        context,
        lexicon,
        first_in_scene=first_in_scene,
        set_name=set_name,
        moves=moves,
        named=named,
    )
    feelings = read_feelings(text, context, lexicon, others_acting(tokens, cast, lexicon))
    intents = read_intent_cues(text, context, lexicon)
    spans = () if spoken else mention_spans(acting.tokens, cast)
    staged = NOTHING_DONE if spoken else stagings(acts, acting, lexicon, spans)
    walkers = () if spoken else walking_group(acting, lexicon, spans)
    if walkers and Staging.WALK_TOGETHER not in staged.actions:
        staged = replace(staged, actions=(*staged.actions, str(Staging.WALK_TOGETHER)))
    if not spoken and acting_together(acting, spans, named):
        staged = replace(staged, actions=(*staged.actions, str(Staging.ACT_TOGETHER)))
    if shows:
        staged = replace(staged, actions=(*staged.actions, str(Staging.READ_TEXT)))
    return WordReading(
        tuple(acting.tokens), feelings, function, named, moves, intents, staged, walkers
    )


def spoken_between(
    speaker: str,
    named: tuple[str, ...],
    speakers: list[str],
    previous: tuple[str, ...],
    people: tuple[str, ...],
) -> tuple[str, ...]:
    """Who a line of dialogue is played between: the speaker, then whom it is said to: a
    person the line names ("Amos, it's me"), else the last one on the set to speak before
    (not a voice only heard off it), else whom the scene was just about, else the only other
    person in the scene."""
    others = [
        name
        for name in (*named, *reversed(speakers), *previous)
        if name != speaker and name in people
    ]
    if not others and len(people) == 2:
        others = [name for name in people if name != speaker]
    return (speaker, others[0]) if others else (speaker,)


def read_affect(scene: Scene) -> AffectedScene:
    """One Affect per beat of ``scene``, in order, with the models and lists that read them.

    All beats are embedded in one batched call (repeated lines once), so a scene pays the
    model's load and batching once.
    """
    lexicon = load_lexicon()
    cast = CastNames.of(scene.cast, [beat.text for beat in scene.beats])
    texts = list(dict.fromkeys(beat.text for beat in scene.beats))
    vectors = embedding.encode(texts)
    readings = dict(zip(texts, readout.read(readout.stored(), vectors, texts), strict=True))
    nearest = dict(zip(texts, neighbours.nearest(vectors), strict=True))
    framed = {
        field: dict(zip(texts, framing.beliefs(framing.stored(field), vectors, texts), strict=True))
        for field in framing.FIELDS
    }
    affects = []
    previous: tuple[str, ...] = ()
    speakers: list[str] = []
    people = tuple(member.name for member in scene.cast)
    # Dialogue is left out both ways: in a line, "he" is whom the speaker means.
    users = learn([tokenize(beat.text) for beat in scene.beats if beat.speaker is None], cast)
    pronouns: list[Pronouns] = []
    seen: dict[str, tuple[int, int]] = {}  # where each was last named: beat, place among its people
    acted = acted_texts(scene.beats)
    for position, beat in enumerate(scene.beats):
        pronouns.append(users.settle(seen) if beat.speaker is None else UNSETTLED)
        words = read_words(
            beat.text,
            cast,
            previous,
            first_in_scene=position == 0,
            set_name=scene.set_preset,
            pronouns=pronouns[-1],
            spoken=beat.speaker is not None,
            acted=acted[position],
        )
        named = words.named
        if beat.speaker is not None:
            named = spoken_between(beat.speaker, named, speakers, previous, people)
            if beat.unseen:  # played on whom it is said to: the speaker is not in the picture
                named = named[1:]
            speakers.append(beat.speaker)
        blended = blend(
            words.feelings,
            words.function,
            readings[beat.text],
            nearest[beat.text],
            words.intent_cues,
        )
        affects.append(
            replace(
                blended,
                valence=_round(blended.valence),
                arousal=_round(blended.arousal),
                dominance=_round(blended.dominance),
                intensity=_round(blended.intensity),
                emotions={name: _round(score) for name, score in blended.emotions.items()},
                function_belief={name: _round(p) for name, p in blended.function_belief.items()},
                intent_belief={
                    name: _round(p)
                    for name, p in blended.intent_belief.items()
                    if beat.speaker is None or name not in HAPPENINGS
                },
                size_belief=_belief(SIZES, framed["size"][beat.text]),
                angle_belief=_belief(ANGLES, framed["angle"][beat.text]),
                movement_belief=_belief(MOVEMENTS, framed["movement"][beat.text]),
                framing_belief=_belief(FRAMINGS, framed["framing"][beat.text]),
                characters=named,
                actions=words.moves.actions,
                stagings=words.staged.actions,
                walkers=words.walkers,
                objects=props(words.tokens, lexicon, cast),
                evidence=(*blended.evidence, f"vader:compound={words.feelings.vader:+.2f}"),
            )
        )
        previous = named or previous
        seen.update((name, (position, order)) for order, name in enumerate(named))
    models = (
        *provenance(),
        dict(embedding.MODEL_PROVENANCE),
        labelled_provenance(),
        framing.provenance(),
    )
    return AffectedScene(
        scene=scene,
        affects=tuple(affects),
        models=models,
        usual_framing=framing.usual(),
        pronouns=tuple(pronouns),
        cast_names=cast,
    )
