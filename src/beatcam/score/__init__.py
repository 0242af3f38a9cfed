"""score stage: the affect curve becomes music (docs/design.md section 7).

``compose(plan)`` is the pure musical plan; ``write_score(plan, out_dir)`` renders it with
FluidSynth into score.json, score.mid, score.wav and stems/<group>.wav.
"""

from beatcam.score.compose import ScorePlan, compose
from beatcam.score.synth import SCORE_PROVENANCE, TARGET_LUFS
from beatcam.score.write import write_score

__all__ = ["SCORE_PROVENANCE", "TARGET_LUFS", "ScorePlan", "compose", "write_score"]
