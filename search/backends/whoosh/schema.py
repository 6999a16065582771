"""The Whoosh schema, and the conversion between an Article and a stored document."""

from __future__ import annotations

from typing import Any

from whoosh.analysis import LanguageAnalyzer, StemmingAnalyzer
from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from search.backends.whoosh.postings import ArrayPositions
from search.models import Article, article_from_record, article_record

# Facet name -> index field. Every facet is counted, filtered and shown the same way.
FACET_FIELDS = {
    "actor": "actor",
    "country": "country",
    "org": "org",
    "date": "month",
    "source": "source",
    "language": "language",
}
TEXT_FIELDS = ("title", "body")
TITLE_BOOST = 2.0
# Languages Whoosh has a stemmer for, besides English: their articles' words are indexed
# in fields of their own (title_fr, body_fr), stemmed and stop-listed as that language.
STEMMED_LANGUAGES = (
    "ar",
    "da",
    "de",
    "es",
    "fi",
    "fr",
    "hu",
    "it",
    "nl",
    "no",
    "pt",
    "ro",
    "ru",
    "sv",
)


def text_fields(language: str | None) -> tuple[str, str]:
    """The title and body fields that index an article in this language."""
    if language in STEMMED_LANGUAGES:
        return f"title_{language}", f"body_{language}"
    return TEXT_FIELDS


LANGUAGE_TEXT_FIELDS = tuple(name for lang in STEMMED_LANGUAGES for name in text_fields(lang))
ALL_TEXT_FIELDS = frozenset(TEXT_FIELDS + LANGUAGE_TEXT_FIELDS)


def searched_fields(reader: Any) -> list[str]:
    """The text fields a query looks in: title and body, and each language's that hold words.

    An archive in English alone searches exactly title and body, as before languages.
    """
    return [*TEXT_FIELDS, *(name for name in LANGUAGE_TEXT_FIELDS if reader.field_length(name))]


def language_fields() -> dict[str, TEXT]:
    """A title and a body field per stemmed language; the text itself is stored once, in
    title and body."""
    fields = {}
    for language in STEMMED_LANGUAGES:
        analyzer = LanguageAnalyzer(language)
        title, body = text_fields(language)
        fields[title] = text_field(analyzer, field_boost=TITLE_BOOST, stored=False)
        fields[body] = text_field(analyzer, stored=False)
    return fields


def build_schema() -> Schema:
    """The index's fields: text to search, entity keywords to facet, dates to filter and sort."""
    text = StemmingAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=text_field(text, field_boost=TITLE_BOOST),
        body=text_field(text),
        **language_fields(),
        # Canonical entity values, exact case; commas separate values so names keep spaces.
        actor=KEYWORD(stored=True, commas=True, lowercase=False, scorable=True),
        country=KEYWORD(stored=True, commas=True, lowercase=False, scorable=True),
        org=KEYWORD(stored=True, commas=True, lowercase=False, scorable=True),
        month=ID(stored=True),
        # The outlet or feed, and the language code: one value per article, exact.
        source=ID,
        language=ID,
        # Columns only, not indexed: dates are filtered and sorted over per-searcher arrays,
        # so range terms (four per 64-bit number) would cost indexing time for nothing.
        dated=COLUMN(NumericColumn("B", default=0)),
        timestamp=COLUMN(NumericColumn("q", default=0)),
        content_hash=ID(stored=True, sortable=True),
        record=STORED,
    )


def add_missing_fields(ix: Any) -> None:
    """Give an index written by an earlier version the fields this one writes (source,
    language, the languages' text): empty for its articles until they are written again."""
    missing = [(name, field) for name, field in build_schema().items() if name not in ix.schema]
    if not missing:
        return
    writer = ix.writer()
    for name, field in missing:
        writer.add_field(name, field)
    writer.commit()


def text_field(analyzer: Any, field_boost: float = 1.0, stored: bool = True) -> TEXT:
    """A text field whose word positions are stored as arrays (ArrayPositions)."""
    field = TEXT(stored=stored, analyzer=analyzer, field_boost=field_boost)
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
        **text_values(article),
        "actor": _keywords(entities.actors),
        "country": _keywords(entities.countries),
        "org": _keywords(entities.orgs),
        "month": month,
        "source": article.source or None,
        "language": article.language or None,
        # Undated articles get a real value in every sortable column: Whoosh's
        # placeholder for a missing number (2**64-1) overflows when read back.
        "dated": 1 if moment else 0,
        "timestamp": int(moment.timestamp()) if moment else 0,
        "content_hash": article.content_hash,
        "record": article_record(article, date_label),
    }


def text_values(article: Article) -> dict[str, str]:
    """Title and body in the fields of the article's language, stored in title and body."""
    title, body = text_fields(article.language)
    if (title, body) == TEXT_FIELDS:
        return {"title": article.title, "body": article.body}
    # Indexed in their language's fields only: English stems of French words find nothing.
    return {
        title: article.title,
        body: article.body,
        "title": "",
        "body": "",
        "_stored_title": article.title,
        "_stored_body": article.body,
    }


def document_to_article(fields: dict[str, Any]) -> Article:
    """Rebuild an Article from a stored document (the inverse of article_to_document)."""
    return article_from_record(
        fields["record"], fields["id"], fields["title"], fields["body"], fields["content_hash"]
    )
