"""The checks every release goes through: a named list, run in order, each timed.

``haberkg build`` runs :data:`BUILD` and then writes ``dist/``; ``haberkg check`` runs
:data:`CHECK` (the same, plus the format and import-module checks) and writes
nothing. Each check is a function of the :class:`Outcome` so far; a failing check
raises (:class:`~haberkg.errors.CheckFailed`, exit 1, or
:class:`~haberkg.errors.InputError`, exit 2) with the file and line it is about.

The corpus is checked twice over: the whole corpus (every article grounded, no IRI minted
twice, the merged graph through SHACL, HermiT and the corpus questions), and each article
on its own with the shared entities (:data:`ARTICLE`: its graph through SHACL, HermiT, its
own competency questions and the quality checks). ``haberkg check --article ID`` runs
the second for one article; ``--jobs N`` runs the articles in N processes, ``--shard K/N``
only every N-th article (and the corpus checks in shard 1).
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from haberkg import __version__
from haberkg.checks import formatting, imports, schema_usage, shapes, suite
from haberkg.checks.assemble import Release, assemble
from haberkg.checks.grounding import CorpusGrounding, ground
from haberkg.checks.reasoning import Reasoning, reason
from haberkg.errors import CheckFailed, HaberkgError, InternalError
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
    grounding: CorpusGrounding | None = None
    release: Release | None = None
    report: shapes.Report | None = None
    reasoning: Reasoning | None = None
    queries: suite.SuiteResult | None = None
    qc: suite.SuiteResult | None = None
    timings: list[tuple[str, float]] = field(default_factory=list)
    articles: list[ArticleResult] = field(default_factory=list)
    jobs: int = 1
    shard: tuple[int, int] = (1, 1)
    # HermiT, started before SHACL: the JVM reasons on one CPU while pySHACL uses another
    reasoning_ahead: Future[Reasoning] | None = None

    def classes(self) -> list[tuple[str, int]]:
        """Resources per class among the facts, most frequent first."""
        assert self.release is not None
        counts = Counter(t.object.value for t in self.release.facts
                         if t.predicate.value == RDF + "type" and
                         t.subject.value.startswith(HKD))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass
class ArticleResult:
    """What one article's own checks found (sent back by a worker process)."""

    id: str
    timings: list[tuple[str, float]]
    queries: int
    qc: int
    triples: int
    shared: bool = False  # its graph is the whole corpus's: SHACL and HermiT not repeated

    @property
    def seconds(self) -> float:
        return sum(t for _, t in self.timings)


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
    project.require_articles()
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
    if project.only is not None and outcome.grounding is not None:
        # seen from one article, the shared entities lack what the other articles say about
        # them: the article answers for its own resources, the corpus check for the entities
        shared = {e.value for g in outcome.grounding.articles for e in g.entities}
        outcome.report = dataclasses.replace(outcome.report, results=[
            r for r in outcome.report.results if str(r.focus_node) not in shared])
    if not outcome.report.conforms():
        from haberkg.checks.report import Outcome as Shown
        from haberkg.checks.report import render

        raise CheckFailed("the data does not conform to the shapes:\n"
                          + render(Shown(outcome.report, checked=1), "text").rstrip())


def _reasoning(outcome: Outcome) -> None:
    assert outcome.release is not None
    ahead, outcome.reasoning_ahead = outcome.reasoning_ahead, None
    outcome.reasoning = ahead.result() if ahead is not None else reason(
        outcome.release.reasoning_input)
    if not outcome.reasoning.consistent:
        raise CheckFailed("HermiT finds the ontology and data inconsistent")


def _queries(outcome: Outcome) -> None:
    """The corpus questions and the quality checks on the whole corpus; seen from one
    article, that article's own questions and the checks that hold for one article."""
    assert outcome.release is not None
    store = outcome.release.store()
    project = outcome.project

    def engine(query: QueryFile) -> object:
        return run_local(store, query)

    if project.only is None:
        cases = suite.corpus_cases(project)
        qc = suite.qc_cases(project, "corpus")
    else:
        cases = suite.article_cases(project, project.only)
        qc = suite.qc_cases(project, "article")
    outcome.queries = suite.run_suite(cases, engine)  # type: ignore[arg-type]
    outcome.qc = suite.run_suite(qc, engine)  # type: ignore[arg-type]
    failures = [*outcome.queries.failures, *outcome.qc.failures]
    suite.SuiteResult(failures).raise_for_failures()


def _articles(outcome: Outcome) -> None:
    """Every article (of this shard) on its own with the shared entities."""
    assert outcome.release is not None
    project = outcome.project
    if project.only is not None:
        return
    index, count = outcome.shard
    ids = [a.id for a in project.corpus.shard(index, count)]
    whole = set(outcome.release.plain)
    if outcome.jobs > 1 and len(ids) > 1:
        with ProcessPoolExecutor(max_workers=outcome.jobs, initializer=_worker_start) as pool:
            answers = list(pool.map(_article_worker, [(project.root, i) for i in ids]))
        for answer in answers:
            if isinstance(answer, tuple):
                raise _rebuilt(answer)
            outcome.articles.append(answer)
        return
    for article_id in ids:
        outcome.articles.append(check_article(project, article_id, corpus=(outcome, whole)))


ARTICLE_BUILD: tuple[str, ...] = ("sources", "grounding", "schema-usage", "shapes",
                                  "reasoning", "queries")


