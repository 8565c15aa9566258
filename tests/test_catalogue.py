"""The message catalogue of the pages: every English string of the templates and of
haberkg.web has its Turkish translation, the template (.pot) is what `pybabel extract`
finds today, and the compiled catalogue (.mo) is the compilation of the .po, byte for byte."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from .conftest import ROOT

LOCALE = ROOT / "src" / "haberkg" / "web" / "locale"
PO = LOCALE / "tr" / "LC_MESSAGES" / "messages.po"
MO = LOCALE / "tr" / "LC_MESSAGES" / "messages.mo"


def _extracted() -> set[str]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_english_string_has_its_turkish_one() -> None:
    english = _extracted()
    assert len(english) > 100
    catalogue = read_po(PO.open("rb"), locale="tr")
    missing = sorted(m for m in english if not (catalogue.get(m) and catalogue.get(m).string))
    assert missing == [], f"untranslated: {missing} (pybabel update, then translate)"
    fuzzy = sorted(m.id for m in catalogue if m.id and m.fuzzy)
    assert fuzzy == []
    stale = sorted(m.id for m in catalogue if m.id and m.id not in english)
    assert stale == [], f"translations of strings no page uses: {stale}"


def test_the_template_is_what_extraction_finds() -> None:
    pot = read_po((LOCALE / "messages.pot").open("rb"))
    assert {m.id for m in pot if m.id} == _extracted()


def test_the_compiled_catalogue_is_reproducible() -> None:
    out = io.BytesIO()
    write_mo(out, read_po(PO.open("rb"), locale="tr"))
    assert out.getvalue() == MO.read_bytes(), \
        "messages.mo is not the compilation of messages.po: run pybabel compile (README)"


def test_pybabel_compile_writes_the_same_bytes(tmp_path: Path) -> None:
    target = tmp_path / "tr" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "messages.po").write_bytes(PO.read_bytes())
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "compile", "-d", str(tmp_path), "-D", "messages", "-l", "tr"],
                   check=True, capture_output=True)
    assert (target / "messages.mo").read_bytes() == MO.read_bytes()


def test_accept_language_negotiation() -> None:
    from haberkg.web.i18n import negotiate

    # RFC 9110 12.5.4: q-values rank the ranges, q=0 means "not acceptable"
    assert negotiate(None) == "en"
    assert negotiate("tr") == "tr"
    assert negotiate("tr-TR,tr;q=0.9,en-US;q=0.8,en;q=0.7") == "tr"
    assert negotiate("en-GB,en;q=0.9,tr;q=0.8") == "en"
    assert negotiate("de,tr;q=0.5") == "tr"
    assert negotiate("tr;q=0,en;q=0.1") == "en"
    assert negotiate("de,fr") == "en"
    assert negotiate("tr;q=0.4,*;q=0.5") == "en"
