"""Reading rendered pages in tests: elements, attributes, headings and factuality traces."""

import re
from html.parser import HTMLParser

# Level names as the site renders them; word boundaries keep "Follow" or "Highway" out.
FACTUALITY_WORDS = re.compile(r"\b(?:Very High|High|Mixed|Low|Very Low)\b")
# Hooks the templates put only on factuality data.
FACTUALITY_HOOKS = ("data-factuality", 'id="factuality"', 'id="source-factuality"',
                    "factuality-label")  # fmt: skip


def factuality_traces(text: str) -> list[str]:
    """Every level name and factuality hook in the raw page ([] when none)."""
    return FACTUALITY_WORDS.findall(text) + [hook for hook in FACTUALITY_HOOKS if hook in text]


class Element:
    def __init__(self, tag: str, attrs: dict, ancestors: list["Element"]):
        self.tag, self.attrs, self.ancestors = tag, attrs, ancestors
        self.text = ""

    def has_class(self, name: str) -> bool:
        return name in self.attrs.get("class", "").split()

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"


class _Collector(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: (v or "") for k, v in attrs}, list(self.open))
        self.elements.append(element)
        if tag not in self.VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        for element in self.open:
            element.text += data


def elements(text: str) -> list[Element]:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    return collector.elements


def find(text: str, tag: str | None = None, **attrs) -> list[Element]:
    """Elements with this tag (any if None) and these attributes (data_x means data-x);
    class_ matches one of the classes."""
    wanted_class = attrs.pop("class_", None)
    return [
        e
        for e in elements(text)
        if (tag is None or e.tag == tag)
        and all(e.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        and (wanted_class is None or e.has_class(wanted_class))
    ]


def inside(text: str, element_id: str, tag: str) -> list[Element]:
    """The tag's elements inside the element with this id."""
    return [
        e
        for e in elements(text)
        if e.tag == tag and any(a.attrs.get("id") == element_id for a in e.ancestors)
    ]


def by_id(text: str, element_id: str) -> Element:
    (element,) = find(text, id=element_id)
    return element


def squash(text: str) -> str:
    """Text with runs of whitespace (including no-break spaces) made single spaces."""
    return " ".join(text.split())
