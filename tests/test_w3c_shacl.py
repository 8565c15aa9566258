"""The W3C SHACL test suite (core and SPARQL), run from its manifests through haberkg validate.

Every ``sht:Validate`` case of tests/w3c/data-shapes-test-suite: the report of haberkg's
validation (the same call the command makes) must give the expected ``sh:conforms`` and the
expected results, compared as the suite compares reports (tests/w3c_manifests.py); the
command itself must exit 0 or 1 as ``sh:conforms`` says, and ``--format shacl`` must print a
report with that verdict. A case whose expected result is ``sht:Failure`` must exit 2 with
pySHACL's reason. What pySHACL cannot do is listed with its reason in
tests/w3c/shacl-known-failures.toml, and those cases must fail exactly as recorded there.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from haberkg.checks import validate as v
from haberkg.cli import cli
from haberkg.errors import ShapesError
from haberkg.serialise import graph_to_turtle

from .w3c_manifests import ShaclCase, known_shacl_failures, report_of, shacl_cases

CASES = shacl_cases()
KNOWN = known_shacl_failures()


def _id(case: ShaclCase) -> str:
    return case.name


def test_the_suite_is_all_there() -> None:
    assert len(CASES) == 121  # 120 in the manifests, and the one file no manifest includes
    assert sum(c.failure for c in CASES) == 7
    assert set(KNOWN) <= {c.name for c in CASES}
    assert len(KNOWN) <= 1, "pySHACL passes all but these: a new entry needs a reason"


@pytest.mark.parametrize("case", [c for c in CASES if not c.failure and c.name not in KNOWN],
                         ids=_id)
def test_validate_gives_the_expected_report(case: ShaclCase) -> None:
    outcome = v.validate_files([case.data], v.Options(shapes=[case.shapes]))
    assert outcome.errors == []
    assert outcome.report is not None and outcome.report.graph is not None
    conforms, results = report_of(outcome.report.graph.serialize(format="nt").encode())
    assert conforms is case.conforms
    assert results == case.results, (
        f"missing {sorted(case.results - results)}, unexpected {sorted(results - case.results)}")
    # the W3C report as --format shacl prints it says the same
    printed, _ = report_of(graph_to_turtle(outcome.report.graph))
    assert printed is case.conforms


@pytest.mark.parametrize("case", [c for c in CASES if not c.failure and c.name not in KNOWN],
                         ids=_id)
def test_the_command_exits_as_the_report_says(case: ShaclCase) -> None:
    result = CliRunner().invoke(cli, ["validate", "--format", "shacl", "--shapes",
                                      str(case.shapes), str(case.data)])
    assert result.exit_code == (0 if case.conforms or all(
        r[5].endswith("#Warning>") or r[5].endswith("#Info>") for r in case.results) else 1), \
        result.output
    assert report_of(result.stdout.encode())[0] is case.conforms


@pytest.mark.parametrize("case", [c for c in CASES if c.failure], ids=_id)
def test_a_must_fail_case_exits_2_with_pyshacls_reason(case: ShaclCase) -> None:
    result = CliRunner().invoke(cli, ["validate", "--shapes", str(case.shapes), str(case.data)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert line.split(": ", 1)[0].endswith(case.shapes.name), line  # names the shapes file
    # pySHACL's reason: SHACL forbids the query under pre-binding, or it cannot bind it
    # (or haberkg's own guard refuses it first: SERVICE never runs)
    assert ("validation failed: " in line or "the shapes cannot be used: " in line
            or "SERVICE is not allowed" in line), line


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_what_pyshacl_cannot_do_fails_as_recorded(name: str) -> None:
    case = next(c for c in CASES if c.name == name)
    with pytest.raises(ShapesError) as error:
        v.validate_files([case.data], v.Options(shapes=[case.shapes]))
    import tomllib

    from .w3c_manifests import W3C

    recorded = {c["name"]: c["expect"] for c in tomllib.loads(
        (W3C / "shacl-known-failures.toml").read_text(encoding="utf-8"))["case"]}
    assert error.value.message == recorded[name]
    result = CliRunner().invoke(cli, ["validate", "--shapes", str(case.shapes), str(case.data)])
    assert result.exit_code == 2 and recorded[name] in result.stderr
