"""The start of a story: its byline ("By Jane Doe, Associated Press") and its dateline
("MOSCOW (Reuters) -", "WASHINGTON, March 3 -", "LONDON, Jan 5 (AP) —"), read off the body.

Every format's body goes through `split_lead`: the place becomes the article's dateline
(which the country facet reads), the agency and the author become fields, and the body
keeps only the story. The patterns are general ones, and strict: a story's first sentence
is never cut, so a lead that is not plainly a dateline or a byline stays in the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTH = (  # in any case: the wire wrote "FEb 26" too
    r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# "March 3", "Jan. 5, 2021", "5 January", "Tuesday": the day a story was filed.
DATE = (
    rf"(?:{MONTH}[ \t]+\d{{1,2}}(?:,?[ \t]+\d{{4}})?"
    rf"|\d{{1,2}}[ \t]+{MONTH}(?:[ \t]+\d{{4}})?|{WEEKDAY})"
)
SHOUTED_PLACE = r"[A-Z][A-Z.'’-]*(?:[ \t]+[A-Z][A-Z.'’-]*){0,3}"
TITLED_PLACE = r"[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){0,2}"
# A state or country after the city: "PORTLAND, Ore.", "Copenhagen, Denmark", "ROCHESTER, N.Y."
REGION = rf"(?!{MONTH}[ \t]+\d|{WEEKDAY})[A-Z][A-Za-z.]*(?:[ \t]+[A-Z][A-Za-z.]*)?"
AGENCY = r"[A-Za-z][A-Za-z&'’ -]{0,38}[A-Za-z]"
DASH = r"[ \t]*(?:--?|[–—])\s+"  # the story may start on the next line
# A shouted place may stand alone before the dash ("LONDON —"); a place in title case needs
# a date or an agency, or must be a short plain name ("Madrid - ") that is not a sentence.
DATELINE = re.compile(
    rf"[ \t]*(?P<place>{SHOUTED_PLACE}(?:,[ \t]+{REGION})?)(?![a-z])"
    rf"(?:,?[ \t]+(?P<date>{DATE}))?(?:[ \t]*\((?P<agency>{AGENCY})\))?{DASH}"
    rf"|[ \t]*(?P<titled>(?!(?:The|A|An|This|That|These|Those|Our|Its|In|On|At)\b){TITLED_PLACE}"
    rf"(?:,[ \t]+{REGION})?)"
    rf"(?:(?:,?[ \t]+(?P<titled_date>{DATE}))?(?:[ \t]*\((?P<titled_agency>{AGENCY})\))?){DASH}"
)
NAME_WORD = r"[A-Z][\w'’.-]*"
NAME = rf"{NAME_WORD}(?:[ \t]+{NAME_WORD}){{0,3}}"
# "By Jane Doe", "By JANE DOE and John Roe, Associated Press Writer": a line of its own.
BYLINE = re.compile(
    rf"[ \t]*By[ \t]+(?P<author>{NAME}(?:(?:,[ \t]*|[ \t]+and[ \t]+){NAME})*?)"
    rf"(?:,[ \t]+(?P<agency>{NAME}))?[ \t]*(?:\n|\Z)"
)
ROLE = re.compile(  # "Associated Press Writer": the agency without the author's job
    r"(?:[ \t]+(?:Staff|Senior|Chief|Special))?"
    r"[ \t]+(?:Writer|Correspondent|Reporter|Editor|Staff)s?\Z"
)
AGENCY_WORDS = re.compile(r"\b(?:Press|News|Agency|Reuters|Service|Wire|Times|Post|Staff)\b")
LEADING_SPACE = re.compile(r"\s*")
BY = re.compile(r"\Aby\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Lead:
    """What the start of a body said, and the body without it."""

    body: str
    place: str | None = None
    author: str | None = None
    agency: str | None = None


def split_lead(body: str) -> Lead:
    """The body's byline and dateline, taken off its start; the body unchanged if it has none."""
    start = LEADING_SPACE.match(body).end()  # type: ignore[union-attr]
    author = agency = place = None
    byline = BYLINE.match(body, start)
    if byline:
        author, agency = read_byline(byline)
        start = LEADING_SPACE.match(body, byline.end()).end()  # type: ignore[union-attr]
    dateline = DATELINE.match(body, start)
    if dateline and not ends_sentence(body, dateline):
        place = clean_place(dateline.group("place") or dateline.group("titled"))
        agency = dateline.group("agency") or dateline.group("titled_agency") or agency
        start = dateline.end()
    if start == 0 or not (author or agency or place):
        return Lead(body)
    return Lead(body[start:], place, author, agency)


def read_byline(match: re.Match[str]) -> tuple[str | None, str | None]:
    """A byline's author and agency; an agency alone ("By Reuters Staff") is no author."""
    author, agency = match.group("author"), match.group("agency")
    if agency:
        agency = ROLE.sub("", agency).strip() or None
    if AGENCY_WORDS.search(author) and not agency:
        return None, ROLE.sub("", author).strip()
    return author.strip(), agency


def ends_sentence(body: str, dateline: re.Match[str]) -> bool:
    """True when no story follows the dash: nothing, or, after a place with neither date nor
    agency, a word in lower case that goes on a sentence ("Hannah Becker - the economist")."""
    following = body[dateline.end() : dateline.end() + 1]
    dated = any(dateline.group(name) for name in ("date", "agency", "titled_date", "titled_agency"))
    return not following.strip() or (following.islower() and not dated)


def clean_place(place: str) -> str:
    """A dateline's place as written, without surrounding space or a trailing comma."""
    return place.strip().rstrip(",").strip()


def parse_byline(text: str) -> tuple[str | None, str | None]:
    """The author and agency of a byline given on its own ("by Jane Doe, Reuters")."""
    words = " ".join(BY.sub("", text.strip()).split())
    match = BYLINE.match(f"By {words}")
    if match:
        return read_byline(match)
    return words or None, None


def parse_dateline(text: str) -> str:
    """The place of a dateline given on its own ("NEW YORK, March 2 -"), else the text tidied."""
    match = DATELINE.match(text.strip() + " x")
    if match:
        return clean_place(match.group("place") or match.group("titled"))
    return text.strip().rstrip("-–— ").strip()
