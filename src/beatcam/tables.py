"""Reading beatcam's own YAML tables (word lists, cue tables, weights) quickly.

``safe_load`` is ``yaml.safe_load`` through libyaml's C loader where PyYAML was built with it:
the same safe subset of YAML, several times faster, and the tables are most of what the affect
and direct stages read on a cold start. Without libyaml it falls back to the pure-Python loader.
"""

from __future__ import annotations

from typing import Any

import yaml


def safe_load(text: str) -> Any:
    """The document ``text`` holds, as ``yaml.safe_load`` reads it."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
