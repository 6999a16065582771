"""Searching: a SearchRequest in, a SearchPage out; the live index opened and kept fresh."""

from __future__ import annotations

import threading
from html import escape
from pathlib import Path
from typing import Any

from whoosh import highlight, sorting
from whoosh import index as whoosh_index
from whoosh import query as whoosh_query
from whoosh.qparser import MultifieldParser

from search.errors import BadRequest, IndexMissing, NotFound
from search.facets import (
    FacetColumn,
    build_columns,
    count_facets,
    entity_filter,
    entity_mask,
    matching_documents,
)
from search.layout import current_generation
from search.models import Article, Hit, SearchPage, SearchRequest
from search.schema import day_number, document_to_article

SNIPPET_CHARS = 240
TEXT_FIELDS = ["title", "body"]


class SearchIndex:
    """The live index of a directory, reopened when an indexer commits or swaps in a rebuild."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._generation: Path | None = None
        self._searcher: Any = None
        self._columns: dict[str, FacetColumn] | None = None
        self._retired: list[Any] = []

    def searcher(self) -> Any:
        """A searcher on the newest committed index; cheap when nothing changed."""
        with self._lock:
            generation = current_generation(self.index_dir)
            if generation is None:
                raise IndexMissing(
                    f"no index in {self.index_dir}: run `newsarchive index PATH` first"
                )
            if generation != self._generation:
                self._replace(whoosh_index.open_dir(str(generation)).searcher())
                self._generation = generation
            elif not self._searcher.up_to_date():
                self._replace(self._searcher.refresh())
            return self._searcher

    def snapshot(self) -> tuple[Any, dict[str, FacetColumn]]:
        """The current searcher with its facet columns, built once per searcher."""
        searcher = self.searcher()
        with self._lock:
            if self._searcher is not searcher or self._columns is None:
                columns = build_columns(searcher.reader())
                if self._searcher is searcher:
                    self._columns = columns
                return searcher, columns
            return searcher, self._columns

    def _replace(self, searcher: Any) -> None:
        # Requests may still be reading the previous searcher: close the one before it.
        if self._searcher is not None and searcher is not self._searcher:
            self._retired.append(self._searcher)
        while len(self._retired) > 1:
            self._retired.pop(0).close()
        self._searcher = searcher
        self._columns = None

    def close(self) -> None:
        """Close every searcher this index has opened."""
        with self._lock:
            for searcher in [*self._retired, self._searcher]:
                if searcher is not None:
                    searcher.close()
            self._retired, self._searcher, self._generation = [], None, None


def run_search(index: SearchIndex, request: SearchRequest, facet_size: int = 30) -> SearchPage:
    """Run one search: the page of hits, the total, and facet counts over all matches."""
    searcher, columns = index.snapshot()
    text_query = parse_query(request.query, searcher.schema)
    request_filter, mask = build_filter(request), entity_mask(request)
    matched = matching_documents(searcher, text_query, request_filter, mask)
    results = searcher.search(
        text_query,
        filter=request_filter,
        mask=mask,
        limit=request.page * request.per_page,
        sortedby=sort_order(request, has_text=bool(request.query.strip())),
    )
    results.fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
    results.formatter = MarkFormatter(between=" … ")
    start = (request.page - 1) * request.per_page
    hits = [make_hit(hit) for hit in results[start : start + request.per_page]]
    total = int(matched.sum())
    return SearchPage(request, total, hits, count_facets(columns, matched, facet_size))


class MarkFormatter(highlight.HtmlFormatter):
    """Matches as bare <mark> tags; the text around them is escaped by the base class."""

    template = "<mark>%(t)s</mark>"


def parse_query(text: str, schema: Any) -> whoosh_query.Query:
    """The user's query through Whoosh's parser; an empty query matches every article."""
    if not text.strip():
        return whoosh_query.Every()
    check_syntax(text)
    parser = MultifieldParser(TEXT_FIELDS, schema)
    try:
        return parser.parse(text)
    except Exception as error:  # Whoosh raises assorted types for odd input
        raise BadRequest(f"Cannot understand the query {text!r}: {error}") from None


def check_syntax(text: str) -> None:
    """Reject what Whoosh would silently misread: unbalanced brackets or quotes, lone operators."""
    if text.count('"') % 2:
        raise BadRequest(
            'The query has an unmatched quote ("); close the phrase or remove the quote.'
        )
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            raise BadRequest("The query closes a bracket it never opened; remove the extra ')'.")
    if depth:
        raise BadRequest("The query opens a bracket it never closes; add ')' or remove the '('.")
    words = text.split()
    if words[-1] in ("AND", "OR", "NOT") or words[0] in ("AND", "OR"):
        raise BadRequest(
            f"The query starts or ends with an operator in {text!r}; add a word to it."
        )


def build_filter(request: SearchRequest) -> whoosh_query.Query | None:
    """Selected facet values and the date range as one filter query."""
    parts = [q for q in (entity_filter(request), date_filter(request)) if q is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else whoosh_query.And(parts)


def date_filter(request: SearchRequest) -> whoosh_query.Query | None:
    """Since/until as a range over day numbers, which undated articles never match."""
    if request.since is None and request.until is None:
        return None
    low = day_number(request.since) if request.since else None
    high = day_number(request.until) if request.until else None
    if low is not None and high is not None and low > high:
        raise BadRequest("'since' is after 'until'; swap them or widen the range.")
    return whoosh_query.NumericRange("day", low, high)


def sort_order(request: SearchRequest, has_text: bool) -> Any:
    """Relevance needs no sort; newest/oldest sort dated articles by time, undated last."""
    if request.sort == "relevance" and has_text:
        return None
    newest = request.sort != "oldest"
    return sorting.MultiFacet(
        [sorting.FieldFacet("dated", reverse=True), sorting.FieldFacet("timestamp", reverse=newest)]
    )


def make_hit(hit: Any) -> Hit:
    """One result: stored fields plus a highlighted, escaped snippet."""
    record = hit["record"]
    snippet = hit.highlights("body", top=2) or hit.highlights("title")
    if not snippet:
        snippet = escape(_lead(hit["body"]), quote=False)
    return Hit(
        id=hit["id"],
        title=hit["title"],
        date=record["date_label"],
        actors=record["actors"],
        countries=record["countries"],
        orgs=record["orgs"],
        snippet=snippet,
        url=record["url"],
    )


def _lead(body: str) -> str:
    text = " ".join(body.split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def get_article(index: SearchIndex, article_id: str) -> Article:
    """One whole article by id."""
    fields = index.searcher().document(id=article_id)
    if fields is None:
        raise NotFound(f"No article with id {article_id!r}; search for it instead.")
    return document_to_article(fields)


def collect_stats(index: SearchIndex, top: int = 10) -> dict[str, Any]:
    """What the archive holds: article count, date range, undated count, top entities."""
    page = run_search(index, SearchRequest(per_page=1, sort="oldest"), facet_size=top)
    newest = run_search(index, SearchRequest(per_page=1, sort="newest"), facet_size=0)
    undated = sum(v.count for v in page.facets["date"] if v.value == "undated")
    dated = page.total - undated
    return {
        "articles": page.total,
        "first_date": page.hits[0].date if dated else None,
        "last_date": newest.hits[0].date if dated else None,
        "undated": undated,
        "actors": [vars(v) for v in page.facets["actor"]],
        "countries": [vars(v) for v in page.facets["country"]],
        "orgs": [vars(v) for v in page.facets["org"]],
        "months": len([v for v in page.facets["date"] if v.value != "undated"]),
    }
