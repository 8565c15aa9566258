"""The ``haberkg`` command.

Exit codes: 0 success (the data conforms), 1 a check failed (violations, failed
queries, files not formatted), 2 bad input, 3 an internal error.

When started as a program (:func:`main`), every command that evaluates SPARQL or
SHACL first cuts its own process off from the network (:mod:`haberkg.sandbox`);
commands that talk to a store the user names (``load``, ``--endpoint``) do their
network part first, or unconfined when they evaluate nothing.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from haberkg import __version__
from haberkg.errors import EXIT_ERROR, EXIT_INTERNAL, CheckFailed, HaberkgError, InputError
from haberkg.namespaces import DATASET_GRAPH

ISSUES_URL = "https://github.com/haberkg/haberkg/issues"
EPILOG = ("Exit codes: 0 success / conforms, 1 violations or failed checks, "
          "2 bad input, 3 internal error.")
log = logging.getLogger("haberkg")


@dataclass
class Settings:
    """Process-wide settings of one run (``ctx.obj``)."""

    confine: bool = False  # True when run as a program: commands confine the process
    debug: bool = False
    warned: bool = False


def _settings(ctx: click.Context) -> Settings:
    obj = ctx.find_root().obj
    if not isinstance(obj, Settings):
        obj = ctx.find_root().obj = Settings()
    return obj


def confine(ctx: click.Context) -> None:
    """Cut this process off from the network before it evaluates SPARQL or SHACL.

    ``HABERKG_SANDBOX``: ``auto`` (default: confine where the platform allows, say once
    on stderr where it does not), ``require`` (exit 2 where it does not) or ``off``.
    """
    settings = _settings(ctx)
    if not settings.confine:
        return
    policy = os.environ.get("HABERKG_SANDBOX", "auto")
    if policy == "off":
        return
    from haberkg import sandbox

    try:
        layers = sandbox.confine()
        log.debug("network sandbox: %s", ", ".join(layers))
    except sandbox.SandboxUnavailable as exc:
        if policy == "require":
            raise InputError(f"cannot cut this process off from the network: {exc}") from None
        if not settings.warned:
            click.echo(f"haberkg: warning: no network sandbox here ({exc}); queries are "
                       "still checked before they run", err=True)
            settings.warned = True


def _project() -> Any:
    from haberkg.sources.project import Project

    return Project.discover()


def _say(quiet: bool) -> Callable[[str], None]:
    def say(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)
    return say


def _shown(path: Path) -> str:
    from haberkg.errors import display_path

    return display_path(path)


class HaberkgGroup(click.Group):
    """A click group that turns every error into one line and a documented exit code."""

    def invoke(self, ctx: click.Context) -> object:
        def debugging() -> bool:  # asked once the group's options (--debug) are parsed
            return _settings(ctx).debug or os.environ.get("HABERKG_DEBUG") == "1"

        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except HaberkgError as exc:
            click.echo(exc.located() if exc.path else f"haberkg: {exc.located()}", err=True)
            if debugging() and (exc.__cause__ is not None or exc.exit_code == EXIT_INTERNAL):
                import traceback

                traceback.print_exception(exc.__cause__ or exc, file=sys.stderr)
            ctx.exit(exc.exit_code)
        except RecursionError:
            click.echo("haberkg: input nested too deeply to process", err=True)
            ctx.exit(EXIT_ERROR)
        except BrokenPipeError:  # `haberkg query … | head`: the reader has had enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except MemoryError:
            click.echo("haberkg: out of memory (the input is too large for this machine)",
                       err=True)
            ctx.exit(EXIT_ERROR)
        except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
            if debugging():
                import traceback

                traceback.print_exc()
            first = str(exc).splitlines()[0] if str(exc) else ""
            click.echo(f"haberkg: internal error: {type(exc).__name__}: {first}. Please report "
                       f"it at {ISSUES_URL} with the command you ran (--debug shows the "
                       "traceback).", err=True)
            ctx.exit(EXIT_INTERNAL)
        return None


@click.group(cls=HaberkgGroup, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="haberkg")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors "
              "(or set HABERKG_DEBUG=1).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build, check, query and validate the haberkg knowledge graph.

    Every command reads its sources from the project folders (ontology/, data/,
    shapes/, queries/); nothing uses the network except `load` and `--endpoint`,
    which talk to the store you name.
    """
    settings = _settings(ctx)
    settings.debug = debug
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        format="haberkg: %(levelname)s: %(message)s")


