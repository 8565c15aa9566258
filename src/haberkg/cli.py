"""The ``haberkg`` command.

Exit codes: 0 success (the data conforms), 1 a check failed (violations, failed
queries, files not formatted), 2 bad input or an internal error.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import click
import pyoxigraph as ox

from haberkg import __version__
from haberkg.errors import EXIT_ERROR, EXIT_VIOLATIONS, CheckFailed, HaberkgError, InputError
from haberkg.sources.project import Project
from haberkg.sources.read import display_path
from haberkg.sparql import run as sparql

ISSUES_URL = "https://github.com/haberkg/haberkg/issues"
DATASET_GRAPH = "https://w3id.org/haberkg/dataset"
EPILOG = ("Exit codes: 0 success / conforms, 1 violations or failed checks, "
          "2 bad input or error.")


def _project() -> Project:
    return Project.discover()


def _say(quiet: bool) -> Callable[[str], None]:
    def say(message: str) -> None:
        if not quiet:
            click.echo(message, err=True)
    return say


class HaberkgGroup(click.Group):
    """A click group that turns every error into one line and a documented exit code."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except HaberkgError as exc:
            click.echo(exc.located() if exc.path else f"haberkg: {exc.located()}", err=True)
            ctx.exit(exc.exit_code)
        except RecursionError:
            click.echo("haberkg: input nested too deeply to process", err=True)
            ctx.exit(EXIT_ERROR)
        except BrokenPipeError:  # `haberkg query … | head`: the reader has had enough
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(0)
        except Exception as exc:  # noqa: BLE001 - the last line of defence: never a traceback
            first = str(exc).splitlines()[0] if str(exc) else ""
            click.echo(f"haberkg: internal error: {type(exc).__name__}: {first}. Please report "
                       f"it at {ISSUES_URL} with the command you ran.", err=True)
            ctx.exit(EXIT_ERROR)
        return None


@click.group(cls=HaberkgGroup, epilog=EPILOG,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="haberkg")
def cli() -> None:
    """Build, check, query and validate the haberkg knowledge graph.

    Every command reads its sources from the project folders (ontology/, data/,
    shapes/, queries/) and never uses the network.
    """


# ---------------------------------------------------------------------- build / check

@cli.command(epilog=EPILOG)
@click.option("--dist", "dist", type=click.Path(path_type=Path), default=None,
              help="Output folder (default: dist/ in the project).")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also list the files written.")
def build(dist: Path | None, quiet: bool, verbose: bool) -> None:
    """Check everything, then write the release to dist/.

    Steps: parse every source strictly, ground every statement in the article text,
    validate with SHACL, reason with HermiT, run the competency and QC queries; then
    write the release files (Turtle, N-Triples, JSON-LD, RDF/XML, TriG with one named
    graph per claim, the inferred graph, the shapes, the validation report, VoID/DCAT
    with sizes and checksums). dist/ is replaced only when every step passed.
    """
    from haberkg.checks.pipeline import run_checks, summary
    from haberkg.release.write import write_release
    from haberkg.sources.read import output_folder

    say = _say(quiet)
    project = _project()
    target = output_folder(dist or project.root / "dist", "SHA256SUMS",
                           protect=[project.root / sub for sub in
                                    ("ontology", "data", "shapes", "queries")])
    start = time.perf_counter()
    outcome = run_checks(project, say)
    t0 = time.perf_counter()
    files = write_release(outcome, target)
    say(f"{'write ' + display_path(target) + '/':<34} {time.perf_counter() - t0:6.2f} s")
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
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def check(endpoint: str | None, graph: str, default_graph: bool, quiet: bool) -> None:
    """Everything CI needs, writing nothing: syntax, format, imports, grounding,
    SHACL, reasoning and queries."""
    from haberkg.checks.pipeline import check_imports, run_checks, summary

    say = _say(quiet)
    project = _project()
    start = time.perf_counter()
    _fmt_check(project, [], say)
    check_imports(project)
    outcome = run_checks(project, say)
    if endpoint:
        _check_endpoint(project, endpoint, None if default_graph else graph, say)
    if not quiet:
        for line in summary(outcome):
            click.echo(line, err=True)
        click.echo(f"checked in {time.perf_counter() - start:.2f} s", err=True)


