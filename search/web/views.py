"""Routes: the search page and its JSON twin, and the article page and its JSON twin."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request

from search.errors import BadRequest
from search.params import make_search_request
from search.query import SearchIndex, get_article, run_search
from search.render import article_to_json, page_to_json
from search.web.context import article_context, search_context

blueprint = Blueprint("web", __name__)
LIST_PARAMS = ("actor", "country", "org", "not_actor", "not_country", "not_org")


def search_index() -> SearchIndex:
    """The app's shared, self-refreshing index."""
    index: SearchIndex = current_app.extensions["search_index"]
    return index


@blueprint.route("/")
@blueprint.route("/search")
def search_page() -> Any:
    """The search page; a bad query is shown under the search box with status 400."""
    try:
        context = search_context(run_search_from_args(), request.args)
    except BadRequest as error:
        context = search_context(None, request.args)
        context["error"] = error.message
        return render_template("search.html", **context), 400
    return render_template("search.html", **context)


@blueprint.route("/api/search")
def search_api() -> Any:
    """The search as JSON, in the shape DESIGN.md fixes."""
    return jsonify(page_to_json(run_search_from_args()))


@blueprint.route("/article/<article_id>")
def article_page(article_id: str) -> Any:
    """One article with its entities highlighted where they occur."""
    article = get_article(search_index(), article_id)
    return render_template("article.html", **article_context(article, request.args))


@blueprint.route("/api/article/<article_id>")
def article_api(article_id: str) -> Any:
    """One article as JSON, with every mention's offsets."""
    return jsonify(article_to_json(get_article(search_index(), article_id)))


def run_search_from_args() -> Any:
    """Read the URL's parameters and run the search they describe."""
    args = request.args
    search_request = make_search_request(
        args.get("q", ""),
        **{name: args.getlist(name) for name in LIST_PARAMS},
        since=args.get("since"),
        until=args.get("until"),
        sort=args.get("sort"),
        page=args.get("page"),
        per_page=current_app.config["PER_PAGE"],
    )
    return run_search(search_index(), search_request, current_app.config["FACET_SIZE"])