# ---------------------------------------------------------------------- build / check

@cli.command(epilog=EPILOG)
@click.option("--dist", "dist", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: dist/ in the project, ./dist outside one).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also list the files written.")
@click.pass_context
def build(ctx: click.Context, dist: Path | None, quiet: bool, verbose: bool) -> None:
    """Check everything, then write the release to dist/.

    Steps: parse every source strictly, check the structure of every claim, ground
    every statement in the article text, check schema.org domains and ranges, validate
    with SHACL, reason with HermiT, run the competency and QC queries; then write the
    release files (Turtle, N-Triples, JSON-LD, RDF/XML, TriG with one named graph per
    claim, the inferred graph, the shapes, the validation report, VoID/DCAT with sizes
    and checksums). dist/ is replaced only when every step passed.
    """
    from haberkg.checks.pipeline import run_checks, summary
    from haberkg.release.write import release_folder, write_files, writer

    confine(ctx)
    say = _say(quiet)
    project = _project()
    target = release_folder(dist or project.default_dist,
                            protect=[project.root / sub for sub in
                                     ("ontology", "data", "shapes", "queries")])
    start = time.perf_counter()
    with writer(target) as staging:  # locked from here: one build per folder at a time
        outcome = run_checks(project, say)
        t0 = time.perf_counter()
        files = write_files(outcome, staging)
    say(f"{'write ' + _shown(target) + '/':<38} {time.perf_counter() - t0:6.2f} s")
    if verbose and not quiet:
        for name, data in sorted(files.items()):
            say(f"  {name:<28} {len(data):>9} bytes")
    if not quiet:
        click.echo("", err=True)
        for line in summary(outcome):
            click.echo(click.style(line, fg="green") if line.startswith("haberkg") else line,
                       err=True)
        click.echo(f"built in {time.perf_counter() - start:.2f} s", err=True)


@cli.command(epilog=EPILOG)
@click.option("--endpoint", default=None, metavar="URL",
              help="Also run every competency query against this SPARQL endpoint.")
@click.option("--graph", default=DATASET_GRAPH, show_default=True, metavar="IRI",
              help="With --endpoint: the named graph holding the release (see `load`).")
@click.option("--default-graph", is_flag=True,
              help="With --endpoint: the release is in the store's default graph.")
@click.option("--article", "article_id", default=None, metavar="ID",
              help="Check one article with the shared entities (fast enough to run on save).")