def _check_endpoint(project: Project, endpoint: str, graph: str | None,
                    say: Callable[[str], None]) -> None:
    failures = []
    for path in project.query_files:
        qf = sparql.QueryFile.read(path)
        actual = sparql.run_remote(endpoint, qf, graph)
        expected = sparql.read_expected(project.expected_file(path))
        if not isinstance(actual, sparql.Table):
            failures.append(f"{qf.shown}: not a SELECT result")
            continue
        problems = sparql.compare(actual, expected, ordered=qf.ordered)
        if problems:
            failures.append(f"{qf.shown}: " + "; ".join(problems[:3]))
    if failures:
        raise CheckFailed(f"queries failed on {endpoint}:\n" + "\n".join(failures))
    say(f"all {len(project.query_files)} competency queries agree on {endpoint}")


# ---------------------------------------------------------------------- validate

@cli.command(epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--shapes", "shapes_paths", multiple=True, type=click.Path(path_type=Path),
              help="Shapes file (repeatable). Default: the haberkg shapes.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]),
              default="text", show_default=True, help="Report format.")
def validate(paths: tuple[Path, ...], shapes_paths: tuple[Path, ...], fmt: str) -> None:
    """Validate RDF files (Turtle, TriG, N-Triples, JSON-LD, RDF/XML) against SHACL shapes.

    Without PATHS, validates the haberkg release graph built from the sources. The
    haberkg ontology and its schema.org module are added to the data graph so that
    sh:class and sh:targetClass see the class hierarchy.
    """
    from haberkg.checks import shapes as shacl
    from haberkg.release.assemble import release_of
    from haberkg.sources.read import to_rdflib

    project = _project()
    if shapes_paths:
        shapes, count = shacl.load_shapes(list(shapes_paths))
    else:
        shapes, count = shacl.project_shapes(project)
    if paths:
        report = shacl.validate_files(list(paths), shapes, count, shacl.ontology_graph(project))
    else:
        report = shacl.run(to_rdflib(release_of(project).plain), shapes, count)
    click.echo(shacl.render(report, fmt), nl=False)
    if not report.conforms:
        sys.exit(EXIT_VIOLATIONS)


# ---------------------------------------------------------------------- query

@cli.command(epilog=EPILOG)
@click.argument("query", required=False)
@click.option("--list", "list_", is_flag=True, help="List the competency queries.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "turtle"]),
              default="table", show_default=True,
              help="Output format (turtle for CONSTRUCT/DESCRIBE).")
@click.option("--endpoint", default=None, metavar="URL",
              help="Run on this SPARQL endpoint instead of the embedded store.")
@click.option("--lang", type=click.Choice(["en", "tr"]), default="en", show_default=True,
              help="Language of the questions shown by --list.")
@click.option("--graph", default=DATASET_GRAPH, show_default=True, metavar="IRI",
              help="With --endpoint: the named graph holding the release (see `load`).")
@click.option("--default-graph", is_flag=True,
              help="With --endpoint: the release is in the store's default graph.")
def query(query: str | None, list_: bool, fmt: str, endpoint: str | None, lang: str,
          graph: str, default_graph: bool) -> None:
    """Run a competency query by NAME or number, or any SPARQL .rq FILE.

    NAME is a file name under queries/ without .rq (01-who-met-whom) or its number (01).
    """
    project = _project()
    if list_:
        for path in project.query_files:
            qf = sparql.QueryFile.read(path)
            click.echo(f"{qf.name:<40} {qf.questions.get(lang, '')}")
        return
    if not query:
        raise click.UsageError("give a query NAME or FILE, or --list")
    qf = sparql.QueryFile.read(_resolve_query(project, query))
    if endpoint:
        result = sparql.run_remote(endpoint, qf, None if default_graph else graph)
    else:
        from haberkg.release.assemble import release_of
        from haberkg.sources.read import to_store

        release = release_of(project)
        store = to_store(ox.Quad(t.subject, t.predicate, t.object) for t in release.plain)
        result = sparql.run_local(store, qf)
    click.echo(_render_result(result, fmt), nl=False)


