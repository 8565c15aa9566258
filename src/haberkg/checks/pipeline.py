"""The checks every release goes through: a named list, run in order, each timed.

``haberkg build`` runs :data:`BUILD` and then writes ``dist/``; ``haberkg check`` runs
:data:`CHECK` (the same, plus the format and import-module checks) and writes
nothing. Each check is a function of the :class:`Outcome` so far; a failing check
raises (:class:`~haberkg.errors.CheckFailed`, exit 1, or
:class:`~haberkg.errors.InputError`, exit 2) with the file and line it is about.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from haberkg import __version__
from haberkg.checks import formatting, imports, schema_usage, shapes, suite
from haberkg.checks.assemble import Release, assemble
from haberkg.checks.grounding import Grounding, ground
from haberkg.checks.reasoning import Reasoning, reason
from haberkg.errors import CheckFailed
from haberkg.namespaces import HKD, RDF, compact
from haberkg.sources.project import Project
from haberkg.sources.read import to_rdflib
from haberkg.sparql.files import QueryFile
from haberkg.sparql.run import check as check_query
from haberkg.sparql.run import run_local

Say = Callable[[str], None]


@dataclass
class Outcome:
    """Everything the checks produced; the build writes it out."""

    project: Project
    grounding: Grounding | None = None
    release: Release | None = None
    report: shapes.Report | None = None
    reasoning: Reasoning | None = None
    queries: suite.SuiteResult | None = None
    qc: suite.SuiteResult | None = None
    timings: list[tuple[str, float]] = field(default_factory=list)

    def classes(self) -> list[tuple[str, int]]:
        """Resources per class among the facts, most frequent first."""
        assert self.release is not None
        counts = Counter(t.object.value for t in self.release.facts
                         if t.predicate.value == RDF + "type" and
                         t.subject.value.startswith(HKD))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class Check:
    name: str
    title: str
    run: Callable[[Outcome], None]


# ---------------------------------------------------------------------- the checks

def _format(outcome: Outcome) -> None:
    formatting.check_format(outcome.project)


def _imports(outcome: Outcome) -> None:
    imports.check_imports(outcome.project)


def _sources(outcome: Outcome) -> None:
    project = outcome.project
    _ = project.article_text
    _ = project.ontology_quads, project.import_quads, project.data_quads, project.shapes_quads
    for path in [*project.query_files, *project.qc_files]:
        check_query(QueryFile.read(path))


def _claims(outcome: Outcome) -> None:
    """The structure of every claim, checked by the claim shapes on the source files."""
    from haberkg.checks.validate import validate_sources

    validate_sources(outcome.project)


def _grounding(outcome: Outcome) -> None:
    outcome.grounding = ground(outcome.project)
    outcome.release = assemble(outcome.project, outcome.grounding)


def _schema_usage(outcome: Outcome) -> None:
    assert outcome.release is not None
    project = outcome.project
    left = schema_usage.unexempted(outcome.release.plain,
                                   schema_usage.exemptions(project.exemptions_file))
    if left:
        first = left[0]
        raise CheckFailed(
            f"schema.org {first.kind}: {compact(first.subject)} {compact(first.property)} "
            f"{compact(first.value) if first.value not in ('', 'literal') else first.value} is "
            f"outside the property's {first.kind}Includes (and {len(left) - 1} more); fix it, "
            "or add an exemption with the reason to ontology/qa/exemptions.ttl")


def _shapes(outcome: Outcome) -> None:
    assert outcome.release is not None
    project = outcome.project
    from haberkg.checks.validate import project_shapes

    outcome.report = shapes.validate(to_rdflib(outcome.release.plain), project_shapes(project))
    if not outcome.report.conforms():
        from haberkg.checks.report import Outcome as Shown
        from haberkg.checks.report import render

        raise CheckFailed("the data does not conform to the shapes:\n"
                          + render(Shown(outcome.report, checked=1), "text").rstrip())


def _reasoning(outcome: Outcome) -> None:
    assert outcome.release is not None
    outcome.reasoning = reason(outcome.release.reasoning_input)
    if not outcome.reasoning.consistent:
        raise CheckFailed("HermiT finds the ontology and data inconsistent")


def _queries(outcome: Outcome) -> None:
    assert outcome.release is not None
    store = outcome.release.store()
    project = outcome.project

    def engine(query: QueryFile) -> object:
        return run_local(store, query)

    outcome.queries = suite.run_suite(suite.competency_cases(project), engine)  # type: ignore[arg-type]
    outcome.qc = suite.run_suite(suite.qc_cases(project), engine)  # type: ignore[arg-type]
    failures = [*outcome.queries.failures, *outcome.qc.failures]
    suite.SuiteResult(failures).raise_for_failures()


FORMAT = Check("format", "check the layout of the sources", _format)
IMPORTS = Check("imports", "check the schema.org module", _imports)
BUILD: tuple[Check, ...] = (
    Check("sources", "read and parse sources", _sources),
    Check("claims", "check the structure of the claims", _claims),
    Check("grounding", "ground statements in the text", _grounding),
    Check("schema-usage", "check schema.org domains and ranges", _schema_usage),
    Check("shapes", "validate with SHACL", _shapes),
    Check("reasoning", "reason with HermiT", _reasoning),
    Check("queries", "run competency and QC queries", _queries),
)
CHECK: tuple[Check, ...] = (FORMAT, IMPORTS, *BUILD)


def run_checks(project: Project, say: Say, checks: Sequence[Check] = BUILD, *,
               skip: Sequence[str] = ()) -> Outcome:
    _ = project.article_text  # the package's own copy has no article: say so first
    outcome = Outcome(project)
    for check in checks:
        if check.name in skip:
            continue
        start = time.perf_counter()
        check.run(outcome)
        elapsed = time.perf_counter() - start
        outcome.timings.append((check.name, elapsed))
        say(f"{check.title:<38} {elapsed:6.2f} s")
    return outcome


def summary(outcome: Outcome) -> list[str]:
    assert outcome.release
    assert outcome.grounding
    assert outcome.report
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
    if outcome.queries is not None and outcome.qc is not None:
        lines.append(f"queries           {outcome.queries.passed} competency, "
                     f"{outcome.qc.passed} QC passed")
    classes = ", ".join(f"{compact(c)} {n}" for c, n in outcome.classes())
    lines.append(f"resources/class   {classes}")
    return lines