@click.option("--jobs", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Check the articles on their own in this many processes.")
@click.option("--shard", default=None, metavar="K/N",
              help="Check only every N-th article, starting with the K-th (a CI matrix); "
                   "the corpus checks run in shard 1.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.pass_context
def check(ctx: click.Context, endpoint: str | None, graph: str, default_graph: bool,
          article_id: str | None, jobs: int, shard: str | None, quiet: bool) -> None:
    """Everything CI needs, writing nothing: syntax, format, imports, claims, grounding,
    schema.org usage, SHACL, reasoning and queries, for the corpus and for each article
    on its own (with the shared entities)."""
    from haberkg.checks import suite
    from haberkg.checks.pipeline import ARTICLE, CHECK, run_checks, summary

    say = _say(quiet)
    project = _project()
    start = time.perf_counter()
    if article_id is not None:
        if endpoint or shard:
            raise click.UsageError("--article checks one article: without --endpoint or "
                                   "--shard")
        confine(ctx)
        outcome = run_checks(project.scoped(article_id), say, ARTICLE)
        if not quiet:
            for line in summary(outcome):
                click.echo(line, err=True)
            click.echo(f"checked {article_id} in {time.perf_counter() - start:.2f} s", err=True)
        return
    parts = _shard(shard)
    if endpoint:  # the network part first: then this process is confined
        from haberkg.sparql.run import run_remote

        where = None if default_graph else graph
        remote = suite.run_suite(suite.competency_cases(project),
                                 lambda q: run_remote(endpoint, q, where))
        remote.raise_for_failures(endpoint)
        say(f"all {len(remote.outcomes)} competency queries agree on {endpoint}")
    confine(ctx)
    outcome = run_checks(project, say, CHECK, jobs=jobs, shard=parts)
    if not quiet:
        if parts[0] == 1:
            for line in summary(outcome):
                click.echo(line, err=True)
        click.echo(f"checked in {time.perf_counter() - start:.2f} s", err=True)


def _shard(value: str | None) -> tuple[int, int]:
    if value is None:
        return 1, 1
    index, sep, count = value.partition("/")
    if not sep or not index.isdigit() or not count.isdigit() or \
            not 1 <= int(index) <= int(count):
        raise click.BadParameter(f"expected K/N with 1 <= K <= N, got {value!r}",
                                 param_hint="--shard")
    return int(index), int(count)


# ---------------------------------------------------------------------- validate

def _contexts(values: tuple[str, ...]) -> dict[str, object]:
    """--context URL=FILE: JSON-LD contexts by URL, from local files."""
    import json

    from haberkg.sources.read import read_text

    out: dict[str, object] = {}
    for value in values:
        url, sep, file = value.partition("=")
        if not sep or not url or not file:
            raise click.BadParameter(f"expected URL=FILE, got {value!r}", param_hint="--context")
        try:
            document = json.loads(read_text(Path(file), what="JSON-LD context", nfc=False))
        except json.JSONDecodeError as exc:
            raise InputError(f"not JSON: {exc.msg}", path=file, line=exc.lineno,
                             column=exc.colno) from None
        out[url] = document.get("@context", document) if isinstance(document, dict) else document
    return out


@cli.command(epilog="Exit codes: 0 conforms, 1 results at or above --fail-on, 2 bad input "
             "(any file that cannot be read or parsed, unusable shapes, --timeout reached), "
             "3 internal error.")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--profile", type=click.Choice(["haberkg", "schemaorg"]), default=None,
              help="Shapes to validate with: haberkg (the project's own rules; the default "
                   "inside a haberkg project) or schemaorg (schema.org conformance, "
                   "offline: unknown or superseded terms, domainIncludes, rangeIncludes; "
                   "the default outside one). With --shapes, no profile unless given.")
@click.option("--shapes", "shapes_paths", multiple=True, type=click.Path(path_type=Path),
              help="Your shapes file (repeatable): your shapes alone, nothing of haberkg "
                   "added (unless --profile is given too).")
@click.option("--ontology", "ontology_paths", multiple=True, type=click.Path(path_type=Path),
              help="Ontology files added to the data graph (class hierarchy for sh:class "
                   "and targets).")
@click.option("--format", "fmt", default="text", show_default=True,
              type=click.Choice(["text", "json", "junit", "github", "shacl"]),
              help="Report format; shacl is the W3C validation report as Turtle.")
@click.option("--fail-on", type=click.Choice(["violation", "warning", "info"]),
              default="violation", show_default=True,
              help="The least severe result that makes validation fail (exit 1).")
@click.option("--advanced", is_flag=True,
              help="SHACL Advanced Features (rules, SPARQL targets and functions).")
@click.option("--base", "base_iri", default=None, metavar="IRI",
              help="Base IRI for relative IRIs (default: each file's own file: IRI).")
@click.option("--context", "contexts", multiple=True, metavar="URL=FILE",
              help="Use a local copy of a remote JSON-LD context (repeatable; the "
                   "schema.org context ships with haberkg).")
@click.option("--max-bytes", type=click.IntRange(min=1), default=None,
              help="Largest input file in bytes (default 256 MiB, or HABERKG_MAX_BYTES).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None,
              metavar="SECONDS", help="Stop the whole validation after this many seconds "
              "(exit 2); it runs in a child process that is killed at the limit.")
@click.option("--check-shapes", is_flag=True,
              help="Also validate the shapes graph against the W3C SHACL-SHACL shapes "
                   "(exit 2 if it is not a valid shapes graph).")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], profile: str | None,
             shapes_paths: tuple[Path, ...], ontology_paths: tuple[Path, ...], fmt: str,
             fail_on: str, advanced: bool, base_iri: str | None, contexts: tuple[str, ...],
             max_bytes: int | None, timeout: float | None, check_shapes: bool) -> None:
    """Validate RDF files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) with SHACL.

    PATHS are files or folders (a folder means the RDF files in it). Every file is
    read; one that cannot be parsed is reported (and makes the exit code 2) while the
    others are still validated. Without PATHS, validates the haberkg release graph
    built from the sources.
    """
    from haberkg.checks import validate as v
    from haberkg.sources.read import DEFAULT_MAX_BYTES

    confine(ctx)
    limit = max_bytes or int(os.environ.get("HABERKG_MAX_BYTES", DEFAULT_MAX_BYTES))
    project = _project()
    if profile is None and not shapes_paths:
        profile = "haberkg" if project.editable or not paths else "schemaorg"
    options = v.Options(shapes=shapes_paths, ontology=ontology_paths, profile=profile,
                        advanced=advanced, fail_on=fail_on.capitalize(), base_iri=base_iri,
                        contexts=_contexts(contexts), max_bytes=limit,
                        check_shapes=check_shapes)

    def work() -> tuple[str, int]:
        from haberkg.checks import report as reports

        if paths:
            outcome = v.validate_files(list(paths), options, project)
        else:
            outcome = _validate_release(project, options)
        code = EXIT_ERROR if outcome.errors else 0 if outcome.conforms else 1
        return reports.render(outcome, fmt), code

    text, code = v.bounded(timeout, work)
    click.echo(text, nl=False)
    if code:
        sys.exit(code)