def _resolve_query(project: Project, name: str) -> Path:
    path = Path(name)
    if path.suffix == ".rq" or path.exists():
        return path
    matches = [p for p in project.query_files if p.stem == name or p.stem.startswith(name + "-")]
    if len(matches) != 1:
        known = ", ".join(p.stem for p in project.query_files)
        raise InputError(f"no single competency query named '{name}' (known: {known})")
    return matches[0]


def _render_result(result: sparql.Table | bool | list[ox.Triple], fmt: str) -> str:
    from haberkg.release import serialise as rdfio
    from haberkg.sparql import results

    if isinstance(result, bool):
        return results.boolean(result, fmt) if fmt == "json" else ("yes\n" if result else "no\n")
    if isinstance(result, list):
        if fmt not in ("turtle", "table"):
            raise InputError(f"--format {fmt} is for SELECT and ASK queries; CONSTRUCT and "
                             "DESCRIBE give --format turtle")
        return rdfio.to_bytes(result, ox.RdfFormat.TURTLE).decode("utf-8")
    if fmt == "turtle":
        raise InputError("--format turtle is for CONSTRUCT and DESCRIBE queries")
    if fmt == "table":
        return results.to_table(result.variables, result.rows)
    return results.WRITERS[fmt](result.variables, result.rows)


# ---------------------------------------------------------------------- reason

@cli.command(epilog=EPILOG)
@click.option("--format", "fmt", type=click.Choice(["text", "turtle"]), default="text",
              show_default=True, help="text: a readable summary; turtle: the inferred triples.")
def reason(fmt: str) -> None:
    """Check consistency with HermiT and show what it infers."""
    from haberkg.checks.reasoning import reason as run_reasoner
    from haberkg.namespaces import compact
    from haberkg.release import serialise as rdfio
    from haberkg.release.assemble import release_of

    release = release_of(_project())
    result = run_reasoner(release.reasoning_input)
    if not result.consistent:
        raise CheckFailed("HermiT finds the ontology and data inconsistent")
    if fmt == "turtle":
        click.echo(rdfio.to_bytes(result.inferred, ox.RdfFormat.TURTLE).decode(), nl=False)
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

@cli.command(epilog=EPILOG)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port to listen on.")
@click.option("--dist", "dist", type=click.Path(path_type=Path), default=None,
              help="The release to serve (default: dist/ in the project).")
@click.option("--timeout", default=10.0, show_default=True,
              type=click.FloatRange(min=0, min_open=True), help="Query time limit in seconds.")
@click.option("--base-url", default="https://w3id.org/haberkg/", show_default=True,
              help="Public base IRI of the dataset: BASE-URL + X is served at /X.")
