"""pySHACL's SPARQL queries on the data graph, evaluated by pyoxigraph.

pySHACL evaluates each SHACL-SPARQL constraint once per focus node, and some core
constraints (``sh:equals``, ``sh:disjoint``, ``sh:lessThan``, ``sh:lessThanOrEquals``,
``sh:closed``, SPARQL-based constraint components) through SPARQL too, all with rdflib's
engine. On 10 articles (61,434 triples) those queries took 83 of the 96 seconds of a
validation. While pySHACL runs, :func:`on_oxigraph` hands every query on the data graph
to a pyoxigraph store holding the same triples:

* the variables pySHACL pre-binds (``$this``, ``$value``, ``$currentShape``) are given as
  pyoxigraph substitutions (SEP-0007), which replace the variable throughout the query as
  SHACL 1.0 section 5.3.1 defines pre-binding;
* pyoxigraph gets no prefixes beside the text (the guard judges prefixed names by the
  declarations it reads): a query that relies on the data graph's namespaces, which
  rdflib offers, stays with rdflib (:func:`declares_its_prefixes`);
* every text goes through the guard first (:func:`haberkg.sparql.run.check`, once per
  distinct text), and pyoxigraph runs exactly the checked text;
* answers come back as the data graph's own rdflib terms (lexical forms as written), so
  reports, messages and values are the ones rdflib gave; where pyoxigraph would hold a
  literal otherwise than written, the queries that could tell stay with rdflib
  (:meth:`Mirror._read_back_literals`);
* a query pyoxigraph's substitutions would answer otherwise than SHACL's pre-binding
  (:func:`same_under_substitution`) keeps rdflib.

Only queries on the graph being validated are handed over, and only while it cannot
change: not with SHACL-AF rules (``advanced``), which add triples as they run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pyoxigraph as ox
import rdflib

from haberkg.serialise import term_from_rdflib
from haberkg.sparql import guard
from haberkg.sparql import run as sparql_run

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[rdflib.Variable, rdflib.term.Node]
THIS = rdflib.Variable("this")
# solution modifiers that work across rows: with one of them, the answer for one focus
# node is not the rows of the answer for all of them
ACROSS_ROWS = frozenset({"LIMIT", "OFFSET", "ORDER", "GROUP", "HAVING", "COUNT", "SUM", "MIN",
                         "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})
MAX_FREE_ROWS = 200_000
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def same_under_substitution(text: str, names: frozenset[str]) -> bool:
    """Whether pyoxigraph's substitutions give this query SHACL's pre-binding.

    pyoxigraph 0.5 substitutes a variable in patterns and most expressions, but not
    everywhere SHACL 1.0 section 5.3.1 does: ``bound($this)`` in a nested group is folded
    to false and ``BIND ($this AS ?that)`` is read as a rename before the value is known
    (the W3C tests pre-binding-003 to 005). Where a pre-bound variable is also bound by a
    triple pattern of the top-level group, substituting it and joining with it give the
    same answers, so pyoxigraph is given the query only when every pre-bound variable

    * occurs in a triple pattern of the top-level group (outside parentheses), and
    * occurs elsewhere only in that group's expressions, in ``EXISTS`` / ``NOT EXISTS``
      patterns, or in ``OPTIONAL`` groups of the top-level group;

    and the query has no ``BOUND``, no subquery, no pre-bound variable inside a ``BIND``,
    and is a SELECT or an ASK. Anything else stays with rdflib.
    """
    toks = guard.tokens(text)
    stack: list[str] = []  # the open groups: top, exists, optional, other
    parens = 0
    bind_at: int | None = None  # the paren depth a BIND's expression opened at
    in_pattern: set[str] = set()
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "KEYWORD" else ""
        if word in ("BOUND", "CONSTRUCT", "DESCRIBE") or (word == "SELECT" and stack):
            return False
        if word == "BIND":
            bind_at = parens
        elif tok.kind == "PUNCT" and tok.text == "{":
            stack.append(_group_kind(stack, toks[i - 1].text.upper() if i else ""))
        elif tok.kind == "PUNCT" and tok.text == "}":
            if stack:
                stack.pop()
        elif tok.kind == "PUNCT" and tok.text == "(":
            parens += 1
        elif tok.kind == "PUNCT" and tok.text == ")":
            parens -= 1
            if bind_at is not None and parens <= bind_at:
                bind_at = None
        elif tok.kind == "VAR" and tok.text[1:] in names and stack:
            if bind_at is not None or stack[-1] == "other":
                return False
            if stack == ["top"] and parens == 0:
                in_pattern.add(tok.text[1:])
    return names <= in_pattern


def declares_its_prefixes(text: str) -> bool:
    """Whether every prefix the query uses is declared in its own text.

    rdflib offers a query the data graph's namespaces as well; pyoxigraph is given no
    prefixes beside the text (the guard judges prefixed names by the declarations it
    reads), so a query that relies on the graph's namespaces stays with rdflib.
    """
    toks = guard.tokens(text)
    declared: set[str] = set()
    for i, tok in enumerate(toks):
        if tok.kind == "KEYWORD" and tok.text.upper() == "PREFIX" and i + 1 < len(toks):
            declared.add(toks[i + 1].text)
        elif tok.kind in ("PNAME_LN", "PNAME_NS") and (
                i == 0 or toks[i - 1].text.upper() != "PREFIX") and \
                tok.text.split(":", 1)[0] + ":" not in declared:
            return False
    return True


def asks_for_datatypes(text: str) -> bool:
    """Whether a query can tell "56"^^xsd:nonNegativeInteger from "56"^^xsd:integer."""
    return any(tok.kind == "KEYWORD" and tok.text.upper() in ("DATATYPE", "SAMETERM")
               for tok in guard.tokens(text))


def _group_kind(stack: list[str], before: str) -> str:
    if not stack:
        return "top"
    if "exists" in stack or before == "EXISTS":
        return "exists"
    return "optional" if before == "OPTIONAL" and stack == ["top"] else "other"


class Declined(Exception):
    """pyoxigraph cannot answer this query as pySHACL asks it: rdflib will."""


class Mirror:
    """The triples of an rdflib graph in a pyoxigraph store, and the way back to the
    graph's own terms."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph
        self.forward: dict[rdflib.term.Node, Term] = {}
        self.back: dict[Term, rdflib.term.Node] = {}
        self.checked: dict[str, guard.Prepared] = {}
        self.declined: set[str] = set()
        self.fits: dict[tuple[str, frozenset[str]], bool] = {}
        self.free: dict[str, tuple[list[rdflib.Variable], dict[rdflib.term.Node, list[Row]]]
                        | None] = {}
        self.store = ox.Store()
        self.store.bulk_extend(self._quads())
        self.lexical_forms_kept = self.datatypes_kept = True
        self._read_back_literals()

    def _quads(self) -> Iterator[ox.Quad]:
        term = self.term
        for s, p, o in self.graph:
            yield ox.Quad(term(s), term(p), term(o))  # type: ignore[arg-type]

    def _read_back_literals(self) -> None:
        """Map the literals as the store holds them back to the graph's own.

        pyoxigraph stores numbers, booleans and dates as values: "01"^^xsd:integer comes
        back as "1" (another RDF term, another STR()), and a value of a type derived from
        xsd:integer as an xsd:integer ("56"^^xsd:nonNegativeInteger as "56"^^xsd:integer).
        Where a lexical form would change, or two of the graph's literals would become one,
        every query stays with rdflib (``lexical_forms_kept``); where only derived integer
        types widen, a query that asks for a datatype or for term identity does
        (``datatypes_kept``).
        """
        written = [t for t in self.back if isinstance(t, ox.Literal)
                   and (t.language or t.datatype.value != XSD_STRING)]
        scratch = ox.Store()
        scratch.bulk_extend(ox.Quad(ox.NamedNode(f"urn:x-literal:{i}"), ox.NamedNode("urn:x-v"),
                                    literal) for i, literal in enumerate(written))
        widened: dict[Term, rdflib.term.Node] = {}
        for quad in scratch:
            original = written[int(quad.subject.value.rpartition(":")[2])]
            stored = quad.object
            if stored == original:
                continue
            assert isinstance(stored, ox.Literal)
            if stored.value != original.value or stored in self.back or stored in widened:
                self.lexical_forms_kept = False
                return
            widened[stored] = self.back[original]
            self.datatypes_kept = False
        self.back.update(widened)

    def term(self, node: rdflib.term.Node) -> Term:
        found = self.forward.get(node)
        if found is None:
            found = self.forward[node] = term_from_rdflib(node)
            self.back.setdefault(found, node)
        return found

    def node(self, term: object) -> rdflib.term.Node:
        """The graph's own term for a pyoxigraph term (a new one if the query made it)."""
        found: rdflib.term.Node | None = self.back.get(term)  # type: ignore[call-overload]
        if found is not None:
            return found
        if isinstance(term, ox.NamedNode):
            return rdflib.URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return rdflib.BNode(term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return rdflib.Literal(term.value, lang=term.language)
            if term.datatype.value == XSD_STRING:
                return rdflib.Literal(term.value)
            return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
        raise TypeError(f"pyoxigraph returned a {type(term).__name__}, which SHACL has no "
                        "use for")

    def query(self, text: str, bindings: Mapping[str, Any], base: str | None
              ) -> dict[str, object]:
        """A query as rdflib's SPARQL processor would answer it (its result mapping), or
        :class:`Declined`."""
        prepared = self.checked.get(text)
        if prepared is None:
            prepared = self.checked[text] = sparql_run.check(text)
            sparql_run.dataset_of(prepared, ())  # FROM names a graph this store lacks
        if not self.lexical_forms_kept or any(isinstance(v, rdflib.Literal)
                                              for v in bindings.values()):
            raise Declined  # a literal pyoxigraph would hold otherwise than written
        key = (text, frozenset(map(str, bindings)))
        fits = self.fits.get(key)
        if fits is None:
            fits = self.fits[key] = same_under_substitution(prepared.text, key[1]) and (
                self.datatypes_kept or not asks_for_datatypes(prepared.text)) and \
                declares_its_prefixes(prepared.text)
        if not fits:
            raise Declined
        if key[1] == {"this"}:
            grouped = self._by_focus(text, prepared.text, base)
            if grouped is not None:
                variables, rows = grouped
                return {"type_": "SELECT", "vars_": variables,
                        "bindings": rows.get(bindings["this"], [])}
        try:
            answer = self.store.query(
                prepared.text, base_iri=base or None,
                substitutions={ox.Variable(str(k)): self.term(v) for k, v in bindings.items()})
        except RuntimeError:
            # pyoxigraph substitutes only variables the query projects (SHACL pre-binds
            # $value in "SELECT $this" too): such a text stays with rdflib
            self.declined.add(text)
            raise Declined from None
        return self._mapping(answer)

    def _by_focus(self, text: str, checked: str, base: str | None
                  ) -> tuple[list[rdflib.Variable], dict[rdflib.term.Node, list[Row]]] | None:
        """The answers for every focus node at once: the query run once with ``$this``
        free, its rows grouped by ``?this``.

        Where ``$this`` is bound by a triple pattern of the top-level group (what
        :func:`same_under_substitution` asks for), the answer with ``$this`` pre-bound to
        a node is the free answer's rows with that ``?this``, unless a solution modifier
        works across rows: LIMIT, OFFSET, ORDER BY, GROUP BY, HAVING and aggregates keep
        the query per focus node, as does a free answer over :data:`MAX_FREE_ROWS` rows.
        So does EXISTS: pyoxigraph 0.5 evaluates an EXISTS pattern for each row without the
        row's values pushed into it, which made one constraint of haberkg's shapes take
        14.6 s free on 100 articles against 0.17 ms a focus node pre-bound.
        """
        if text in self.free:
            return self.free[text]
        self.free[text] = None
        if any(t.kind == "KEYWORD" and t.text.upper() in (*ACROSS_ROWS, "EXISTS")
               for t in guard.tokens(checked)):
            return None
        try:
            answer = self.store.query(checked, base_iri=base or None)
        except RuntimeError:  # refused free as pyoxigraph reads it: per focus node, then
            return None
        if not isinstance(answer, ox.QuerySolutions) or \
                "this" not in [v.value for v in answer.variables]:
            return None
        names = [v.value for v in answer.variables]
        variables = [rdflib.Variable(n) for n in names]
        rows: dict[rdflib.term.Node, list[Row]] = {}
        for count, solution in enumerate(answer):
            if count >= MAX_FREE_ROWS:
                return None
            row = self._row(solution, names, variables)
            rows.setdefault(row[THIS], []).append(row)
        self.free[text] = (variables, rows)
        return self.free[text]

    def _row(self, solution: ox.QuerySolution, names: list[str],
             variables: list[rdflib.Variable]) -> Row:
        row: Row = {}
        for name, variable in zip(names, variables, strict=True):
            value = solution[name]
            if value is not None:
                row[variable] = self.node(value)
        return row

    def _mapping(self, answer: object) -> dict[str, object]:
        if isinstance(answer, ox.QueryBoolean):
            return {"type_": "ASK", "askAnswer": bool(answer)}
        if isinstance(answer, ox.QuerySolutions):
            names = [v.value for v in answer.variables]
            variables = [rdflib.Variable(n) for n in names]
            return {"type_": "SELECT", "vars_": variables,
                    "bindings": [self._row(s, names, variables) for s in answer]}
        assert isinstance(answer, ox.QueryTriples)
        built = rdflib.Graph()
        for triple in answer:
            built.add((self.node(triple.subject), self.node(triple.predicate),
                       self.node(triple.object)))
        return {"type_": "CONSTRUCT", "graph": built}


@contextmanager
def on_oxigraph(data: rdflib.Graph) -> Iterator[Mirror]:
    """While this lasts, SPARQL queries on ``data`` run on a pyoxigraph copy of it.

    Call what runs pySHACL through :func:`haberkg.sparql.run.deep_stack`: pyoxigraph's
    parser recurses on the native stack.
    """
    from rdflib.plugins.sparql.processor import SPARQLResult

    mirror = Mirror(data)
    original = data.query

    def query(query_object, processor="sparql", result="sparql",  # type: ignore[no-untyped-def]
              initNs=None, initBindings=None, use_store_provided=True, **kwargs):
        if isinstance(query_object, str) and processor == "sparql" and result == "sparql" \
                and query_object not in mirror.declined and set(kwargs) <= {"base"}:
            try:
                if not initNs:  # prefixes given to the query: rdflib's to honour
                    return SPARQLResult(mirror.query(query_object, initBindings or {},
                                                     kwargs.get("base")))
            except Declined:
                pass
        return original(query_object, processor, result, initNs, initBindings,
                        use_store_provided, **kwargs)

    data.query = query  # type: ignore[method-assign]
    try:
        yield mirror
    finally:
        del data.query
