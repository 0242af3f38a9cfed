"""What the writer gave us (a Scene) and what the affect stage read in it (Affect)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol

from beatcam.model.vocab import DEFAULT_ASPECT, DEFAULT_FPS, DEFAULT_HEIGHT_M


@dataclass(frozen=True)
class Character:
    """A cast member. ``position`` is (x, z) on the floor; None lets the director block them."""

    name: str
    height_m: float = DEFAULT_HEIGHT_M
    position: tuple[float, float] | None = None
    facing_deg: float | None = None


@dataclass(frozen=True)
class ShotPin:
    """Parts of a shot the writer pinned (YAML ``camera:``, or the studio); None leaves it open.

    ``pinned`` says where it was pinned, as the words that follow "pinned" in the shot's why
    ("in the studio"), so a crew reads who chose; None is the scene file. It is part of the
    pin's value (two pins from different places are different inputs to a plan) but pins
    nothing itself.
    """

    size: str | None = None
    angle: str | None = None
    movement: str | None = None
    framing: str | None = None
    lens_mm: float | None = None
    dutch_deg: float | None = None
    pinned: str | None = None

    def is_empty(self) -> bool:
        return all(value is None for key, value in vars(self).items() if key != "pinned")


@dataclass(frozen=True)
class Beat:
    """One emotional beat: a line of the scene. ``seconds`` is the writer's duration hint.

    A screenplay's dialogue block is a beat too: ``speaker`` is who speaks (a name of
    ``Scene.cast``, unless they are only ever heard there; None for action), ``text`` the
    spoken words alone, ``parenthetical`` the actor's direction without its parentheses
    ("quietly"), ``dual`` is True when the line is spoken at the same time as the previous one
    (dual dialogue), and ``unseen`` when the speaker is heard but not seen (a cue marked O.S.,
    O.C. or OFF, a narrator's voice-over, the far end of an intercut call): the line is played
    on whom it is said to. A dialogue beat's ``seconds`` is the time its words take to say;
    action leaves timing to the director.

    ``pin`` holds the beat's first shot (the YAML ``camera:`` key). ``shot_pins`` pins any of
    the beat's shots by its place in the beat (0 is the first, on top of ``pin``), and
    ``shot_seconds`` the length asked of a shot by its place, which the director gives where
    the beat's frames allow (the studio sets both). Both are tuples of (place, value) pairs in
    place order, so a Beat stays hashable and a pin lands in the plan cache's key.
    """

    index: int
    text: str
    seconds: float | None = None
    pin: ShotPin = field(default_factory=ShotPin)
    speaker: str | None = None
    parenthetical: str | None = None
    dual: bool = False
    unseen: bool = False
    shot_pins: tuple[tuple[int, ShotPin], ...] = ()
    shot_seconds: tuple[tuple[int, float], ...] = ()


@dataclass(frozen=True)
class Scene:
    """A parsed scene, before any interpretation.

    ``cast_explicit`` is True when the writer listed the cast, so beats may not invent names.
    ``source_sha256`` is the hash of the whole input file (a screenplay's scenes share it).
    ``film`` is the screenplay's title (its title page's Title), which names the film the
    scene belongs to. ``from_screenplay`` is True for scenes read from a screenplay (Fountain,
    Final Draft), whose camera words are the writer's hints rather than pins.
    """

    title: str
    cast: tuple[Character, ...]
    beats: tuple[Beat, ...]
    set_preset: str | None = None
    fps: int = DEFAULT_FPS
    aspect: str = DEFAULT_ASPECT
    cast_explicit: bool = False
    source_sha256: str = ""
    slug: str = "scene"
    film: str | None = None
    from_screenplay: bool = False


@dataclass(frozen=True)
class Affect:
    """How a beat feels and what it does, with the words that were the evidence.

    valence, arousal, dominance in [-1, 1]; intensity in [0, 1]; ``emotions`` maps each of
    Plutchik's eight (vocab.EMOTIONS) to [0, 1]; ``function`` is one of vocab.FUNCTIONS.
    ``characters`` are the cast named or implied; ``actions`` the verbs that move people
    (walk, run, turn, enter, ...); ``stagings`` what a camera move could follow or answer
    (vocab.STAGINGS: a rise, a look up, eyes scanning a room, ...); ``walkers`` those named
    as one subject of a walk together (``walk_together``), in the order named (empty where
    only "side by side" said so: the first two named); ``objects`` the props that matter.
    ``function_belief`` is how likely the beat is to do each function (those left out count
    0); empty means the function is certain, as when a user states it. ``intent_belief`` is
    how likely the beat is to ask for each expressive intent (vocab.INTENTS; those left out
    count 0, and what is left of 1 is the belief that the beat asks for none).
    ``size_belief`` is how likely the books are to frame a beat written like this at each
    size (vocab.SIZES; empty: no reading), ``angle_belief`` from each angle (vocab.ANGLES),
    ``movement_belief`` with each movement (vocab.MOVEMENTS), ``framing_belief`` in each
    framing (vocab.FRAMINGS).
    """

    valence: float
    arousal: float
    dominance: float
    intensity: float
    emotions: Mapping[str, float]
    function: str
    characters: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()
    stagings: tuple[str, ...] = ()
    walkers: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    function_belief: Mapping[str, float] = field(default_factory=dict)
    intent_belief: Mapping[str, float] = field(default_factory=dict)
    size_belief: Mapping[str, float] = field(default_factory=dict)
    angle_belief: Mapping[str, float] = field(default_factory=dict)
    movement_belief: Mapping[str, float] = field(default_factory=dict)
    framing_belief: Mapping[str, float] = field(default_factory=dict)

    def intent(self, *intents: str) -> float:
        """How likely the beat is to ask for one of ``intents``."""
        return sum(self.intent_belief.get(name, 0.0) for name in sorted(set(intents)))

    @property
    def plain(self) -> float:
        """How much the neutral grammar should count: all of it when no intent is believed, none
        when one is certain. Beliefs spread thinly over many intents still leave plain coverage
        in charge, since no one of them is sure enough to choose a device."""
        return 1.0 - max(self.intent_belief.values(), default=0.0)

    def belief(self, *functions: str) -> float:
        """How likely the beat is to do one of ``functions``."""
        if not self.function_belief:
            return 1.0 if self.function in functions else 0.0
        # Each name once, in sorted order: a set's order changes with the process's hash seed,
        # and so would the last bit of the sum, and with it a near-tie between two shots.
        return sum(self.function_belief.get(name, 0.0) for name in sorted(set(functions)))


# A quotation: between curly quotes or guillemets, or between straight quotes that open after
# a space and close before one (an inch mark, 'a 6" blade', opens nothing).
QUOTATIONS: Final = re.compile(
    r'“[^“”]*”|«[^«»]*»|「[^「」]*」|(?<![^\s(\[])"(?=\S)[^"“”]*?(?<=\S)"(?![^\s.,;:!?)\]])'
)
# Words written on something (a sign, a screen, a page) that a beat shows rather than says:
# a quotation ending an action line after a verb of showing ('His screen reads: "YIP YAP!"'),
# or standing alone after a line that ends on one ('He notices a sign, which reads:'), as
# screenplays set a sign's or a screen's text. "Says" is left out ('Mara says: "I know."' is
# speech), and so is a noun ('the show "Friends"'), a verb not right before the colon ('She
# reads his face, then snaps:') and the infinitive ('asks him to read "Ozymandias"').
_QUOTED_END: Final = r'(?P<words>“[^“”]+”|"[^"“”]+")[\s.!?]*$'
_SHOWING: Final = r"\b(?:reads|displays|flashes|spells\s+out)"
SHOWN_AFTER: Final = re.compile(rf"(?:{_SHOWING}\s*:?|\bshows\s*:)\s*{_QUOTED_END}", re.IGNORECASE)
SHOWN_ALONE: Final = re.compile(rf"^\s*{_QUOTED_END}")
ANNOUNCES_SHOWN: Final = re.compile(rf"(?:{_SHOWING}|\bshows|\bwritten)\s*:\s*$", re.IGNORECASE)


def shown_words(text: str, before: str = "") -> slice | None:
    """Where action ``text`` quotes words written on something, as the slice of ``text`` from
    its opening quotation mark to its closing one; ``before`` is the action line before it.
    Names in those words ("GURU 12 MI.") are no one on the set, and their verbs ("RUN!") move
    no one."""
    found = SHOWN_AFTER.search(text)
    if found is None:
        found = SHOWN_ALONE.match(text) if ANNOUNCES_SHOWN.search(before) else None
    return None if found is None else slice(*found.span("words"))


class Line(Protocol):
    """A beat as written or as planned: its words, and who says them (None: action)."""

    @property
    def text(self) -> str: ...

    @property
    def speaker(self) -> str | None: ...


def shown_in(beats: Sequence[Line], index: int) -> slice | None:
    """``shown_words`` of beat ``index``, read after the action line before it (a line of
    dialogue shows nothing, and announces nothing)."""
    beat, prior = beats[index], beats[index - 1] if index else None
    if beat.speaker is not None:
        return None
    return shown_words(beat.text, prior.text if prior and prior.speaker is None else "")


def acted_texts(beats: Sequence[Line]) -> tuple[str, ...]:
    """Each action beat's words that say what happens on the set: its text without the words
    it shows written on something (``shown_in``); a line of dialogue's are its words."""
    acted = []
    for index, beat in enumerate(beats):
        shown, text = shown_in(beats, index), beat.text
        acted.append(text if shown is None else text[: shown.start] + text[shown.stop :])
    return tuple(acted)


# A word of a name, as every stage splits text into words: letters, with inner apostrophes.
NAME_WORD: Final = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def name_words(name: str) -> tuple[str, ...]:
    """The lower-case words of a name ("Jacob Billups": jacob, billups)."""
    return tuple(word.lower().replace("’", "'") for word in NAME_WORD.findall(name))


@dataclass(frozen=True)
class CastNames:
    """The words a scene calls each cast member by, as word sequences to look for, longest
    first: each full name, and the first or last word of a longer name where no other name has
    that word and the scene never writes it in lower case. Scripts shorten a name so ("Bob"
    for CYBER BOB, "Billups" for JACOB BILLUPS), as the screenplay reader joins their cues
    (``script/characters.py``), but "the two of them" is nobody's where PATRON TWO is in the
    cast, and "the door" nobody's where THE DOCTOR is. ``people`` are the names in cast
    order."""

    people: tuple[str, ...]
    names: tuple[tuple[tuple[str, ...], str], ...]

    @classmethod
    def of(cls, cast: Sequence[Character], texts: Sequence[str] = ()) -> CastNames:
        """The cast's names, shortened where ``texts`` (the scene's beats) allow."""
        full = [(name_words(member.name), member.name) for member in cast]
        every = [word for words, _ in full for word in words]
        lower = {word for text in texts for word in NAME_WORD.findall(text) if word.islower()}
        short = [
            ((word,), name)
            for words, name in full
            if len(words) > 1
            for word in dict.fromkeys((words[0], words[-1]))
            if every.count(word) == 1 and word not in lower
        ]
        ordered = sorted(
            (entry for entry in full + short if entry[0]), key=lambda entry: -len(entry[0])
        )
        return cls(tuple(member.name for member in cast), tuple(ordered))

    def called_at(
        self, words: Sequence[str], index: int, *, possessive: bool = False
    ) -> tuple[tuple[str, ...], str] | None:
        """The name that the lower-case ``words`` from ``index`` call someone by, the longest
        first, and whom it calls; its last word may own something ("Tom's arm") where
        ``possessive``."""
        for called, name in self.names:
            window = words[index : index + len(called)]
            if len(window) < len(called) or tuple(window[:-1]) != called[:-1]:
                continue
            last = window[-1]
            if last == called[-1] or (possessive and last == f"{called[-1]}'s"):
                return called, name
        return None

    def words(self) -> frozenset[str]:
        """Every lower-case word of every cast name."""
        return frozenset(word for words, _ in self.names for word in words)


HE: Final = "he"
SHE: Final = "she"
# Every form of the two pronouns a person can be known by; "they" is left out, since it is as
# often two people as one.
PRONOUN_FORMS: Final = {
    "he": HE, "him": HE, "his": HE, "himself": HE,
    "she": SHE, "her": SHE, "hers": SHE, "herself": SHE,
}  # fmt: skip


@dataclass(frozen=True)
class Pronouns:
    """The one cast member each pronoun means in a beat: (pronoun, name) pairs, "he" and
    "she" at most once each; empty where the scene does not settle it. ``able`` names, for a
    pronoun several of the cast use, everyone it could mean: a name the beat says before it
    is then whom it means ("Mara enters the kitchen. She sits down")."""

    people: tuple[tuple[str, str], ...] = ()
    able: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def person(self, word: str) -> str | None:
        """The cast member ``word`` (any form: "his", "herself") means, if the scene says."""
        form = PRONOUN_FORMS.get(word)
        return next((name for pronoun, name in self.people if pronoun == form), None)

    def could_mean(self, word: str, name: str) -> bool:
        """Whether ``word``, a pronoun several of the cast use, could mean ``name``."""
        form = PRONOUN_FORMS.get(word)
        return any(pronoun == form and name in names for pronoun, names in self.able)


@dataclass(frozen=True)
class AffectedScene:
    """A scene with one Affect per beat, in beat order."""

    scene: Scene
    affects: tuple[Affect, ...]
    models: tuple[Mapping[str, str], ...] = ()
    # Per framing field (size, angle, movement, framing), the share of each value among the
    # situations the framing readout learned from: what a beat's ``size_belief`` or
    # ``angle_belief`` would be if its words said nothing about how it is framed.
    usual_framing: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    # Whom "he" and "she" mean in each beat, in beat order, learned from the scene's action
    # lines (affect/pronouns.py), so that every stage reading who does what in a beat reads the
    # same person.
    pronouns: tuple[Pronouns, ...] = ()
    # The words the scene calls each cast member by, so every stage finds the same person in
    # "Bob" where the cast says CYBER BOB.
    cast_names: CastNames | None = None

    def pronouns_in(self, beat: int) -> Pronouns:
        """Whom "he" and "she" mean in beat ``beat``: nothing settled where the scene was
        read without them (a hand-made reading)."""
        return self.pronouns[beat] if self.pronouns else Pronouns()

    def names(self) -> CastNames:
        """The words the scene calls its cast by (``CastNames``), read from its beats where the
        scene was read without them (a hand-made reading)."""
        texts = [beat.text for beat in self.scene.beats]
        return self.cast_names or CastNames.of(self.scene.cast, texts)