def serve(host: str, port: int, dist: Path | None, timeout: float, base_url: str) -> None:
    """Serve the built release: SPARQL endpoint, resource pages, downloads.

    Resource IRIs https://w3id.org/haberkg/id/NAME are served at /id/NAME (303 to the
    HTML page or the data, by the Accept header); the ontology at /ontology.
    """
    import socket

    import uvicorn

    from haberkg.web.app import create_app

    try:  # bind first: a busy port is a one-line error, not a server log
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    app = create_app(dist or _project().root / "dist", query_timeout=timeout, base_url=base_url)
    click.echo(f"serving on http://{host}:{port}/  (SPARQL: http://{host}:{port}/sparql)",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


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
def load(store: str, graph: str, default_graph: bool, user: str | None, password: str | None,
         auth_env: str | None, dist: Path | None) -> None:
    """Upload the release to a SPARQL 1.1 store, replacing one graph, and verify it.

    Sends dist/haberkg.nt with the Graph Store HTTP Protocol (PUT, which replaces the
    graph in one request), then reads the graph back and counts its triples.
    Credentials are used for HTTP basic or digest authentication and never printed.
    """
    import os

    from haberkg.store.gsp import load as gsp_load

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
    release = (dist or _project().root / "dist") / "haberkg.nt"
    result = gsp_load(release, store, None if default_graph else graph, auth)
    click.echo(f"loaded {result.found} triples into "
               f"{'the default graph' if result.graph is None else '<' + result.graph + '>'} "
               f"at {result.url} in {result.seconds:.2f} s (verified)", err=True)


@cli.command(epilog=EPILOG)
@click.option("--static", "static_dir", type=click.Path(path_type=Path), required=True,
              help="Folder to write the static site to (replaced as a whole).")
@click.option("--dist", "dist", type=click.Path(path_type=Path), default=None,
              help="The release to publish (default: dist/ in the project).")
def publish(static_dir: Path, dist: Path | None) -> None:
    """Write the site as static files: pages, every format of every resource, dumps, VoID.

    Also writes the 303 content-negotiation rules for Apache (.htaccess), Netlify
    (_redirects) and nginx (nginx.conf). The SPARQL endpoint needs `haberkg serve`.
    """
    from haberkg.sources.read import output_folder
    from haberkg.web.static_export import SITE_MARKER, export

    project = _project()
    target = output_folder(static_dir, SITE_MARKER, protect=[project.root])
    count = export(dist or project.root / "dist", target)
    click.echo(f"wrote {count} files to {display_path(static_dir)}/", err=True)


# ---------------------------------------------------------------------- fmt / imports

@cli.command(epilog=EPILOG)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", "check_only", is_flag=True,
              help="Only report files that are not formatted (exit 1), change nothing.")
def fmt(paths: tuple[Path, ...], check_only: bool) -> None:
    """Rewrite the hand-edited Turtle files in the canonical layout (comments kept)."""
    project = _project()
    say = _say(False)
    if check_only:
        _fmt_check(project, list(paths), say)
        click.echo("all files are formatted", err=True)
        return
    from haberkg.sources.read import atomic_write, read_text
    from haberkg.sources.turtle_format import format_turtle

    changed = 0
    for path in list(paths) or project.hand_edited_turtle:
        text = read_text(path)
        new = format_turtle(text, source=display_path(path))
        if new != text:
            atomic_write(path, new.encode("utf-8"))
            changed += 1
            say(f"formatted {display_path(path)}")
    say(f"{changed} file(s) changed")


def _fmt_check(project: Project, paths: list[Path], say: Callable[[str], None]) -> None:
    from haberkg.sources.read import parse_file, read_text
    from haberkg.sources.turtle_format import format_turtle

    bad = []
    for path in paths or project.hand_edited_turtle:
        parse_file(path)  # syntax first, with its location
        text = read_text(path)
        if format_turtle(text, source=display_path(path)) != text:
            bad.append(display_path(path))
    if bad:
        raise CheckFailed("not formatted (run `haberkg fmt`): " + ", ".join(bad))


@cli.command(epilog=EPILOG)
@click.option("--check", "check_only", is_flag=True, help="Only check that the module is current.")
def imports(check_only: bool) -> None:
    """Regenerate ontology/imports/schemaorg-module.ttl from the schema.org vocabulary."""
    from haberkg.checks.pipeline import check_imports
    from haberkg.sources.read import atomic_write
    from haberkg.sources.schemaorg import extract_module

    project = _project()
    if check_only:
        check_imports(project)
        click.echo("the schema.org module is up to date", err=True)
        return
    path = project.root / "ontology" / "imports" / "schemaorg-module.ttl"
    atomic_write(path, extract_module(project))
    click.echo(f"wrote {display_path(path)}", err=True)


# ---------------------------------------------------------------------- entry point

def main(argv: list[str] | None = None) -> None:
    """Run the CLI; errors become one line on stderr and a documented exit code."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10000))
    try:
        cli.main(args=argv, prog_name="haberkg")
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
