"""The score stage from the outside: render a plan, read the files back, measure the sound."""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import mido
import numpy as np
import pyloudnorm
import pytest
import soundfile
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import beatcam
from beatcam.errors import StageError
from beatcam.model import Affect, Blocking, CameraTrack, PlannedBeat, Shot, ShotPlan
from beatcam.score import compose, synth, write_score
from beatcam.score.harmony import NOTE_NAMES
from beatcam.score.tempo import TICKS_PER_QUARTER, build_tempo_map
from conftest import BEATCAM, build_tiny_plan, run_ok

FPS = 24
# (seconds, function, valence, arousal, dominance, intensity, emotions, transition into it):
# a calm, warm opening; a dark build to the attack (the peak, cut into with a smash cut); a
# sad release that ends in triumph. Three sections at 6 s a beat.
ARC = (
    (6.0, "establishing", 0.3, -0.6, 0.0, 0.2, {"joy": 0.3, "trust": 0.4}, "fade_in"),
    (6.0, "intimacy", 0.5, -0.4, 0.1, 0.3, {"joy": 0.5, "trust": 0.6}, "cut"),
    (6.0, "suspense", -0.4, 0.3, -0.2, 0.45, {"fear": 0.45, "anticipation": 0.6}, "cut"),
    (6.0, "reveal", -0.6, 0.5, -0.4, 0.7, {"fear": 0.6, "surprise": 0.7}, "cut"),
    (6.0, "attack", -0.8, 0.7, -0.6, 1.0, {"fear": 0.9, "anger": 0.5}, "smash_cut"),
    (6.0, "grief", -0.3, -0.5, -0.3, 0.5, {"sadness": 0.8}, "dissolve"),
    (6.0, "triumph", 0.4, -0.3, 0.3, 0.6, {"joy": 0.9, "trust": 0.5}, "cut"),
)
PEAK = 4


def arc_plan(template: ShotPlan, seconds_scale: float = 1.0, seed: int = 0) -> ShotPlan:
    """The template plan re-timed to the arc above: one shot per beat, plus a smash cut in
    the middle of the attack beat. Only timing and affect matter to the score."""
    beats: list[PlannedBeat] = []
    shots: list[Shot] = []
    frame = 0
    shot_template = template.shots[0]
    for index, (seconds, function, v, a, d, i, emotions, transition) in enumerate(ARC):
        frames = round(seconds * seconds_scale * FPS)
        affect = Affect(v, a, d, i, emotions, function, ("Mara",))
        beats.append(PlannedBeat(index, function, frame, frames, affect))
        cuts = [(frame, frames, transition)]
        if function == "attack":
            half = frames // 2
            cuts = [(frame, half, transition), (frame + half, frames - half, "smash_cut")]
        for start, length, kind in cuts:
            zeros = np.zeros(length)
            camera = CameraTrack(
                np.zeros((length, 3)), np.tile([1.0, 0, 0, 0], (length, 1)), zeros + 35, zeros + 3
            )
            shots.append(
                dataclasses.replace(
                    shot_template,
                    id=f"S{len(shots) + 1:02d}",
                    beat=index,
                    start_frame=start,
                    frames=length,
                    transition=kind,
                    camera=camera,
                )
            )
        frame += frames
    blocking = Blocking({}, frame)
    return dataclasses.replace(
        template, fps=FPS, seed=seed, beats=tuple(beats), shots=tuple(shots), blocking=blocking
    )


# Krumhansl & Kessler (1982) probe-tone key profiles, tonic first.
KK_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
KK_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
RATE = 48_000
TARGET = -16.0


@pytest.fixture(scope="module")
def arc() -> ShotPlan:
    return arc_plan(build_tiny_plan())


