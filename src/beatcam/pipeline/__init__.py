"""The pipeline: the one package that knows every stage and runs them in order.

``planning`` turns one scene into a checked ShotPlan (plan_scene), saving the shots the critic
rejects with the named strategies of ``repair``; ``shooting`` plans and shoots every scene of a
file into an output folder (shoot), on the executors of ``executors`` (this process, local
processes, or a Dask cluster). The command line is a thin edge over ``shoot``; tests and
benches call it directly.
"""

from beatcam.pipeline.planning import plan_scene, summary
from beatcam.pipeline.shooting import (
    SceneResult,
    ShootOptions,
    ShootResult,
    shoot,
)

__all__ = [
    "SceneResult",
    "ShootOptions",
    "ShootResult",
    "plan_scene",
    "shoot",
    "summary",
]
