"""Seeded handheld shake: small, fast position and rotation jitter around a smooth move.

The noise is white, softened over a few frames (an operator's body, not a vibrating motor),
then stripped of everything slower than half a second, so it is pure jitter: removing a 0.5 s
moving average (how docs/design.md section 3 measures ``handheld``) leaves almost all of it.
"""

from __future__ import annotations

import numpy as np

from beatcam.model.geometry import FloatArray, moving_average

POSITION_RMS_M = 0.010
# Yaw, pitch, roll jitter (degrees RMS); together about 0.5 degrees of rotation.
ANGLE_RMS_DEG = (0.32, 0.28, 0.18)
SOFTEN_KERNEL = np.array([1.0, 2.0, 3.0, 2.0, 1.0])
WINDOW_SECONDS = 0.5


def shake(frames: int, fps: int, key: tuple[int, int]) -> tuple[FloatArray, FloatArray]:
    """Position ``(frames, 3)`` metres and yaw/pitch/roll ``(frames, 3)`` degrees of jitter.

    ``key`` seeds the generator (the run's seed and a stable hash of the shot id), so the same
    shot shakes the same way every run and different shots shake differently.
    """
    window = max(3, round(WINDOW_SECONDS * fps))
    pad = window + len(SOFTEN_KERNEL)
    rng = np.random.default_rng([key[0] % 2**64, key[1]])
    raw = rng.standard_normal((frames + 2 * pad, 6))
    kernel = SOFTEN_KERNEL / SOFTEN_KERNEL.sum()
    soft = np.stack([np.convolve(raw[:, k], kernel, mode="same") for k in range(6)], axis=1)
    jitter = (soft - moving_average(soft, window))[pad : pad + frames]
    rms = np.sqrt(np.mean(jitter**2, axis=0))
    jitter = jitter / np.where(rms > 1e-12, rms, 1.0)
    scales = np.array([POSITION_RMS_M / np.sqrt(3.0)] * 3 + list(ANGLE_RMS_DEG))
    scaled = jitter * scales
    return scaled[:, :3], scaled[:, 3:]
