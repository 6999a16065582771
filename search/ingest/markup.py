"""HTML fragments to plain paragraphs, and the character set a page's bytes declare."""

from __future__ import annotations

import codecs
import re

import lxml.etree
import lxml.html

from search.errors import InputError
from search.ingest.decoding import decode_bytes, split_bom

# Elements that end a paragraph: their text is never run together with the next one's.
BLOCK_TAGS = (
    *("p", "div", "br", "li", "blockquote", "pre", "tr", "table", "figcaption"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd"),
    *("section", "article", "header", "footer"),
)
DROPPED_TAGS = ("script", "style", "noscript", "template")
DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
CHARSET_SNIFF_BYTES = 4096
SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def html_to_text(fragment: str) -> str:
    """A fragment of HTML as text, one paragraph per block element, blank lines between."""
    if "<" not in fragment:
        return normalise_paragraphs(lxml.html.fromstring(f"<p>{fragment}</p>").text_content())
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for dropped in root.iter(*DROPPED_TAGS):
        dropped.drop_tree()
    for element in root.iter(*BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
    return normalise_paragraphs(root.text_content())


def normalise_paragraphs(text: str) -> str:
    """Paragraphs with single spaces inside and one blank line between them."""
    paragraphs = (
        SPACES.sub(" ", " ".join(block.split("\n"))).strip() for block in re.split(r"\n\s*\n", text)
    )
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


def declared_charset(data: bytes) -> str | None:
    """The character set a page's <meta> or XML declaration names, if it names one."""
    head = data[:CHARSET_SNIFF_BYTES]
    found = DECLARED_CHARSET.search(head) or XML_ENCODING.search(head)
    return found.group(1).decode("ascii").lower() if found else None


def decode_markup(data: bytes, charset: str | None = None) -> str:
    """A page's text in the character set it (or its HTTP header) declares, else as UTF-8.

    InputError when the page declares a character set Python does not know and is not UTF-8:
    guessing would index unreadable text.
    """
    bom, _ = split_bom(data)
    charset = None if bom else (charset or declared_charset(data))
    if charset is None:
        return decode_bytes(data)
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(
                f"unknown character set {charset!r} declared, and the text is not UTF-8"
            ) from None
    if codec in ("utf-8", "ascii", "latin-1", "iso8859-1", "cp1252"):
        return decode_bytes(data)  # pages labelled Latin-1 are Windows-1252 in practice
    return data.decode(codec, errors="replace").replace("\x00", "")
