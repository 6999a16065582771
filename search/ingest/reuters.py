"""Reuters-21578 SGML: one article per <REUTERS> element, with the editors' labels."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from search.leads import parse_byline, parse_dateline
from search.models import Locator, RawArticle, RecordError

RECORD_START = re.compile(r"<REUTERS\b([^>]*)>")
RECORD_END = "</REUTERS>"
ATTRIBUTE = re.compile(r"([A-Za-z]+)\s*=\s*\"([^\"]*)\"")
RECORD_TAGS = ("DATE", "TOPICS", "PLACES", "PEOPLE", "ORGS", "EXCHANGES", "COMPANIES", "TEXT")
TEXT_TAGS = ("TITLE", "DATELINE", "BODY", "AUTHOR")
# Control characters as entities: &#2; and &#3; mark the start and end of text on the wire.
CONTROL_ENTITY = re.compile(r"&#0*(?:[0-8]|1[1-9]|2\d|3[01]);")
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f]")
ENTITY = re.compile(r"&(?:#(\d{1,8})|([A-Za-z]{1,8}));")
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
LABEL_ITEM = re.compile(r"<D>(.*?)</D>", re.S)
ANY_TAG = re.compile(r"<[^>]*>")
# The wire's sign-off; "Reuters" in mixed case is the agency named in a sentence, so it stays.
SIGN_OFF = re.compile(r"\s+(?:Reuter|REUTERS?|reuter)[.\s]*\Z")
SIGN_OFF_TAIL = 40
LABELS = {
    "TOPICS": "topics",
    "PLACES": "places",
    "PEOPLE": "people",
    "ORGS": "orgs",
    "EXCHANGES": "exchanges",
    "COMPANIES": "companies",
}
KEPT_ATTRIBUTES = {
    "OLDID": "oldid",
    "LEWISSPLIT": "lewissplit",
    "CGISPLIT": "cgisplit",
    "TOPICS": "topics_status",
}


def read_reuters(path: Path, text: str) -> Iterator[RawArticle | RecordError]:
    """Each <REUTERS> element as an article; a truncated one is reported and the next read."""
    text = remove_control_marks(text)
    starts = list(RECORD_START.finditer(text))
    line, counted = 1, 0
    for number, start in enumerate(starts, start=1):
        line += text.count("\n", counted, start.start())
        counted = start.start()
        locator = Locator(path=str(path), record=number, line=line)
        limit = starts[number].start() if number < len(starts) else len(text)
        end = text.find(RECORD_END, start.end(), limit)
        if end < 0:
            yield RecordError(locator, "truncated record: no </REUTERS> before the next record")
            continue
        yield parse_record(start.group(1), text[start.end() : end], locator)


def parse_record(attributes: str, inner: str, locator: Locator) -> RawArticle | RecordError:
    """One article from a <REUTERS> element's attributes and content."""
    attrs = {name.upper(): value for name, value in ATTRIBUTE.findall(attributes)}
    if not attrs.get("NEWID", "").strip():
        return RecordError(locator, "malformed record: no NEWID attribute")
    parts = find_elements(inner, RECORD_TAGS)
    if "TEXT" not in parts:
        return RecordError(locator, "malformed record: no <TEXT> element")
    content = parts["TEXT"][1]
    text_parts = {tag: text for tag, (_, text) in find_elements(content, TEXT_TAGS).items()}
    title, body = read_title_and_body(text_parts, content)
    byline = parse_byline(unescape(text_parts.get("AUTHOR", "")))
    if not (title or body):
        return RecordError(locator, "record has neither a title nor text")
    return RawArticle(
        locator=locator,
        title=title,
        body=body,
        date_text=parts["DATE"][1].strip() if "DATE" in parts else "",
        source_id=attrs["NEWID"].strip(),
        source="Reuters",
        # "By Greg McCune, Reuters": the reporter and the agency.
        author=byline[0],
        agency=byline[1],
        # "NEW YORK, March 2 - " names the place; the date is the record's, the dash the wire's.
        dateline=parse_dateline(unescape(text_parts.get("DATELINE", ""))) or None,
        extra=collect_extra(attrs, parts),
    )