@pytest.fixture(scope="module")
def arc_out(arc: ShotPlan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("arc")
    calls: list[tuple[int, int]] = []
    paths = write_score(arc, out, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1][0] == calls[-1][1]
    assert {p.name for p in paths} >= {"score.json", "score.mid", "score.wav"}
    return out


def _notes(midi_path: Path) -> list[tuple[float, float, int, int]]:
    """(start s, end s, channel, pitch) of every note, timed by mido's own tempo handling."""
    now, sounding, notes = 0.0, {}, []
    for message in mido.MidiFile(str(midi_path)):
        now += message.time
        if message.type == "note_on" and message.velocity > 0:
            sounding[(message.channel, message.note)] = now
        elif message.type in ("note_on", "note_off"):
            start = sounding.pop((message.channel, message.note), None)
            if start is not None:
                notes.append((start, now, message.channel, message.note))
    return notes


def _best_key(
    notes: list[tuple[float, float, int, int]], start: float, end: float
) -> tuple[int, str]:
    """(tonic pitch class, major or minor) whose Krumhansl-Kessler profile best fits the
    time each pitch class sounds in ``start .. end`` (drums left out)."""
    histogram = np.zeros(12)
    for on, off, channel, pitch in notes:
        overlap = min(off, end) - max(on, start)
        if channel != 9 and overlap > 0:
            histogram[pitch % 12] += overlap
    scores = {}
    for tonic in range(12):
        for mode, profile in (("major", KK_MAJOR), ("minor", KK_MINOR)):
            scores[(tonic, mode)] = np.corrcoef(histogram, np.roll(profile, tonic))[0, 1]
    return max(scores, key=scores.__getitem__)


def tempo_changes(midi_path: Path, tolerance: float = 0.005) -> list[tuple[float, float]]:
    """(time s, bpm) of every set_tempo in the file that moves the tempo by more than
    ``tolerance`` (a share), timed by mido; the first tempo counts as a change at 0."""
    now, changes = 0.0, list[tuple[float, float]]()
    for message in mido.MidiFile(str(midi_path)):
        now += message.time
        if message.type == "set_tempo":
            bpm = mido.tempo2bpm(message.tempo)
            if not changes or abs(bpm - changes[-1][1]) > tolerance * changes[-1][1]:
                changes.append((now, bpm))
    return changes


def beat_levels_db(wav: Path, spans_s: list[tuple[float, float]]) -> list[float]:
    """RMS level (dBFS) of the mix over each (start, end), past the first quarter second in
    which the previous beat's level ramps into this one's."""
    mix, rate = soundfile.read(str(wav))
    levels = []
    for start, end in spans_s:
        part = mix[round((start + 0.25) * rate) : round(end * rate)]
        levels.append(float(10 * np.log10(np.mean(part**2))))
    return levels


# One-sided 5 % critical values of Spearman's rho (Zar 1972, Table D.4), by number of beats:
# a rank correlation at least this high is not chance.
SPEARMAN_CRITICAL = {5: 0.900, 6: 0.829, 7: 0.714, 8: 0.643, 9: 0.600, 10: 0.564}
# The dynamics span ~26 dB by design (arrangement.VELOCITY_RANGE and EXPRESSION_RANGE); a beat
# more than 30 dB under the loudest has dropped out, and under 6 dB (a step of two dynamic
# markings) between the quietest and loudest beat of a varied scene, the peak is not marked.
LEVEL_SPAN_DB = (6.0, 30.0)


def _spans(plan: ShotPlan) -> list[tuple[float, float]]:
    return [
        (beat.start_frame / plan.fps, (beat.start_frame + beat.frames) / plan.fps)
        for beat in plan.beats
    ]


def test_files_are_exactly_the_scene_length(arc: ShotPlan, arc_out: Path) -> None:
    samples = round(arc.frames * RATE / arc.fps)
    info = soundfile.info(str(arc_out / "score.wav"))
    assert (info.samplerate, info.channels, info.frames) == (RATE, 2, samples)
    assert info.subtype == "PCM_24"
    midi = mido.MidiFile(str(arc_out / "score.mid"))
    assert abs(midi.length - arc.frames / arc.fps) < 1 / RATE
    names = [track.name for track in midi.tracks]
    assert names[0] == "tempo" and {"strings", "piano", "brass", "pulse", "percussion"} <= set(
        names
    )
    stems = sorted((arc_out / "stems").glob("*.wav"))
    assert {s.stem for s in stems} == set(names[1:])
    assert all(soundfile.info(str(s)).frames == samples for s in stems)


def test_a_few_cues_each_at_one_tempo(arc: ShotPlan, arc_out: Path) -> None:
    cues = json.loads((arc_out / "score.json").read_text())["cues"]
    assert 2 <= len(cues) < len(arc.beats)
    assert [beat for cue in cues for beat in cue["beats"]] == list(range(len(ARC)))
    starts = [cue["start_s"] for cue in cues]
    changes = tempo_changes(arc_out / "score.mid")
    # the tempo moves only where a cue starts, and each cue has its own
    assert len(changes) == len(cues)
    assert all(min(abs(time - start) for start in starts) < 1e-3 for time, _ in changes)
    section_arousal = [np.mean([ARC[b][3] for b in cue["beats"]]) for cue in cues]
    bpms = [bpm for _, bpm in changes]
    assert stats.spearmanr(bpms, section_arousal).statistic > 0.95


def test_score_json_explains_every_cue(arc: ShotPlan, arc_out: Path) -> None:
    document = json.loads((arc_out / "score.json").read_text())
    assert document["peak_beat"] == PEAK
    for cue in document["cues"]:
        assert cue["why"].startswith("A new cue because ") and cue["mode"] in cue["why"]
        assert cue["instruments"] and cue["role"] in cue["why"].replace("peaks", "peak")
        assert [level["beat"] for level in cue["levels"]] == cue["beats"]
        holds_peak = PEAK in cue["beats"]
        assert cue["role"] == (
            "peak" if holds_peak else "build" if cue["beats"][-1] < PEAK else "release"
        )
    assert document["ending"]["kind"] == "resolve"  # warm triumph after grief, no conflict
    assert {hit["kind"] for hit in document["hits"]} == {"accent", "stinger"}


def test_key_changes_only_at_turns(arc_out: Path) -> None:
    notes = _notes(arc_out / "score.mid")
    cues = json.loads((arc_out / "score.json").read_text())["cues"]
    starts = {round(cue["start_s"], 3) for cue in cues}
    now, keys = 0.0, []
    for message in mido.MidiFile(str(arc_out / "score.mid")):
        now += message.time
        if message.type == "key_signature":
            keys.append(round(now, 3))
    assert set(keys) <= starts
    for cue in cues:
        found = _best_key(notes, cue["start_s"], cue["end_s"])
        if cue["mode"] in ("major", "minor"):
            assert found == (NOTE_NAMES.index(cue["key"].split()[0]), cue["mode"]), cue["chords"]
    heard = [_best_key(notes, cue["start_s"], cue["end_s"]) for cue in cues]
    assert len(set(heard)) > 1  # the turns are heard


def test_loudness_on_target_and_stems_sum_to_the_mix(arc_out: Path) -> None:
    mix, rate = soundfile.read(str(arc_out / "score.wav"))
    assert abs(pyloudnorm.Meter(rate).integrated_loudness(mix) - TARGET) <= 1.0
    assert np.abs(mix).max() <= 10 ** (-1.0 / 20) + 1e-4
    total = sum(soundfile.read(str(p))[0] for p in (arc_out / "stems").glob("*.wav"))
    assert np.abs(total - mix).max() < 1e-5  # 24-bit rounding of six files, nothing more


def test_loudness_follows_intensity(arc: ShotPlan, arc_out: Path) -> None:
    levels = beat_levels_db(arc_out / "score.wav", _spans(arc))
    intensity = [beat.affect.intensity for beat in arc.beats]
    rho = stats.spearmanr(levels, intensity).statistic
    assert rho >= SPEARMAN_CRITICAL[len(levels)], (rho, levels)
    low, high = LEVEL_SPAN_DB
    assert low <= max(levels) - min(levels) <= high, levels
    assert int(np.argmax(levels)) == PEAK


def _texture(
    notes: list[tuple[float, float, int, int]], start: float, end: float
) -> tuple[float, float]:
    """(pitched note onsets per second, mean pitch of the string chords, channel 0) in
    start .. end."""
    onsets = [p for on, _, channel, p in notes if start <= on < end and channel != 9]
    strings = [p for on, off, channel, p in notes if on < end and off > start and channel == 0]
    return len(onsets) / (end - start), float(np.mean(strings))


def test_the_music_builds_to_the_peak_and_releases(arc: ShotPlan, arc_out: Path) -> None:
    notes = _notes(arc_out / "score.mid")
    texture = [_texture(notes, start, end) for start, end in _spans(arc)]
    density, register = zip(*texture, strict=True)
    assert density[PEAK - 1] > density[0] and register[PEAK - 1] > register[0]
    assert density[PEAK] > density[-1] and register[PEAK] > register[-1]
    assert stats.spearmanr(density[: PEAK + 1], range(PEAK + 1)).statistic >= 0.7, density
    assert stats.spearmanr(register[: PEAK + 1], range(PEAK + 1)).statistic >= 0.7, register


def _onsets(mix: np.ndarray, rate: int) -> np.ndarray:
    """Onset times (s): peaks of positive spectral flux above mean + 2 sd."""
    mono = mix.mean(axis=1)
    hop, size = 240, 1024
    frames = np.lib.stride_tricks.sliding_window_view(mono, size)[::hop] * np.hanning(size)
    magnitude = np.log1p(100 * np.abs(np.fft.rfft(frames, axis=1)))
    flux = np.maximum(np.diff(magnitude, axis=0), 0).sum(axis=1)
    threshold = flux.mean() + 2 * flux.std()
    peaks = (flux[1:-1] > threshold) & (flux[1:-1] >= flux[:-2]) & (flux[1:-1] >= flux[2:])
    return (np.flatnonzero(peaks) + 2) * hop / rate + size / 2 / rate


def test_onsets_land_on_every_hit_point(arc_out: Path) -> None:
    mix, rate = soundfile.read(str(arc_out / "score.wav"))
    onsets = _onsets(mix, rate)
    hits = json.loads((arc_out / "score.json").read_text())["hits"]
    assert len(hits) == 3  # the reveal, and two smash cuts into and within the attack
    for hit in hits:
        assert np.min(np.abs(onsets - hit["time_s"])) <= 0.050, hit


SILENT_DBFS = -50.0  # a 50 ms window this quiet, in a mix at -16 LUFS, is heard as silence
WINDOW_S = 0.05


def _silent_windows(wav: Path) -> np.ndarray:
    """Start times (s) of the 50 ms windows of the mix quieter than SILENT_DBFS."""
    mix, rate = soundfile.read(str(wav))
    size = round(WINDOW_S * rate)
    blocks = mix[: len(mix) // size * size].reshape(-1, size, mix.shape[1])
    level = 10 * np.log10(np.mean(blocks**2, axis=(1, 2)) + 1e-20)
    return np.flatnonzero(level < SILENT_DBFS) * WINDOW_S


def test_silence_only_where_score_json_announces_it(arc: ShotPlan, arc_out: Path) -> None:
    document = json.loads((arc_out / "score.json").read_text())
    silences = document["silences"]
    assert len(silences) == 1 and "peak" in silences[0]["why"]
    assert silences[0]["end_s"] == pytest.approx(_spans(arc)[PEAK][0], abs=1e-3)
    quiet = _silent_windows(arc_out / "score.wav")
    start, end = silences[0]["start_s"], silences[0]["end_s"]
    inside = (quiet >= start - WINDOW_S) & (quiet < end)
    assert np.all(inside), quiet[~inside]  # no dropout anywhere else
    # the announced silence is heard: after the strings' release and the room's reverb
    # (about half a second), the rest of it is silent
    tail = np.arange(end - 0.4 * (end - start), end - WINDOW_S, WINDOW_S)
    assert all(np.any(np.abs(quiet - time) < WINDOW_S) for time in tail), (tail, quiet)


def test_ending_resolves_to_the_tonic_after_a_positive_beat(arc: ShotPlan, arc_out: Path) -> None:
    end = arc.frames / arc.fps
    last = {
        p % 12 for on, off, ch, p in _notes(arc_out / "score.mid") if off >= end - 1e-3 and ch != 9
    }
    tonic = NOTE_NAMES.index(json.loads((arc_out / "score.json").read_text())["tonic"])
    assert last == {tonic, (tonic + 4) % 12, (tonic + 7) % 12}


@pytest.fixture(scope="module")
def confession(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled confession, planned and scored by the CLI: it ends on an ultimatum."""
    out = tmp_path_factory.mktemp("confession")
    scene = Path(beatcam.__file__).parent / "examples" / "the-confession.yaml"
    run_ok([*BEATCAM, "shoot", str(scene), "-o", str(out), "--only", "plan,score", "-q"])
    return out


def test_a_bundled_scene_scores_in_few_cues_that_follow_it(confession: Path) -> None:
    plan = json.loads((confession / "plan.json").read_text())
    document = json.loads((confession / "score.json").read_text())
    fps, beats = plan["fps"], plan["beats"]
    spans = [(b["start_frame"] / fps, (b["start_frame"] + b["frames"]) / fps) for b in beats]
    assert len(tempo_changes(confession / "score.mid")) == len(document["cues"]) < len(beats)
    levels = beat_levels_db(confession / "score.wav", spans)
    rho = stats.spearmanr(levels, [b["affect"]["intensity"] for b in beats]).statistic
    assert rho >= SPEARMAN_CRITICAL[len(beats)], (rho, levels)
    assert LEVEL_SPAN_DB[0] <= max(levels) - min(levels) <= LEVEL_SPAN_DB[1], levels


def test_an_ultimatum_stops_cold_on_an_unresolved_chord(confession: Path) -> None:
    document = json.loads((confession / "score.json").read_text())
    assert document["ending"]["kind"] == "cut"
    assert beats_function(confession, -1) == "confrontation"
    end = document["duration_s"]
    tonic = NOTE_NAMES.index(document["tonic"])
    notes = _notes(confession / "score.mid")
    last = {p % 12 for on, off, ch, p in notes if off >= end - 1e-3 and ch != 9}
    assert last and tonic not in last
    mix, rate = soundfile.read(str(confession / "score.wav"))
    tail, body = mix[-rate // 5 :], mix[-3 * rate : -2 * rate]
    assert np.sqrt(np.mean(tail**2)) > 0.5 * np.sqrt(np.mean(body**2))  # no fade: it stops


def beats_function(folder: Path, index: int) -> str:
    function: str = json.loads((folder / "plan.json").read_text())["beats"][index]["affect"][
        "function"
    ]
    return function


def test_negative_ending_hangs_and_fades(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    write_score(tiny_plan, tmp_path)
    document = json.loads((tmp_path / "score.json").read_text())
    assert document["ending"]["kind"] == "hang"
    tonic = NOTE_NAMES.index(document["tonic"])
    end = tiny_plan.frames / tiny_plan.fps
    last = {p % 12 for on, off, ch, p in _notes(tmp_path / "score.mid") if off >= end - 1e-3}
    assert last and last != {tonic, (tonic + 3) % 12, (tonic + 7) % 12}
    mix, rate = soundfile.read(str(tmp_path / "score.wav"))
    tail, body = mix[-rate // 5 :], mix[-3 * rate : -2 * rate]
    assert np.sqrt(np.mean(tail**2)) < 0.3 * np.sqrt(np.mean(body**2))


def test_same_seed_same_bytes_other_seed_other_music(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_score(tiny_plan, first)
    write_score(tiny_plan, second)
    for name in ("score.mid", "score.wav", "score.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert compose(tiny_plan) == compose(tiny_plan)
    notes = compose(tiny_plan).notes
    assert any(
        compose(dataclasses.replace(tiny_plan, seed=seed)).notes != notes for seed in (1, 2, 3)
    )


def test_missing_synthesiser_names_the_debian_packages(
    tiny_plan: ShotPlan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("beatcam.score.synth.shutil.which", lambda name: None)
    with pytest.raises(StageError, match="fluidsynth fluid-soundfont-gm"):
        write_score(tiny_plan, tmp_path)
    monkeypatch.undo()
    monkeypatch.setattr(synth, "SOUND_FONT", tmp_path / "missing.sf2")
    with pytest.raises(StageError, match="sound font"):
        write_score(tiny_plan, tmp_path)
    assert not list(tmp_path.glob("score.*"))


@given(st.lists(st.integers(1, 2000), min_size=1, max_size=12), st.integers(40, 200))
def test_tempo_map_lands_every_cue_on_its_frame(frames: list[int], bpm: int) -> None:
    edges = np.concatenate([[0], np.cumsum(frames)]) / FPS
    bounds = list(itertools.pairwise(edges.tolist()))
    quarters = [max(1, round((end - start) * bpm / 60)) for start, end in bounds]
    tempo = build_tempo_map(bounds, quarters)
    ticks = np.concatenate([[0], np.cumsum(quarters)]) * TICKS_PER_QUARTER
    for tick, seconds in zip(ticks[1:-1], edges[1:-1], strict=True):
        assert abs(tempo.seconds(int(tick)) - seconds) < len(frames) * 1e-4
    assert abs(tempo.seconds(tempo.end_tick) - edges[-1]) < 1e-6
    assert tempo.tick(float(edges[-1])) == tempo.end_tick


def _no_constants(name: str) -> None:
    raise ValueError(f"score.json holds {name}, which is not JSON")


def test_a_quarter_second_scene_renders_exactly(tiny_plan: ShotPlan, tmp_path: Path) -> None:
    first, second = tiny_plan.beats
    short = dataclasses.replace(
        tiny_plan,
        beats=(
            dataclasses.replace(first, frames=1),
            dataclasses.replace(
                second,
                start_frame=1,
                frames=5,
                affect=dataclasses.replace(second.affect, function="grief"),  # no hit, no brass
            ),
        ),
        blocking=Blocking({}, 6),
    )
    (tmp_path / "stems").mkdir()
    (tmp_path / "stems" / "brass.wav").write_bytes(b"left by an older, longer score")
    write_score(short, tmp_path)
    assert not (tmp_path / "stems" / "brass.wav").exists()
    listed = {
        Path(name).name for name in json.loads((tmp_path / "score.json").read_text())["stems"]
    }
    assert listed == {path.name for path in (tmp_path / "stems").iterdir()}
    assert soundfile.info(str(tmp_path / "score.wav")).frames == 6 * RATE // FPS
    assert abs(mido.MidiFile(str(tmp_path / "score.mid")).length - 6 / FPS) < 1 / RATE
    document = json.loads((tmp_path / "score.json").read_text(), parse_constant=_no_constants)
    assert document["loudness"]["integrated_lufs"] is None  # under one 400 ms gating block
