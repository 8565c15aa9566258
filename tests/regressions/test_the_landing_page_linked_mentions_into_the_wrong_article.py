"""Defect: the landing page showed the text of the first article only, and linked into it
the mentions of every article at their offsets, so that in a corpus of several articles
the words of one article were linked by the positions of another's (and a corpus without
the first article showed no text at all). Each article is now shown with its own mentions.

The expected links are read off the test articles' texts and their hk:mention words.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from haberkg.cli import cli

from ..corpus.conftest import corpus, corpus_template  # noqa: F401  (fixtures)
from ..servers import app_client


class _Articles(HTMLParser):
    """The links inside each ``<div class="article">``, in order, and the headings."""

    def __init__(self) -> None:
        super().__init__()
        self.articles: list[list[tuple[str, str]]] = []
        self.headings: list[str] = []
        self._in_article = False
        self._href: str | None = None
        self._words = ""
        self._in_h3 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "div" and ("class", "article") in attrs:
            self._in_article = True
            self.articles.append([])
        elif tag == "a" and self._in_article:
            self._href, self._words = dict(attrs)["href"], ""
        elif tag == "a" and self._in_h3:
            self.headings.append(str(dict(attrs)["href"]))
        elif tag == "h3":
            self._in_h3 = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "div":
            self._in_article = False
        elif tag == "h3":
            self._in_h3 = False
        elif tag == "a" and self._href is not None:
            self.articles[-1].append((self._href, self._words))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._words += data


def test_each_article_is_shown_with_its_own_mentions(corpus: Path,  # noqa: F811
                                                     tmp_path: Path) -> None:
    dist = tmp_path / "site" / "dist"
    result = CliRunner().invoke(cli, ["build", "-q", "--dist", str(dist)])
    assert result.exit_code == 0, result.stderr
    with app_client(dist) as client:
        page = _Articles()
        page.feed(client.get("/").text)
    # by publication date: 2025-03-10, then 2025-11-20
    assert page.headings == ["/id/article-test-2025-03-10-port-inspection",
                             "/id/article-test-2025-11-20-pier-visit"]
    assert page.articles == [
        [("/id/test-ayse-yildirim", "Ayşe Yıldırım"), ("/id/test-karacam", "Karaçam"),
         ("/id/test-port-project", "liman projesini"),
         ("/id/test-inspection-of-the-port-project", "inceledi"),
         ("/id/test-ayse-yildirim", "Yıldırım"),
         ("/id/test-start-of-the-port-works", "başlayan çalışmaların")],
        [("/id/test-ayse-yildirim", "Yıldırım"), ("/id/test-yesilkopru", "Yeşilköprü"),
         ("/id/test-opening-of-the-pier", "açılan"), ("/id/test-pier-of-yesilkopru", "iskele"),
         ("/id/test-visit-of-yildirim-to-the-pier", "ziyaret etti"),
         ("/id/test-ministry-of-coastal-affairs", "Kıyı İşleri Bakanlığı"),
         ("/id/test-statement-of-the-ministry", "açıklamasına"),
         ("/id/test-pier-of-yesilkopru", "iskele"), ("/id/test-karacam", "Karaçam")],
    ]
