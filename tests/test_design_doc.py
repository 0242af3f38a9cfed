"""The design travels with the code: every place that cites the design (``docs/design.md``, or
``DESIGN.md`` as older comments name it) names a section that docs/design.md has."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "design.md"
CITING = ("src", "tests", "bench", "scripts", "README.md", "Makefile")
# "DESIGN.md section 3", "docs/design.md 3", or the name alone; across a line break and a
# comment's leading "#" too.
REFERENCE = re.compile(r"(?:docs/design|DESIGN)\.md(?:[\s#]+(?:section\s+)?(\d+)\b)?")
HEADING = re.compile(r"^## (\d+)\. ", re.MULTILINE)


def _references() -> list[tuple[str, str | None]]:
    """(file, section number or None) for every citation in the tracked and new files."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", *CITING],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    found = []
    for name in listed:
        path = ROOT / name
        if path == Path(__file__) or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # binary files cite nothing
        found += [(name, match.group(1)) for match in REFERENCE.finditer(text)]
    return found


def test_every_cited_section_of_the_design_exists() -> None:
    sections = set(HEADING.findall(DOC.read_text(encoding="utf-8")))
    references = _references()
    assert len(references) > 20  # the source does cite the design
    missing = [(name, number) for name, number in references if number and number not in sections]
    assert not missing, f"sections cited but not in docs/design.md: {missing}"


def test_the_design_numbers_its_sections_in_order() -> None:
    numbers = [int(n) for n in HEADING.findall(DOC.read_text(encoding="utf-8"))]
    assert numbers == list(range(1, len(numbers) + 1))


def test_the_vocabulary_in_the_design_is_the_codes() -> None:
    """Section 3's table lists each word of ``model.vocab`` and no other."""
    from beatcam.model import vocab

    text = DOC.read_text(encoding="utf-8")
    table = text[text.index("## 3.") : text.index("Each camera word is a measurement")]
    rows = {
        row.split("|")[1].strip(): set(re.findall(r"`([a-z_A-Z]+)`", row.split("|")[2]))
        for row in table.splitlines()
        if row.startswith("| ") and not row.startswith("| field")
    }
    expected = {
        "`size`, `end_size`": vocab.SIZES,
        "`angle`": vocab.ANGLES,
        "`movement`": vocab.MOVEMENTS,
        "`framing`": vocab.FRAMINGS,
        "`transition`": vocab.TRANSITIONS,
        "`pose`": vocab.POSES,
        "`intent`": vocab.INTENTS,
        "`function`": vocab.FUNCTIONS,
        "emotions": vocab.EMOTIONS,
    }
    for field, words in expected.items():
        assert rows[field] == {str(word) for word in words}, field
