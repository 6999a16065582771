"""Routes: search (HTML, JSON, CSV, Atom), facet and entity pages, articles."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from flask import Blueprint, current_app, jsonify, render_template, request

from search.backend import SearchBackend
from search.errors import BadRequest, NotFound, PartialAnswer
from search.models import SearchPage, SearchRequest
from search.render import article_to_json, page_to_json, profile_to_json
from search.web.arguments import endpoint_url, link, query_string, request_from_args
from search.web.articles import article_context
from search.web.context import FILTER_LABELS, search_context, suggestion_link
from search.web.exports import atom_response, export_response, opensearch_response
from search.web.labels import as_moment, date_placeholders, export_filename
from search.web.profiles import FACET_PAGE_LIMIT, entity_context, facet_page_context

blueprint = Blueprint("web", __name__)
FEED_SIZE = 50
ALL_VALUES = 10**9
DATE_PARAMETERS = ("since", "until")
# What to do when shards of the archive did not answer: show what the others said, marked
# partial (the default), or fail with a 503 naming them.
MISSING_SHARDS = ("show", "fail")


class MaybePartial(Protocol):
    missing_shards: list[str]


Answer = TypeVar("Answer", bound=MaybePartial)


def backend() -> SearchBackend:
    """The app's search backend, shared by every request of this process."""
    chosen: SearchBackend = current_app.extensions["backend"]
    return chosen


@blueprint.route("/")
@blueprint.route("/search")
def search_page() -> Any:
    """The search page; a bad query is shown under the search box with status 400."""
    try:
        page = run_search_from_args()
    except BadRequest as error:
        context = search_context(None, request.args, failed=error.parameter)
        context["error"] = error.message
        context["date_placeholders"] = date_placeholders(None, backend().latest_date_label())
        return render_template("search.html", **context), 400
    context = search_context(page, request.args, any_counts=any_mode_counts(page))
    if page.total == 0 and page.request.query.strip():
        suggestion = backend().suggest(page.request.query)
        context["suggestion"] = suggestion and suggestion_link(request.args, suggestion)
    return render_template("search.html", **context)


@blueprint.route("/api/search")
def search_api() -> Any:
    """The search as JSON: the contract render.page_to_json writes."""
    return jsonify(page_to_json(run_search_from_args()))


@blueprint.route("/export.<any(csv, jsonl):export_format>")
def export(export_format: str) -> Any:
    """Every match as CSV or JSON Lines, in the page's order, streamed. A partial archive
    refuses (the backend raises PartialAnswer): a smaller file would look whole."""
    refuses_partial()  # a bad value is a 400 here too
    search_request = checked_request(current_app.config["PER_PAGE"], page=None)
    total, hits = backend().export_hits(search_request)
    return export_response(total, hits, export_format, export_filename(request.args, export_format))


@blueprint.route("/feed.atom")
def export_atom() -> Any:
    """The newest matches as an Atom feed."""
    search_request = checked_request(FEED_SIZE, sort="newest", page=None)
    page = whole(backend().search(search_request, facet_size=0))
    query = page.request.query.strip()
    title = f"newsarchive: {query}" if query else "newsarchive: newest articles"
    self_path = endpoint_url("web.export_atom") + query_string(request.args)
    # The title stays (readers name the subscription after it); the subtitle says it.
    note = partial_note(page.missing_shards) if page.partial else None
    return atom_response(title, page.hits, self_path, link(request.args), subtitle=note)


@blueprint.route("/opensearch.xml")
def opensearch() -> Any:
    """The OpenSearch description linked from every page's head."""
    return opensearch_response()


@blueprint.route("/facet/<kind>")
def facet_page(kind: str) -> Any:
    """All values of one facet for the current search, with counts and a filter box."""
    if kind not in FILTER_LABELS:
        names = ", ".join(FILTER_LABELS)
        raise NotFound(f"There is no facet {kind!r}; use one of {names}.")
    search_request = checked_request(1, page=None)
    page = whole(backend().search(search_request, facet_size=ALL_VALUES))
    limit = current_app.config.get("FACET_PAGE_LIMIT", FACET_PAGE_LIMIT)
    context = facet_page_context(kind, page, request.args, limit, any_mode_counts(page).get(kind))
    return render_template("facet.html", **context)


@blueprint.route("/<any(actor, country, org):kind>/<path:name>")
def entity_page(kind: str, name: str) -> Any:
    """One actor, country or organisation: counts, timeline, company it keeps, latest news."""
    profile = whole(backend().profile(kind, name))  # type: ignore[arg-type]
    return render_template("entity.html", **entity_context(profile))


@blueprint.route("/api/<any(actor, country, org):kind>/<path:name>")
def entity_api(kind: str, name: str) -> Any:
    """One entity's profile as JSON (render.profile_to_json)."""
    return jsonify(profile_to_json(whole(backend().profile(kind, name))))  # type: ignore[arg-type]


@blueprint.route("/article/<article_id>")
def article_page(article_id: str) -> Any:
    """One article with its entities highlighted where they occur."""
    refuses_partial()
    article = backend().article(article_id)
    return render_template("article.html", **article_context(article, request.args))


@blueprint.route("/api/article/<article_id>")
def article_api(article_id: str) -> Any:
    """One article as JSON, with every mention's offsets."""
    refuses_partial()
    return jsonify(article_to_json(backend().article(article_id)))


def run_search_from_args() -> SearchPage:
    """Read the URL's parameters and run the search they describe."""
    search_request = checked_request(current_app.config["PER_PAGE"])
    return whole(backend().search(search_request, current_app.config["FACET_SIZE"]))


def refuses_partial() -> bool:
    """Whether the URL asks for a 503 rather than a partial answer (`missing_shards=fail`)."""
    value = request.args.get("missing_shards", MISSING_SHARDS[0])
    if value not in MISSING_SHARDS:
        choices = " or ".join(f"missing_shards={choice}" for choice in MISSING_SHARDS)
        raise BadRequest(f"unknown value {value!r}; use {choices}.", "missing_shards")
    return value == "fail"


def whole(answer: Answer) -> Answer:
    """The answer, unless shards did not answer and the URL asks to fail then (a 503)."""
    if refuses_partial() and answer.missing_shards:
        raise PartialAnswer(answer.missing_shards)
    return answer


def partial_note(missing_shards: list[str]) -> str:
    """One sentence naming the shards an answer leaves out."""
    plural = "s" if len(missing_shards) > 1 else ""
    return (
        f"Partial answer: shard{plural} {', '.join(missing_shards)} did not answer; "
        "their articles are left out."
    )


def any_mode_counts(page: SearchPage) -> dict[str, dict[str, int]]:
    """For each facet in "any" mode with values selected: its counts without its own filter."""
    # Any facet the sidebar lists: one without an "any" switch is never in "any" mode.
    request = page.request
    return {
        kind: backend().counts_without_own_filter(request, kind)
        for kind in FILTER_LABELS
        if request.included(kind) and request.operator(kind) == "or"  # type: ignore[arg-type]
    }


def checked_request(per_page: int, **overrides: Any) -> SearchRequest:
    """The request the URL describes; an unreadable date is refused with the archive's dates
    as examples (read only then: a good request never pays for them)."""
    try:
        return request_from_args(request.args, per_page, **overrides)
    except BadRequest as error:
        if error.parameter not in DATE_PARAMETERS:
            raise
        example = as_moment(backend().latest_date_label())
        return request_from_args(request.args, per_page, date_example=example, **overrides)
