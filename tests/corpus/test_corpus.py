"""A corpus of two fictional articles that share entities: every check passes, the release
holds one graph and one file per article, and the corpus rules refuse what they must.

The expected values are read off the test articles (their texts and publication dates),
never from the program's output.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from haberkg.cli import cli

from ..conftest import select
from .conftest import A, B

HKD = "https://w3id.org/haberkg/id/"
OA = "http://www.w3.org/ns/oa#"
SCHEMA = "https://schema.org/"
ARTICLE_A = HKD + "article-" + A
ARTICLE_B = HKD + "article-" + B


def _line(path: Path, needle: str) -> int:
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.index(needle)) + 1


def _append(path: Path, turtle: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + turtle, encoding="utf-8")


@pytest.fixture
def built(corpus: Path, runner: CliRunner) -> Path:
    result = runner.invoke(cli, ["build", "-q", "--dist", str(corpus / "dist")])
    assert result.exit_code == 0, result.stderr
    return corpus / "dist"


def _plain(dist: Path) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(ox.parse(path=str(dist / "haberkg.nt"), format=ox.RdfFormat.N_TRIPLES))
    return store


def test_the_corpus_passes_every_check(corpus: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 0, result.stderr
    assert f"  {A}" in result.stderr and f"  {B}" in result.stderr
    assert "corpus            2 articles, 4 shared entities" in result.stderr
    assert "queries           2 corpus, 0 of the articles, 11 QC passed" in result.stderr


def test_the_release_holds_a_graph_and_a_file_per_article(built: Path) -> None:
    plain = {q.triple for q in ox.parse(path=str(built / "haberkg.nt"),
                                        format=ox.RdfFormat.N_TRIPLES)}
    dataset = list(ox.parse(path=str(built / "haberkg-articles.trig"), format=ox.RdfFormat.TRIG))
    graphs = {q.graph_name for q in dataset}
    assert graphs == {ox.DefaultGraph(), ox.NamedNode(ARTICLE_A), ox.NamedNode(ARTICLE_B),
                      ox.NamedNode(HKD + "dataset-entities")}  # named by its VoID subset
    assert {q.triple for q in dataset} == plain  # the graphs together are the plain graph
    for article, own, other in ((A, "test-port-project", "test-pier-of-yesilkopru"),
                                (B, "test-pier-of-yesilkopru", "test-port-project")):
        part = {q.triple for q in ox.parse(path=str(built / "articles" / f"{article}.ttl"),
                                           format=ox.RdfFormat.TURTLE)}
        subjects = {t.subject.value for t in part}
        assert HKD + own in subjects and HKD + other not in subjects
        # the shared entity is described in each article's file, so that it stands alone
        assert ox.Triple(ox.NamedNode(HKD + "test-ayse-yildirim"), ox.NamedNode(SCHEMA + "name"),
                         ox.Literal("Ayşe Yıldırım", language="tr")) in part
    void = ox.Store()
    void.bulk_extend(ox.parse(path=str(built / "void.ttl"), format=ox.RdfFormat.TURTLE))
    rows = select(void, """
        SELECT ?root ?dump WHERE {
          <https://w3id.org/haberkg/id/dataset> <http://rdfs.org/ns/void#subset> ?s .
          ?s <http://rdfs.org/ns/void#rootResource> ?root ;
             <http://rdfs.org/ns/void#dataDump> ?dump }""")
    assert sorted((r["root"].value, r["dump"].value) for r in rows) == [
        (ARTICLE_A, f"https://w3id.org/haberkg/dist/articles/{A}.ttl"),
        (ARTICLE_B, f"https://w3id.org/haberkg/dist/articles/{B}.ttl")]
    sums = (built / "SHA256SUMS").read_text(encoding="ascii")
    assert f"  articles/{A}.ttl\n" in sums and f"  articles/{B}.ttl\n" in sums


def test_a_shared_entity_is_described_once_and_mentioned_in_both(built: Path) -> None:
    store = _plain(built)
    rows = select(store, f"""
        SELECT ?article ?exact WHERE {{
          ?a <{OA}motivatedBy> <{OA}identifying> ; <{OA}hasBody> <{HKD}test-ayse-yildirim> ;
             <{OA}hasTarget> ?t .
          ?t <{OA}hasSource> ?article ; <{OA}hasSelector> ?q .
          ?q <{OA}exact> ?exact }}""")
    # A: "Ayşe Yıldırım" and "Yıldırım," ; B: "Bakan Yıldırım,"
    assert sorted((r["article"].value, r["exact"].value) for r in rows) == [
        (ARTICLE_A, "Ayşe Yıldırım"), (ARTICLE_A, "Yıldırım"), (ARTICLE_B, "Yıldırım")]
    names = select(store, f"SELECT ?n WHERE {{ <{HKD}test-ayse-yildirim> <{SCHEMA}name> ?n }}")
    assert len(names) == 2  # tr and en, from data/entities/ only


def test_last_month_resolves_against_each_articles_date(built: Path) -> None:
    # A is published on 2025-03-10, B on 2025-11-20: "geçen ay" is 2025-02 and 2025-10
    rows = select(_plain(built), f"""
        SELECT ?event ?date WHERE {{ ?event <{SCHEMA}startDate> ?date }}""")
    assert sorted((r["event"].value, r["date"].value) for r in rows) == [
        (HKD + "test-opening-of-the-pier", "2025-10"),
        (HKD + "test-start-of-the-port-works", "2025-02")]


def test_a_wrong_relative_date_is_refused(corpus: Path, runner: CliRunner) -> None:
    facts = corpus / "data" / "articles" / B / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace('"2025-10"^^xsd:gYearMonth', '"2025-02"^^xsd:gYearMonth'),
                     encoding="utf-8")
    result = runner.invoke(cli, ["check", "--article", B])
    line = _line(facts, "hkd:test-opening-of-the-pier a schema:Event")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (1, (
        f"newsroom/data/articles/{B}/facts.ttl:{line}:1: hkd:test-opening-of-the-pier "
        'schema:startDate "2025-02" follows hkd:test-rule-last-month ("geçen ay"), which in an '
        'article published on 2025-11-20 gives "2025-10"^^xsd:gYearMonth'))


