"""Validation reports for people and for CI systems.

Formats: ``text`` (people), ``json``, ``junit`` (JUnit XML, one test case per result
and per bad file), ``github`` (GitHub Actions workflow commands: ``::error``,
``::warning``, ``::notice`` on the line of the focus node) and ``shacl`` (the W3C
validation report itself, as Turtle, which other tools and the W3C tests compare).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from xml.sax.saxutils import escape, quoteattr

from haberkg.checks.shapes import Report, Result, fails

FORMATS = ("text", "json", "junit", "github", "shacl")
GITHUB_LEVEL = {"Violation": "error", "Warning": "warning", "Info": "notice"}
# Characters XML 1.0 cannot carry at all: replaced by U+FFFD in JUnit output.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass
class FileError:
    """A file that could not be read or parsed (the other files are still validated)."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None


@dataclass
class Outcome:
    report: Report | None
    errors: list[FileError] = field(default_factory=list)
    fail_on: str = "Violation"
    checked: int = 0  # focus nodes the shapes reached (0: "nothing was checked")
    names: dict[str, str] = field(default_factory=dict)  # the prefixes of the user's files

    @property
    def conforms(self) -> bool:
        return self.report is None or self.report.conforms(self.fail_on)


SHOWN = 200  # characters of a value shown in the text, JUnit and GitHub formats


def short(value: str, width: int = SHOWN) -> str:
    """A value as people read it: cut in the middle beyond ``width`` characters."""
    if len(value) <= width:
        return value
    half = width // 2 - 2
    return f"{value[:half]} … {value[-half:]} ({len(value):,} characters)"


def render(outcome: Outcome, fmt: str) -> str:
    return {"text": _text, "json": _json, "junit": _junit, "github": _github,
            "shacl": _shacl}[fmt](outcome)


# ---------------------------------------------------------------------- text

def _text(outcome: Outcome) -> str:
    lines = [f"{e.file}:{_where(e)}error: {e.message}" for e in outcome.errors]
    report = outcome.report
    if report is None:
        return "\n".join(lines) + "\n" if lines else ""
    counts = report.counts()
    summary = ", ".join(f"{n} {s.lower()}{'s' if n != 1 else ''}"
                        for s, n in counts.items() if n)
    if not report.results:
        lines.append(f"Conforms ({report.shapes} shapes)." if outcome.checked else
                     f"Nothing was checked: no shape of the {report.shapes} targets any node "
                     "of the data.")
    else:
        verdict = "Conforms" if outcome.conforms else "Does not conform"
        lines += [f"{verdict}: {summary} from {report.shapes} shapes.", ""]
        current: object = None
        for r in report.results:
            key = (r.focus, r.focus_node, r.file, r.line)  # blank nodes all print as []
            if key != current:
                current = key
                where = f" [{r.file}:{r.line}]" if r.file and r.line else (
                    f" [{r.file}]" if r.file else "")
                lines.append(f"{r.focus}" + (f" ({r.label})" if r.label else "") + where)
            lines += _text_result(r, 1)
    return "\n".join(lines) + "\n"


def _text_result(r: Result, depth: int) -> list[str]:
    pad = "  " * depth
    value = f" value {short(r.value)}" if r.value else ""
    out = [f"{pad}{r.severity}: {r.path or '(node)'}{value}: {short(r.message)}",
           f"{pad}  shape {r.shape}, {r.component}"]
    for d in r.details:
        out += _text_result(d, depth + 2)
    return out


def _where(e: FileError) -> str:
    if e.line is None:
        return " "
    return f"{e.line}:{e.column}: " if e.column is not None else f"{e.line}: "


# ---------------------------------------------------------------------- json

def _plain(r: Result) -> dict[str, object]:
    data = asdict(r)
    data.pop("focus_node", None)
    data["details"] = [_plain(d) for d in r.details]
    return data


def _json(outcome: Outcome) -> str:
    report = outcome.report
    doc: dict[str, object] = {
        "conforms": outcome.conforms and not outcome.errors,
        "errors": [asdict(e) for e in outcome.errors],
    }
    if report is not None:
        doc.update(shapes=report.shapes, counts=report.counts(), checked=outcome.checked,
                   results=[_plain(r) for r in report.results])
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


# ---------------------------------------------------------------------- junit

def _x(value: str) -> str:
    return XML_ILLEGAL.sub("\ufffd", value)


def _attr(value: object) -> str:
    return quoteattr(_x(str(value)))