def _validate_release(project: Any, options: Any) -> Any:
    """The haberkg release graph, built from the sources, against the haberkg shapes (or
    the --shapes given)."""
    from haberkg.checks import report as reports
    from haberkg.checks import validate as v
    from haberkg.checks.assemble import release_of
    from haberkg.checks.shapes import validate as run_shacl
    from haberkg.sources.read import to_rdflib

    if options.shapes:
        shapes = v.load_shapes(list(options.shapes), options)
    else:
        shapes = v.project_shapes(project)
    if options.check_shapes:
        v.check_shapes(shapes)
    report = run_shacl(to_rdflib(release_of(project).plain), shapes, advanced=options.advanced)
    return reports.Outcome(report, [], options.fail_on, 1)


# ---------------------------------------------------------------------- query

@cli.command(epilog=EPILOG)
@click.argument("query", required=False)
@click.option("--list", "list_", is_flag=True, help="List the competency queries.")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples"]),
              help="Output format (turtle or ntriples for CONSTRUCT/DESCRIBE).")
@click.option("--endpoint", default=None, metavar="URL",
              help="Run on this SPARQL endpoint instead of the embedded store.")
@click.option("--lang", type=click.Choice(["en", "tr"]), default="en", show_default=True,
              help="Language of the questions shown by --list.")
@click.option("--graph", default=DATASET_GRAPH, show_default=True, metavar="IRI",
              help="With --endpoint: the named graph holding the release (see `load`).")
@click.option("--default-graph", is_flag=True,
              help="With --endpoint: the release is in the store's default graph.")
@click.option("--article", "article_id", default=None, metavar="ID",
              help="Run on this article's graph (the article with the shared entities), "
                   "and find NAME among its questions.")
@click.pass_context
def query(ctx: click.Context, query: str | None, list_: bool, fmt: str, endpoint: str | None,
          lang: str, graph: str, default_graph: bool, article_id: str | None) -> None:
    """Run a competency query by NAME or number, or any SPARQL .rq FILE.

    NAME is a file name of a corpus question (queries/) or of an article's question
    (data/articles/ID/queries/) without .rq (01-who-met-whom), or its number (01).
    Without --article the query runs on the whole corpus.
    """
    from haberkg.sparql import run
    from haberkg.sparql.files import QueryFile

    project = _project()
    if article_id is not None:
        project = project.scoped(article_id)
    if list_:
        for path in project.query_files:
            qf = QueryFile.read(path)
            click.echo(f"{qf.name:<40} {qf.questions.get(lang, '')}")
        return
    if not query:
        raise click.UsageError("give a query NAME or FILE, or --list")
    qf = QueryFile.read(_resolve_query(project, query))
    if endpoint:
        result = run.run_remote(endpoint, qf, None if default_graph else graph)
    else:
        from haberkg.checks.assemble import release_of

        confine(ctx)
        result = run.run_local(release_of(project).store(), qf)
    click.echo(_render_result(result, fmt), nl=False)