def test_an_iri_minted_in_two_articles_is_refused(corpus: Path, runner: CliRunner) -> None:
    facts_a = corpus / "data" / "articles" / A / "facts.ttl"
    facts_b = corpus / "data" / "articles" / B / "facts.ttl"
    _append(facts_b, 'hkd:test-port-project a schema:Project ;\n'
                     '    schema:name "Başka bir proje"@tr , "Another project"@en ;\n'
                     '    hk:evidence [ hk:covers rdf:type , schema:name ; '
                     'hk:mode hk:Editorial ] .\n')
    result = runner.invoke(cli, ["check"])
    first = _line(facts_a, "hkd:test-port-project a schema:Project")
    second = _line(facts_b, "hkd:test-port-project a schema:Project")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (1, (
        f"newsroom/data/articles/{B}/facts.ttl:{second}:1: hkd:test-port-project is minted in "
        "two articles: if they mean one thing, describe it once in data/entities/; if not, "
        f"rename one (also at newsroom/data/articles/{A}/facts.ttl:{first})"))


def test_an_entity_described_again_in_an_article_is_reported(corpus: Path,
                                                             runner: CliRunner) -> None:
    facts = corpus / "data" / "articles" / B / "facts.ttl"
    text = facts.read_text(encoding="utf-8")
    facts.write_text(text.replace('hkd:test-karacam hk:mention "Karaçam" .',
                                  'hkd:test-karacam a schema:Place ;\n'
                                  '    hk:mention "Karaçam" .'), encoding="utf-8")
    result = runner.invoke(cli, ["check", "--article", B])
    entities = corpus / "data" / "entities" / "places.ttl"
    line = _line(facts, "hkd:test-karacam a schema:Place")
    there = _line(entities, "hkd:test-karacam a schema:Place")
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (1, (
        f"newsroom/data/articles/{B}/facts.ttl:{line}:1: hkd:test-karacam is a shared entity, "
        f"described in newsroom/data/entities/places.ttl:{there}, and this article describes "
        "it again (rdf:type): describe it once, in data/entities/, and keep in the article "
        "only what the article says about it"))


