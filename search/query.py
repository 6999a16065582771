"""Searching: a SearchRequest in, a SearchPage out; the live index opened and kept fresh."""

from __future__ import annotations

import pickle
import re
import threading
from collections import Counter
from dataclasses import astuple, dataclass, field, replace
from html import escape
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as whoosh_query
from whoosh.qparser import MultifieldParser

from search.bounded import BoundedCache
from search.errors import BadRequest, IndexMissing, NotFound
from search.facets import (
    ArchiveArrays,
    build_arrays,
    count_days,
    count_facets,
    documents_with,
    related_values,
    score_documents,
    spans_one_month,
    top_scored,
)
from search.layout import current_generation
from search.matching import Matches, PostingsCache, PostingsReader
from search.models import (
    Article,
    EntityKind,
    EntityProfile,
    Hit,
    SearchPage,
    SearchRequest,
)
from search.schema import document_to_article
from search.snippets import WordStems, make_snippet

SNIPPET_CHARS = 240
MAX_EXPANDED_TERMS = 100  # words all wildcard and fuzzy terms of a query may stand for
LATEST_SIZE = 10
SUGGESTION_DISTANCE = 2
MIN_RESPELL_LENGTH = 4
LONG_WORD = 6
# Plain words outside quotes and field prefixes; only these are respelt.
WORD = re.compile(r'(?<![\w:*"?])[A-Za-z]+(?![\w:*?])')
TEXT_FIELDS = ["title", "body"]


STORED_DOCUMENTS = 2048  # documents' hit fields kept per index version: ~3 kB each on Reuters


@dataclass
class IndexVersion:
    """What every thread shares for one committed version of the index.

    All of it is read-only once made, or a thread-safe bounded cache; a new version (an
    incremental commit or a swapped-in rebuild) gets a new one, so nothing read from an
    older version is ever served after the swap.
    """

    key: tuple[str, int]  # the generation's directory and the reader's commit generation
    arrays: ArchiveArrays
    postings: PostingsCache
    documents: BoundedCache[dict[str, Any]]  # what a hit shows, by document number
    results: BoundedCache[bytes]  # whole pages, pickled, by normalised request
    stems: WordStems = field(default_factory=WordStems)  # for snippets


@dataclass
class IndexView:
    """One thread's view of the live index: its own searcher, the version's shared state."""

    searcher: Any
    arrays: ArchiveArrays  # the version's arrays with this thread's PostingsReader
    version: IndexVersion

    def stored_fields(self, document: int) -> dict[str, Any]:
        """What a hit shows of a document, read once per version (shared: never change it)."""
        fields = self.version.documents.get(document)
        if fields is None:
            fields = self.version.documents.put(
                document, hit_fields(self.searcher.stored_fields(document))
            )
        return fields