def _resolve_query(project: Any, name: str) -> Path:
    path = Path(name)
    if path.suffix == ".rq" or path.exists():
        return path
    matches = [p for p in project.query_files if p.stem == name or p.stem.startswith(name + "-")]
    if len(matches) != 1:
        known = ", ".join(p.stem for p in project.query_files)
        raise InputError(f"no single competency query named '{name}' (known: {known}; "
                         "--article ID picks an article's)")
    return Path(matches[0])


def _render_result(result: Any, fmt: str) -> str:
    import pyoxigraph as ox

    from haberkg import serialise
    from haberkg.media import result_by_name
    from haberkg.sparql.results import Table, serialize

    if isinstance(result, bool):
        if fmt in ("json", "xml", "csv", "tsv"):
            return serialize(_boolean(result), result_by_name(fmt).format).decode("utf-8")
        return "yes\n" if result else "no\n"
    if isinstance(result, list):
        if fmt not in ("turtle", "ntriples", "table"):
            raise InputError(f"--format {fmt} is for SELECT and ASK queries; CONSTRUCT and "
                             "DESCRIBE give --format turtle or ntriples")
        rdf = ox.RdfFormat.N_TRIPLES if fmt == "ntriples" else ox.RdfFormat.TURTLE
        return serialise.to_bytes(result, rdf).decode("utf-8")
    assert isinstance(result, Table)
    if fmt in ("turtle", "ntriples"):
        raise InputError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries")
    if fmt == "table":
        return result.text()
    return serialize(result.solutions(), result_by_name(fmt).format).decode("utf-8")


def _boolean(value: bool) -> Any:
    """A pyoxigraph ASK answer with this value (pyoxigraph writes the W3C formats)."""
    import pyoxigraph as ox

    return ox.Store().query("ASK {}" if value else "ASK { FILTER(false) }")


# ---------------------------------------------------------------------- reason

@cli.command(epilog=EPILOG)
@click.option("--format", "fmt", type=click.Choice(["text", "turtle"]), default="text",
              show_default=True, help="text: a readable summary; turtle: the inferred triples.")
@click.pass_context
def reason(ctx: click.Context, fmt: str) -> None:
    """Check consistency with HermiT and show what it infers."""
    import pyoxigraph as ox

    from haberkg import serialise
    from haberkg.checks.assemble import release_of
    from haberkg.checks.reasoning import reason as run_reasoner
    from haberkg.namespaces import compact

    confine(ctx)
    release = release_of(_project())
    result = run_reasoner(release.reasoning_input)
    if not result.consistent:
        raise CheckFailed("HermiT finds the ontology and data inconsistent")
    if fmt == "turtle":
        click.echo(serialise.to_bytes(result.inferred, ox.RdfFormat.TURTLE).decode(), nl=False)
        return
    click.echo(f"consistent: yes ({result.input_triples} triples given to HermiT)")
    click.echo(f"inferred:   {len(result.class_assertions())} class assertions, "
               f"{len(result.inferred) - len(result.class_assertions())} property assertions")
    current = None
    for t in result.inferred:
        if t.subject != current:
            current = t.subject
            click.echo(compact(t.subject.value))
        obj = compact(t.object.value) if isinstance(t.object, ox.NamedNode) else str(t.object)
        pred = "a" if t.predicate.value.endswith("#type") else compact(t.predicate.value)
        click.echo(f"    {pred} {obj}")


# ---------------------------------------------------------------------- serve

def _server_extra() -> None:
    try:
        import jinja2  # noqa: F401
        import mimeparse  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise InputError(f"this command needs the server extra ({exc.name} is missing): "
                         "pip install 'haberkg[server]'") from None


@cli.command(epilog=EPILOG)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--dist", "dist", type=click.Path(path_type=Path), default=None,
              help="The release to serve (default: dist/ in the project).")
@click.option("--timeout", default=10.0, show_default=True,
              type=click.FloatRange(min=0, min_open=True),
              help="Time limit of a query in seconds (parsing, planning and evaluation).")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Query worker processes.")
@click.option("--per-client", default=2, show_default=True, type=click.IntRange(1, 64),
              help="Queries one client may have running or waiting (more get 429).")
@click.option("--base-url", default="https://w3id.org/haberkg/", show_default=True,
              help="Public base IRI of the dataset: BASE-URL + X is served at /X.")