def test_an_article_cannot_use_another_articles_resource(corpus: Path,
                                                         runner: CliRunner) -> None:
    facts = corpus / "data" / "articles" / B / "facts.ttl"
    _append(facts, "hkd:test-visit-of-yildirim-to-the-pier schema:about hkd:test-port-project ;\n"
                   "    hk:evidence [ hk:covers schema:about ; hk:mode hk:Editorial ] .\n")
    result = runner.invoke(cli, ["check"])
    minted = _line(corpus / "data" / "articles" / A / "facts.ttl",
                   "hkd:test-port-project a schema:Project")
    used = _line(facts, "hkd:test-visit-of-yildirim-to-the-pier schema:about")
    column = facts.read_text(encoding="utf-8").splitlines()[used - 1].index(
        "hkd:test-port-project") + 1
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (1, (
        f"newsroom/data/articles/{B}/facts.ttl:{used}:{column}: hkd:test-port-project is minted "
        "in one article and used in another: a resource two articles share is described once, "
        f"in data/entities/ (also at newsroom/data/articles/{A}/facts.ttl:{minted})"))
    # seen from the article alone, the other article's resource is unknown
    result = runner.invoke(cli, ["check", "--article", B])
    assert result.exit_code == 1
    assert "hkd:test-port-project is used but never described (typo?)" in result.stderr


def test_entity_claims_have_no_text_and_entities_no_mentions(corpus: Path,
                                                             runner: CliRunner) -> None:
    places = corpus / "data" / "entities" / "places.ttl"
    original = places.read_text(encoding="utf-8")
    places.write_text(original.replace(
        'hkd:test-karacam a schema:Place ;', 'hkd:test-karacam a schema:Place ;\n'
        '    hk:mention "Karaçam" ;'), encoding="utf-8")
    result = runner.invoke(cli, ["check", "--article", A])
    assert result.exit_code == 2
    assert "hkd:test-karacam has a mention in data/entities/" in result.stderr
    places.write_text(original.replace(
        "hk:evidence [ hk:covers rdf:type , schema:name ; hk:mode hk:Editorial ] .",
        'hk:evidence [ hk:covers rdf:type , schema:name ; hk:mode hk:Stated ; '
        'hk:quote "Karaçam" ] .', 1), encoding="utf-8")
    result = runner.invoke(cli, ["check", "--article", A])
    assert result.exit_code == 2
    assert "in data/entities/ quotes a text: entity claims have no text" in result.stderr


def test_an_entity_no_article_mentions_is_refused(corpus: Path, runner: CliRunner) -> None:
    _append(corpus / "data" / "entities" / "places.ttl",
            'hkd:test-ilgaz a schema:Place ;\n    schema:name "Ilgaz"@tr , "Ilgaz"@en ;\n'
            '    hk:evidence [ hk:covers rdf:type , schema:name ; hk:mode hk:Editorial ] .\n')
    assert runner.invoke(cli, ["check", "--article", A]).exit_code == 0  # one article: fine
    result = runner.invoke(cli, ["check"])
    assert result.exit_code == 1
    assert "hkd:test-ilgaz is mentioned in no article" in result.stderr


def test_an_edited_text_is_refused(corpus: Path, runner: CliRunner) -> None:
    text = corpus / "data" / "articles" / A / "article.tr.txt"
    text.write_bytes(text.read_bytes() + b" ")
    result = runner.invoke(cli, ["check", "--article", A])
    assert result.exit_code == 1
    assert "is not the one recorded in hk:textSha256" in result.stderr


