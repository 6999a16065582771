"""The Manticore backend: an archive sharded over searchd servers, spoken to over SphinxQL.

`manticore://HOST:PORT/INDEX` names the head server (config.py lays the servers out).
A search is one round trip to the head: one SELECT over the live slot's distributed
index with a FACET clause per facet (the full-text match runs once), then SHOW META for
the total and for the warnings that name a shard that did not answer; the page's
snippets are one CALL SNIPPETS more. Each thread keeps its own connections.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from hashlib import blake2b
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pymysql
from pymysql.constants import CLIENT
from pymysql.converters import escape_string

from search.backends.manticore.config import ENTITY_ATTRS
from search.backends.manticore.query import translate
from search.errors import BackendUnavailable, BadRequest, NotFound, SettingError
from search.models import (
    ENTITY_KINDS,
    Article,
    EntityKind,
    EntityProfile,
    FacetValue,
    Hit,
    RelatedValue,
    SearchPage,
    SearchRequest,
    article_from_record,
)
from search.months import UNDATED, dated_in_one_month, rank_dates, spans_one_month
from search.stats import collect_stats, entity_request, latest_date_label

SCHEME = "manticore://"
SNIPPET_CHARS = 240
DAY_OFFSET = 1_000_000  # day attribute = days since 1970 + this (0: day unknown)
SLOT_TTL = 0.5  # seconds a search trusts the live slot it read last
EXPORT_CHUNK = 1000
# Facet values fetched per facet, so that the values tied at the cut can be ordered by
# name (as Whoosh orders them): grouping costs the same whatever the limit.
FACET_FETCHED = 1000
# Months (or days of one month) a date facet can list: searchd sizes each facet's sorter by
# its LIMIT, so 100,000 cost ~7 ms more than this per search at 220,000 articles.
DATE_BUCKETS = 5000
MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"  # snippet marks, escaped text around them
RANKING = "OPTION ranker=bm25, field_weights=(title=2, body=1)"
LATEST_SIZE, RELATED_SIZE, MIN_TOGETHER = 10, 10, 3


def value_id(kind: str, value: str) -> int:
    """A value's 63-bit id: the same on every machine, no lookup table needed to write."""
    digest = blake2b(f"{kind}\0{value}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return (int.from_bytes(digest, "big") >> 1) or 1


def document_id(article_id: str) -> int:
    return value_id("id", article_id)


def month_number(value: datetime | None, precision: str | None) -> int:
    if value is None:
        return 0
    return value.year * 100 + (0 if precision == "year" else value.month)


def month_label(number: int) -> str:
    if number == 0:
        return UNDATED
    year, month = divmod(number, 100)
    return f"{year:04d}" if month == 0 else f"{year:04d}-{month:02d}"


def day_number(value: datetime | None, precision: str | None) -> int:
    if value is None or precision not in ("day", "time"):
        return 0
    return int(value.timestamp()) // 86_400 + DAY_OFFSET


def day_label(number: int) -> str:
    return str(datetime.fromtimestamp((number - DAY_OFFSET) * 86_400, UTC).date())


@dataclass(frozen=True)
class ShardInfo:
    number: int
    host: str
    sql_port: int
    api_port: int
    index: str  # this slot's index on the shard, without slot suffix: news_s0

    @property
    def label(self) -> str:
        return f"{self.index} at {self.host}:{self.sql_port}"


class Connections:
    """One connection per thread and server address, reopened after a failure."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.local = threading.local()

    def get(self, host: str, port: int) -> Any:
        pool: dict[tuple[str, int], Any] = self.local.__dict__.setdefault("pool", {})
        connection = pool.get((host, port))
        if connection is None:
            try:
                connection = pymysql.connect(
                    host=host,
                    port=port,
                    client_flag=CLIENT.MULTI_STATEMENTS,
                    autocommit=True,
                    connect_timeout=3,
                    read_timeout=60,
                    write_timeout=60,
                    charset="utf8",
                )
            except pymysql.MySQLError as error:
                raise BackendUnavailable(
                    f"backend: cannot reach the search server {self.url} at {host}:{port} "
                    f"({error.args[-1] if error.args else error}); start searchd or fix --backend"
                ) from None
            pool[(host, port)] = connection
        return connection

    def drop(self, host: str, port: int) -> None:
        pool = self.local.__dict__.get("pool", {})
        connection = pool.pop((host, port), None)
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()

    def close(self) -> None:
        for connection in self.local.__dict__.get("pool", {}).values():
            with contextlib.suppress(Exception):
                connection.close()
        self.local.__dict__["pool"] = {}


class ManticoreBackend:
    """A SearchBackend over a head searchd and its shards."""

    def __init__(self, host: str, port: int, name: str, state_dir: Path, url: str) -> None:
        self.host, self.port, self.name = host, port, name
        self.url = url
        self.state_dir = Path(state_dir)
        self.connections = Connections(url)
        self._slot: tuple[float, str | None, int] = (0.0, None, 0)
        self._names: dict[int, str] = {}
        self._names_lock = threading.Lock()
        self._shards: list[ShardInfo] | None = None
        self._totals: dict[tuple[str, int], int] = {}  # articles per committed version
        self.run("SHOW TABLES")  # the server not reachable: one line naming the URL, now

    @classmethod
    def from_url(cls, url: str, state_dir: Path, **options: Any) -> ManticoreBackend:
        parts = urlsplit(url)
        name = parts.path.strip("/")
        try:
            port = parts.port or 9306
        except ValueError:
            port = -1
        if parts.scheme.lower() != "manticore" or not parts.hostname or not name or port < 0:
            raise SettingError(
                f"backend: cannot read {url!r}; use manticore://HOST:PORT/INDEX "
                "(e.g. manticore://127.0.0.1:9306/news)"
            )
        return cls(parts.hostname, port, name, state_dir, url)

    # --- talking to servers -------------------------------------------------------------

    def run(
        self, sql: str, host: str | None = None, port: int | None = None, query: bool = True
    ) -> list[tuple[list[str], list[tuple[Any, ...]]]]:
        """Run statements (';'-separated SELECTs) on one server: every result set with its
        columns. A statement the server refuses is the user's query's fault (a 400) when
        `query`, else the server's (a 503)."""
        host, port = host or self.host, port or self.port
        for attempt in (1, 2):
            connection = self.connections.get(host, port)
            try:
                with connection.cursor() as cursor:
                    cursor.execute(sql)
                    results = []
                    while True:
                        columns = [d[0] for d in cursor.description or ()]
                        results.append((columns, list(cursor.fetchall())))
                        if not cursor.nextset():
                            break
                    return results
            except (pymysql.ProgrammingError, pymysql.InternalError) as error:
                raise self._engine_error(error, query) from None
            except pymysql.MySQLError as error:
                self.connections.drop(host, port)
                if attempt == 2:
                    raise BackendUnavailable(
                        f"backend: the search server {self.url} at {host}:{port} did not "
                        f"answer ({error.args[-1] if error.args else error})"
                    ) from None
        raise AssertionError("unreachable")

    def _engine_error(self, error: Exception, query: bool) -> Exception:
        message = str(error.args[-1] if error.args else error).rstrip("\x00")
        if query and ("syntax error" in message or "query is non-computable" in message):
            return BadRequest(
                f"The query cannot be run by the search server ({message}); "
                "check its words and operators.",
                "q",
            )
        return BackendUnavailable(f"backend: the search server {self.url} refused: {message}")

    def live_slot(self, fresh: bool = False) -> tuple[str | None, int]:
        """The live slot ('a' or 'b', None before the first commit) and its version."""
        read_at, slot, version = self._slot
        if not fresh and time.monotonic() - read_at < SLOT_TTL:
            return slot, version
        rows = self.run(f"SELECT slot, version FROM {self.name}_meta WHERE id = 1")[0][1]
        slot, version = (rows[0][0], int(rows[0][1])) if rows else (None, 0)
        self._slot = (time.monotonic(), slot, version)
        return slot, version

    def shards(self) -> list[ShardInfo]:
        """The shards behind the distributed index, as the head's configuration lists them."""
        if self._shards is None:
            rows = self.run(f"DESCRIBE {self.name}_a")[0][1]
            shards = []
            for agent, _ in rows:
                host, api_port, index = str(agent).rsplit(":", 2)
                number = int(index.rsplit("_s", 1)[1].split("_")[0])
                shards.append(ShardInfo(number, host, int(api_port) - 1, int(api_port), index[:-2]))
            self._shards = sorted(shards, key=lambda shard: shard.number)
        return self._shards

    def missing(self, meta: list[tuple[Any, ...]]) -> list[str]:
        """The shards SHOW META's warnings name as not answering."""
        warnings = [str(value) for name, value in meta if name == "warning"]
        if not warnings:
            return []
        text = " ".join(warnings)
        named = [s.label for s in self.shards() if f"{s.host}:{s.api_port}" in text]
        return named or [f"a shard of {self.url} ({text})"]

    def value_names(self, ids: set[int]) -> dict[int, str]:
        """Entity value names of ids, read from the head's values index when not known yet."""
        unknown = [i for i in ids if i not in self._names]
        if unknown:
            listed = ",".join(str(i) for i in unknown)
            rows = self.run(
                f"SELECT id, value FROM {self.name}_values WHERE id IN ({listed}) "
                f"LIMIT {len(unknown)} OPTION max_matches={max(len(unknown), 1000)}"
            )[0][1]
            with self._names_lock:
                for value_id_, value in rows:
                    self._names[int(value_id_)] = value
        return self._names

    # --- searching ----------------------------------------------------------------------

    def where(self, request: SearchRequest, match: str) -> str:
        clauses = []
        if match:
            clauses.append(f"MATCH('{escape_string(match)}')")
        for kind in ENTITY_ATTRS:
            included = [value_id(kind, v) for v in request.included(kind)]  # type: ignore[arg-type]
            if len(included) > 1 and request.operator(kind) == "or":  # type: ignore[arg-type]
                clauses.append(f"{kind} IN ({','.join(map(str, included))})")
            else:
                clauses.extend(f"{kind} = {i}" for i in included)
            excluded = [value_id(kind, v) for v in request.excluded(kind)]  # type: ignore[arg-type]
            if excluded:
                clauses.append(f"{kind} NOT IN ({','.join(map(str, excluded))})")
        if request.since is not None or request.until is not None:
            clauses.append("undated = 0")
            if request.since is not None:
                clauses.append(f"ts >= {int(request.since.timestamp())}")
            if request.until is not None:
                clauses.append(f"ts <= {int(request.until.timestamp())}")
        return " WHERE " + " AND ".join(clauses) if clauses else ""

    @staticmethod
    def order(request: SearchRequest) -> str:
        if request.sort == "relevance" and request.query.strip():
            return "ORDER BY WEIGHT() DESC, seq ASC"
        direction = "ASC" if request.sort == "oldest" else "DESC"
        return f"ORDER BY undated ASC, ts {direction}, seq ASC"

    def index_name(self) -> str | None:
        slot, _ = self.live_slot()
        return f"{self.name}_{slot}" if slot else None

    def search(self, request: SearchRequest, facet_size: int = 30) -> SearchPage:
        match = translate(request.query)
        slot, version = self.live_slot()
        if slot is None:
            return SearchPage(request, 0, [], empty_facets(), 0)
        index = f"{self.name}_{slot}"
        known_total = self._totals.get((slot, version))  # every commit makes a new version
        start = (request.page - 1) * request.per_page
        limit = max(facet_size, FACET_FETCHED)
        facets = (
            "".join(f" FACET {kind} ORDER BY COUNT(*) DESC LIMIT {limit}" for kind in ENTITY_ATTRS)
            if facet_size > 0
            else ""
        )
        facets += f" FACET month ORDER BY month ASC LIMIT {DATE_BUCKETS}"
        one_month = spans_one_month(request)
        if one_month:
            facets += f" FACET day ORDER BY day ASC LIMIT {DATE_BUCKETS}"
        sql = (
            f"SELECT id, article_id, title_text, body_text, record FROM {index}"
            f"{self.where(request, match)} {self.order(request)} "
            f"LIMIT {start},{request.per_page} {RANKING}, "
            f"max_matches={max(1000, start + request.per_page)}{facets}; SHOW META"
        )
        if known_total is None:
            sql += f"; SELECT COUNT(*) FROM {index}"
        results = self.run(sql)
        rows = results[0][1]
        if known_total is None:
            counted_total = results.pop()[1]
            archive_total = int(counted_total[0][0]) if counted_total else 0
        else:
            archive_total = known_total
        facet_sets = results[1:-1]
        meta = results[-1][1]
        total = int(dict((k, v) for k, v in meta if k != "warning").get("total_found", 0))
        missing = self.missing(meta)
        if known_total is None and not missing:
            self._totals[(slot, version)] = archive_total
        counted: dict[str, list[FacetValue]] = {}
        if facet_size > 0:
            ids = {int(row[0]) for _, rows_ in facet_sets[:5] for row in rows_}
            names = self.value_names(ids)
            for kind, (_, values) in zip(ENTITY_ATTRS, facet_sets[:5], strict=True):
                counted[kind] = top_values(values, names, facet_size)
        else:
            counted = {kind: [] for kind in ENTITY_ATTRS}
        months = {month_label(int(m)): int(c) for m, c in facet_sets[5 if facet_size > 0 else 0][1]}
        counted["date"] = rank_dates(months)
        days: list[FacetValue] = []
        if one_month:
            days = [FacetValue(day_label(int(d)), int(c)) for d, c in facet_sets[-1][1] if d]
        elif dated_in_one_month(counted["date"]):
            days = self.count_days(index, request, match)
        hits = self.with_snippets(rows, match)
        ordered = {k: counted[k] for k in ("actor", "country", "org", "date", "source", "language")}
        return SearchPage(request, total, hits, ordered, archive_total, days, missing)

    def count_days(self, index: str, request: SearchRequest, match: str) -> list[FacetValue]:
        sql = (
            f"SELECT day, COUNT(*) FROM {index}{self.where(request, match)} "
            "GROUP BY day ORDER BY day ASC LIMIT 100000 OPTION max_matches=100000"
        )
        rows = self.run(sql)[0][1]
        return [FacetValue(day_label(int(d)), int(c)) for d, c in rows if int(d)]

    def with_snippets(self, rows: list[tuple[Any, ...]], match: str) -> list[Hit]:
        if not rows:
            return []
        snippets: list[str | None] = [None] * len(rows)
        if match:
            texts = [row[3] for row in rows] + [row[2] for row in rows]
            listed = ", ".join(f"'{escape_string(text)}'" for text in texts)
            sql = (
                f"CALL SNIPPETS(({listed}), '{self.name}_snip', '{escape_string(match)}', "
                f"'{MARK_OPEN}' AS before_match, '{MARK_CLOSE}' AS after_match, "
                f"{SNIPPET_CHARS} AS limit, 1 AS query_mode, 1 AS allow_empty, "
                "' … ' AS chunk_separator)"
            )
            found = [row[0] for row in self.run(sql)[0][1]]
            bodies, titles = found[: len(rows)], found[len(rows) :]
            for i, (body, title) in enumerate(zip(bodies, titles, strict=True)):
                chosen = body if MARK_OPEN in (body or "") else title
                if chosen and MARK_OPEN in chosen:
                    snippets[i] = marked(chosen)
        return [make_hit(row, snippet) for row, snippet in zip(rows, snippets, strict=True)]

    def counts_without_own_filter(self, request: SearchRequest, kind: str) -> dict[str, int]:
        emptied: dict[str, Any] = {kind: []}
        loosened = replace(request, **emptied)
        index = self.index_name()
        if index is None:
            return {}
        sql = (
            f"SELECT GROUPBY(), COUNT(*) FROM {index}"
            f"{self.where(loosened, translate(request.query))} "
            f"GROUP BY {kind} LIMIT 100000 OPTION max_matches=100000"
        )
        rows = self.run(sql)[0][1]
        names = self.value_names({int(r[0]) for r in rows})
        return {names[int(i)]: int(c) for i, c in rows if int(i) in names}

    def export_hits(self, request: SearchRequest) -> tuple[int, Iterator[Hit]]:
        match = translate(request.query)
        index = self.index_name()
        if index is None:
            return 0, iter(())
        where, order = self.where(request, match), self.order(request)
        results = self.run(f"SELECT id FROM {index}{where} {order} LIMIT 0,1 {RANKING}; SHOW META")
        meta = results[1][1]
        missing = self.missing(meta)
        if missing:
            raise BackendUnavailable(
                f"backend: cannot export from a partial archive: {', '.join(missing)} did not "
                "answer; try again when every shard is up"
            )
        total = int(dict((k, v) for k, v in meta if k != "warning").get("total_found", 0))

        def hits() -> Iterator[Hit]:
            for start in range(0, total, EXPORT_CHUNK):
                rows = self.run(
                    f"SELECT id, article_id, title_text, body_text, record FROM {index}{where} "
                    f"{order} LIMIT {start},{EXPORT_CHUNK} {RANKING}, "
                    f"max_matches={start + EXPORT_CHUNK}"
                )[0][1]
                for row in rows:
                    yield make_hit(row, None)

        return total, hits()

    def article(self, article_id: str) -> Article:
        index = self.index_name()
        rows = []
        if index is not None:
            rows = self.run(
                f"SELECT article_id, title_text, body_text, record, content_hash FROM {index} "
                f"WHERE id = {document_id(article_id)}"
            )[0][1]
        rows = [row for row in rows if row[0] == article_id]
        if not rows:
            raise NotFound(f"No article has the id {article_id!r}.")
        return row_to_article(rows[0])

    def suggest(self, text: str) -> str | None:
        """No respelling on this backend yet (Manticore's CALL SUGGEST is not in Sphinx 2.2)."""
        return None

    def profile(self, kind: EntityKind, name: str) -> EntityProfile:
        newest = self.search(entity_request(kind, name, "newest", LATEST_SIZE), 0)
        if newest.total == 0:
            raise NotFound(f"No article mentions {name!r}; check the spelling or search for it.")
        oldest = self.search(entity_request(kind, name, "oldest", 1), 0)
        return EntityProfile(
            kind=kind,
            name=name,
            total=newest.total,
            first_seen=oldest.hits[0].date if oldest.hits else None,
            last_seen=newest.hits[0].date if newest.hits else None,
            months=newest.facets["date"],
            related=self.related(kind, name, newest.total, newest.archive_total),
            latest=newest.hits,
        )

    def related(
        self, kind: EntityKind, name: str, total: int, documents: int
    ) -> dict[str, list[RelatedValue]]:
        index = self.index_name()
        minimum = min(MIN_TOGETHER, max(1, total // 5))
        own = value_id(kind, name)
        related: dict[str, list[RelatedValue]] = {}
        for other in ENTITY_KINDS:
            together_rows = self.run(
                f"SELECT GROUPBY(), COUNT(*) c FROM {index} WHERE {kind} = {own} GROUP BY {other} "
                f"HAVING c >= {minimum} LIMIT 100000 OPTION max_matches=100000"
            )[0][1]
            together = {int(i): int(c) for i, c in together_rows}
            if other == kind:
                together.pop(own, None)
            if not together:
                related[other] = []
                continue
            listed = ",".join(map(str, together))
            frequency_rows = self.run(
                f"SELECT GROUPBY(), COUNT(*) FROM {index} WHERE {other} IN ({listed}) "
                f"GROUP BY {other} LIMIT 100000 OPTION max_matches=100000"
            )[0][1]
            frequency = {int(i): int(c) for i, c in frequency_rows}
            names = self.value_names(set(together))
            scored = [
                (together[i] * documents / max(frequency.get(i, 1) * total, 1), together[i], i)
                for i in together
                if i in names
            ]
            scored.sort(key=lambda item: (-item[0], -item[1], names[item[2]]))
            related[other] = [
                RelatedValue(other, names[i], count, round(lift, 2))
                for lift, count, i in scored[:RELATED_SIZE]
            ]
        return related

    def stats(self, top: int = 10) -> dict[str, Any]:
        return collect_stats(self, top)

    def latest_date_label(self) -> str | None:
        return latest_date_label(self)

    def writer(self, *, rebuild: bool) -> Any:
        from search.backends.manticore.writer import ManticoreWriter

        return ManticoreWriter(self, rebuild=rebuild)

    def close(self) -> None:
        self.connections.close()


def empty_facets() -> dict[str, list[FacetValue]]:
    return {name: [] for name in ("actor", "country", "org", "date", "source", "language")}


def top_values(rows: list[tuple[Any, ...]], names: dict[int, str], limit: int) -> list[FacetValue]:
    """The `limit` values most matches carry, ties by name (as the Whoosh backend orders them)."""
    values = [(names[int(i)], int(c)) for i, c in rows if int(i) in names]
    values.sort(key=lambda pair: (-pair[1], pair[0]))
    return [FacetValue(value, count) for value, count in values[:limit]]


def marked(snippet: str) -> str:
    """Sphinx's snippet escaped for HTML, its marks as <mark>."""
    text = " ".join(snippet.split())
    return escape(text, quote=False).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")


def _lead(body: str) -> str:
    text = " ".join(body.split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"


def make_hit(row: tuple[Any, ...], snippet: str | None) -> Hit:
    record = json.loads(row[4])
    return Hit(
        id=row[1],
        title=row[2],
        date=record["date_label"],
        actors=list(record["actors"]),
        countries=list(record["countries"]),
        orgs=list(record["orgs"]),
        snippet=snippet or escape(_lead(row[3]), quote=False),
        url=record["url"],
        source=record["source"],
        language=record.get("language"),
    )


def row_to_article(row: tuple[Any, ...]) -> Article:
    article_id, title, body, record_text, content_hash = row
    return article_from_record(json.loads(record_text), article_id, title, body, content_hash)
