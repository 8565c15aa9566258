"""The checks every release goes through, in order, each timed.

``haberkg build`` runs them and then writes ``dist/``; ``haberkg check`` runs them
(plus the format and import-module checks) and writes nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pyoxigraph as ox

from haberkg import __version__
from haberkg.checks import shapes as shacl
from haberkg.checks.grounding import Grounding, ground
from haberkg.checks.reasoning import Reasoning, reason
from haberkg.errors import CheckFailed, InputError
from haberkg.namespaces import HKD, RDF, compact
from haberkg.release.assemble import Release, assemble
from haberkg.sources import schemaorg
from haberkg.sources.project import Project
from haberkg.sources.read import display_path, to_rdflib, to_store
from haberkg.sparql import run as sparql

Say = Callable[[str], None]


@dataclass
class Outcome:
    """Everything the checks produced; the build writes it out."""

    project: Project
    grounding: Grounding | None = None
    release: Release | None = None
    report: shacl.Report | None = None
    reasoning: Reasoning | None = None
    queries_passed: int = 0
    qc_passed: int = 0
    timings: list[tuple[str, float]] = field(default_factory=list)

    def classes(self) -> list[tuple[str, int]]:
        """Resources per class among the facts, most frequent first."""
        assert self.release is not None
        counts = Counter(t.object.value for t in self.release.facts
                         if t.predicate.value == RDF + "type" and
                         t.subject.value.startswith(HKD))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@contextmanager
def step(outcome: Outcome, name: str, say: Say) -> Iterator[None]:
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    outcome.timings.append((name, elapsed))
    say(f"{name:<34} {elapsed:6.2f} s")


def run_checks(project: Project, say: Say, *, reasoner: bool = True) -> Outcome:
    outcome = Outcome(project)
    with step(outcome, "read and parse sources", say):
        _ = project.article_text
        _ = project.ontology_quads, project.import_quads, project.data_quads
        _ = project.shapes_quads
        queries = [sparql.QueryFile.read(p) for p in project.query_files]
        qc = [sparql.QueryFile.read(p) for p in project.qc_files]
        for q in [*queries, *qc]:
            sparql.check_query(q.text, shown=q.shown)
    with step(outcome, "ground statements in the text", say):
        outcome.grounding = ground(project)
        outcome.release = assemble(project, outcome.grounding)
    release = outcome.release
    with step(outcome, "validate with SHACL", say):
        shapes, count = shacl.project_shapes(project)
        outcome.report = shacl.run(to_rdflib(release.plain), shapes, count)
        if not outcome.report.conforms:
            raise CheckFailed("the data does not conform to the shapes:\n"
                              + shacl.render(outcome.report, "text").rstrip())
    if reasoner:
        with step(outcome, "reason with HermiT", say):
            outcome.reasoning = reason(release.reasoning_input)
            if not outcome.reasoning.consistent:
                raise CheckFailed("HermiT finds the ontology and data inconsistent")
    with step(outcome, "run competency and QC queries", say):
        store = to_store(ox.Quad(t.subject, t.predicate, t.object) for t in release.plain)
        failures = []
        for q in queries:
            expected_path = project.expected_file(q.path)
            if not expected_path.exists():
                raise InputError("no expected result for this query "
                                 f"(write {display_path(expected_path)})", path=q.shown)
            actual = sparql.run_local(store, q)
            if not isinstance(actual, sparql.Table):
                raise InputError("competency queries must be SELECT queries", path=q.shown)
            problems = sparql.compare(actual, sparql.read_expected(expected_path),
                                      ordered=q.ordered)
            if problems:
                failures.append(f"{q.shown}: " + "; ".join(problems[:3]))
            else:
                outcome.queries_passed += 1
        for q in qc:
            rows = sparql.run_local(store, q)
            if isinstance(rows, sparql.Table) and rows.rows:
                first = " | ".join("" if t is None else str(t) for t in rows.rows[0])
                failures.append(f"{q.shown}: {len(rows.rows)} violation(s), first: {first}")
            else:
                outcome.qc_passed += 1
        if failures:
            raise CheckFailed("queries failed:\n" + "\n".join(failures))
    return outcome


def check_imports(project: Project) -> None:
    """The schema.org module is what `haberkg imports` would write now."""
    path = project.root / "ontology" / "imports" / "schemaorg-module.ttl"
    if not path.exists() or path.read_bytes() != schemaorg.extract_module(project):
        raise CheckFailed("the schema.org module is out of date: run `haberkg imports`",
                          path=display_path(path))


def summary(outcome: Outcome) -> list[str]:
    assert outcome.release and outcome.grounding and outcome.report
    g = outcome.grounding
    lines = [
        f"haberkg {__version__}",
        f"triples           {len(set(outcome.release.plain)):>6} (plain graph), "
        f"{len(set(outcome.release.facts)):>4} facts",
        f"grounding         {g.coverage:7.1%} of {len(g.facts)} fact statements in "
        f"{len(g.claims)} claims, {len(g.mentions)} mentions",
        "claims by mode    " + ", ".join(f"{m} {n}" for m, n in g.mode_counts().items()),
        f"shapes            {outcome.report.shapes:>6}, conforms",
    ]
    if outcome.reasoning is not None:
        lines.append(f"reasoning         consistent, {len(outcome.reasoning.inferred)} inferred "
                     "triples")
    lines.append(f"queries           {outcome.queries_passed} competency, "
                 f"{outcome.qc_passed} QC passed")
    classes = ", ".join(f"{compact(c)} {n}" for c, n in outcome.classes())
    lines.append(f"resources/class   {classes}")
    return lines
