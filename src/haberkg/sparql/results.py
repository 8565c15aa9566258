"""SPARQL results as the W3C result formats (JSON, XML, CSV, TSV) and as a table."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def _json_term(t: Term) -> dict[str, str]:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    assert isinstance(t, ox.Literal)
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype.value != XSD_STRING:
        out["datatype"] = t.datatype.value
    return out


def to_json(variables: list[str], rows: Sequence[tuple[Term, ...]]) -> str:
    doc = {"head": {"vars": variables}, "results": {"bindings": [
        {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
        for row in rows]}}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def to_xml(variables: list[str], rows: Sequence[tuple[Term, ...]]) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out += ["</head>", "<results>"]
    for row in rows:
        out.append("<result>")
        for v, t in zip(variables, row, strict=True):
            if t is None:
                continue
            if isinstance(t, ox.NamedNode):
                inner = f"<uri>{escape(t.value)}</uri>"
            elif isinstance(t, ox.BlankNode):
                inner = f"<bnode>{escape(t.value)}</bnode>"
            else:
                assert isinstance(t, ox.Literal)
                if t.language:
                    attr = f" xml:lang={quoteattr(t.language)}"
                elif t.datatype.value != XSD_STRING:
                    attr = f" datatype={quoteattr(t.datatype.value)}"
                else:
                    attr = ""
                inner = f"<literal{attr}>{escape(t.value)}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
        out.append("</result>")
    out += ["</results>", "</sparql>"]
    return "\n".join(out) + "\n"


def boolean(value: bool, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}) + "\n"
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/'
                f'2005/sparql-results#"><head/><boolean>{str(value).lower()}</boolean>'
                "</sparql>\n")
    return ("true" if value else "false") + "\n"


def to_csv(variables: list[str], rows: Sequence[tuple[Term, ...]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else
                         (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value)
                         for t in row])
    return out.getvalue()


def to_tsv(variables: list[str], rows: Sequence[tuple[Term, ...]]) -> str:
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def to_table(variables: list[str], rows: Sequence[tuple[Term, ...]], *, width: int = 60) -> str:
    from haberkg.namespaces import compact

    def cell(t: Term) -> str:
        if t is None:
            return ""
        if isinstance(t, ox.NamedNode):
            return compact(t.value)
        if isinstance(t, ox.Literal):
            return t.value + (f"@{t.language}" if t.language else "")
        return str(t)

    def fit(v: str, w: int) -> str:
        return v if len(v) <= w else v[: w - 1] + "…"

    cells = [[cell(t) for t in row] for row in rows]
    widths = [min(width, max([len(v)] + [len(r[i]) for r in cells]))
              for i, v in enumerate(variables)]
    lines = ["  ".join(fit(v, w).ljust(w) for v, w in zip(variables, widths, strict=True)
                       ).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(fit(v, w).ljust(w) for v, w in zip(r, widths, strict=True)).rstrip()
              for r in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(lines) + "\n"


WRITERS = {"json": to_json, "xml": to_xml, "csv": to_csv, "tsv": to_tsv}
