"""Wire boilerplate that names people the story is not about: photo credits, bylines,
slideshow labels. It is blanked out (same length, so every offset holds) before names are
looked for."""

from __future__ import annotations

import re

# "REUTERS/Jane Doe/File Photo", "AFP/Getty Images": a credit runs to the line's end.
PHOTO_CREDIT = re.compile(
    r"\b[A-Z]{2,}(?: [A-Z]{2,})?/ ?[A-Z][a-z][^\n]*"
    r"|\b(?:[A-Z][\w/-]*[ \t]+)+via[ \t]+[A-Z]{2,}\b[^\n]*"  # "Ritzau Scanpix/Jo Lund via REUTERS"
)
NAME = r"[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}"
# "Reporting by Jane Doe; Editing by John Roe", "(Additional reporting by ...)", "By Jane Doe".
BYLINE = re.compile(
    r"^[ \t(]*(?:(?:Additional |Further )?[Rr]eporting|Writing|Editing|Compiled|Produced"
    r"|Graphics?|Photos?|Video|Research|Translated|Edited|Written|Text|Report)"
    r"(?: and [a-z]+)? by\b[^\n]*"
    rf"|^[ \t]*By {NAME}(?: and {NAME})?[ \t]*$",
    re.MULTILINE,
)
NOT_NEWLINE = re.compile(r"[^\n]")
# "Our Standards: The Thomson Reuters Trust Principles.", a wire's closing line.
STANDARDS = re.compile(r"^[ \t]*Our Standards:[^\n]*", re.MULTILINE)
# "Slideshow (5 images)", "Gallery (12 photos)".
MEDIA_LABEL = re.compile(
    r"\b(?:Slideshow|Gallery|Photos|Pictures|Video)\s*\(\s*\d+\s+(?:images?|photos?|pictures?)\s*\)"
)


# A story's dateline: "NAIROBI (Reuters) -", "SAO PAULO, May 3 (AP) -". Its place is read
# for the country facet; as a name it is only ever an all-caps city taken for a company.
DATELINE = re.compile(
    r"(?:\A|\n[ \t]*\n)[ \t]*[A-Z][A-Z .'’-]{1,30}"  # the place
    r"(?:,[\w .]{1,30})?(?:\([^)\n]{1,40}\))?[ \t]*[-–—]"  # its date, the agency
)


def blank_boilerplate(text: str) -> str:
    """The text with its dateline, credits, bylines and media labels replaced by spaces."""
    if "/" not in text and " by" not in text.lower() and "(" not in text and " - " not in text \
            and "Our Standards" not in text:  # fmt: skip
        return text
    for pattern in (DATELINE, PHOTO_CREDIT, BYLINE, MEDIA_LABEL, STANDARDS):
        text = pattern.sub(_blank, text)
    return text


def _blank(match: re.Match[str]) -> str:
    return NOT_NEWLINE.sub(" ", match.group())  # line breaks stay: they end names
