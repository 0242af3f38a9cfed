"""affect stage: how each beat feels, what it does in the story, who moves and what matters.

Entry point: :func:`read_affect`. Offline and deterministic: VADER (MIT) for valence plus
beatcam's own word lists in ``affect/data`` (MIT), read by explicit rules so every number comes
with the words that drove it.
"""

from __future__ import annotations

from typing import Final

from beatcam.affect.entities import CastNames, characters, movements, props, uses_pronoun
from beatcam.affect.feelings import read_feelings
from beatcam.affect.function import read_function
from beatcam.affect.lexicon import load_lexicon, provenance
from beatcam.affect.modifiers import Context
from beatcam.affect.words import tokenize
from beatcam.model.scene import Affect, AffectedScene, Scene

__all__ = ["read_affect"]

DECIMALS: Final = 4


def _round(value: float) -> float:
    return round(value, DECIMALS) + 0.0


def read_affect(scene: Scene) -> AffectedScene:
    """One Affect per beat of ``scene``, in order, with the models and lists that read them."""
    lexicon = load_lexicon()
    cast = CastNames.of(scene.cast)
    affects = []
    previous: tuple[str, ...] = ()
    for position, beat in enumerate(scene.beats):
        tokens = tokenize(beat.text)
        context = Context.of(tokens, lexicon)
        feelings = read_feelings(beat.text, context, lexicon)
        named = characters(tokens, cast) or (previous if uses_pronoun(tokens) else ())
        moves = movements(beat.text, context, lexicon)
        function = read_function(
            beat.text,
            context,
            lexicon,
            first_in_scene=position == 0,
            set_name=scene.set_preset,
            moves=moves,
            named=named,
        )
        evidence = dict.fromkeys(
            [
                *function.evidence,
                *feelings.evidence,
                f"vader:compound={feelings.vader:+.2f}",
            ]
        )
        affects.append(
            Affect(
                valence=_round(feelings.valence),
                arousal=_round(feelings.arousal),
                dominance=_round(feelings.dominance),
                intensity=_round(feelings.intensity),
                emotions={name: _round(score) for name, score in feelings.emotions.items()},
                function=function.function,
                characters=named,
                actions=moves.actions,
                objects=props(tokens, lexicon, cast),
                evidence=tuple(evidence),
            )
        )
        previous = named or previous
    return AffectedScene(scene=scene, affects=tuple(affects), models=provenance())