def collect_extra(attrs: dict[str, str], parts: dict[str, tuple[str, str]]) -> dict[str, object]:
    """The editors' labels, the record's split attributes and its text type."""
    extra: dict[str, object] = {
        key: attrs[name] for name, key in KEPT_ATTRIBUTES.items() if name in attrs
    }
    for tag, key in LABELS.items():
        extra[key] = read_label_items(parts[tag][1]) if tag in parts else []
    extra["text_type"] = dict(ATTRIBUTE.findall(parts["TEXT"][0])).get("TYPE", "NORM")
    return extra


def find_elements(content: str, tags: tuple[str, ...]) -> dict[str, tuple[str, str]]:
    """The first complete element of each tag: its attribute text and its content."""
    elements: dict[str, tuple[str, str]] = {}
    for tag in tags:
        found = find_element(content, tag)
        if found is not None:
            elements[tag] = found
    return elements


def find_element(content: str, tag: str) -> tuple[str, str] | None:
    """The attribute text and content of the first <tag ...>...</tag>, if it is closed."""
    # str.find is many times faster than one regular expression over every record.
    start = content.find(f"<{tag}")
    while start >= 0 and content[start + len(tag) + 1 : start + len(tag) + 2] not in (">", " "):
        start = content.find(f"<{tag}", start + 1)
    if start < 0:
        return None
    open_end = content.find(">", start)
    close = content.find(f"</{tag}>", open_end)
    if open_end < 0 or close < 0:
        return None
    return content[start + len(tag) + 1 : open_end], content[open_end + 1 : close]


def read_title_and_body(parts: dict[str, str], content: str) -> tuple[str, str]:
    """Title and body of a <TEXT>; UNPROC texts have no tags, their first line is the title."""
    title = " ".join(unescape(parts.get("TITLE", "")).split())
    if "BODY" in parts:
        return title, clean_body(parts["BODY"])
    if title:
        # BRIEF records: the title is all; the text around it is filler ("Blah blah blah.").
        return title, ""
    lines = clean_body(ANY_TAG.sub("", content)).split("\n", 1)
    rest = lines[1].strip() if len(lines) > 1 else ""
    return " ".join(lines[0].split()), rest


def read_label_items(labels: str) -> list[str]:
    """The <D> items of one label element (topics, places, ...), unescaped."""
    if "<D>" not in labels:
        return []
    return [unescape(item).strip() for item in LABEL_ITEM.findall(labels) if item.strip()]


def clean_body(raw: str) -> str:
    """Body text without entities or the closing 'Reuter' sign-off."""
    body = unescape(raw).strip()
    # Some stories were signed off twice ("REUTER" then " Reuter"), so strip until none is left.
    while sign_off := SIGN_OFF.search(body, max(0, len(body) - SIGN_OFF_TAIL)):
        body = body[: sign_off.start()].rstrip()
    return body


def remove_control_marks(text: str) -> str:
    """Drop control characters and their entities; DEL, a garbled character, becomes a space."""
    # DEL stands mostly where a space was ("yen&#127;dollar"), so a space keeps words apart.
    text = text.replace("&#127;", " ").replace("\x7f", " ")
    return CONTROL_CHARACTER.sub("", CONTROL_ENTITY.sub("", text))


def unescape(text: str) -> str:
    """Replace SGML entities (&lt; &amp; &#38; ...) by the characters they stand for."""
    return ENTITY.sub(replace_entity, text) if "&" in text else text


def replace_entity(match: re.Match[str]) -> str:
    """The text one entity stands for; control characters come out as nothing."""
    number, name = match.groups()
    if name is not None:
        return NAMED_ENTITIES.get(name, match.group(0))
    code = int(number)
    if code < 32 and code not in (9, 10) or code == 127:
        return ""
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
