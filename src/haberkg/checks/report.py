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

from haberkg.checks.shapes import SEVERITIES, Report, Result

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
        current = None
        for r in report.results:
            if r.focus != current:
                current = r.focus
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
    """JUnit XML: one testsuite; violations (and worse than ``fail_on``) are failures,
    lesser results are passing test cases with the message in system-out."""
    cases = []
    failures = 0
    for e in outcome.errors:
        props = f' file={_attr(e.file)}' + (f' line={_attr(e.line)}' if e.line else "")
        cases.append(f'  <testcase classname="haberkg.validate" name={_attr(e.file)}{props}>\n'
                     f'    <error type="syntax" message={_attr(e.message)}/>\n  </testcase>')
    report = outcome.report
    limit = SEVERITIES.index(outcome.fail_on)
    if report is not None:
        for r in report.results:
            props = (f' file={_attr(r.file)}' if r.file else "") + (
                f' line={_attr(r.line)}' if r.line else "")
            name = _attr(f"{r.focus} {r.path}".strip())
            body = _x(escape(f"{r.severity}: {short(r.message)}" + (
                f" (value {short(r.value)})" if r.value else "")))
            if r.severity in SEVERITIES and SEVERITIES.index(r.severity) <= limit:
                failures += 1
                cases.append(f'  <testcase classname={_attr(r.shape)} name={name}{props}>\n'
                             f'    <failure type={_attr(r.component)} message={_attr(r.message)}>'
                             f'{body}</failure>\n  </testcase>')
            else:
                cases.append(f'  <testcase classname={_attr(r.shape)} name={name}{props}>\n'
                             f'    <system-out>{body}</system-out>\n  </testcase>')
        if not report.results:
            cases.append('  <testcase classname="haberkg.validate" name="conforms"/>')
    tests = max(len(cases), 1)
    if not cases:
        cases.append('  <testcase classname="haberkg.validate" name="no input"/>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<testsuites tests="{tests}" failures="{failures}" '
            f'errors="{len(outcome.errors)}">\n'
            f'<testsuite name="haberkg validate" tests="{tests}" failures="{failures}" '
            f'errors="{len(outcome.errors)}" skipped="0">\n'
            + "\n".join(cases) + "\n</testsuite>\n</testsuites>\n")


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
    from haberkg.serialise import graph_to_turtle

    return graph_to_turtle(report.graph).decode("utf-8")
