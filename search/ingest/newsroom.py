"""Newsroom XML: NITF 3.x documents and IPTC NewsML-G2 items, by lxml.

Both carry what plain text loses: headline, byline, dateline, publication date, and the
people, organisations and places the newsroom tagged, kept as the article's labels.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from search.errors import InputError
from search.ingest.fields import WEB_URL
from search.ingest.markup import decode_markup
from search.models import Locator, RawArticle, RecordError

Element = Any  # lxml's element type, untyped
Record = RawArticle | RecordError
XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
BASIC_ISO = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?)?(Z|[+-]\d{4})?$")
BYLINE_PREFIX = re.compile(r"^\s*by\s+", re.I)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NITF_LABELS = {"person": "people", "org": "orgs", "location": "places"}
G2_LABELS = {
    "cpnat:person": "people",
    "cpnat:organisation": "orgs",
    "cpnat:geoArea": "places",
    "cpnat:poi": "places",
}
NO_TEXT = "no headline and no body text"


def parse_xml(path: Path, data: bytes) -> Element | RecordError:
    """The document's root with namespaces dropped from tags, or why it cannot be read."""
    try:
        text = XML_DECLARATION.sub("", decode_markup(data), count=1)
    except InputError as error:
        return RecordError(Locator(str(path)), error.message)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(text, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else None
        return RecordError(Locator(str(path), line=line), f"not well-formed XML: {error.msg}")
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname
    return root


def read_nitf(path: Path, data: bytes) -> Iterator[RawArticle | RecordError]:
    """Each <nitf> document in a file as an article."""
    yield from read_items(path, data, "nitf", nitf_article)


def read_newsml(path: Path, data: bytes) -> Iterator[RawArticle | RecordError]:
    """Each newsItem of a NewsML-G2 message or item as an article."""
    yield from read_items(path, data, "newsItem", newsml_article)


def read_items(
    path: Path, data: bytes, tag: str, to_article: Callable[[Element, Locator], Record]
) -> Iterator[Record]:
    """Each element of one kind in an XML file (the root or below it) as an article."""
    root = parse_xml(path, data)
    if isinstance(root, RecordError):
        yield root
        return
    items = [root] if root.tag == tag else list(root.iter(tag))
    if not items:
        yield RecordError(Locator(str(path)), f"no <{tag}> element in the document")
    for number, item in enumerate(items, start=1):
        yield to_article(item, Locator(str(path), record=number, line=item.sourceline))


def nitf_article(document: Element, locator: Locator) -> RawArticle | RecordError:
    """One article from a NITF document's head and body."""
    head = document.find("body/body.head")
    title = text_of(first(document, "body/body.head/hedline/hl1", "head/title"))
    body = paragraphs(document.find("body/body.content"))
    if not (title or body):
        return RecordError(locator, NO_TEXT)
    pubdata = document.find("head/pubdata")
    date = first_value(
        attribute(document.find("head/docdata/date.issue"), "norm"),
        attribute(pubdata, "date.publication"),
        attribute(document.find("body/body.head/dateline/story.date"), "norm"),
    )
    url = attribute(pubdata, "ex-ref")
    return RawArticle(
        locator=locator,
        title=title,
        body=body,
        date_text=iso_date(date),
        source_id=attribute(document.find("head/docdata/doc-id"), "id-string") or None,
        url=url if WEB_URL.fullmatch(url) else None,
        source=first_value(
            attribute(pubdata, "name"),
            attribute(document.find("head/docdata/doc.copyright"), "holder"),
        )
        or None,
        author=byline_author(head.find("byline") if head is not None else None),
        dateline=dateline_place(head.find("dateline") if head is not None else None),
        agency=text_of(head.find("distributor") if head is not None else None) or None,
        language=document.get(XML_LANG) or None,
        labels=nitf_labels(document),
    )


def nitf_labels(document: Element) -> dict[str, list[str]]:
    """The tagged people, organisations and places of the docdata and the body text."""
    scopes = [document.find("head/docdata/identified-content"), document.find("body/body.content")]
    found: dict[str, list[str]] = {}
    for scope in scopes:
        if scope is None:
            continue
        for tag, kind in NITF_LABELS.items():
            for element in scope.iter(tag):
                add_label(found, kind, text_of(element) or attribute(element, "value"))
    return found


def newsml_article(item: Element, locator: Locator) -> RawArticle | RecordError:
    """One article from a NewsML-G2 newsItem: its metadata and its inline content."""
    meta, content = item.find("itemMeta"), item.find("contentMeta")
    title = text_of(find(content, "headline"))
    body = "\n\n".join(filter(None, (paragraphs(block) for block in item.iterfind("contentSet/*"))))
    if not (title or body):
        return RecordError(locator, NO_TEXT)
    provider = find(meta, "provider")
    link = attribute(find(meta, "link"), "href")
    return RawArticle(
        locator=locator,
        title=title,
        body=body,
        date_text=iso_date(
            first_value(
                text_of(find(meta, "firstCreated")),
                text_of(find(content, "contentCreated")),
                text_of(find(meta, "versionCreated")),
            )
        ),
        source_id=item.get("guid") or None,
        url=link if WEB_URL.fullmatch(link) else None,
        source=first_value(attribute(provider, "literal"), text_of(find(provider, "name"))) or None,
        author=byline_author(find(content, "by")) or text_of(find(content, "creator/name")) or None,
        dateline=text_of(find(content, "dateline")) or None,
        language=attribute(find(content, "language"), "tag") or item.get(XML_LANG) or None,
        labels=newsml_labels(content, item.find("contentSet")),
    )


def newsml_labels(content: Element | None, inline: Element | None) -> dict[str, list[str]]:
    """Subjects typed as person, organisation or place, and entities tagged in the text."""
    found: dict[str, list[str]] = {}
    for subject in content.iterfind("subject") if content is not None else ():
        kind = G2_LABELS.get(subject.get("type", ""))
        if kind:
            add_label(found, kind, text_of(subject.find("name")) or subject.get("literal", ""))
    for tag, kind in NITF_LABELS.items():
        for element in inline.iter(tag) if inline is not None else ():
            add_label(found, kind, text_of(element))
    return found


def paragraphs(block: Element | None) -> str:
    """A block's paragraphs (<p> elements, else its whole text), blank lines between."""
    if block is None:
        return ""
    found = [text_of(p) for p in block.iter("p")]
    found = [paragraph for paragraph in found if paragraph]
    return "\n\n".join(found) if found else text_of(block)


def byline_author(byline: Element | None) -> str | None:
    """The author a byline names: its tagged person, else its text without a leading 'By'."""
    if byline is None:
        return None
    person = byline.find(".//person")
    name = text_of(person) if person is not None else BYLINE_PREFIX.sub("", text_of(byline))
    return name.strip(" ,") or None


def dateline_place(dateline: Element | None) -> str | None:
    """The place a dateline names: its tagged location, else its text without the date."""
    if dateline is None:
        return None
    location = dateline.find(".//location")
    if location is not None:
        return text_of(location) or None
    parts = [dateline.text or ""] + [child.tail or "" for child in dateline]
    return " ".join(" ".join(parts).split()).strip(" ,-–—") or None


def iso_date(value: str) -> str:
    """A NITF basic ISO 8601 date (20190305T101500Z) in the extended form; others as given."""
    match = BASIC_ISO.match(value.strip())
    if not match:
        return value.strip()
    year, month, day, hour, minute, second, zone = match.groups()
    if hour is None:
        return f"{year}-{month}-{day}"
    zone = zone or ""
    if len(zone) == 5:
        zone = f"{zone[:3]}:{zone[3:]}"
    return f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}{zone}"


def add_label(found: dict[str, list[str]], kind: str, value: str) -> None:
    """Add a label once, in the order first tagged."""
    value = " ".join(value.split())
    if value and value not in found.setdefault(kind, []):
        found[kind].append(value)


def text_of(element: Element | None) -> str:
    """An element's text and its children's, with whitespace collapsed."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def attribute(element: Element | None, name: str) -> str:
    """An attribute's value with spaces trimmed, or '' when the element or attribute is missing."""
    return (element.get(name) or "").strip() if element is not None else ""


def find(element: Element | None, path: str) -> Element | None:
    """The first match of a path below an element that may itself be missing."""
    return element.find(path) if element is not None else None


def first(element: Element, *paths: str) -> Element | None:
    """The first of several paths that matches."""
    return next((found for path in paths if (found := element.find(path)) is not None), None)


def first_value(*values: str) -> str:
    """The first non-empty value."""
    return next((value for value in values if value), "")