@click.option("--forwarded-allow-ips", default=None, metavar="IPS",
              help="Trust X-Forwarded-For/-Proto only from these proxy addresses "
                   "(comma-separated; default: trust no one).")
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]),
              default="info", show_default=True, help="Log level (access log at info).")
@click.option("--no-sandbox", is_flag=True,
              help="Run query workers even where they cannot be cut off from the network.")
def serve(host: str, port: int, dist: Path | None, timeout: float, workers: int,
          per_client: int, base_url: str, forwarded_allow_ips: str | None, log_level: str,
          no_sandbox: bool) -> None:
    """Serve the built release: SPARQL endpoint, resource pages, downloads.

    Resource IRIs https://w3id.org/haberkg/id/NAME are served at /id/NAME (303 to the
    HTML page or the data, by the Accept header); the ontology at /ontology.
    """
    _server_extra()
    from haberkg.web.app import Config, create_app
    from haberkg.web.server import run_server

    sock = _bind(host, port)
    app = create_app(dist or _project().default_dist, Config(
        dist or _project().default_dist, base_url=base_url, query_timeout=timeout,
        workers=workers, per_client=per_client, sandbox=not no_sandbox))
    click.echo(f"serving on http://{host}:{port}/  (SPARQL: http://{host}:{port}/sparql)",
               err=True)
    run_server(app, sock, log_level=log_level, forwarded_allow_ips=forwarded_allow_ips)


def _bind(host: str, port: int) -> Any:
    """The listening socket, bound before anything else (a busy port is one line)."""
    import socket

    try:
        return socket.create_server((host, port), reuse_port=False)
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------- load / publish

@cli.command(epilog=EPILOG)
@click.option("--to", "store", required=True, metavar="URL",
              help="Graph Store HTTP Protocol endpoint (e.g. http://host:7878/store).")
@click.option("--graph", default=DATASET_GRAPH, show_default=True,
              metavar="IRI", help="Named graph to replace (use --default-graph for none).")
@click.option("--default-graph", is_flag=True, help="Replace the default graph instead.")
@click.option("--user", default=None, help="User name (the password is prompted for).")
@click.option("--password", default=None, help="Password (prefer the prompt or --auth-env).")
@click.option("--auth-env", default=None, metavar="VAR",
              help="Read USER:PASSWORD from this environment variable.")
@click.option("--dist", "dist", type=click.Path(path_type=Path), default=None,
              help="The release to load (default: dist/ in the project).")
@click.option("--bulk-dir", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="Virtuoso: load with its bulk loader from DIR, a folder the server may "
                   "read (in its DirsAllowed).")
@click.option("--isql", "isql_address", default="127.0.0.1:1111", show_default=True,
              metavar="HOST:PORT", help="Virtuoso's SQL port, for --bulk-dir.")
@click.option("--isql-command", default="isql-vt", show_default=True,
              help="Virtuoso's isql client, for --bulk-dir.")
def load(store: str, graph: str, default_graph: bool, user: str | None, password: str | None,
         auth_env: str | None, dist: Path | None, bulk_dir: Path | None, isql_address: str,
         isql_command: str) -> None:
    """Upload the release to a SPARQL 1.1 store, replacing one graph, and verify it.

    Sends dist/haberkg.nt with the Graph Store HTTP Protocol (PUT, which replaces the
    graph in one request, sent once), then reads the graph back and compares it with
    the release. Credentials are used for HTTP basic or digest authentication and
    never printed.

    With --bulk-dir (Virtuoso, for large releases): the file is copied into DIR and
    loaded by Virtuoso's bulk loader through isql (the graph cleared first, so not in
    one step), then read back and compared the same way; the same credentials log in to
    isql, which takes them on its command line.
    """
    from haberkg.store.gsp import load as gsp_load
    from haberkg.store.virtuoso import bulk_load

    auth: tuple[str, str] | None = None
    if auth_env:
        value = os.environ.get(auth_env)
        if not value or ":" not in value:
            raise InputError(f"environment variable {auth_env} must hold USER:PASSWORD")
        name, _, secret = value.partition(":")
        auth = (name, secret)
    elif user:
        auth = (user, password if password is not None else
                click.prompt(f"password for {user}", hide_input=True, err=True))
    release = (dist or _project().default_dist) / "haberkg.nt"
    if bulk_dir is not None:
        if default_graph:
            raise InputError("--bulk-dir loads a named graph: give --graph, not "
                             "--default-graph")
        result = bulk_load(release, store, graph, auth, bulk_dir, isql_address, isql_command)
    else:
        result = gsp_load(release, store, None if default_graph else graph, auth)
    click.echo(f"loaded {result.found} triples into "
               f"{'the default graph' if result.graph is None else '<' + result.graph + '>'} "
               f"at {result.url} in {result.seconds:.2f} s (verified)", err=True)


