"""Defect: the loader's quick way (a text with no blank node handed to pyoxigraph whole)
looked for ``_:``, ``[``, ``(`` and ``<<`` only. RDF 1.2 Turtle writes a reifier as
``~ :r`` and an annotation as ``{| ... |}``, which give a triple term (and a blank node)
with none of them: the triple term came through, where haberkg refuses triple terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from haberkg.errors import InputError
from haberkg.sources.read import SOURCE, parse_file

PREFIX = "@prefix : <https://example.org/> .\n"


@pytest.mark.parametrize("statement", [":s :p :o ~ :r .", ":s :p :o {| :q :v |} ."])
def test_rdf12_reifiers_slipped_past_the_triple_term_refusal(tmp_path: Path,
                                                             statement: str) -> None:
    path = tmp_path / "data.ttl"
    path.write_text(PREFIX + statement + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="triple terms"):
        parse_file(path, SOURCE)


def test_a_tilde_in_an_iri_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "data.ttl"
    path.write_text("<https://example.org/~ali> <https://example.org/p> \"x\" .\n",
                    encoding="utf-8")
    [quad] = parse_file(path, SOURCE)
    assert quad.subject.value == "https://example.org/~ali"
