"""A screenplay's cast: who speaks, and who is introduced in ALL CAPS in action.

Screenplays write a character's name in capitals on first appearance ("MARA (30s) stands at
the sink") and above every line they speak. Capitals also mark sounds ("The phone RINGS"),
camera directions ("PUSH IN"), transitions and on-screen text, so a run of capitals in action
counts as a person only when none of its words is one of those, it is not quoted, shouted
("FWOOSH!") or counted ("a CUTE DOG", "SEVEN CHIHUAHUAS"), and it is more than a title
("DR."). Each person gets one name for the whole screenplay:

- written in capitals, a name is title-cased ("A GIRL'S" -> "A Girl's", "O'BRIEN" ->
  "O'Brien"), unless the script spells it in mixed case somewhere ("McCabe"), which wins;
- a one-word name that is the first or last word of exactly one longer name is that person
  ("Will" and "Will Bloom", "Bob" and "Cyber Bob").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from beatcam.model.scene import QUOTATIONS
from beatcam.script.cast import POSSESSIVE

# Longest run of capitalised words read as one name ("DETECTIVE ANA RUIZ").
MAX_NAME_WORDS = 3
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*\.?")
_EXTENSION = re.compile(r"\s*\([^()]*\)\s*$")
# A cue's extensions, and the ones among them that say its speaker is heard over the picture:
# off screen, off camera ("O.S.", "O/S", "OFF SCREEN"), or a voice-over ("V.O."), written with or
# without dots and spaces, alone or beside another ("O.S., CONT'D").
_EXTENSIONS = re.compile(r"\(([^()]*)\)")
_EXTENSION_PARTS = re.compile(r"[,;\s]+")
_EXTENSION_MARKS = re.compile(r"[\s.-]")
OFF_SCREEN_EXTENSIONS = frozenset({"OS", "OC", "O/S", "O/C", "OFF", "OFFSCREEN", "OFFCAMERA"})
VOICE_OVER_EXTENSIONS = frozenset({"VO", "V/O", "VOICEOVER"})
# Between two words of one name: spaces, or a hyphen inside a double-barrelled name.
_JOIN = re.compile(r"[ \t]+|-")
_STUTTER = re.compile(r"([^\W\d_])\1\1")

# Words that split a run of capitals into separate names (connectives, scene-heading words,
# transitions and camera directions): "PUSH IN ON MARA" leaves MARA.
_SPLIT_WORDS_TEXT = """
    AND OR WITH TO ON AT IN OUT OF FROM BY FOR INTO OVER UNDER AS VS AKA A.K.A.
    INT EXT EST INT./EXT EXT./INT I/E INT. EXT. EST. DAY NIGHT MORNING EVENING AFTERNOON DAWN
    DUSK NOON MIDNIGHT LATER SAME TIME MOMENTS CONTINUOUS CONTINUED CONT'D CONTD MORE
    FADE FADES CUT CUTS DISSOLVE DISSOLVES SMASH MATCH BLACK WHITE BACK INTERCUT FLASHBACK
    MONTAGE SERIES SHOTS SHOT END BEGIN
    POV ANGLE ANGLES CLOSE CLOSEUP CLOSE-UP WIDE PUSH PULL HOLD HOLDS PAN TILT ZOOM DOLLY TRACK
    TRACKING CRANE AERIAL OVERHEAD REVERSE INSERT FRAME SCREEN OFF OTS ECU CU MCU MS WS EWS
    O.S. V.O. O.C. OS VO OC
    """
SPLIT_WORDS = frozenset(_SPLIT_WORDS_TEXT.split())
# Words that make a run of capitals no person at all: sounds, voices, on-screen text,
# exclamations and acronyms. "A GIRL'S VOICE" is a voice; "DRUM ROLL" a sound.
_NOT_PEOPLE_TEXT = """
    SUPER SUPERIMPOSE TITLE TITLES CARD CHYRON CAPTION SUBTITLE SUBTITLES CREDITS LEGEND TEXT
    NOTE NOTES SIGN LOGO
    SOUND SOUNDS MUSIC SONG SCORE NOISE NOISES VOICE VOICES ECHO SILENCE
    GASP GASPS CHEER CHEERS CHEERING APPLAUSE CLAPS LAUGH LAUGHS LAUGHTER GIGGLES SCREAM SCREAMS
    SHOUT SHOUTS YELL YELLS CRY CRIES SOBS SIGH SIGHS WHISPER WHISPERS MOAN GROAN COUGH
    DRUM DRUMS ROLL BANG BANGS BOOM BOOMS CRASH CRASHES THUD THUDS THUMP THUMPS SLAM SLAMS
    RING RINGS RINGING KNOCK KNOCKS KNOCKING CLICK CLICKS BEEP BEEPS BUZZ BUZZES BUZZING
    SHATTER SHATTERS SMASHES CREAK CREAKS HISS HISSES SNAP SNAPS WHOOSH FWOOSH ROAR ROARS
    GUNSHOT GUNSHOTS SHOTS SIREN SIRENS HONK HONKS THUNDER CRACK CRACKS POP POPS SPLASH WHISTLE
    EXPLOSION BLAST BARK BARKS YIP WHAM ZAP
    STOP HELP GO NOW RUN YES NO OK OKAY HEY WHAT WOW OH AH
    TV PC DVD USA UK FBI CIA NYPD LED GPS ID DNA
    """
NOT_PEOPLE = frozenset(_NOT_PEOPLE_TEXT.split())
# Words that count rather than name: a run starting with one, or right after one, is a group
# or a thing ("MANY DOGS", "the CROWD", "a CUTE DOG").
_COUNTING_TEXT = """
    A AN THE SOME MANY SEVERAL FEW ALL EVERY EACH OTHER ANOTHER MORE MOST BOTH
    HIS HER THEIR ITS OUR MY YOUR THIS THAT THESE THOSE
    TWO THREE FOUR FIVE SIX SEVEN EIGHT NINE TEN ELEVEN TWELVE HUNDREDS DOZENS
    """
COUNTING = frozenset(_COUNTING_TEXT.split())
# Titles that are no one's name on their own ("DR." alone is not a person).
_TITLES_TEXT = "DR DR. MR MR. MRS MRS. MS MS. MISS SIR MADAM MME MME. PROF PROF."
TITLES = frozenset(_TITLES_TEXT.split())


def cue_name(cue: str) -> str:
    """The name in a character cue: "MARA (V.O.) (CONT'D) ^" -> "MARA"."""
    name = cue.strip().removeprefix("@").removesuffix("^").strip()
    while _EXTENSION.search(name):
        name = _EXTENSION.sub("", name)
    return " ".join(name.split())


def heard_off_screen(cue: str) -> bool:
    """Whether a character cue marks its speaker heard and not seen: "TOM (O.S.)", "(O.C.)",
    "(OFF)"."""
    return not _extension_words(cue).isdisjoint(OFF_SCREEN_EXTENSIONS)


def voice_over(cue: str) -> bool:
    """Whether a character cue marks its line a voice-over: "MARA (V.O.)". Whose voice it is
    decides whether they are seen: a narrator's is heard over the scene, a thought's is on the
    face of the one who thinks it."""
    return not _extension_words(cue).isdisjoint(VOICE_OVER_EXTENSIONS)


def _extension_words(cue: str) -> frozenset[str]:
    """A cue's extensions, each whole and word by word, without dots, spaces or hyphens, in
    capitals: "(O.S., CONT'D)" -> {"OS,CONT'D", "OS", "CONT'D"}."""
    return frozenset(
        _EXTENSION_MARKS.sub("", part).upper()
        for extension in _EXTENSIONS.findall(cue)
        for part in (extension, *_EXTENSION_PARTS.split(extension))
    )


def is_name(name: str) -> bool:
    """True when ``name`` could be a person: it has letters and is more than a title."""
    words = name.split()
    return any(c.isalpha() for c in name) and not all(w.upper() in TITLES for w in words)


def action_names(action: str) -> list[tuple[str, bool]]:
    """Names in capitals in an action paragraph, as written, in order.

    Each comes with whether it is *introduced*: followed by a comma or a parenthesis, as in
    "MARGARET, 37," or "RUTH (50s)". A name in capitals that is not introduced may be a sound
    or a shout ("Brick KICKS"), so :class:`Casting` keeps it only when the script also writes
    it in mixed case or it speaks.
    """
    names: list[tuple[str, bool]] = []
    quoted = _quotations(action)
    for run, before, after in _caps_runs(action):
        if (after != "" and after in "!?") or _quoted(quoted, run[0][0]):
            continue
        counted = before.upper() in COUNTING or POSSESSIVE.search(before) is not None
        if counted or any(_bare(w) in NOT_PEOPLE for _, w in run):
            continue
        parts = _split(run)
        for number, part in enumerate(parts):
            words = [w if w.upper() in TITLES else w.rstrip(".") for w in part]
            words[-1] = POSSESSIVE.sub("", words[-1])
            name = " ".join(words)
            if (
                words[0].upper() not in COUNTING
                and len(words) <= MAX_NAME_WORDS
                and is_name(name)
                and not _STUTTER.search(name)
                and len(name.replace(".", "")) > 1
            ):
                names.append((name, number == len(parts) - 1 and after != "" and after in ",("))
    return names


def _bare(word: str) -> str:
    return POSSESSIVE.sub("", word).rstrip(".")


def _caps_runs(text: str) -> Iterable[tuple[list[tuple[int, str]], str, str]]:
    """Runs of capitalised words with the word before them and the character after them."""
    tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(text)]
    run: list[tuple[int, str]] = []
    before = ""
    previous = ""
    for start, word in tokens:
        capital = (word.isupper() and sum(c.isalpha() for c in word) > 1) or word in {"A", "I"}
        joined = (
            bool(run) and _JOIN.fullmatch(text[run[-1][0] + len(run[-1][1]) : start]) is not None
        )
        if run and not (capital and joined):
            yield run, before, _after(text, run)
            run = []
        if capital:
            if not run:
                before = previous
            run.append((start, word))
        previous = word
    if run:
        yield run, before, _after(text, run)


def _after(text: str, run: list[tuple[int, str]]) -> str:
    end = run[-1][0] + len(run[-1][1])
    return text[end : end + 1]


def _quoted(spans: Sequence[tuple[int, int]], position: int) -> bool:
    """True when ``position`` sits inside one of a paragraph's quotations (``spans``)."""
    return any(start < position < end for start, end in spans)


