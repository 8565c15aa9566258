"""Fixtures of the security and fault tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from haberkg.cli import cli


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("issues-release") / "dist"
    result = CliRunner().invoke(cli, ["build", "-q", "--dist", str(dist)])
    assert result.exit_code == 0, result.output
    return dist
