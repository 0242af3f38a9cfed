"""The immutable data that flows between beatcam's stages (see docs/design.md section 1)."""

from beatcam.model.critique import CUT_RULES, MOVABLE_RULES, Check, CriticRule, Critique
from beatcam.model.plan import (
    Blocking,
    CameraTrack,
    CharacterTrack,
    Direction,
    PlannedBeat,
    Prop,
    Provenance,
    Reason,
    SetBox,
    SetDesign,
    Shot,
    ShotIntent,
    ShotPlan,
    ShotSpec,
)
from beatcam.model.scene import Affect, AffectedScene, Beat, Character, Scene, ShotPin

__all__ = [
    "CUT_RULES",
    "MOVABLE_RULES",
    "Affect",
    "AffectedScene",
    "Beat",
    "Blocking",
    "CameraTrack",
    "Character",
    "CharacterTrack",
    "Check",
    "CriticRule",
    "Critique",
    "Direction",
    "PlannedBeat",
    "Prop",
    "Provenance",
    "Reason",
    "Scene",
    "SetBox",
    "SetDesign",
    "Shot",
    "ShotIntent",
    "ShotPin",
    "ShotPlan",
    "ShotSpec",
]
