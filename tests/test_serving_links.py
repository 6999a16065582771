"""Remembered URLs are the URLs Flask and urlencode would build, for awkward values too."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from flask import request, url_for

from search.web import create_app
from search.web.arguments import SearchLinks, entity_url, link, query_string

AWKWARD = ("AT&T", "São Paulo", "a/b c", "x=y?z#w", "<script>", "100%", "  spaced  ", "+plus")


def test_links_and_entity_urls_match_flask_and_urlencode(tmp_path: Path) -> None:
    app = create_app({"INDEX_DIR": str(tmp_path), "TESTING": True})
    query = urlencode([("q", "oil & gas"), ("country", "United States"), ("page", "3")])
    with app.test_request_context(f"/search?{query}"):
        args = request.args
        kept = [("q", "oil & gas"), ("country", "United States")]
        for value in AWKWARD:
            for _ in range(2):  # the second time from the remembered URLs
                assert entity_url("actor", value) == url_for(
                    "web.entity_page", kind="actor", name=value
                )
                expected = url_for("web.search_page") + "?" + urlencode([*kept, ("org", value)])
                assert link(args, add=(("org", value),)) == expected
                assert query_string([("org", value)]) == "?" + urlencode([("org", value)])
        links = SearchLinks(args)
        assert links.link(remove=(("country", "United States"),)) == (
            url_for("web.search_page") + "?" + urlencode([("q", "oil & gas")])
        )
        assert links.link(drop=("q", "country")) == url_for("web.search_page")


def test_links_follow_the_script_root_the_app_is_mounted_at(tmp_path: Path) -> None:
    app = create_app({"INDEX_DIR": str(tmp_path), "TESTING": True})
    for root in ("", "/archive", ""):
        with app.test_request_context("/search?q=oil", base_url=f"http://localhost{root}"):
            assert entity_url("org", "OPEC") == f"{root}/org/OPEC"
            assert link(request.args) == f"{root}/search?q=oil"