def _quotations(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in QUOTATIONS.finditer(text)]


def _split(run: list[tuple[int, str]]) -> list[list[str]]:
    """A run of capitals cut at SPLIT_WORDS into candidate names."""
    parts: list[list[str]] = [[]]
    for _, word in run:
        if word.upper() in SPLIT_WORDS or _bare(word) in SPLIT_WORDS:
            parts.append([])
        else:
            parts[-1].append(word)
    return [part for part in parts if part]


def title_case(name: str) -> str:
    """A name in capitals, title-cased: "O'BRIEN-SMITH" -> "O'Brien-Smith", "GIRL'S" -> "Girl's"."""
    return re.sub(r"[^\W\d_]+(?:['’][^\W\d_]+)*", _title_word, name)


def _title_word(match: re.Match[str]) -> str:
    head, *tails = re.split(r"(['’])", match.group())
    word = head[:1].upper() + head[1:].lower()
    for mark, tail in zip(tails[::2], tails[1::2], strict=True):
        # One letter before an apostrophe is a prefix (O'Brien, D'Arcy); longer is a suffix.
        word += mark + (tail.capitalize() if len(head) == 1 else tail.lower())
    return word


class Casting:
    """One name per person across a screenplay, and the people each part of it mentions.

    ``names`` are the candidates as first met in the script (cues and capitals in action, in
    order), each with whether it is certain (it speaks, or is introduced); an uncertain one
    counts only when ``texts``, every piece of text the script holds, spell it in mixed case.
    :meth:`person` maps any written form of a known name to the one name.
    """

    def __init__(self, names: Iterable[tuple[str, bool]], texts: Iterable[str]) -> None:
        sure: dict[str, bool] = {}
        for name, certain in names:
            if is_name(name):
                sure[name] = sure.get(name, False) or certain
        spelling = _spellings({title_case(name) for name in sure}, texts)
        canonical: dict[str, str] = {}
        for name, certain in sure.items():
            if certain or _key(name) in spelling:
                canonical.setdefault(_key(name), spelling.get(_key(name), title_case(name)))
        longer = [name for name in canonical.values() if len(name.split()) > 1]
        for key, name in list(canonical.items()):
            if len(name.split()) == 1:
                hosts = {host for host in longer if _key(name) in _ends(host)}
                if len(hosts) == 1:
                    canonical[key] = hosts.pop()
        self._canonical = canonical
        self._forms: dict[str, str] = {}
        for key, name in canonical.items():
            for form in (name, key, title_case(key), spelling.get(key, "")):
                self._forms.setdefault(_plain(form), name)

    def person(self, name: str) -> str | None:
        """The one name of the person ``name`` (as written in a cue or capitals) refers to."""
        return self._canonical.get(_key(name))

    def mentioned(self, text: str) -> list[str]:
        """People named in action ``text`` by a known written form, in order of mention.

        Runs of up to MAX_NAME_WORDS words are looked up, so the cost grows with the text,
        not with text times cast; "Will" in lower case ("she will") is no mention, and nor is
        a name in quotation marks: action quotes what is written on a sign or a screen ('he
        takes the "GURU 12 MI." trail'), and a screenplay's speech has its own lines.
        """
        found: dict[str, None] = {}
        quoted = _quotations(text)
        words = [
            POSSESSIVE.sub("", m.group()).rstrip(".")
            for m in _TOKEN.finditer(text)
            if not _quoted(quoted, m.start())
        ]
        for start in range(len(words)):
            for end in range(min(start + MAX_NAME_WORDS, len(words)), start, -1):
                person = self._forms.get(" ".join(words[start:end]))
                if person is not None:
                    found.setdefault(person, None)
                    break
        return list(found)