class SearchIndex:
    """The live index of a directory, reopened when an indexer commits or swaps in a rebuild.

    Each thread gets its own Whoosh searcher: a searcher's posting readers seek and read
    one shared file, so two threads on one searcher read each other's blocks. Opening one
    costs milliseconds (segments are separate files, mapped, not copied). What is read
    from a version (per-document arrays, posting arrays, stored fields, and with
    `result_cache_bytes` whole result pages) is kept once per version for every thread.
    """

    def __init__(self, index_dir: Path, result_cache_bytes: int = 0) -> None:
        self.index_dir = Path(index_dir)
        self.result_cache_bytes = result_cache_bytes
        self._lock = threading.Lock()
        self._local = threading.local()
        self._opened: list[Any] = []  # every searcher opened, so close() can close them
        self._versions: dict[tuple[str, int], IndexVersion] = {}

    def searcher(self) -> Any:
        """This thread's searcher on the newest committed index; cheap when nothing changed."""
        generation = current_generation(self.index_dir)
        if generation is None:
            raise IndexMissing(f"no index in {self.index_dir}: run `newsarchive index PATH` first")
        local = self._local
        searcher = getattr(local, "searcher", None)
        if searcher is None or local.generation != generation:
            if searcher is not None:  # only this thread ever used it
                self._untrack(searcher)
            fresh = whoosh_index.open_dir(str(generation)).searcher()
        elif not searcher.up_to_date():
            # The refreshed searcher takes over the segment readers it still needs and
            # closes the others: the old one must not be closed again, nor kept.
            fresh = searcher.refresh()
            self._untrack(searcher, close=False)
        else:
            return searcher
        self._track(fresh)
        local.searcher, local.generation, local.view = fresh, generation, None
        return fresh

    def view(self) -> IndexView:
        """This thread's searcher with the shared state of its index version."""
        searcher = self.searcher()
        local = self._local
        if local.view is None:
            version = self._version((str(local.generation), searcher.reader().generation()))
            arrays = replace(version.arrays, postings=PostingsReader(searcher, version.postings))
            local.view = IndexView(searcher, arrays, version)
        view: IndexView = local.view
        return view

    def snapshot(self) -> tuple[Any, ArchiveArrays]:
        """This thread's searcher with the per-document arrays of its index version."""
        view = self.view()
        return view.searcher, view.arrays

    def _version(self, key: tuple[str, int]) -> IndexVersion:
        with self._lock:
            version = self._versions.get(key)
            if version is None:
                version = IndexVersion(
                    key,
                    build_arrays(self._local.searcher.reader()),
                    PostingsCache(),
                    BoundedCache(STORED_DOCUMENTS),
                    BoundedCache(self.result_cache_bytes, weigh=len),
                )
                self._versions = {key: version}  # older versions' state goes
        return version

    def _track(self, searcher: Any) -> None:
        with self._lock:
            self._opened.append(searcher)

    def _untrack(self, searcher: Any, close: bool = True) -> None:
        with self._lock:
            if searcher in self._opened:
                self._opened.remove(searcher)
                if close:
                    searcher.close()

    def close(self) -> None:
        """Close every searcher this index has opened."""
        with self._lock:
            for searcher in self._opened:
                searcher.close()
            self._opened, self._versions = [], {}
            self._local = threading.local()


def hit_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The stored fields a hit and its snippet need, as strings and tuples only.

    Kept for thousands of documents: without the mentions and with tuples for lists,
    the garbage collector soon stops tracking them (a full collection walks every
    tracked object, and took 100-170 ms with the caches full of lists and dicts).
    """
    record = fields["record"]
    return {
        "id": fields["id"],
        "title": fields["title"],
        "body": fields["body"],
        "record": {
            "date_label": record["date_label"],
            "actors": tuple(record["actors"]),
            "countries": tuple(record["countries"]),
            "orgs": tuple(record["orgs"]),
            "url": record["url"],
        },
    }


def run_search(index: SearchIndex, request: SearchRequest, facet_size: int = 30) -> SearchPage:
    """Run one search: the page of hits, the total, and facet counts over all matches.

    With a result cache, a request asked before on the same index version gets a copy of
    the page answered then; a new version starts with an empty cache. Pages are kept
    pickled: ~0.1 ms to load, their size known exactly, and nothing for the garbage
    collector to walk.
    """
    view = index.view()
    results = view.version.results
    key = (request_key(request), facet_size)
    kept = results.get(key) if results.budget else None
    if kept is not None:
        page: SearchPage = pickle.loads(kept)
        return page
    page = search_version(view, request, facet_size)
    if results.budget:
        results.put(key, pickle.dumps(page, pickle.HIGHEST_PROTOCOL))
    return page


def request_key(request: SearchRequest) -> tuple[Any, ...]:
    """Everything a SearchRequest asks, as a hashable tuple: equal requests, equal keys."""
    return tuple(tuple(value) if isinstance(value, list) else value for value in astuple(request))


def search_version(view: IndexView, request: SearchRequest, facet_size: int) -> SearchPage:
    """Run one search on one version of the index, without the result cache."""
    searcher, arrays = view.searcher, view.arrays
    text_query = parse_query(request.query, searcher.schema)
    check_expansions(text_query, searcher.reader())
    check_date_range(request)
    found = score_documents(searcher, arrays, text_query, request)
    matched = found.mask
    start, end = (request.page - 1) * request.per_page, request.page * request.per_page
    documents = ordered_documents(arrays, found, request, end)[start:end].tolist()
    total = int(matched.sum())
    hits = [
        make_hit(fields, snippet) for fields, snippet in with_snippets(view, text_query, documents)
    ]
    facets = count_facets(arrays.columns, matched, facet_size)
    days = count_days(searcher, arrays, matched) if spans_one_month(request) else []
    return SearchPage(request, total, hits, facets, days)


def list_hits(index: SearchIndex, request: SearchRequest, limit: int) -> list[Hit]:
    """Up to `limit` matches in the request's order, without highlighting: for exports."""
    view = index.view()
    searcher, arrays = view.searcher, view.arrays
    text_query = parse_query(request.query, searcher.schema)
    check_expansions(text_query, searcher.reader())
    check_date_range(request)
    found = score_documents(searcher, arrays, text_query, request)
    documents = ordered_documents(arrays, found, request, limit)[:limit].tolist()
    return [make_hit(view.stored_fields(d), None) for d in documents]


