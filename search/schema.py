"""The Whoosh schema, and the conversion between an Article and a stored document."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from whoosh.analysis import StemmingAnalyzer
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from search.models import Article, Entities, Locator, Mention, ParsedDate
from search.postings import ArrayPositions

FACET_FIELDS = {"actor": "actor", "country": "country", "org": "org", "date": "month"}


def build_schema() -> Schema:
    """The index's fields: text to search, entity keywords to facet, dates to filter and sort."""
    text = StemmingAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=text_field(text, field_boost=2.0),
        body=text_field(text),
        # Canonical entity values, exact case; commas separate values so names keep spaces.
        actor=KEYWORD(stored=True, commas=True, lowercase=False, scorable=True),
        country=KEYWORD(stored=True, commas=True, lowercase=False, scorable=True),
        org=KEYWORD(stored=True, commas=True, lowercase=False, scorable=True),
        month=ID(stored=True),
        # Columns only, not indexed: dates are filtered and sorted over per-searcher arrays,
        # so range terms (four per 64-bit number) would cost indexing time for nothing.
        dated=COLUMN(NumericColumn("B", default=0)),
        timestamp=COLUMN(NumericColumn("q", default=0)),
        content_hash=ID(stored=True, sortable=True),
        record=STORED,
    )


def text_field(analyzer: Any, field_boost: float = 1.0) -> TEXT:
    """A stored text field whose word positions are stored as arrays (ArrayPositions)."""
    field = TEXT(stored=True, analyzer=analyzer, field_boost=field_boost)
    field.format = ArrayPositions(field_boost=field_boost)
    return field


def _keywords(values: list[str]) -> str:
    return ",".join(value.replace(",", " ") for value in values)


def article_to_document(article: Article, month: str, date_label: str | None) -> dict[str, Any]:
    """The fields Whoosh stores and indexes for one article."""
    moment = article.date.value
    entities = article.entities
    return {
        "id": article.id,
        "title": article.title,
        "body": article.body,
        "actor": _keywords(entities.actors),
        "country": _keywords(entities.countries),
        "org": _keywords(entities.orgs),
        "month": month,
        # Undated articles get a real value in every sortable column: Whoosh's
        # placeholder for a missing number (2**64-1) overflows when read back.
        "dated": 1 if moment else 0,
        "timestamp": int(moment.timestamp()) if moment else 0,
        "content_hash": article.content_hash,
        "record": {
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
        },
    }


def document_to_article(fields: dict[str, Any]) -> Article:
    """Rebuild an Article from a stored document (the inverse of article_to_document)."""
    record = fields["record"]
    moment = datetime.fromisoformat(record["date_iso"]) if record["date_iso"] else None
    entities = Entities(
        actors=list(record["actors"]),
        countries=list(record["countries"]),
        orgs=list(record["orgs"]),
        mentions=[Mention.from_row(row) for row in record["mentions"]],
    )
    return Article(
        id=fields["id"],
        title=fields["title"],
        body=fields["body"],
        date=ParsedDate(moment, record["precision"], record["date_reason"]),
        content_hash=fields["content_hash"],
        locator=Locator(*record["locator"]),
        url=record["url"],
        source=record["source"],
        dateline=record["dateline"],
        date_text=record["date_text"],
        # Indexes written before these fields existed read as "not known".
        author=record.get("author"),
        agency=record.get("agency"),
        language=record.get("language"),
        labels=record.get("labels") or {},
        extra=record["extra"],
        entities=entities,
    )
