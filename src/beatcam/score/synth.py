"""Sound: FluidSynth renders MIDI with the FluidR3 General MIDI font; loudness and peaks are
set here.

FluidSynth runs as an external program (LGPL-2.1, not linked) with a fixed configuration: no
user or system config file (``-f /dev/null``), one synthesis thread, float output (so no dither
noise), fixed gain and sample rate, chorus off (it costs time and muddies the stems), samples
loaded on demand (only the presets the score uses). Run twice on the same MIDI it writes
identical bytes.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Final

import numpy as np

from beatcam.errors import StageError

SOUND_FONT: Final = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
SYNTH_GAIN: Final = 0.6
TARGET_LUFS: Final = -16.0
PEAK_CEILING_DBFS: Final = -1.0
LIMITER_ATTACK_S: Final = 0.005  # the gain reaches a peak's reduction this long before it
LIMITER_RELEASE_S: Final = 0.080  # and recovers over this long
LOUDNESS_TOLERANCE_LU: Final = 0.3  # close enough: stop adjusting the gain
MASTER_PASSES: Final = 3  # the limiter lowers loudness a little; re-aim at most this often
LOUDNESS_MIN_S: Final = 0.4  # pyloudnorm's gating block: shorter audio cannot be measured
INSTALL_HINT: Final = "install the Debian packages: apt-get install fluidsynth fluid-soundfont-gm"

SCORE_PROVENANCE: Final = (
    {
        "name": "FluidSynth",
        "version": "2.3.1 (Debian package fluidsynth)",
        "licence": "LGPL-2.1-or-later (run as an external program)",
        "source": "https://www.fluidsynth.org/",
    },
    {
        "name": "FluidR3_GM sound font",
        "version": "3.1 (Debian package fluid-soundfont-gm)",
        "licence": "MIT (Frank Wen)",
        "source": "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    },
)


def find_synth() -> str:
    """The fluidsynth executable, after checking that it and the sound font exist."""
    binary = shutil.which("fluidsynth")
    if binary is None:
        raise StageError("score", f"the fluidsynth program is not installed; {INSTALL_HINT}")
    if not SOUND_FONT.is_file():
        raise StageError("score", f"the sound font {SOUND_FONT} is missing; {INSTALL_HINT}")
    return binary


def fluidsynth_command(binary: str, midi: Path, wav: Path, rate: int) -> list[str]:
    return [
        binary,
        "-n",
        "-i",
        "-q",
        "-f",
        "/dev/null",
        "-o",
        "synth.cpu-cores=1",
        "-o",
        "synth.chorus.active=0",
        "-o",
        "synth.dynamic-sample-loading=1",
        "-O",
        "float",
        "-T",
        "wav",
        "-F",
        str(wav),
        "-r",
        str(rate),
        "-g",
        str(SYNTH_GAIN),
        str(SOUND_FONT),
        str(midi),
    ]


def render(binary: str, midi: Path, wav: Path, rate: int, samples: int) -> np.ndarray:
    """Render a MIDI file to (samples, 2) float32, trimmed or padded with silence."""
    import soundfile

    result = subprocess.run(
        fluidsynth_command(binary, midi, wav, rate), capture_output=True, text=True, check=False
    )
    if result.returncode != 0 or not wav.is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise StageError(
            "score", f"fluidsynth failed on {midi.name}: {detail[-1] if detail else 'no output'}"
        )
    audio, _ = soundfile.read(str(wav), dtype="float32", always_2d=True)
    fitted = np.zeros((samples, 2), dtype=np.float32)
    count = min(samples, len(audio))
    fitted[:count] = audio[:count, :2]
    return fitted


def loudness(audio: np.ndarray, rate: int) -> float:
    """Integrated loudness in LUFS (ITU-R BS.1770), or -inf if silent or too short."""
    import pyloudnorm

    if len(audio) < LOUDNESS_MIN_S * rate or not np.any(audio):
        return float("-inf")
    return float(pyloudnorm.Meter(rate).integrated_loudness(audio.astype(np.float32)))


def limiter_gain(audio: np.ndarray, rate: int) -> np.ndarray:
    """A smooth per-sample gain (n,) that keeps peaks under the ceiling.

    The gain needed at each sample is spread back over the attack with a moving minimum and
    smoothed with a moving average no longer than that window, so it never exceeds what any
    sample needs, and rises and falls without clicks.
    """
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    ceiling = 10.0 ** (PEAK_CEILING_DBFS / 20.0)
    peak = np.maximum(np.abs(audio[:, 0]), np.abs(audio[:, 1]))
    needed = np.minimum(1.0, ceiling / np.maximum(peak, 1e-12))
    if needed.min() >= 1.0:
        return np.ones(len(audio), dtype=np.float32)
    reach = max(1, round(LIMITER_RELEASE_S * rate))
    held = minimum_filter1d(needed, size=2 * reach + 1, mode="nearest")
    smooth = uniform_filter1d(held, size=max(1, round(LIMITER_ATTACK_S * rate)), mode="nearest")
    gain: np.ndarray = np.minimum(smooth, needed).astype(np.float32)
    return gain


def master(
    stems: dict[str, np.ndarray], rate: int
) -> tuple[np.ndarray, dict[str, np.ndarray], float]:
    """Normalise the sum of the stems to TARGET_LUFS and limit its peaks, applying the very
    same gain to every stem so they still sum to the mix. Returns mix, stems, loudness.

    Loudness scales exactly with a constant gain, so it is measured again only when the
    limiter has touched the mix."""
    mix = _sum(list(stems.values()))
    measured = loudness(mix, rate)
    gain = np.ones(len(mix), dtype=np.float32)
    if np.isfinite(measured):
        for _ in range(MASTER_PASSES):
            gain = gain * np.float32(10.0 ** ((TARGET_LUFS - measured) / 20.0))
            limit = limiter_gain(mix * gain[:, None], rate)
            if limit.min() >= 1.0:
                measured = TARGET_LUFS
                break
            gain = gain * limit
            measured = loudness(mix * gain[:, None], rate)
            if abs(measured - TARGET_LUFS) <= LOUDNESS_TOLERANCE_LU:
                break
    scaled = {name: audio * gain[:, None] for name, audio in stems.items()}
    return _sum(list(scaled.values())), scaled, measured


def _sum(tracks: list[np.ndarray]) -> np.ndarray:
    total = tracks[0].copy()
    for track in tracks[1:]:
        total += track
    return total
