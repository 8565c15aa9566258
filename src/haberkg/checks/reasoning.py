"""OWL 2 DL reasoning with HermiT (through owlready2), offline.

The reasoner sees the ontology, the schema.org module and the facts (not the
provenance, which describes the data rather than the world). HermiT does not support
``xsd:date``, ``xsd:gYear`` and ``xsd:gYearMonth`` (they are not in the OWL 2 datatype
map), so literals of those types are handed to it as plain strings, and ranges of those
types as ``rdfs:Literal``; no axiom of the ontology depends on them.
``rdf:langString`` (RDF 1.1) is given as its OWL 2 counterpart ``rdf:PlainLiteral``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from haberkg.errors import InputError, InternalError
from haberkg.namespaces import HKD, OWL, RDF, RDFS, XSD

OWL2_UNSUPPORTED = {XSD + "date", XSD + "gYear", XSD + "gYearMonth", XSD + "dateTime"}
TYPE = ox.NamedNode(RDF + "type")


@dataclass
class Reasoning:
    consistent: bool
    inferred: list[ox.Triple]
    input_triples: int

    def class_assertions(self) -> list[ox.Triple]:
        return [t for t in self.inferred if t.predicate == TYPE]


def prepare(triples: list[ox.Triple]) -> list[ox.Triple]:
    out = []
    for t in triples:
        obj = t.object
        if isinstance(obj, ox.Literal) and obj.datatype.value in OWL2_UNSUPPORTED:
            obj = ox.Literal(obj.value)
        if isinstance(obj, ox.NamedNode) and obj.value in OWL2_UNSUPPORTED:
            obj = ox.NamedNode(RDFS + "Literal")  # e.g. a range of xsd:date
        if obj == ox.NamedNode(RDF + "langString"):
            obj = ox.NamedNode(RDF + "PlainLiteral")  # HermiT predates RDF 1.1
        if t.predicate.value == OWL + "imports":
            continue  # never let the reasoner fetch anything
        out.append(ox.Triple(t.subject, t.predicate, obj))
    return out


def _launcher(folder: Path, java: str) -> str:
    """An executable that starts ``java`` tied to this process (:mod:`haberkg.procs`)."""
    script = folder / "java"
    script.write_text("#!/bin/sh\nexec " + " ".join(shlex.quote(a) for a in (
        sys.executable, "-m", "haberkg.procs", java, str(os.getpid()))) + ' "$@"\n')
    script.chmod(0o755)
    return str(script)


def reason(triples: list[ox.Triple]) -> Reasoning:
    """Check consistency with HermiT and return the inferred triples (sorted)."""
    java = shutil.which("java")
    if java is None:
        raise InputError("Java is needed for the HermiT reasoner: install a JRE 11+ "
                         "(Debian/Ubuntu: apt-get install default-jre-headless)")
    import owlready2  # imported late: it is slow to import and opens a quadstore

    prepared = prepare(triples)
    with tempfile.TemporaryDirectory(prefix="haberkg-reason-") as tmp:
        source = Path(tmp) / "input.nt"
        source.write_bytes(ox.serialize(prepared, format=ox.RdfFormat.N_TRIPLES) or b"")
        world = owlready2.World()
        onto = world.get_ontology(source.as_uri()).load(format="ntriples")
        previous = owlready2.JAVA_EXE
        owlready2.JAVA_EXE = _launcher(Path(tmp), java) if os.name == "posix" else java
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=True,
                                               debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            return Reasoning(consistent=False, inferred=[], input_triples=len(prepared))
        except owlready2.OwlReadyJavaError as exc:
            message = " ".join(str(exc).split("Exception:", 1)[-1].split())[:300]
            raise InternalError("the HermiT reasoner (Java) failed: " + (message or "java error")
                                ) from exc
        finally:
            owlready2.JAVA_EXE = previous
        inferred = _entailed(world, prepared)
        world.close()
    known = set(prepared)
    new = sorted({t for t in inferred if t not in known and _meaningful(t)}, key=str)
    return Reasoning(consistent=True, inferred=new, input_triples=len(prepared))


def _entailed(world: object, triples: list[ox.Triple]) -> list[ox.Triple]:
    """Class and super-property assertions entailed by the hierarchy HermiT classified.

    owlready2 keeps only the most specific types of an individual; the ancestors of those
    types, and the super-properties of every asserted property, are what a SPARQL user
    needs materialised (``?x a schema:Event`` for a signing, ``schema:attendee`` for a
    guest).
    """
    import owlready2

    out: list[ox.Triple] = []
    individuals = sorted({t.subject.value for t in triples
                          if t.predicate == TYPE and t.subject.value.startswith(HKD)})
    for iri in individuals:
        ind = world[iri]  # type: ignore[index]
        if ind is None or not hasattr(ind, "INDIRECT_is_a"):
            continue
        subject = ox.NamedNode(iri)
        for cls in ind.INDIRECT_is_a:
            if isinstance(cls, owlready2.ThingClass) and cls is not owlready2.Thing:
                out.append(ox.Triple(subject, TYPE, ox.NamedNode(cls.iri)))
    supers: dict[str, list[str]] = {}
    for t in triples:
        if not t.subject.value.startswith(HKD):
            continue
        p = t.predicate.value
        if p not in supers:
            prop = world[p]  # type: ignore[index]
            kinds = (owlready2.ObjectPropertyClass, owlready2.DataPropertyClass)
            supers[p] = sorted(a.iri for a in prop.ancestors() if a is not prop
                               and isinstance(a, kinds) and not a.iri.startswith((OWL, RDF))
                               ) if isinstance(prop, kinds) else []
        for sup in supers[p]:
            out.append(ox.Triple(t.subject, ox.NamedNode(sup), t.object))
    return out


def _meaningful(t: ox.Triple) -> bool:
    if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
        return False
    if t.predicate == TYPE and t.object.value in (OWL + "Thing", OWL + "NamedIndividual"):
        return False
    return not t.subject.value.startswith("http://inferrences")
