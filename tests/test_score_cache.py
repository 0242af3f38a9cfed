"""A re-shoot takes an unchanged scene's score from the cache, in the bytes a fresh score has,
and scores again a scene whose plan changed."""

from __future__ import annotations

from pathlib import Path

import pytest

import beatcam.score
from beatcam.pipeline import ShootOptions, shoot

SCENE = "Cast: Mara\nSet: kitchen\nMara opens the letter.\nShe reads it and freezes.\n"
EDITED = SCENE.replace("freezes", "laughs out loud")
OPTIONS = ShootOptions(stages=("plan", "score"))


def _score_files(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (path.name.startswith("score") or path.parent.name == "stems")
    }


def test_an_unchanged_scene_is_not_scored_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene = tmp_path / "letter.txt"
    scene.write_text(SCENE, encoding="utf-8")
    shoot(scene, tmp_path / "first", OPTIONS)
    first = _score_files(tmp_path / "first")
    assert {"score.json", "score.mid", "score.wav"} <= set(first)

    scored: list[str] = []
    write_score = beatcam.score.write_score

    def counting(plan: object, *args: object, **kwargs: object) -> object:
        scored.append(str(getattr(plan, "title", "")))
        return write_score(plan, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(beatcam.score, "write_score", counting)
    shoot(scene, tmp_path / "again", OPTIONS)
    assert scored == []
    assert _score_files(tmp_path / "again") == first

    scene.write_text(EDITED, encoding="utf-8")
    shoot(scene, tmp_path / "edited", OPTIONS)
    assert len(scored) == 1
    monkeypatch.setenv("BEATCAM_CACHE", "0")
    shoot(scene, tmp_path / "uncached", OPTIONS)
    assert len(scored) == 2
    assert _score_files(tmp_path / "edited") == _score_files(tmp_path / "uncached")
