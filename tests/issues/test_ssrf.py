"""No request leaves haberkg: every attempt of ssrf-attempts.toml, through every door.

The doors: the SPARQL endpoint of `haberkg serve` (GET, POST form, POST body), the
`haberkg query` and `haberkg validate` programs (run as a user runs them, confined by
their own entry point) and, to show that the first wall holds on its own, the same
commands in-process through click's runner, where nothing is confined. A loopback
listener counts every connection; it must count none. One control query proves that
the listener does see a request that leaves.
"""

from __future__ import annotations

import tomllib
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from haberkg.cli import cli

from .support import Listener, haberkg, live_server

ATTEMPTS = tomllib.loads((Path(__file__).with_name("ssrf-attempts.toml"))
                         .read_text(encoding="utf-8"))
QUERIES: list[dict[str, Any]] = ATTEMPTS["query"]
VALIDATIONS: list[dict[str, Any]] = ATTEMPTS["validate"]


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def endpoint(release: Path) -> Iterator[str]:
    with live_server(release, query_timeout=5.0, workers=2, per_client=8) as url:
        yield url + "/sparql"


def _text(template: str, listener: Listener) -> str:
    return template.replace("{url}", listener.url).replace("{port}", str(listener.port))


def test_the_listener_sees_a_request_that_leaves(listener: Listener) -> None:
    before = listener.count(0)
    urllib.request.urlopen(listener.url + "/control", timeout=5).read()
    assert listener.count() == before + 1


@pytest.mark.parametrize("attempt", QUERIES, ids=[a["id"] for a in QUERIES])
def test_endpoint_sends_nothing(attempt: dict[str, Any], listener: Listener,
                                endpoint: str) -> None:
    query = _text(attempt["text"], listener)
    expected = attempt["refused"] or 200
    before = listener.count(0)
    with httpx.Client(timeout=30) as client:
        answers = [
            client.get(endpoint, params={"query": query}),
            client.post(endpoint, data={"query": query}),
            client.post(endpoint, content=query.encode(),
                        headers={"Content-Type": "application/sparql-query"}),
        ]
    assert [a.status_code for a in answers] == [expected] * 3, answers[0].text
    assert listener.count() == before


@pytest.mark.parametrize("attempt", QUERIES, ids=[a["id"] for a in QUERIES])
def test_query_command_sends_nothing(attempt: dict[str, Any], listener: Listener,
                                     tmp_path: Path) -> None:
    path = tmp_path / "attempt.rq"
    path.write_text(_text(attempt["text"], listener), encoding="utf-8")
    before = listener.count(0)
    done = haberkg("query", path, "--format", "tsv")
    assert done.returncode == (2 if attempt["refused"] else 0), done.stderr
    if attempt["refused"]:
        assert done.stderr.count("\n") == 1
        assert "attempt.rq" in done.stderr
    assert "Traceback" not in done.stderr
    assert listener.count() == before


@pytest.mark.parametrize("attempt", [a for a in QUERIES if a["refused"]],
                         ids=[a["id"] for a in QUERIES if a["refused"]])
def test_guard_alone_refuses_in_an_unconfined_process(
        attempt: dict[str, Any], listener: Listener, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Through click's runner nothing is confined: only the check stands in the way."""
    path = tmp_path / "attempt.rq"
    path.write_text(_text(attempt["text"], listener), encoding="utf-8")
    before = listener.count(0)
    result = CliRunner().invoke(cli, ["query", str(path)])
    assert result.exit_code == 2, result.output
    assert listener.count() == before


def _validate_args(attempt: dict[str, Any], listener: Listener, folder: Path) -> list[str]:
    args: list[str] = []
    data = []
    for key, value in attempt.items():
        if key in ("id", "exit", "args"):
            continue
        name = "ontology.ttl" if key == "ontology" else key
        (folder / name).write_text(_text(value, listener), encoding="utf-8")
        if key.startswith("shapes"):
            args += ["--shapes", str(folder / name)]
        elif key == "ontology":
            args += ["--ontology", str(folder / name)]
        else:
            data.append(str(folder / name))
    if "--shapes" not in args:
        shapes = folder / "any-shapes.ttl"
        shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                          "<http://example.org/S> a sh:NodeShape ; "
                          "sh:targetNode <http://example.org/a> .\n", encoding="utf-8")
        args += ["--shapes", str(shapes)]
    return [*args, *attempt.get("args", []), *data]


@pytest.mark.parametrize("attempt", VALIDATIONS, ids=[a["id"] for a in VALIDATIONS])
def test_validate_command_sends_nothing(attempt: dict[str, Any], listener: Listener,
                                        tmp_path: Path) -> None:
    args = _validate_args(attempt, listener, tmp_path)
    before = listener.count(0)
    done = haberkg("validate", *args)
    assert done.returncode == attempt["exit"], done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert listener.count() == before


@pytest.mark.parametrize("attempt", VALIDATIONS, ids=[a["id"] for a in VALIDATIONS])
def test_validate_checks_alone_in_an_unconfined_process(
        attempt: dict[str, Any], listener: Listener, tmp_path: Path) -> None:
    args = _validate_args(attempt, listener, tmp_path)
    before = listener.count(0)
    result = CliRunner().invoke(cli, ["validate", *args])
    assert result.exit_code == attempt["exit"], result.output
    assert listener.count() == before


def test_protocol_dataset_parameters_send_nothing(listener: Listener, endpoint: str) -> None:
    """default-graph-uri / named-graph-uri naming a URL: refused, never loaded."""
    before = listener.count(0)
    with httpx.Client(timeout=30) as client:
        for name in ("default-graph-uri", "named-graph-uri"):
            answer = client.get(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o }",
                                                  name: listener.url + "/g.ttl"})
            assert answer.status_code == 400, answer.text
            assert "never loads" in answer.text
    assert listener.count() == before
