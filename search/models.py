"""Plain data passed between the pipeline's stages; imports nothing of ours."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Precision = Literal["year", "month", "day", "time"]
EntityKind = Literal["actor", "country", "org"]
ENTITY_KINDS: tuple[EntityKind, ...] = ("actor", "country", "org")
FilterKind = Literal["actor", "country", "org", "source", "language"]
# Facets a search can select or exclude values of: the entities, the outlet, the language.
FILTER_KINDS: tuple[FilterKind, ...] = (*ENTITY_KINDS, "source", "language")
# An article has one source and one language: several selected values mean any of them.
ONE_VALUE_KINDS = frozenset({"source", "language"})


def default_operator(kind: str) -> Literal["and", "or"]:
    """How a facet's selected values combine unless the request says: all, or for a facet
    with one value per article, any."""
    return "or" if kind in ONE_VALUE_KINDS else "and"


# A lone surrogate (a file name's undecodable byte, JSON's "\ud800") cannot be encoded as
# UTF-8: left in text, it fails every page, export and feed that shows it.
SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """The text with each lone surrogate replaced by U+FFFD, as bad bytes are shown."""
    # isascii() is free (CPython flags ASCII strings), and ASCII holds no surrogate.
    if text.isascii() or not SURROGATE.search(text):
        return text
    return SURROGATE.sub("\ufffd", text)


@dataclass(frozen=True)
class Locator:
    """Where a record came from: a file and a record number or line within it."""

    path: str
    record: int | None = None
    line: int | None = None
    # The path under the folder the indexer was given (reuters/reut2-003.sgm), as pages show it.
    shown: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        parts = [self.path]
        if self.record is not None:
            parts.append(f"record {self.record}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ", ".join(parts)

    @property
    def shown_path(self) -> str:
        """The path as text that can be written anywhere: undecodable bytes as U+FFFD."""
        return without_surrogates(self.path)


@dataclass
class RawArticle:
    """One article as a reader found it: text fields, unparsed date, provenance."""

    locator: Locator
    title: str = ""
    body: str = ""
    date_text: str = ""
    source_id: str | None = None
    url: str | None = None
    source: str | None = None
    dateline: str | None = None
    author: str | None = None
    agency: str | None = None
    language: str | None = None
    # Entities the publisher already tagged (NITF, NewsML), by kind: "people", "orgs", "places".
    labels: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    merged: int = 0  # older records of the same page (crawl captures) this one stands for


@dataclass(frozen=True)
class RecordError:
    """A record that could not be read; named by its locator, with the reason."""

    locator: Locator
    reason: str

    def __str__(self) -> str:
        return f"{self.locator}: {self.reason}"


@dataclass(frozen=True)
class ParsedDate:
    """A date as UTC with its precision, or undated with the reason why."""

    value: datetime | None
    precision: Precision | None = None
    reason: str | None = None

    @property
    def is_dated(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Mention:
    """One place in the article's text that produced an entity value."""

    kind: EntityKind
    canonical: str
    surface: str
    field: Literal["title", "dateline", "body"]
    start: int
    end: int

    def to_row(self) -> list[Any]:
        """The mention as a compact JSON-ready row, as the index and the cache store it."""
        return [self.kind, self.canonical, self.surface, self.field, self.start, self.end]

    @classmethod
    def from_row(cls, row: list[Any]) -> Mention:
        """A mention from its stored row (the inverse of to_row)."""
        return cls(*row)


@dataclass
class Entities:
    """An article's canonical entity values and the mentions behind them."""

    actors: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    orgs: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    def values(self, kind: EntityKind) -> list[str]:
        """The canonical values of one kind."""
        return {"actor": self.actors, "country": self.countries, "org": self.orgs}[kind]


@dataclass
class Article:
    """An article ready for the index: id, text, parsed date and entities."""

    id: str
    title: str
    body: str
    date: ParsedDate
    content_hash: str
    locator: Locator
    url: str | None = None
    source: str | None = None
    dateline: str | None = None
    date_text: str = ""
    author: str | None = None
    agency: str | None = None
    language: str | None = None
    labels: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    entities: Entities = field(default_factory=Entities)


def article_record(article: Article, date_label: str | None) -> dict[str, Any]:
    """What every backend stores of an article beside its id, title, body and content hash
    (as JSON or pickled): the inverse of `article_from_record`."""
    moment = article.date.value
    entities = article.entities
    return {
        "date_label": date_label,
        "date_iso": moment.isoformat() if moment else None,
        "precision": article.date.precision,
        "date_reason": article.date.reason,
        "date_text": article.date_text,
        "url": article.url,
        "source": article.source,
        "dateline": article.dateline,
        "author": article.author,
        "agency": article.agency,
        "language": article.language,
        "labels": article.labels,
        # The path as shown: a name that is not UTF-8 must not break the pages showing it.
        "locator": [
            article.locator.shown_path,
            article.locator.record,
            article.locator.line,
            article.locator.shown,
        ],
        "extra": article.extra,
        "actors": entities.actors,
        "countries": entities.countries,
        "orgs": entities.orgs,
        "mentions": [mention.to_row() for mention in entities.mentions],
    }


