"""The haberkg command, through click's runner (and a subprocess where it matters)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from haberkg import __version__
from haberkg.cli import cli
from haberkg.sources.project import Project

from .conftest import ROOT, BuiltRelease


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _files(folder: Path) -> set[str]:
    """The files of a release, by their path in it (dist/articles/ID.ttl included)."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def _line_col(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """Line and column (1-based, in characters) of ``needle`` in ``text``, plus ``offset``."""
    index = text.index(needle) + offset
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def test_version_and_help(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output
    result = runner.invoke(cli, ["--help"])
    for command in ("build", "check", "validate", "query", "reason", "fmt", "imports"):
        assert command in result.output
    assert "Exit codes: 0" in result.output


def test_python_dash_m() -> None:
    out = subprocess.run([sys.executable, "-m", "haberkg", "--version"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    assert __version__ in out.stdout


def test_build_writes_every_release_file(release: Path) -> None:
    names = _files(release)
    assert {"haberkg.ttl", "haberkg.nt", "haberkg.jsonld", "haberkg.rdf", "haberkg.trig",
            "haberkg-articles.trig", "articles/2025-09-04-goktas-aliyev.ttl",
            "haberkg-inferred.ttl", "shapes.ttl", "validation-report.json", "void.ttl",
            "context.jsonld", "SHA256SUMS"} <= names
    # the marker that lets a later build replace the folder (and nothing else)
    assert (release / ".haberkg-release").is_file()
    assert names - {".haberkg-release"} == {line.split("  ", 1)[1] for line in (
        release / "SHA256SUMS").read_text(encoding="ascii").splitlines()} | {"SHA256SUMS"}


def test_release_formats_are_the_same_graph(release: Path) -> None:
    graphs = {}
    for name, fmt in [("haberkg.ttl", ox.RdfFormat.TURTLE),
                      ("haberkg.nt", ox.RdfFormat.N_TRIPLES),
                      ("haberkg.jsonld", ox.RdfFormat.JSON_LD),
                      ("haberkg.rdf", ox.RdfFormat.RDF_XML)]:
        graphs[name] = {q.triple for q in ox.parse(path=str(release / name), format=fmt)}
    first = graphs["haberkg.nt"]
    assert len(first) > 5000
    for name, triples in graphs.items():
        assert triples == first, name
    trig = list(ox.parse(path=str(release / "haberkg.trig"), format=ox.RdfFormat.TRIG))
    assert {q.triple for q in trig} == first  # the same statements, the facts in claim graphs
    named = {q.graph_name for q in trig if q.graph_name != ox.DefaultGraph()}
    assert len(named) > 150  # one named graph per claim
    inferred = {q.triple for q in ox.parse(path=str(release / "haberkg-inferred.ttl"),
                                            format=ox.RdfFormat.TURTLE)}
    assert first < inferred


def test_jsonld_has_a_local_context(release: Path) -> None:
    doc = json.loads((release / "haberkg.jsonld").read_text(encoding="utf-8"))
    assert isinstance(doc["@context"], dict)
    assert doc["@context"]["schema"] == "https://schema.org/"


def test_void_lists_every_file_with_size_and_checksum(release: Path) -> None:
    void = list(ox.parse(path=str(release / "void.ttl"), format=ox.RdfFormat.TURTLE))
    dist = "https://w3id.org/haberkg/dist/"
    sizes = {q.subject.value.removeprefix(dist): int(q.object.value) for q in void
             if q.predicate.value == "http://www.w3.org/ns/dcat#byteSize"}
    sums = {q.subject.value.removeprefix(dist).split("#")[0]: q.object.value for q in void
            if q.predicate.value == "http://spdx.org/rdf/terms#checksumValue"}
    for name in sizes:
        data = (release / name).read_bytes()
        assert sizes[name] == len(data)
        assert sums[name] == hashlib.sha256(data).hexdigest()
    assert set(sizes) == _files(release) - {"void.ttl", "SHA256SUMS", ".haberkg-release"}
    licence = [q for q in void if q.predicate.value == "http://purl.org/dc/terms/license"]
    assert licence
    assert all(q.object.value == "https://creativecommons.org/licenses/by/4.0/"
                           for q in licence)


def test_build_is_byte_reproducible_across_hash_seeds(release: Path, tmp_path: Path) -> None:
    """A second build, as a program and with another hash seed than the shared one (built
    with PYTHONHASHSEED=1, tests/conftest.py), gives the same bytes; -q prints nothing."""
    dist = tmp_path / "dist"
    env = {k: v for k, v in os.environ.items() if k != "HABERKG_ROOT"}
    env["PYTHONHASHSEED"] = "4242"
    done = subprocess.run([sys.executable, "-m", "haberkg", "build", "-q", "--dist", str(dist)],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert _hashes(dist) == _hashes(release)


def test_failed_build_leaves_the_previous_release_intact(scratch: Path, release: Path,
                                                         runner: CliRunner) -> None:
    dist = scratch / "dist"
    shutil.copytree(release, dist)  # a release written by haberkg (it has the marker)
    before = _hashes(dist)
    places = scratch / "data" / "articles" / "2025-09-04-goktas-aliyev" / "places.ttl"
    places.write_text(places.read_text(encoding="utf-8").replace(
        'hk:quote "Türkiye adına"', 'hk:quote "Türkiye namına"'), encoding="utf-8")
    line, column = _line_col(places.read_text(encoding="utf-8"), 'hk:quote "Türkiye namına"')
    result = runner.invoke(cli, ["build", "-q", "--dist", str(dist)])
    assert (result.exit_code, result.stderr) == (1, (
        f"project/data/articles/2025-09-04-goktas-aliyev/places.ttl:{line}:{column}: "
        "hk:quote \"Türkiye namına\" occurs 0 times "
        "in the article, expected 1\n"))
    assert _hashes(dist) == before
    assert [p.name for p in scratch.iterdir() if p.name.startswith(".dist")] == []


def test_syntax_error_in_the_sources_fails_the_build_with_exit_2(scratch: Path,
                                                                 runner: CliRunner) -> None:
    path = scratch / "data" / "articles" / "2025-09-04-goktas-aliyev" / "meeting.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace(
        'schema:name "çocuk"@tr', 'schema:name "çocuk"@', 1), encoding="utf-8")
    # the language tag has no subtag: the error is at the character after the @
    line, column = _line_col(path.read_text(encoding="utf-8"), '"çocuk"@', len('"çocuk"@'))
    result = runner.invoke(cli, ["build", "-q", "--dist", str(scratch / "dist")])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"project/data/articles/2025-09-04-goktas-aliyev/meeting.ttl:{line}:{column}: "
        "syntax error: ")
    assert result.stderr.count("\n") == 1
    assert not (scratch / "dist").exists()


def test_build_summary(built_release: BuiltRelease, project: Project) -> None:
    log = built_release.log  # what the shared build printed
    corpus, checks = len(project.corpus_query_files), len(project.qc_files)
    own = len(project.corpus.article("2025-09-04-goktas-aliyev").query_files)
    # four people in the article: Göktaş, Aliyev, Recep Tayyip and Emine Erdoğan
    for expected in ("validate with SHACL", "reason with HermiT",
                     f"{corpus} corpus, {own} of the articles, {checks} QC passed",
                     "resources/class",
                     "schema:Person 4"):
        assert expected in log
    assert re.search(r"^grounding +100\.0% of \d+ fact statements", log, re.M)
    assert re.search(r"^built in \d+\.\d\d s$", log, re.M)


# ---------------------------------------------------------------------- validate

def test_validate_our_data_conforms(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Conforms")


@pytest.fixture
def invalid_file(tmp_path: Path) -> Path:
    path = tmp_path / "mine.ttl"
    path.write_text(
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix hkd: <https://w3id.org/haberkg/id/> .\n"
        "\n"
        "hkd:someone a schema:Person ;\n"
        '    schema:name "Biri"@tr , "Someone"@en ;\n'
        "    schema:spouse hkd:place .\n"
        "\n"
        "hkd:place a schema:Place ;\n"
        '    schema:name "Yer"@tr , "Place"@en .\n', encoding="utf-8")
    return path


def test_validate_text_report(runner: CliRunner, invalid_file: Path) -> None:
    result = runner.invoke(cli, ["validate", str(invalid_file)])
    assert result.exit_code == 1
    out = result.stdout
    assert "hkd:someone (Someone) [" in out
    assert "mine.ttl:4]" in out
    assert "schema:spouse value hkd:place" in out
    assert "shape hks:Person-spouse, sh:ClassConstraintComponent" in out


def test_validate_json_report(runner: CliRunner, invalid_file: Path) -> None:
    result = runner.invoke(cli, ["validate", "--format", "json", str(invalid_file)])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert [(r["focus"], r["path"], r["shape"], r["line"]) for r in report["results"]] == \
        [("hkd:someone", "schema:spouse", "hks:Person-spouse", 4)]


def test_validate_junit_report(runner: CliRunner, invalid_file: Path) -> None:
    result = runner.invoke(cli, ["validate", "--format", "junit", str(invalid_file)])
    assert result.exit_code == 1
    suites = ET.fromstring(result.stdout)
    assert suites.tag == "testsuites"
    assert suites.get("failures") == "1"
    suite = suites.find("testsuite")
    assert suite is not None
    assert suite.get("failures") == "1"
    assert suite.get("errors") == "0"
    case = suite.find("testcase")
    assert case is not None
    assert case.get("classname") == "hks:Person-spouse"
    assert case.find("failure") is not None


def test_validate_github_annotations(runner: CliRunner, invalid_file: Path) -> None:
    result = runner.invoke(cli, ["validate", "--format", "github", str(invalid_file)])
    assert result.exit_code == 1
    line = result.stdout.strip()
    assert line.startswith("::error file=")
    assert "mine.ttl,line=4,title=SHACL hks%3APerson-spouse::" in line


def test_validate_with_other_shapes(runner: CliRunner, invalid_file: Path, tmp_path: Path) -> None:
    shapes = tmp_path / "mine-shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix schema: <https://schema.org/> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass schema:Person ;\n"
        "  sh:property [ sh:path schema:birthDate ; sh:minCount 1 ] .\n", encoding="utf-8")
    result = runner.invoke(cli, ["validate", "--shapes", str(shapes), str(invalid_file)])
    assert result.exit_code == 1
    assert "schema:birthDate" in result.stdout
    assert "spouse" not in result.stdout


def test_validate_conforming_file_exits_0(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "ok.ttl"
    path.write_text('<https://w3id.org/haberkg/id/x> a <https://schema.org/Place> ;\n'
                    '  <https://schema.org/name> "Yer"@tr , "Place"@en .\n', encoding="utf-8")
    for fmt in ("text", "json", "junit", "github"):
        result = runner.invoke(cli, ["validate", "--format", fmt, str(path)])
        assert result.exit_code == 0, (fmt, result.stdout)


# ---------------------------------------------------------------------- query / reason

def test_query_list(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["query", "--list"])
    assert result.exit_code == 0
    assert "01-who-met-whom" in result.stdout
    assert "Who met whom" in result.stdout
    tr = runner.invoke(cli, ["query", "--list", "--lang", "tr"])
    assert "Kim kiminle nerede görüştü" in tr.stdout


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_query_formats(runner: CliRunner, fmt: str) -> None:
    result = runner.invoke(cli, ["query", "03", "--format", fmt])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if fmt == "json":
        bindings = json.loads(out)["results"]["bindings"]
        assert bindings[0]["countryName"] == {"type": "literal", "value": "Azerbaijan",
                                              "xml:lang": "en"}
    elif fmt == "csv":
        assert out.splitlines()[1].startswith("https://w3id.org/haberkg/id/foster-family-")
    elif fmt == "tsv":
        assert out.startswith("?document\t?documentName")
    elif fmt == "xml":
        root = ET.fromstring(out)
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        names = [b.find("r:literal", ns)
                 for b in root.iterfind(".//r:binding[@name='countryName']", ns)]
        assert [(n.text, n.get("{http://www.w3.org/XML/1998/namespace}lang")) for n in names
                if n is not None] == [("Azerbaijan", "en")]
    else:
        assert "hkd:azerbaijan" in out
        assert "(1 row)" in out


def test_query_a_file_and_construct_as_turtle(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "c.rq"
    path.write_text("PREFIX s: <https://schema.org/>\nCONSTRUCT { ?c s:name ?n } WHERE {\n"
                    "  ?c a s:City ; s:name ?n }\n", encoding="utf-8")
    result = runner.invoke(cli, ["query", str(path), "--format", "turtle"])
    assert result.exit_code == 0
    triples = list(ox.parse(result.stdout.encode(), format=ox.RdfFormat.TURTLE))
    assert len(triples) == 4  # İstanbul and Bakü, each in tr and en
    nt = runner.invoke(cli, ["query", str(path), "--format", "ntriples"])
    assert nt.exit_code == 0
    assert len(nt.stdout.splitlines()) == 4
    assert set(ox.parse(nt.stdout.encode(), format=ox.RdfFormat.N_TRIPLES)) == set(triples)


def test_unknown_query_name(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["query", "99-nothing"])
    assert result.exit_code == 2
    assert "no single competency query" in result.stderr


def test_reason(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["reason"])
    assert result.exit_code == 0
    assert result.stdout.startswith("consistent: yes")
    # hk:guest is a sub-property of schema:attendee, and the delegation is a guest at the
    # meeting ("Aliyev ve beraberindeki heyeti ... ağırladı"): HermiT infers that it attends
    meeting = result.stdout.split("hkd:meeting-of-goktas-and-aliyev\n", 1)[1].split("\nhkd:")[0]
    assert "    schema:attendee hkd:azerbaijani-delegation" in meeting.splitlines()
    ttl = runner.invoke(cli, ["reason", "--format", "turtle"])
    assert len(list(ox.parse(ttl.stdout.encode(), format=ox.RdfFormat.TURTLE))) > 100


# ---------------------------------------------------------------------- fmt / imports / check

def test_fmt_check_passes_on_the_repo(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["fmt", "--check"])
    assert result.exit_code == 0, result.stderr


def test_fmt_rewrites_and_check_catches_it(scratch: Path, runner: CliRunner) -> None:
    path = scratch / "data" / "entities" / "places.ttl"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.replace("hkd:turkiye a schema:Country ;",
                                     "hkd:turkiye   a    schema:Country;"), encoding="utf-8")
    result = runner.invoke(cli, ["fmt", "--check"])
    assert result.exit_code == 1
    assert "places.ttl" in result.stderr
    assert runner.invoke(cli, ["fmt"]).exit_code == 0
    assert path.read_text(encoding="utf-8") == original
    assert runner.invoke(cli, ["fmt", "--check"]).exit_code == 0


def test_imports_check(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["imports", "--check"])
    assert result.exit_code == 0, result.stderr


def test_imports_regenerates_the_module(scratch: Path, runner: CliRunner) -> None:
    module = scratch / "ontology" / "imports" / "schemaorg-module.ttl"
    original = module.read_bytes()
    module.write_bytes(original.replace(b"schema:Person a owl:Class", b"schema:Person a owl:Thing"))
    assert runner.invoke(cli, ["imports", "--check"]).exit_code == 1
    assert runner.invoke(cli, ["imports"]).exit_code == 0
    assert module.read_bytes() == original


def test_check(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.stderr
    assert "checked in" in result.stderr


def test_internal_errors_are_one_line(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    import haberkg.checks.reasoning

    def boom(_: object) -> None:
        raise ValueError("something unexpected\nsecond line")

    monkeypatch.setattr(haberkg.checks.reasoning, "reason", boom)
    result = runner.invoke(cli, ["reason"])
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1
    assert "internal error: ValueError: something unexpected. Please report it" in result.stderr
    assert "Traceback" not in result.stderr
    debug = runner.invoke(cli, ["--debug", "reason"])
    assert debug.exit_code == 3
    assert "Traceback (most recent call last)" in debug.stderr
    assert 'raise ValueError("something unexpected' in debug.stderr


def test_output_cut_short_by_a_pipe_is_not_an_error() -> None:
    """Regression: `haberkg reason | head -1` printed an internal error (BrokenPipeError)."""
    proc = subprocess.Popen([sys.executable, "-m", "haberkg", "reason"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 0
    assert "internal error" not in err


def test_ask_query(runner: CliRunner, tmp_path: Path) -> None:
    """Regression: an ASK query ended in an internal error (pyoxigraph's QueryBoolean)."""
    path = tmp_path / "ask.rq"
    path.write_text("ASK { ?s a <https://w3id.org/haberkg/ontology#Signing> }\n",
                    encoding="utf-8")
    result = runner.invoke(cli, ["query", str(path)])
    assert result.exit_code == 0 and result.stdout == "yes\n", result.stderr
    result = runner.invoke(cli, ["query", str(path), "--format", "json"])
    assert json.loads(result.stdout) == {"head": {}, "boolean": True}


def test_construct_refuses_a_table_format(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "c.rq"
    path.write_text("CONSTRUCT WHERE { ?s a <https://schema.org/City> }\n", encoding="utf-8")
    result = runner.invoke(cli, ["query", str(path), "--format", "csv"])
    assert result.exit_code == 2
    assert "give --format turtle" in result.stderr


@pytest.mark.parametrize(("make", "message"), [
    (lambda d: (d / "notes.txt").write_text("mine") and d, "not written by haberkg"),
    (lambda d: d / "afile" / "sub", "cannot use as output folder"),
])
def test_build_never_replaces_a_folder_it_did_not_write(
        runner: CliRunner, tmp_path: Path, make: object, message: str) -> None:
    """Regression: `build --dist` and `publish --static` replaced any folder given."""
    (tmp_path / "afile").write_text("x")
    target = make(tmp_path)  # type: ignore[operator]
    for args in (["build", "-q", "--dist", str(target)], ["publish", "--static", str(target)]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert (tmp_path / "afile").read_text() == "x"


def test_build_refuses_the_project_and_the_working_directory(runner: CliRunner,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    for target in (ROOT, ROOT / "data"):
        result = runner.invoke(cli, ["build", "-q", "--dist", str(target)])
        assert result.exit_code == 2
        assert "refusing to replace" in result.stderr
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["publish", "--static", "."])
    assert result.exit_code == 2
    assert "refusing to replace" in result.stderr


def test_serve_options_are_checked(runner: CliRunner) -> None:
    import socket

    assert runner.invoke(cli, ["serve", "--port", "99999"]).exit_code == 2
    assert runner.invoke(cli, ["serve", "--timeout", "-1"]).exit_code == 2
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert "cannot listen" in result.stderr


def test_bad_encoding_in_the_sources_is_located(scratch: Path, runner: CliRunner) -> None:
    """Regression: `haberkg query` on a non-UTF-8 data file ended in an internal error."""
    path = scratch / "data" / "entities" / "places.ttl"
    text = path.read_text(encoding="utf-8")
    line, column = _line_col(text, "Bakü", len("Bak"))  # the first "ü", written in Latin-1
    path.write_bytes(path.read_bytes().replace("Bakü".encode(), "Bak\xfc".encode("latin-1"), 1))
    result = runner.invoke(cli, ["query", "01"])
    assert (result.exit_code, result.stderr) == (
        2, f"project/data/entities/places.ttl:{line}:{column}: not UTF-8: byte 0xfc cannot be "
        "decoded\n")
