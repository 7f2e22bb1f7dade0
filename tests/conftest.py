"""Shared fixtures. The GitHub imitation lives in github_fake.py (fixture ``fake_github``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"

sys.path.insert(0, str(TESTS))  # so tests can import github_fake and helpers
pytest_plugins = ["github_fake"]

# Dates in listings are judged against this day in every test (stale, expired, future).
TODAY = "2026-12-04"
os.environ["C4H_TODAY"] = TODAY
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.pop("GITHUB_ACTIONS", None)


@pytest.fixture
def root() -> Path:
    return ROOT