def article_from_record(
    record: dict[str, Any], article_id: str, title: str, body: str, content_hash: str
) -> Article:
    """Rebuild an Article from its stored record (the inverse of `article_record`)."""
    moment = datetime.fromisoformat(record["date_iso"]) if record["date_iso"] else None
    return Article(
        id=article_id,
        title=title,
        body=body,
        date=ParsedDate(moment, record["precision"], record["date_reason"]),
        content_hash=content_hash,
        locator=Locator(*record["locator"]),
        url=record["url"],
        source=record["source"],
        dateline=record["dateline"],
        date_text=record["date_text"],
        # Records written before these fields existed read as "not known".
        author=record.get("author"),
        agency=record.get("agency"),
        language=record.get("language"),
        labels=record.get("labels") or {},
        extra=record["extra"],
        entities=Entities(
            actors=list(record["actors"]),
            countries=list(record["countries"]),
            orgs=list(record["orgs"]),
            mentions=[Mention.from_row(row) for row in record["mentions"]],
        ),
    )


@dataclass
class SearchRequest:
    """What a user asked for: query text, facet filters, date range, sort, page."""

    query: str = ""
    actor: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    org: list[str] = field(default_factory=list)
    source: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    not_actor: list[str] = field(default_factory=list)
    not_country: list[str] = field(default_factory=list)
    not_org: list[str] = field(default_factory=list)
    not_source: list[str] = field(default_factory=list)
    not_language: list[str] = field(default_factory=list)
    actor_op: Literal["and", "or"] = "and"
    country_op: Literal["and", "or"] = "and"
    org_op: Literal["and", "or"] = "and"
    source_op: Literal["and", "or"] = "or"
    language_op: Literal["and", "or"] = "or"
    since: datetime | None = None
    until: datetime | None = None
    sort: Literal["relevance", "newest", "oldest"] = "relevance"
    page: int = 1
    per_page: int = 20

    def included(self, kind: FilterKind) -> list[str]:
        """Selected values of one facet."""
        values: list[str] = getattr(self, kind)
        return values

    def excluded(self, kind: FilterKind) -> list[str]:
        """Excluded values of one facet."""
        values: list[str] = getattr(self, f"not_{kind}")
        return values

    def operator(self, kind: FilterKind) -> Literal["and", "or"]:
        """How several selected values of one facet combine: all of them, or any."""
        combination: Literal["and", "or"] = getattr(self, f"{kind}_op")
        return combination


@dataclass
class Hit:
    """One search result as the API shows it."""

    id: str
    title: str
    date: str | None
    actors: list[str]
    countries: list[str]
    orgs: list[str]
    snippet: str
    url: str | None
    source: str | None = None
    language: str | None = None


@dataclass
class FacetValue:
    """One value of a facet with the number of matching articles."""

    value: str
    count: int


@dataclass
class SearchPage:
    """The answer to a SearchRequest: one page of hits, total and facet counts."""

    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    archive_total: int  # articles in the whole archive: 0 when nothing is indexed yet
    days: list[FacetValue] = field(default_factory=list)  # when the range is one month
    # Shards of a distributed backend that did not answer: when any is named, the page is
    # partial (its total and counts cover the other shards only) and says so.
    missing_shards: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.missing_shards)

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.request.per_page))


@dataclass
class RelatedValue:
    """An entity value seen with another one, and how much more often than chance."""

    kind: EntityKind
    value: str
    together: int
    lift: float


@dataclass
class EntityProfile:
    """What the archive says about one actor, country or organisation."""

    kind: EntityKind
    name: str
    total: int
    first_seen: str | None
    last_seen: str | None
    months: list[FacetValue]
    related: dict[str, list[RelatedValue]]
    latest: list[Hit]
    # As SearchPage's: shards that did not answer, whose articles the counts leave out.
    missing_shards: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.missing_shards)


@dataclass
class IndexReport:
    """What an index run did: counts, failures with locators, and time taken."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # articles an edited file no longer holds
    merged: int = 0  # older captures of a crawled page, read but folded into the newest
    failures: list[RecordError] = field(default_factory=list)
    warnings: list[RecordError] = field(default_factory=list)
    seconds: float = 0.0
    cached: int = 0  # articles whose entities came from the extraction cache
    stage: str = ""  # what the run is doing now, for a progress display
    done: int = 0  # articles through the current stage
    todo: int = 0  # articles the run writes

    @property
    def failed(self) -> int:
        return len(self.failures)

    @property
    def seen(self) -> int:
        return self.added + self.updated + self.unchanged + self.failed
