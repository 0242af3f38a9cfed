"""The immutable data that flows between beatcam's stages (see DESIGN.md section 1)."""

from beatcam.model.critique import Check, Critique
from beatcam.model.plan import (
    Blocking,
    CameraTrack,
    CharacterTrack,
    Direction,
    PlannedBeat,
    Provenance,
    SetBox,
    SetDesign,
    Shot,
    ShotIntent,
    ShotPlan,
    ShotSpec,
)
from beatcam.model.scene import Affect, AffectedScene, Beat, Character, Scene, ShotPin

__all__ = [
    "Affect",
    "AffectedScene",
    "Beat",
    "Blocking",
    "CameraTrack",
    "Character",
    "CharacterTrack",
    "Check",
    "Critique",
    "Direction",
    "PlannedBeat",
    "Provenance",
    "Scene",
    "SetBox",
    "SetDesign",
    "Shot",
    "ShotIntent",
    "ShotPin",
    "ShotPlan",
    "ShotSpec",
]
