"""Defect: a sentence's first word, capitalised only by its place, was joined to the name after it
as one candidate ("Toplantıya Kazakistan'dan Ayşegül Tan da katıldı." gave the candidate
"Toplantıya Kazakistan"). Where the texts also write that word in lower case, it is left
out of the candidate."""

from __future__ import annotations

import pytest

from haberkg.sources.mentions import Name, common_words, find, names_of
from haberkg.sources.project import Project
from haberkg.sources.read import parse_file

from ..conftest import ROOT


@pytest.fixture(scope="module")
def names() -> list[Name]:
    project = Project(ROOT)
    return names_of([q for f in project.corpus.entity_files for q in parse_file(f)])


def test_a_common_word_opening_the_sentence_is_not_part_of_a_candidate(names: list[Name]
                                                                         ) -> None:
    text = "Göktaş toplantıya katıldı. Toplantıya Kazakistan'dan Ayşegül Tan da katıldı."
    found = find(text, names, common_words(text))
    assert [(f.kind, f.exact) for f in found] == [
        ("mention", "Göktaş"), ("candidate", "Kazakistan"), ("candidate", "Ayşegül Tan")]
    # a word the texts never write in lower case may be a name: the run is kept whole
    found = find("Kuzeyli Kazakistan heyeti geldi.", names, set())
    assert [(f.kind, f.exact) for f in found] == [("candidate", "Kuzeyli Kazakistan")]