def _junit(outcome: Outcome) -> str:
    """JUnit XML, valid under the Jenkins xUnit ``junit-10.xsd``: one ``testsuite`` per
    input file (its ``file`` attribute), one ``testcase`` per result, named
    ``file:line: focus path``; results at or above ``fail_on`` are failures, lesser ones
    pass with their message in ``system-out``; a file that cannot be read is a test case
    with an ``error``. No times or timestamps: the same input gives the same bytes."""
    suites: dict[str, list[tuple[str, str]]] = {}  # file -> (kind, testcase XML)
    for e in outcome.errors:
        where = f"{e.file}:{_where(e).strip().rstrip(':')}" if e.line else e.file
        suites.setdefault(e.file, []).append(("error", (
            f'    <testcase classname="haberkg.validate" name={_attr(where + ": bad input")}>\n'
            f'      <error type="bad input" message={_attr(e.message)}>'
            f'{_x(escape(f"{where}: {e.message}"))}</error>\n    </testcase>')))
    report = outcome.report
    if report is not None:
        for r in report.results:
            where = f"{r.file}:{r.line}" if r.file and r.line else (r.file or "")
            name = _attr((f"{where}: " if where else "") + f"{r.focus} {r.path}".strip())
            body = _x(escape((f"{where}: " if where else "") + f"{r.severity}: "
                             f"{short(r.message)}" + (f" (value {short(r.value)})"
                                                      if r.value else "")))
            kind = "failure" if fails(r.severity, outcome.fail_on) else "pass"
            inner = (f'      <failure type={_attr(r.component)} message={_attr(r.message)}>'
                     f'{body}</failure>' if kind == "failure" else
                     f'      <system-out>{body}</system-out>')
            suites.setdefault(r.file or "", []).append((kind, (
                f'    <testcase classname={_attr(r.shape)} name={name}>\n{inner}\n'
                '    </testcase>')))
        if not report.results:
            verdict = "conforms" if outcome.checked else "nothing was checked"
            suites.setdefault("", []).append(("pass", (
                f'    <testcase classname="haberkg.validate" name="{verdict}"/>')))
    if not suites:
        suites[""] = [("pass", '    <testcase classname="haberkg.validate" name="no input"/>')]
    parts, totals = [], {"tests": 0, "failures": 0, "errors": 0}
    for file in sorted(suites):
        cases = suites[file]
        counts = {"tests": len(cases), "failures": sum(k == "failure" for k, _ in cases),
                  "errors": sum(k == "error" for k, _ in cases)}
        for key, n in counts.items():
            totals[key] += n
        attrs = (f'name={_attr("haberkg validate" + (" " + file if file else ""))}'
                 + (f" file={_attr(file)}" if file else "")
                 + "".join(f' {k}="{n}"' for k, n in counts.items()) + ' skipped="0"')
        parts.append(f"  <testsuite {attrs}>\n" + "\n".join(c for _, c in cases)
                     + "\n  </testsuite>")
    head = "".join(f' {k}="{n}"' for k, n in totals.items())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites name="haberkg validate"{head}>\n' + "\n".join(parts)
            + "\n</testsuites>\n")


# ---------------------------------------------------------------------- github

def _gh_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(value: str) -> str:
    return _gh_data(value).replace(":", "%3A").replace(",", "%2C")


def _github(outcome: Outcome) -> str:
    lines = []
    for e in outcome.errors:
        props = [f"file={_gh_prop(e.file)}"]
        if e.line:
            props.append(f"line={e.line}")
        if e.column:
            props.append(f"col={e.column}")
        props.append("title=" + _gh_prop("haberkg validate: bad input"))
        lines.append(f"::error {','.join(props)}::{_gh_data(e.message)}")
    report = outcome.report
    if report is not None:
        for r in report.results:
            props = []
            if r.file:
                props.append(f"file={_gh_prop(r.file)}")
            if r.line:
                props.append(f"line={r.line}")
            props.append(f"title={_gh_prop('SHACL ' + r.shape)}")
            who = r.focus + (f" ({r.label})" if r.label else "") + (f" {r.path}" if r.path
                                                                     else "")
            message = f"{who}: {short(r.message)}" + (
                f" (value {short(r.value)})" if r.value else "")
            level = GITHUB_LEVEL.get(r.severity, "error")
            lines.append(f"::{level} {','.join(props)}::{_gh_data(message)}")
        if not report.results:
            text = (f"Conforms ({report.shapes} shapes)" if outcome.checked else
                    "Nothing was checked: no shape targets any node of the data")
            lines.append(f"::notice title=SHACL::{_gh_data(text)}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- shacl

def _shacl(outcome: Outcome) -> str:
    """The W3C SHACL validation report as Turtle (bad files are not part of it)."""
    report = outcome.report
    if report is None or report.graph is None:
        return ""
    from haberkg.namespaces import RDF, SH, XSD
    from haberkg.serialise import graph_to_turtle

    names = {"sh": SH, "rdf": RDF, "xsd": XSD, **outcome.names}
    return graph_to_turtle(report.graph, names).decode("utf-8")
