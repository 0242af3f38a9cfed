"""camera stage: per-frame camera tracks that realise each shot's words (docs/design.md section 3).

Entry point: ``track_for(spec, blocking, set_design, sensor_mm, fps, seed) -> CameraTrack``.
"""

from beatcam.camera.track import Judged, track_for

__all__ = ["Judged", "track_for"]