def suggest_query(index: SearchIndex, text: str) -> str | None:
    """The query with each word the index does not know respelt as a close one it does."""
    searcher = index.searcher()
    changed = False

    def respell(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(0)
        better = respell_word(searcher, word)
        changed = changed or better is not None
        return better or word

    suggestion = WORD.sub(respell, text)
    return suggestion if changed else None


def respell_word(searcher: Any, word: str) -> str | None:
    """A known word close to an unknown one, as it is written in the articles; else None."""
    if word in ("AND", "OR", "NOT") or len(word) < MIN_RESPELL_LENGTH:
        return None
    analyzer = searcher.schema["body"].analyzer
    stems = [token.text for token in analyzer(word)]
    if len(stems) != 1 or searcher.doc_frequency("body", stems[0]):
        return None
    # One edit is already a lot in a short word: 'boats' is not 'but'.
    distance = SUGGESTION_DISTANCE if len(word) >= LONG_WORD else 1
    corrector = searcher.corrector("body")
    for stem in corrector.suggest(stems[0], limit=3, maxdist=distance, prefix=1):
        surface = surface_form(searcher, stem)
        if surface:
            return surface.capitalize() if word[0].isupper() else surface
    return None


def surface_form(searcher: Any, stem: str) -> str | None:
    """How the articles write an indexed stem: its commonest form in one article holding it."""
    analyzer = searcher.schema["body"].analyzer
    for document in searcher.postings("body", stem).all_ids():
        body = searcher.stored_fields(document)["body"]
        forms = Counter(
            token.original.lower()
            for token in analyzer(body, keeporiginal=True)
            if token.text == stem
        )
        return forms.most_common(1)[0][0] if forms else None
    return None


def profile_entity(index: SearchIndex, kind: EntityKind, name: str) -> EntityProfile:
    """An entity's article count, first and last dates, months, company it keeps, latest news."""
    _, arrays = index.snapshot()
    mask = documents_with(arrays.columns[kind], name, len(arrays.timestamps))
    if mask is None:
        raise NotFound(f"No article mentions {name!r}; check the spelling or search for it.")
    newest = run_search(index, entity_request(kind, name, "newest", LATEST_SIZE), 0)
    oldest = run_search(index, entity_request(kind, name, "oldest", 1), 0)
    return EntityProfile(
        kind=kind,
        name=name,
        total=newest.total,
        first_seen=oldest.hits[0].date if oldest.hits else None,
        last_seen=newest.hits[0].date if newest.hits else None,
        months=newest.facets["date"],
        related=related_values(arrays, kind, name, mask),
        latest=newest.hits,
    )


def ordered_documents(
    arrays: ArchiveArrays, found: Matches, request: SearchRequest, count: int
) -> np.ndarray:
    """The first `count` matches in the request's order: by score, or by date."""
    if request.sort == "relevance" and request.query.strip():
        return top_scored(found, count)
    return arrays.by_date(np.flatnonzero(found.mask), request.sort != "oldest", count)


def with_snippets(
    view: IndexView, text_query: Any, documents: list[int]
) -> list[tuple[dict[str, Any], str | None]]:
    """Each document's stored fields and its snippet: the query's words marked in context.

    Highlighting reads only the page's documents and the query's own words; asking Whoosh
    to search again for them would walk every posting of the query.
    """
    searcher = view.searcher
    words = query_words(searcher, text_query)
    rows: list[tuple[dict[str, Any], str | None]] = []
    for document in documents:
        fields = view.stored_fields(document)
        snippet = mark_words(view, fields, "body", words, 2) or mark_words(
            view, fields, "title", words, 1
        )
        rows.append((fields, snippet or None))
    return rows


def query_words(searcher: Any, text_query: Any) -> dict[str, frozenset[str]]:
    """The indexed words of the query in each text field, wildcards expanded."""
    if isinstance(text_query, whoosh_query.Every):
        return {}
    # Query.existing_terms would do, but its loop variable shadows its field argument and
    # drops every field after the first: walk the leaves here.
    reader = searcher.reader()
    words: dict[str, set[str]] = {name: set() for name in TEXT_FIELDS}
    for leaf in text_query.leaves():
        if isinstance(leaf, whoosh_query.MultiTerm):
            terms = leaf.expanded_terms(reader)  # (field, text) pairs
        else:
            terms = leaf.iter_all_terms()
        for name, text in terms:
            if name in words:
                schema_field = searcher.schema[name]
                words[name].add(schema_field.from_bytes(text) if isinstance(text, bytes) else text)
    return {name: frozenset(found) for name, found in words.items()}


def mark_words(
    view: IndexView, fields: dict[str, Any], name: str, words: dict[str, frozenset[str]], top: int
) -> str:
    """A field's first fragments with the query's words in <mark>, or '' when none occur."""
    analyzer = view.version.stems.analyzer(name, view.searcher.schema[name].analyzer)
    return make_snippet(fields[name], words.get(name, frozenset()), analyzer, top, SNIPPET_CHARS)


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


def check_expansions(text_query: Any, reader: Any) -> None:
    """Refuse wildcard and fuzzy terms that stand for more words than a search can afford."""
    # Each word a wildcard expands to costs ~10 ms on 11,000 articles: `re*` is 826 words.
    expanded = 0
    for leaf in text_query.leaves():
        if isinstance(leaf, whoosh_query.MultiTerm):
            expanded += sum(1 for _ in islice(leaf.expanded_terms(reader), MAX_EXPANDED_TERMS))
            if expanded >= MAX_EXPANDED_TERMS:
                word = str(leaf).split(":", 1)[-1]  # the user's term, without its field
                raise BadRequest(
                    f"The wildcard or fuzzy term {word!r} matches too many words "
                    f"(more than {MAX_EXPANDED_TERMS}); add letters before the * or ?."
                )


def check_date_range(request: SearchRequest) -> None:
    """A range that ends before it starts is a mistake worth saying."""
    if request.since and request.until and request.since > request.until:
        raise BadRequest("'since' is after 'until'; swap them or widen the range.")


def make_hit(fields: dict[str, Any], snippet: str | None) -> Hit:
    """One result: stored fields plus a highlighted, escaped snippet (or the escaped lead)."""
    record = fields["record"]
    return Hit(
        id=fields["id"],
        title=fields["title"],
        date=record["date_label"],
        actors=list(record["actors"]),
        countries=list(record["countries"]),
        orgs=list(record["orgs"]),
        snippet=snippet or escape(_lead(fields["body"]), quote=False),
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


def entity_request(kind: EntityKind, name: str, sort: str, per_page: int) -> SearchRequest:
    """A request for every article carrying one entity value."""
    request = SearchRequest(sort=sort, per_page=per_page)  # type: ignore[arg-type]
    request.included(kind).append(name)
    return request