@cli.command(epilog=EPILOG)
@click.option("--static", "static_dir", type=click.Path(path_type=Path), required=True,
              help="Folder to write the static site to (replaced as a whole).")
@click.option("--dist", "dist", type=click.Path(path_type=Path), default=None,
              help="The release to publish (default: dist/ in the project).")
@click.pass_context
def publish(ctx: click.Context, static_dir: Path, dist: Path | None) -> None:
    """Write the site as static files: pages, every format of every resource, dumps, VoID.

    The web root is DIR/site/; its SPARQL page runs queries in the browser (Oxigraph
    compiled to WebAssembly) over the release files. The 303 content-negotiation rules
    are written for nginx beside the web root (DIR/nginx.conf inside server {},
    DIR/nginx-http.conf inside http {}), for Apache (DIR/site/.htaccess, AllowOverride
    All) and for Netlify (DIR/site/_redirects).
    """
    _server_extra()
    from haberkg.atomic import output_folder
    from haberkg.web.static_export import SITE_MARKER, export

    project = _project()
    target = output_folder(static_dir, SITE_MARKER, protect=[project.root])
    count = export(dist or project.default_dist, target)
    click.echo(f"wrote {count} files to {_shown(static_dir)}/", err=True)


# ---------------------------------------------------------------------- the corpus

@cli.command("new-article", epilog=EPILOG)
@click.argument("text_file", type=click.Path(path_type=Path))
@click.option("--id", "article_id", required=True, metavar="ID",
              help="The article's id: lowercase ASCII words joined by '-' "
                   "(e.g. 2025-09-04-goktas-aliyev).")
@click.option("--published", required=True, metavar="DATE",
              help="Publication date, YYYY-MM-DD (relative times resolve against it).")
@click.option("--source", "source_url", default=None, metavar="URL",
              help="Where the article was published (schema:url, an External claim).")
def new_article(text_file: Path, article_id: str, published: str,
                source_url: str | None) -> None:
    """Add an article to the corpus: data/articles/ID/ with the text, its metadata and an
    empty facts file.

    The text is copied byte for byte, and refused (with the line and column) if it is
    not UTF-8 or not in Unicode NFC. The metadata (article.ttl) is a schema:NewsArticle
    with the publication date, the source URL, the language and the SHA-256 of the text,
    each with a claim that says how it is known. Prints the next steps.
    """
    from haberkg.sources.new_article import create

    project = _project()
    project.require_editable("haberkg new-article")
    folder = create(project, text_file, article_id, published, source_url)
    shown = _shown(folder)
    click.echo(f"wrote {shown}/ (article.tr.txt, article.ttl, facts.ttl)", err=True)
    click.echo("next:", err=True)
    for step in (
        f"haberkg mentions {article_id} --format turtle   # the known entities in the text",
        f"edit {shown}/facts.ttl: facts, claims and mentions (README: How to add an article)",
        f"edit {shown}/article.ttl: the article's name, what it is about, what it mentions",
        f"add {shown}/queries/NN-question.rq and queries/expected/NN-question.tsv",
        f"haberkg fmt && haberkg check --article {article_id}",
        "haberkg check   # the corpus questions (queries/): add the article's rows to "
        "queries/expected/ by hand",
    ):
        click.echo(f"  {step}", err=True)


@cli.command(epilog=EPILOG)
@click.argument("source")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]),
              default="text", show_default=True,
              help="json: a list of objects (entity, exact, start, end, prefix, suffix, "
                   "kind); turtle: hk:mentionSelector blocks to paste.")
