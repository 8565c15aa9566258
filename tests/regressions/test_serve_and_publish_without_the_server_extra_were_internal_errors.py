"""Defect: `serve` and `publish` without the [server] extra ended in an internal error. They
now say which extra to install (exit 2). The missing package is simulated: importing it
fails."""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from haberkg.cli import cli


@pytest.mark.parametrize("module", ["starlette", "uvicorn", "jinja2", "mimeparse"])
@pytest.mark.parametrize("command", [["serve"], ["publish", "--static", "site"]])
def test_serve_and_publish_without_the_server_extra_were_internal_errors(
        module: str, command: list[str], monkeypatch: pytest.MonkeyPatch,
        tmp_path: object) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # `import module` raises ImportError
    monkeypatch.chdir(tmp_path)  # type: ignore[arg-type]
    result = CliRunner().invoke(cli, command)
    assert (result.exit_code, result.stderr) == (2, (
        f"haberkg: this command needs the server extra ({module} is missing): "
        "pip install 'haberkg[server]'\n"))