def check_article(project: Project, article_id: str, say: Say | None = None,
                  corpus: tuple[Outcome, set[ox.Triple]] | None = None,
                  checks: Sequence[Check] | None = None) -> ArticleResult:
    """One article's checks: its grounding with the shared entities, and its graph
    through schema.org usage, SHACL, HermiT, its own questions and the quality checks.
    Where its graph is the corpus's (a corpus of one), the corpus's SHACL and HermiT
    verdicts stand for it."""
    scoped = project.scoped(article_id)
    outcome = Outcome(scoped)
    shared = False
    todo = checks or [c for c in BUILD if c.name in ARTICLE_BUILD]
    for check in todo:
        if corpus is not None and check.name in ("shapes", "reasoning") and \
                outcome.release is not None and set(outcome.release.plain) == corpus[1]:
            shared = True
            continue
        start = time.perf_counter()
        _reason_ahead(outcome, check, {c.name for c in todo})
        try:
            check.run(outcome)
        except HaberkgError as exc:
            if not exc.path:
                exc.path = f"data/articles/{article_id}"
            raise
        elapsed = time.perf_counter() - start
        outcome.timings.append((check.name, elapsed))
        if say is not None:
            say(f"{check.title:<38} {elapsed:6.2f} s")
    assert outcome.release is not None
    return ArticleResult(article_id, outcome.timings,
                         outcome.queries.passed if outcome.queries else 0,
                         outcome.qc.passed if outcome.qc else 0,
                         len(set(outcome.release.plain)), shared)


def _worker_start() -> None:
    """A worker of --jobs: cut off from the network like the process that started it."""
    import os

    if os.environ.get("HABERKG_SANDBOX", "auto") == "off":
        return
    from haberkg import sandbox

    try:
        sandbox.confine()
    except sandbox.SandboxUnavailable:
        if os.environ.get("HABERKG_SANDBOX") == "require":
            raise


def _article_worker(job: tuple[Path, str]) -> ArticleResult | tuple[str, str, str | None,
                                                                     int | None, int | None]:
    root, article_id = job
    try:
        return check_article(Project(root), article_id)
    except HaberkgError as exc:  # errors keep their class and place across the process
        return (type(exc).__name__, exc.message, exc.path, exc.line, exc.column)


def _rebuilt(answer: tuple[str, str, str | None, int | None, int | None]) -> HaberkgError:
    from haberkg import errors

    name, message, path, line, column = answer
    cls = getattr(errors, name, InternalError)
    if not (isinstance(cls, type) and issubclass(cls, HaberkgError)) or \
            name == "QueryRefused":
        cls = CheckFailed if name == "CheckFailed" else errors.InputError
    return cls(message, path=path, line=line, column=column)


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
    Check("articles", "check each article on its own", _articles),
)
CHECK: tuple[Check, ...] = (FORMAT, IMPORTS, *BUILD)
# `haberkg check --article ID`: the article's files, then its own checks
ARTICLE: tuple[Check, ...] = (FORMAT, *(c for c in BUILD if c.name in
                                        ("sources", "claims", *ARTICLE_BUILD)))


def _reason_ahead(outcome: Outcome, check: Check, names: set[str]) -> None:
    """Start HermiT as SHACL starts, when both will run: HermiT (owlready2 and its JVM)
    works in a forked process on one CPU while pySHACL validates on another (the
    reasoning step then waits for what is left). A process, not a thread: owlready2's
    loading holds the GIL, which slowed pySHACL as much as the overlap saved. It dies with
    the process that forked it (which may hold the build's lock it inherited)."""
    if check.name != "shapes" or "reasoning" not in names or outcome.release is None:
        return
    import multiprocessing
    import os

    from haberkg.procs import die_with_parent

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                               initializer=die_with_parent, initargs=(os.getpid(),))
    outcome.reasoning_ahead = pool.submit(reason, outcome.release.reasoning_input)
    pool.shutdown(wait=False)


def run_checks(project: Project, say: Say, checks: Sequence[Check] = BUILD, *,
               skip: Sequence[str] = (), jobs: int = 1,
               shard: tuple[int, int] = (1, 1)) -> Outcome:
    """Run ``checks`` in order; with ``shard`` K/N other than 1/1, only the articles of
    that shard are checked on their own, and the corpus checks only in shard 1."""
    project.require_articles()  # the package's own copy has no article: say so first
    outcome = Outcome(project, jobs=jobs, shard=shard)
    if shard[0] != 1:
        skip = [*skip, *(c.name for c in checks if c.name not in
                         ("format", "sources", "grounding", "articles"))]
    names = {c.name for c in checks if c.name not in skip}
    for check in checks:
        if check.name in skip:
            continue
        start = time.perf_counter()
        _reason_ahead(outcome, check, names)
        check.run(outcome)
        elapsed = time.perf_counter() - start
        outcome.timings.append((check.name, elapsed))
        say(f"{check.title:<38} {elapsed:6.2f} s")
        if check.name == "articles":
            for result in outcome.articles:
                shared = " (SHACL and HermiT: the corpus graph)" if result.shared else ""
                say(f"  {result.id:<36} {result.seconds:6.2f} s{shared}")
    return outcome


def summary(outcome: Outcome) -> list[str]:
    assert outcome.release
    assert outcome.grounding
    assert outcome.report
    g = outcome.grounding
    articles = len(g.articles)
    lines = [
        f"haberkg {__version__}",
        f"corpus            {articles} article{'s' if articles != 1 else ''}, "
        f"{len({t.subject for t in g.entity_facts})} shared entities",
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
        own = sum(a.queries for a in outcome.articles)
        if outcome.project.only is None:
            lines.append(f"queries           {outcome.queries.passed} corpus, {own} of the "
                         f"articles, {outcome.qc.passed} QC passed")
        else:
            lines.append(f"queries           {outcome.queries.passed} competency, "
                         f"{outcome.qc.passed} QC passed")
    classes = ", ".join(f"{compact(c)} {n}" for c, n in outcome.classes())
    lines.append(f"resources/class   {classes}")
    return lines