def test_mentions_in_inflected_forms(corpus: Path, runner: CliRunner) -> None:
    text = (corpus / "data" / "articles" / B / "article.tr.txt").read_text(encoding="utf-8")
    result = runner.invoke(cli, ["mentions", B, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    found = {(f["entity"], f["exact"], f["start"], f["end"])
             for f in json.loads(result.stdout) if f["kind"] == "mention"}
    expected = {(HKD + entity, exact, text.index(exact), text.index(exact) + len(exact))
                for entity, exact in [("test-ayse-yildirim", "Yıldırım"),
                                      ("test-yesilkopru", "Yeşilköprü"),  # Yeşilköprü'de
                                      ("test-ministry-of-coastal-affairs",
                                       "Kıyı İşleri Bakanlığı"),  # Bakanlığının
                                      ("test-karacam", "Karaçam")]}  # Karaçam'dan
    assert found == expected


def test_the_turtle_of_mentions_grounds_as_it_is(corpus: Path, runner: CliRunner) -> None:
    """The proposed selectors, pasted into the article in place of its own mentions, give
    the same mentions."""
    facts = corpus / "data" / "articles" / B / "facts.ttl"
    before = runner.invoke(cli, ["build", "-q", "--dist", str(corpus / "d1")])
    assert before.exit_code == 0, before.stderr
    turtle = runner.invoke(cli, ["mentions", B, "--format", "turtle"]).stdout
    text = facts.read_text(encoding="utf-8")
    for line in ('hkd:test-ayse-yildirim hk:mention "Yıldırım" .',
                 'hkd:test-yesilkopru hk:mention "Yeşilköprü" .',
                 'hkd:test-karacam hk:mention "Karaçam" .',
                 'hkd:test-ministry-of-coastal-affairs hk:mention "Kıyı İşleri Bakanlığı" .'):
        assert line in text
        text = text.replace(line, "")
    facts.write_text(text + "\n" + turtle, encoding="utf-8")
    after = runner.invoke(cli, ["build", "-q", "--dist", str(corpus / "d2")])
    assert after.exit_code == 0, after.stderr
    query = f"""SELECT ?b ?s ?e WHERE {{ ?a <{OA}motivatedBy> <{OA}identifying> ;
        <{OA}hasBody> ?b ; <{OA}hasTarget>/<{OA}hasSelector> ?p .
        ?p <{OA}start> ?s ; <{OA}end> ?e }}"""
    spans = [sorted((r["b"].value, r["s"].value, r["e"].value)
                    for r in select(_plain(corpus / d), query)) for d in ("d1", "d2")]
    assert spans[0] == spans[1]


def test_a_corpus_query_crosses_the_articles(corpus: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["query", "c01", "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "event,article,published",
        f"{HKD}test-inspection-of-the-port-project,{ARTICLE_A},2025-03-10",
        f"{HKD}test-visit-of-yildirim-to-the-pier,{ARTICLE_B},2025-11-20"]


def test_check_one_article_in_parallel_and_in_shards(corpus: Path, runner: CliRunner) -> None:
    one = runner.invoke(cli, ["check", "--article", A])
    assert one.exit_code == 0, one.stderr
    assert f"checked {A} in " in one.stderr
    shard = runner.invoke(cli, ["check", "--shard", "2/2"])
    assert shard.exit_code == 0, shard.stderr
    assert f"  {B}" in shard.stderr and f"  {A}" not in shard.stderr
    bad = runner.invoke(cli, ["check", "--shard", "3/2"])
    assert bad.exit_code == 2 and "expected K/N with 1 <= K <= N" in bad.stderr
    unknown = runner.invoke(cli, ["check", "--article", "no-such-article"])
    assert unknown.exit_code == 2 and "no article 'no-such-article'" in unknown.stderr
    jobs = subprocess.run([sys.executable, "-m", "haberkg", "check", "--jobs", "2"],
                          capture_output=True, text=True, timeout=600, check=False)
    assert jobs.returncode == 0, jobs.stderr
    assert f"  {A}" in jobs.stderr and f"  {B}" in jobs.stderr


def test_an_error_in_a_worker_keeps_its_place(corpus: Path) -> None:
    facts = corpus / "data" / "articles" / B / "facts.ttl"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        'hk:quote "Yeşilköprü\'de açılan iskeleyi" ] ,', 'hk:quote "Yeşilköprü\'de açılmış" ] ,',
        1), encoding="utf-8")
    jobs = subprocess.run([sys.executable, "-m", "haberkg", "check", "--jobs", "2", "--shard",
                           "2/2"], capture_output=True, text=True, timeout=600, check=False)
    assert jobs.returncode == 1
    line = _line(facts, "Yeşilköprü'de açılmış")
    assert jobs.stderr.splitlines()[-1].startswith(
        f"newsroom/data/articles/{B}/facts.ttl:{line}:")


# ---------------------------------------------------------------------- new-article

def test_new_article_writes_what_passes_the_checks(corpus: Path, runner: CliRunner,
                                                   tmp_path: Path) -> None:
    text = tmp_path / "yeni.txt"
    body = "Bakan Yıldırım, Karaçam'da balıkçılarla görüştü.\n\nKısa başlık\n\nGörüşme uzun sürdü."
    text.write_text(body, encoding="utf-8")
    result = runner.invoke(cli, ["new-article", str(text), "--id", "test-2026-01-05-fishers",
                                 "--published", "2026-01-05", "--source",
                                 "https://haber.test/balikcilar"])
    assert result.exit_code == 0, result.stderr
    folder = corpus / "data" / "articles" / "test-2026-01-05-fishers"
    assert (folder / "article.tr.txt").read_bytes() == body.encode("utf-8")
    assert {p.name for p in folder.iterdir()} == {"article.tr.txt", "article.ttl", "facts.ttl"}
    assert "haberkg check --article test-2026-01-05-fishers" in result.stderr
    check = runner.invoke(cli, ["check", "--article", "test-2026-01-05-fishers"])
    assert check.exit_code == 0, check.stderr
    assert runner.invoke(cli, ["fmt", "--check"]).exit_code == 0
    again = runner.invoke(cli, ["new-article", str(text), "--id", "test-2026-01-05-fishers",
                                "--published", "2026-01-05"])
    assert again.exit_code == 2 and "the article already exists" in again.stderr


@pytest.mark.parametrize(("data", "message"), [
    ("Bakan Yıldırım\ngeldi ve Ka\u0301raçam".encode(), "yeni.txt:2:11: text is not in Unicode "
     "NFC (U+0061); normalise it to NFC"),
    (b"Bakan \xfcz\n", "yeni.txt:1:7: not UTF-8: byte 0xfc cannot be decoded"),
])
def test_new_article_refuses_a_text_that_is_not_utf8_nfc(corpus: Path, runner: CliRunner,
                                                         tmp_path: Path, data: bytes,
                                                         message: str) -> None:
    (tmp_path / "yeni.txt").write_bytes(data)
    result = runner.invoke(cli, ["new-article", str(tmp_path / "yeni.txt"), "--id", "x-1",
                                 "--published", "2026-01-05"])
    assert (result.exit_code, result.stderr) == (2, message + "\n")
    assert not (corpus / "data" / "articles" / "x-1").exists()


@pytest.mark.parametrize(("args", "message"), [
    (["--id", "Büyük", "--published", "2026-01-05"], "article id 'Büyük' must be"),
    (["--id", "x-1", "--published", "5.1.2026"], "--published '5.1.2026' is not a date"),
    (["--id", "x-1", "--published", "2026-02-30"], "--published '2026-02-30' is not a date"),
    (["--id", "x-1", "--published", "2026-01-05", "--source", "ftp://a"], "is not an http(s)"),
])
def test_new_article_refuses_bad_options(corpus: Path, runner: CliRunner, tmp_path: Path,
                                         args: list[str], message: str) -> None:
    (tmp_path / "yeni.txt").write_text("Bir metin.", encoding="utf-8")
    result = runner.invoke(cli, ["new-article", str(tmp_path / "yeni.txt"), *args])
    assert result.exit_code == 2 and message in result.stderr, result.stderr
