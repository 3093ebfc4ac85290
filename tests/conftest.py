"""Shared fixtures: the real reference files (skipped when ../shared is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "data"


@pytest.fixture(scope="session")
def reference_dir() -> Path:
    """The folder of real published files, or skip the test with the reason."""
    if not REFERENCE.is_dir():
        pytest.skip(
            f"needs a whole published file from {REFERENCE}, absent here; the report's "
            "published figures are checked on the extracts in tests/fixtures/published"
        )
    return REFERENCE
