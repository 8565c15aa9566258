"""The languages of the pages: English and Turkish, from one message catalogue.

Every interface string of the templates and of :mod:`haberkg.web` is an English msgid;
its Turkish translation is in ``locale/tr/LC_MESSAGES/messages.po``, compiled (by Babel,
byte for byte reproducibly) to ``messages.mo`` beside it. ``babel.cfg`` at the project
root tells ``pybabel extract`` where the strings are; a test checks that every English
string has its Turkish one and that the compiled catalogue is the compilation of the
``.po`` file.

How a page's language is chosen: a resource page's URL names it (``/page/NAME/`` and
``/page/NAME/tr/``); every other page takes ``?lang=en`` or ``?lang=tr``, and without it
the ``Accept-Language`` header (RFC 9110 12.5.4, q-values honoured, ``q=0`` refused), and
says so with ``Vary: Accept-Language``.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from babel.support import Translations

LANGS = ("en", "tr")
DEFAULT = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for marked strings
    """Marks a string for extraction; it is translated where it is shown."""
    return message


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (English is the msgids themselves)."""
    if lang == DEFAULT:
        return gettext.NullTranslations()
    found = Translations.load(str(LOCALE_DIR), [lang], DOMAIN)
    if not isinstance(found, Translations):
        raise RuntimeError(f"the {lang} message catalogue is missing from {LOCALE_DIR}")
    return found


def gettext_for(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def negotiate(header: str | None) -> str:
    """The page language for an ``Accept-Language`` header: the available language with
    the highest q-value (the first listed on a tie), English when none is acceptable."""
    if not header:
        return DEFAULT
    best: tuple[float, int, str] | None = None
    for index, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        lang = primary if primary in LANGS else (DEFAULT if primary == "*" else None)
        if lang is not None and (best is None or (q, -index) > (best[0], -best[1])):
            best = (q, index, lang)
    return best[2] if best else DEFAULT


# Names of the schema.org, RDF and Web Annotation terms the pages show (the ontology's own
# terms have their labels in both languages in the ontology).
TERM_NAMES = {
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#type": N_("type"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement": N_("statement (RDF)"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#subject": N_("subject"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate": N_("predicate"),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#object": N_("object"),
    "http://purl.org/dc/terms/source": N_("source"),
    "http://www.w3.org/ns/prov#wasAttributedTo": N_("attributed to"),
    "http://www.w3.org/ns/oa#Annotation": N_("annotation"),
    "http://www.w3.org/ns/oa#SpecificResource": N_("annotation target"),
    "http://www.w3.org/ns/oa#TextQuoteSelector": N_("text quote selector"),
    "http://www.w3.org/ns/oa#TextPositionSelector": N_("text position selector"),
    "http://www.w3.org/ns/oa#hasBody": N_("annotation body"),
    "http://www.w3.org/ns/oa#hasTarget": N_("annotation target"),
    "http://www.w3.org/ns/oa#hasSource": N_("source text"),
    "http://www.w3.org/ns/oa#hasSelector": N_("selector"),
    "https://schema.org/about": N_("about"),
    "https://schema.org/agent": N_("agent"),
    "https://schema.org/alternateName": N_("alternate name"),
    "https://schema.org/areaServed": N_("area served"),
    "https://schema.org/articleBody": N_("article body"),
    "https://schema.org/attendee": N_("attendee"),
    "https://schema.org/audience": N_("audience"),
    "https://schema.org/author": N_("author"),
    "https://schema.org/citation": N_("citation"),
    "https://schema.org/containedInPlace": N_("contained in place"),
    "https://schema.org/datePublished": N_("date published"),
    "https://schema.org/description": N_("description"),
    "https://schema.org/endDate": N_("end date"),
    "https://schema.org/eventStatus": N_("event status"),
    "https://schema.org/hasPart": N_("has part"),
    "https://schema.org/inLanguage": N_("language"),
    "https://schema.org/isBasedOn": N_("based on"),
    "https://schema.org/isPartOf": N_("part of"),
    "https://schema.org/jobTitle": N_("job title"),
    "https://schema.org/location": N_("location"),
    "https://schema.org/mentions": N_("mentions"),
    "https://schema.org/name": N_("name"),
    "https://schema.org/organizer": N_("organiser"),
    "https://schema.org/position": N_("position"),
    "https://schema.org/recipient": N_("recipient"),
    "https://schema.org/roleName": N_("role name"),
    "https://schema.org/sameAs": N_("same as"),
    "https://schema.org/spokenByCharacter": N_("spoken by"),
    "https://schema.org/spouse": N_("spouse"),
    "https://schema.org/startDate": N_("start date"),
    "https://schema.org/superEvent": N_("part of the event"),
    "https://schema.org/subEvent": N_("sub-event"),
    "https://schema.org/text": N_("text"),
    "https://schema.org/worksFor": N_("works for"),
    "https://schema.org/Action": N_("action"),
    "https://schema.org/Audience": N_("audience"),
    "https://schema.org/City": N_("city"),
    "https://schema.org/Country": N_("country"),
    "https://schema.org/CreativeWork": N_("creative work"),
    "https://schema.org/DefinedTerm": N_("defined term"),
    "https://schema.org/Enumeration": N_("enumeration"),
    "https://schema.org/Event": N_("event"),
    "https://schema.org/EventSeries": N_("event series"),
    "https://schema.org/EventStatusType": N_("event status type"),
    "https://schema.org/GovernmentOrganization": N_("government organisation"),
    "https://schema.org/Intangible": N_("intangible"),
    "https://schema.org/NewsArticle": N_("news article"),
    "https://schema.org/Organization": N_("organisation"),
    "https://schema.org/OrganizationRole": N_("role in an organisation"),
    "https://schema.org/Person": N_("person"),
    "https://schema.org/Place": N_("place"),
    "https://schema.org/Project": N_("project"),
    "https://schema.org/Quotation": N_("quotation"),
    "https://schema.org/Role": N_("role"),
    "https://schema.org/Thing": N_("thing"),
}