def mentions(source: str, fmt: str) -> None:
    """Find the known entities in a text: SOURCE is a text FILE or an article ID.

    Proposes mentions of the shared entities (data/entities/) with code-point offsets
    of the NFC text, by Turkish rules: suffixes after an apostrophe (Göktaş'ın,
    Bakü'deki), institutions' suffixes without one (Bakanlığının), Turkish case folding
    (I/ı, İ/i), multi-word names, a person's surname alone. Names two entities share
    are listed as ambiguous, and capitalised names no entity has as candidates: never
    mapped by a guess.
    """
    import json

    from haberkg.namespaces import compact
    from haberkg.sources.mentions import common_words, find, names_of, to_text, to_turtle
    from haberkg.sources.read import parse_file, read_text

    project = _project()
    corpus = project.corpus
    path = Path(source)
    if path.is_file() or path.suffix or "/" in source:
        text = read_text(path, what="article text")
    else:
        text = read_text(corpus.article(source).text_path, what="article text")
    names = names_of([q for f in corpus.entity_files for q in parse_file(f)])
    texts = [read_text(a.text_path, what="article text") for a in corpus.articles]
    found = find(text, names, common_words(text, *texts))
    short = {e: compact(e) for f in found for e in f.entities}
    if fmt == "json":
        click.echo(json.dumps([f.as_json() for f in found], ensure_ascii=False, indent=1))
    elif fmt == "turtle":
        click.echo(to_turtle(found, short), nl=False)
    else:
        click.echo(to_text(found, short), nl=False)


# ---------------------------------------------------------------------- fmt / imports

@cli.command(epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True,
              help="Only report files that are not formatted (exit 1), change nothing.")
def fmt(paths: tuple[Path, ...], check_only: bool) -> None:
    """Rewrite the hand-edited Turtle files in the canonical layout (comments kept)."""
    from haberkg.checks.formatting import check_format

    project = _project()
    say = _say(False)
    if check_only:
        check_format(project, list(paths))
        click.echo("all files are formatted", err=True)
        return
    from haberkg.atomic import atomic_write
    from haberkg.sources.read import read_text
    from haberkg.sources.turtle_format import format_turtle

    if not paths:
        project.require_editable("haberkg fmt")
    changed = 0
    for path in list(paths) or project.hand_edited_turtle:
        text = read_text(path)
        new = format_turtle(text, source=_shown(path))
        if new != text:
            atomic_write(path, new.encode("utf-8"))
            changed += 1
            say(f"formatted {_shown(path)}")
    say(f"{changed} file(s) changed")


@cli.command(epilog=EPILOG)
@click.option("--check", "check_only", is_flag=True, help="Only check that the module is current.")
def imports(check_only: bool) -> None:
    """Regenerate ontology/imports/schemaorg-module.ttl from the schema.org vocabulary."""
    from haberkg.atomic import atomic_write
    from haberkg.checks.imports import check_imports, extract_module

    project = _project()
    if check_only:
        check_imports(project)
        click.echo("the schema.org module is up to date", err=True)
        return
    project.require_editable("haberkg imports")
    atomic_write(project.import_module, extract_module(project))
    click.echo(f"wrote {_shown(project.import_module)}", err=True)


# ---------------------------------------------------------------------- entry point

def main(argv: list[str] | None = None) -> None:
    """Run the CLI as a program: confined commands, one-line errors, documented exit codes."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    try:
        cli.main(args=argv, prog_name="haberkg", obj=Settings(confine=True))
    except KeyboardInterrupt:
        sys.exit(130)


def cli_reference() -> str:
    """The --help of every command as Markdown (docs/cli.md)."""
    parts = ["# `haberkg` command reference", "",
             "Generated from `--help` by `python scripts/cli-docs.py`; do not edit.", ""]
    names = ["-h", "--help"]
    with click.Context(cli, info_name="haberkg", terminal_width=88,
                       help_option_names=names) as ctx:
        parts += ["## haberkg", "", "```", cli.get_help(ctx), "```", ""]
        for name in sorted(cli.list_commands(ctx)):
            command = cli.get_command(ctx, name)
            assert command is not None
            with click.Context(command, parent=ctx, info_name=name, terminal_width=88,
                               help_option_names=names) as sub:
                parts += [f"## haberkg {name}", "", "```", command.get_help(sub), "```", ""]
    return "\n".join(parts)