def _plain(name: str) -> str:
    """A name's words without a title's dot, as :meth:`Casting.mentioned` reads them."""
    return " ".join(word.rstrip(".") for word in name.split())


def _key(name: str) -> str:
    """A name compared without case or a title's dot: "DR. ROSS" and "Dr Ross" match."""
    return _plain(name).upper()


def _ends(name: str) -> set[str]:
    words = _key(name).split()
    return {words[0], words[-1]}


def _spellings(names: Iterable[str], texts: Iterable[str]) -> dict[str, str]:
    """The mixed-case spelling of each name the texts use ("McCabe" for MCCABE), by key.

    Of several spellings, the one with the most lower-case letters is the writer's usual one
    ("McClane" over "McCLANE").
    """
    wanted = sorted({_key(name) for name in names}, key=len, reverse=True)
    if not wanted:
        return {}
    pattern = re.compile(
        r"(?<![^\W\d_])(?:"
        + "|".join(re.escape(w).replace(r"\ ", r"\.?\s+") for w in wanted)
        + r")(?![^\W\d_])",
        re.IGNORECASE,
    )
    best: dict[str, str] = {}
    for text in texts:
        for match in pattern.finditer(text):
            written = " ".join(match.group().split())
            if written.isupper() or not all(word[0].isupper() for word in written.split()):
                continue
            key = _key(written)
            lower = sum(c.islower() for c in written)
            if lower > sum(c.islower() for c in best.get(key, "")):
                best[key] = written
    return best
