"""Rebuild src/beatcam/tables.json: beatcam's YAML tables pre-parsed, which a plan reads instead
of parsing the YAML (``beatcam.tables``).

Run after editing any table of ``affect/data`` or ``direct/data``:
``.venv/bin/python scripts/build_tables.py`` (``scripts/fit_classical.py`` rewrites
``direct/data/classical.yaml`` and runs this itself). Until then the edited table is parsed as
YAML, correctly and more slowly, and a test says the store is stale.
"""

from __future__ import annotations

import sys

from beatcam import tables
from beatcam.files import write_atomic


def build() -> None:
    """Write the store of every table as it is now."""
    sources = tables.stored_tables()
    texts = [(tables.PACKAGE / path).read_text(encoding="utf-8") for path in sources]
    target = write_atomic(tables.PACKAGE / tables.STORE_FILE, tables.store_text(texts))
    print(f"wrote {target} ({len(sources)} tables)")


def main() -> int:
    build()
    return 0


if __name__ == "__main__":
    sys.exit(main())
