"""The source document is kept byte-identical, and its segmentation is right."""

from __future__ import annotations

import hashlib
import unicodedata

from haberkg.checks.grounding import segment

from .conftest import ARTICLE

SHA256 = "0546538b9a4ba8be4f48e3a7d6834abd3d09a6482d6b58c3e4fcfebbb5764201"


def test_article_is_byte_identical() -> None:
    data = ARTICLE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHA256
    assert len(data) == 3594


def test_article_is_nfc_without_final_newline(article: str) -> None:
    assert len(article) == 3279
    assert unicodedata.is_normalized("NFC", article)
    assert not article.endswith("\n")
    assert not article.startswith("\ufeff")


def test_segments_are_twelve_sentences_and_two_sub_headings(article: str) -> None:
    # Counted by hand: 14 paragraphs, two of them sub-headings; quoted speech is not split.
    segments = segment(article)
    headings = [article[s.span.start:s.span.end] for s in segments if s.heading]
    assert headings == [
        "Çocuklarımızın rehabilitasyonu açısından değerli buluyorum",
        "Azerbaycan'dan Koruyucu Aile Bakanlar Bildirisi'ne imza",
    ]
    sentences = [article[s.span.start:s.span.end] for s in segments if not s.heading]
    assert len(sentences) == 12
    assert sentences[0].startswith("Aile ve Sosyal Hizmetler Bakanı Mahinur Özdemir Göktaş, ")
    assert sentences[0].endswith("Anar Aliyev ile bir araya geldi.")
    assert sentences[3].endswith("kararlıyız.\" ifadelerini kullandı.")
    assert sentences[-1].endswith("14 ülkenin temsilcisi tarafından imzalanmıştı.")
    assert [s.number for s in segments] == list(range(1, 15))
