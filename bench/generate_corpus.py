"""A synthetic corpus for the benchmarks: N articles in the corpus layout, from the real one.

Usage: python bench/generate_corpus.py --articles N --out DIR [--seed S] [--violation-every M]

DIR becomes a project root (ontology/, shapes/, queries/qc/, data/entities/,
data/articles/<id>/) on which ``HABERKG_ROOT=DIR haberkg check`` (and ``build``,
``check --article ID``) run. What is in it:

* article 1 is the real article (data/articles/2025-09-04-goktas-aliyev), unchanged, with
  its competency questions and their expected answers;
* articles 2..N (ids ``synthetic-00002`` ...) are copies of the real article's facts with
  the same classes, properties, claims, evidence and mentions (the same grounding
  density), and
  - fresh IRIs: every resource the article describes (``hkd:X``) becomes ``hkd:X-nK``
    (``hkd:article`` becomes ``hkd:article-synthetic-K``), while the shared entities of
    data/entities/ (people, countries, ministries, offices, projects) are reused as they are;
  - a fresh text: the real text followed by one generated paragraph (words drawn with the
    seed), and its SHA-256 in the metadata;
  - fresh values: every English literal carries the article's number (the corpus check
    refuses two resources with one English name);
  - no competency questions of their own (they would repeat the real article's);
* the corpus questions of queries/ (c01-c03) are left out: their expected answers are those
  of the real corpus. bench/run.py runs them on every engine and compares the answers.

Left out of the synthetic articles: the two statements of the real article that give a
shared entity a value it may have only once (the ministry's schema:location, the Azerbaijani
minister's office's hk:firstBilateralForeignVisit), with the evidence that covers them: a
copy in every article would break the shapes' sh:maxCount 1.

Deliberate violations (SHACL Core, which the claim and grounding checks let through, so
every validator has the same thing to find): the article with number K (2 <= K <= N) gets
one when ``K % M == M // 2`` (M = --violation-every, default 250: four per thousand
articles, the first in article 125), in a file ``violation.ttl`` of its own, the two kinds
taking turns (kind ``(K // M) % 2``):

* ``event-second-location``: its meeting gets a second ``schema:location`` (hkd:istanbul);
  one result: focus ``hkd:meeting-of-goktas-and-aliyev-nK``, path schema:location,
  sh:MaxCountConstraintComponent (shape hks:Event-location);
* ``signing-second-signatory``: Aliyev's signing gets a second ``hk:signatory``
  (hkd:mahinur-ozdemir-goktas); one result: focus
  ``hkd:signing-of-the-declaration-by-aliyev-nK``, path hk:signatory,
  sh:MaxCountConstraintComponent (shape hks:Signing-signatory).

``--list-violations`` prints them (article id, kind, focus node, path, constraint component) as
JSON lines (the same list is written to DIR/violations.jsonl); the
benchmark compares every validator's results with that list. The output is byte-identical
for the same N, seed and M. DIR must not exist yet; it is written beside itself and renamed
into place when complete.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REAL_ID = "2025-09-04-goktas-aliyev"
HKD = "https://w3id.org/haberkg/id/"
WORDS = ("aile", "çocuk", "bakanlık", "işbirliği", "toplantı", "proje", "bildiri", "ziyaret",
         "sosyal", "hizmet", "koruma", "heyet", "program", "destek", "eğitim", "kurum",
         "ülke", "ortak", "çalışma", "görüşme", "yıl", "dönem", "gelişme", "alan")
# kind: (the article's resource, the property, a second value where the shapes allow one)
VIOLATIONS = {
    "event-second-location": ("meeting-of-goktas-and-aliyev", "schema:location", "istanbul"),
    "signing-second-signatory": ("signing-of-the-declaration-by-aliyev", "hk:signatory",
                                 "mahinur-ozdemir-goktas"),
}
KINDS = tuple(VIOLATIONS)
PLACE = "QQQQQ"
DIGEST = "x" * 64
PREFIXES = """@prefix hk: <https://w3id.org/haberkg/ontology#> .
@prefix hkd: <https://w3id.org/haberkg/id/> .
@prefix schema: <https://schema.org/> .
"""


def article_id(number: int) -> str:
    return REAL_ID if number == 1 else f"synthetic-{number:05d}"


def violation_kind(number: int, every: int) -> str | None:
    if number < 2 or every <= 0 or number % every != every // 2:
        return None
    return KINDS[(number // every) % len(KINDS)]


def violations(count: int, every: int) -> list[dict[str, str]]:
    """The deliberate violations of a corpus of ``count`` articles, with their focus nodes."""
    found = []
    for number in range(2, count + 1):
        kind = violation_kind(number, every)
        if kind is None:
            continue
        subject, prop, _ = VIOLATIONS[kind]
        found.append({"article": article_id(number), "kind": kind,
                      "focus": f"{HKD}{subject}-n{number:05d}",
                      "path": prop.replace("schema:", "https://schema.org/").replace(
                          "hk:", "https://w3id.org/haberkg/ontology#"),
                      "component": "http://www.w3.org/ns/shacl#MaxCountConstraintComponent"})
    return found


def subjects(paths: list[Path]) -> set[str]:
    """The hkd: names described (as subjects) in these Turtle files."""
    import pyoxigraph as ox

    names: set[str] = set()
    for path in paths:
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            subject = triple.subject
            if isinstance(subject, ox.NamedNode) and subject.value.startswith(HKD):
                names.add(subject.value[len(HKD):])
    return names


def paragraph(rng: random.Random, number: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    return (f"Bu paragraf kıyaslama için üretildi ({number:05d}): "
            + " ".join(words) + ".")


# Statements of the real article that give a shared entity a value it may have only once
# (sh:maxCount 1): a copy in every article would break the shapes, so the synthetic
# articles leave them out, with the evidence that covers them.
ONCE = (("ministry-of-family-and-social-services", "schema:location"),
        ("role-aliyev-minister", "hk:firstBilateralForeignVisit"))


def drop(body: str, subject: str, prop: str) -> str:
    """``body`` without ``prop`` on ``hkd:subject`` and the evidence that covers only it."""
    blocks = re.split(r"(?m)^(?=\S)", body)
    for i, block in enumerate(blocks):
        if not block.startswith(f"hkd:{subject} "):
            continue
        block = re.sub(rf"(?m)^    {re.escape(prop)} hkd:[A-Za-z0-9_-]+ ;\n", "", block)
        block = re.sub(rf",\n    \[\n        hk:covers {re.escape(prop)} ;\n"
                       r"(?:        [^\n]*\n)*?        [^\n]*\] (?=[.,])", "", block)
        blocks[i] = block
    return "".join(blocks)


def template(real: Path, shared: set[str]) -> dict[str, str]:
    """The real article's Turtle files as a template of a synthetic one: its own resources
    renamed to ``NAME-nQQQQQ``, its English literals tagged with the article number
    (``QQQQQ``), its text digest a placeholder; formatted as ``haberkg fmt`` writes them
    (the number has a fixed width, so the formatting holds for every number)."""
    from haberkg.sources.turtle_format import format_turtle

    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(real.glob("*.ttl"))}
    local = subjects([real / name for name in files]) - shared
    names = sorted(local, key=lambda n: (-len(n), n))
    alternatives = "|".join(re.escape(n) for n in names)
    # hkd:NAME (where no further name character follows) or the full IRI
    pattern = re.compile(rf"(hkd:|<{re.escape(HKD)})({alternatives})"
                         r"(?![A-Za-z0-9_.-]*[A-Za-z0-9_-])")

    def rename(m: re.Match[str]) -> str:
        name = m.group(2)
        return m.group(1) + ("article-synthetic-" + PLACE if name == "article"
                             else f"{name}-n{PLACE}")

    def tag(block: str) -> str:
        first = re.match(r"hkd:([A-Za-z0-9_-]+)", block)
        if first and first.group(1) in shared:  # a shared entity keeps its values
            return block
        return re.sub(r'"((?:[^"\\\n]|\\.)*)"@en\b',
                      lambda m: f'"{m.group(1)} (synthetic article {PLACE})"@en', block)

    out = {}
    for name, body in files.items():
        for subject, prop in ONCE:
            body = drop(body, subject, prop)
        blocks = re.split(r"(?m)^(?=\S)", body)
        body = "".join(tag(b) for b in blocks)
        body = pattern.sub(rename, body)
        body = re.sub(r'hk:textSha256 "[0-9a-f]{64}"', f'hk:textSha256 "{DIGEST}"', body)
        out[name] = format_turtle(body, source=name)
    return out


def synthetic(files: dict[str, str], text: str, number: int, rng: random.Random,
              every: int) -> dict[str, bytes]:
    from haberkg.sources.turtle_format import format_turtle

    new_text = text.rstrip("\n") + "\n\n" + paragraph(rng, number) + "\n"
    digest = hashlib.sha256(new_text.encode("utf-8")).hexdigest()
    place = f"{number:05d}"
    out: dict[str, bytes] = {"article.tr.txt": new_text.encode("utf-8")}
    for name, body in files.items():
        out[name] = body.replace(PLACE, place).replace(DIGEST, digest).encode("utf-8")
    kind = violation_kind(number, every)
    extra = None
    if kind is not None:
        subject, prop, value = VIOLATIONS[kind]
        extra = (f"# A deliberate violation of the benchmark corpus ({kind}).\n\n" + PREFIXES
                 + f"\nhkd:{subject}-n{place} {prop} hkd:{value} .\n")
    if extra is not None:
        out["violation.ttl"] = format_turtle(extra, source="violation.ttl").encode("utf-8")
    return out


def generate(count: int, out: Path, seed: int, every: int) -> None:
    if count < 1:
        raise SystemExit("generate_corpus.py: --articles must be at least 1")
    if out.exists():
        raise SystemExit(f"generate_corpus.py: {out} exists already (give a new folder)")
    staging = out.with_name(f".{out.name}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for folder in ("ontology", "shapes"):
        shutil.copytree(ROOT / folder, staging / folder)
    shutil.copytree(ROOT / "queries" / "qc", staging / "queries" / "qc")
    shutil.copytree(ROOT / "data" / "entities", staging / "data" / "entities")
    real = ROOT / "data" / "articles" / REAL_ID
    articles = staging / "data" / "articles"
    shutil.copytree(real, articles / REAL_ID)
    shared = subjects(sorted((ROOT / "data" / "entities").glob("*.ttl")))
    files = template(real, shared)
    text = (real / "article.tr.txt").read_text(encoding="utf-8")
    rng = random.Random(seed)
    for number in range(2, count + 1):
        folder = articles / article_id(number)
        folder.mkdir()
        for name, data in synthetic(files, text, number, rng, every).items():
            (folder / name).write_bytes(data)
    (staging / "violations.jsonl").write_text(
        "".join(json.dumps(v, ensure_ascii=False, sort_keys=True) + "\n"
                for v in violations(count, every)), encoding="utf-8")
    staging.rename(out)


def replicate_release(release: Path, count: int, every: int, out: Path) -> int:  # noqa: C901
    """The plain graph of a built release of the real article alone (``release``, N-Triples)
    replicated the way :func:`generate` replicates the sources: written to ``out`` as the
    plain graph of ``count`` articles, with the same deliberate violations. Returns the
    number of triples written.

    A triple belongs to the article when it holds one of the article's own IRIs (an
    ``hkd:`` IRI that is not a shared entity, sentences and claims included) or a blank
    node connected to one; each synthetic article gets a renamed copy of those (blank nodes
    relabelled), the rest (ontology, shared entities) is written once. This skips building
    N articles (about 20 s each here) to get a release-sized graph for the parse, validate
    and query benchmarks; the English literals keep their value (nothing there compares
    names), and the added paragraph of the synthetic texts has no sentence node.
    """
    import pyoxigraph as ox

    shared = subjects(sorted((ROOT / "data" / "entities").glob("*.ttl")))
    once = {(HKD + s, p.replace("schema:", "https://schema.org/").replace(
        "hk:", "https://w3id.org/haberkg/ontology#")) for s, p in ONCE}
    triples = list(ox.parse(path=str(release), format=ox.RdfFormat.N_TRIPLES))

    def local(term: object) -> bool:
        return (isinstance(term, ox.NamedNode) and term.value.startswith(HKD)
                and term.value[len(HKD):] not in shared)

    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in triples:
        blanks = [n.value for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)]
        for b in blanks[1:]:
            parent[find(b)] = find(blanks[0])
        for b in blanks:
            find(b)
    marked = {find(n.value) for t in triples if local(t.subject) or local(t.object)
              for n in (t.subject, t.object) if isinstance(n, ox.BlankNode)}

    def owned(t: ox.Triple) -> bool:
        return (local(t.subject) or local(t.object)
                or any(isinstance(n, ox.BlankNode) and find(n.value) in marked
                       for n in (t.subject, t.object)))

    def renamed(term: object) -> str:
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}n{PLACE}"
        if local(term):
            assert isinstance(term, ox.NamedNode)
            name = term.value[len(HKD):]
            return (f"<{HKD}article-synthetic-{PLACE}>" if name == "article"
                    else f"<{HKD}{name}-n{PLACE}>")
        return str(term)

    # the left-out statements go with their reifications, claims and annotations
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    about: dict[str, dict[str, str]] = {}
    for t in triples:
        if t.predicate.value in (rdf + "subject", rdf + "predicate"):
            about.setdefault(str(t.subject), {})[t.predicate.value] = t.object.value
    gone = {node for node, parts in about.items()
            if (parts.get(rdf + "subject"), parts.get(rdf + "predicate")) in once}
    for link in ("https://w3id.org/haberkg/ontology#statement", "http://www.w3.org/ns/oa#hasBody"):
        gone |= {str(t.subject) for t in triples
                 if t.predicate.value == link and str(t.object) in gone}
    prefixes = tuple(g[:-1] for g in gone)  # an annotation's target and selectors

    def dropped(t: ox.Triple) -> bool:
        if isinstance(t.subject, ox.NamedNode) and (t.subject.value, t.predicate.value) in once:
            return True
        return any(str(n) in gone or str(n).startswith(prefixes) for n in (t.subject, t.object))

    article = [t for t in triples if owned(t) and not dropped(t)]
    block = "".join(f"{renamed(t.subject)} {t.predicate} {renamed(t.object)} .\n"
                    for t in article)
    written = 0
    with out.open("w", encoding="utf-8") as target:
        target.write("".join(f"{t} .\n" for t in triples))
        written += len(triples)
        for number in range(2, count + 1):
            place = f"{number:05d}"
            target.write(block.replace(PLACE, place))
            written += len(article)
            kind = violation_kind(number, every)
            if kind is not None:
                subject, prop, value = VIOLATIONS[kind]
                iri = prop.replace("schema:", "https://schema.org/").replace(
                    "hk:", "https://w3id.org/haberkg/ontology#")
                target.write(f"<{HKD}{subject}-n{place}> <{iri}> <{HKD}{value}> .\n")
                written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--violation-every", type=int, default=250)
    parser.add_argument("--release-graph", type=Path,
                        help="with --out FILE: write FILE, the plain graph of this release "
                        "of the real article (N-Triples) replicated to N articles, instead "
                        "of a corpus")
    parser.add_argument("--list-violations", action="store_true",
                        help="print the deliberate violations (JSON lines) and write nothing")
    ns = parser.parse_args()
    if ns.list_violations:
        for v in violations(ns.articles, ns.violation_every):
            print(json.dumps(v, ensure_ascii=False, sort_keys=True))
        return
    if ns.out is None:
        parser.error("--out is required")
    if ns.release_graph is not None:
        written = replicate_release(ns.release_graph, ns.articles, ns.violation_every, ns.out)
        print(f"{written} triples written to {ns.out}", file=sys.stderr)
        return
    generate(ns.articles, ns.out, ns.seed, ns.violation_every)
    print(f"{ns.articles} articles written to {ns.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
