"""Shared servers of the regression tests: one haberkg serve application and one nginx on
the static export per test process (each test only reads from them)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from .. import webservers
from ..servers import Live, app_client, live_app


@pytest.fixture(scope="session")
def site(release: Path) -> Iterator[TestClient]:
    """haberkg serve's application, through Starlette's test client (no redirects followed)."""
    with app_client(release, workers=1) as client:
        yield client


@pytest.fixture(scope="session")
def live(release: Path) -> Iterator[Live]:
    """haberkg serve over real HTTP."""
    with live_app(release, workers=1) as server:
        yield server


@pytest.fixture(scope="session")
def nginx(static_export: Path) -> Iterator[str]:
    """Debian's nginx serving the static export as the README says."""
    webservers.readable(static_export)
    with webservers.nginx(static_export) as url:
        yield url
