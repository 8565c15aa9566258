"""A small reader of the pages' HTML for the tests (the standard library's parser): the
links, the text, the elements with a class, the language of the document."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                 "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    children: list[Element] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def all_text(self) -> str:
        return self.text + "".join(c.all_text() for c in self.children)

    def walk(self) -> list[Element]:
        out = [self]
        for child in self.children:
            out += child.walk()
        return out


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        parent = self.stack[-1]
        if parent.tag in ("script", "style"):
            return
        # text after a child element is kept in order by a text-only child
        parent.children.append(Element("#text", {}, data))


def parse(html: str) -> Element:
    reader = _Reader()
    reader.feed(html)
    return reader.root


def find(root: Element, tag: str | None = None, cls: str | None = None) -> list[Element]:
    return [e for e in root.walk() if (tag is None or e.tag == tag)
            and (cls is None or cls in e.classes)]


def hrefs(root: Element) -> list[str]:
    return [a.attrs.get("href", "") for a in find(root, "a")]


def lang(root: Element) -> str:
    return find(root, "html")[0].attrs.get("lang", "")
