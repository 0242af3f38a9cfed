"""render stage: the plan as a grey-box previs video, per-shot clips and a storyboard.

Entry points: ``render_previs(plan, out_dir, ...)`` and ``render_storyboard(plan, out_dir)``.
OpenGL, PyAV and fpdf2 are imported only when a function runs.
"""

from beatcam.render.previs import render_previs
from beatcam.render.storyboard import render_storyboard

__all__ = ["render_previs", "render_storyboard"]
