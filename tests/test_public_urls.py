"""Absolute URLs from the configured base URL, never the Host header; XML always well formed.

Issue 13, items 4 and 5.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from search.errors import SettingError
from search.web import create_app
from tests.indexing import index_into
from tests.processes import running_server

ATOM = "{http://www.w3.org/2005/Atom}"
EVIL = {"Host": "evil.example"}
XML_ROUTES = ("/opensearch.xml", "/feed.atom", "/feed.atom?q=trade")


def app_with(index_dir: Path, base_url: str) -> Any:
    """The app over an index, its absolute links under `base_url` ('' for none)."""
    return create_app({"INDEX_DIR": str(index_dir), "TESTING": True, "BASE_URL": base_url})


@pytest.mark.parametrize("base_url", ["", "https://news.example/archive"])
def test_the_host_header_never_reaches_a_link(samples_index: Path, base_url: str) -> None:
    app = app_with(samples_index, base_url)
    client = app.test_client()
    try:
        for route in (*XML_ROUTES, "/static//style.css", "/search?q=trade", "/article/wire-0011"):
            response = client.get(route, headers=EVIL)
            assert "evil.example" not in response.get_data(as_text=True), route
            assert "evil.example" not in response.headers.get("Location", ""), route
    finally:
        app.extensions["backend"].close()


def test_absolute_links_are_under_the_base_url(samples_index: Path) -> None:
    base = "https://news.example/archive"
    app = app_with(samples_index, base)
    client = app.test_client()
    try:
        description = client.get("/opensearch.xml", headers=EVIL).get_data(as_text=True)
        assert f'template="{base}/search?q={{searchTerms}}"' in description
        feed = ElementTree.fromstring(client.get("/feed.atom?q=trade", headers=EVIL).data)
        entries = feed.findall(f"{ATOM}entry")
        assert entries
        for entry in entries:
            assert entry.find(f"{ATOM}id").text.startswith(f"{base}/article/")
            assert entry.find(f"{ATOM}link").get("href").startswith(f"{base}/article/")
        assert feed.find(f"{ATOM}id").text == f"{base}/feed.atom?q=trade"
    finally:
        app.extensions["backend"].close()


def test_without_a_base_url_links_are_relative_and_ids_absolute(client: Any) -> None:
    feed = ElementTree.fromstring(client.get("/feed.atom?q=trade", headers=EVIL).data)
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href").startswith("/article/")
    assert entry.find(f"{ATOM}id").text.startswith("urn:newsarchive:article:")


def test_a_base_url_that_is_no_url_stops_start_up(monkeypatch, samples_index: Path) -> None:
    monkeypatch.setenv("NEWSARCHIVE_BASE_URL", "evil.example")
    with pytest.raises(SettingError, match="^NEWSARCHIVE_BASE_URL must be an http"):
        create_app({"INDEX_DIR": str(samples_index)})


def test_served_links_use_the_bound_address_whatever_the_host_says(samples_index: Path) -> None:
    with running_server(samples_index) as server:
        request_headers = dict(EVIL)
        status, _, body = fetch(server.base + "/opensearch.xml", request_headers)
        assert status == 200 and b"evil.example" not in body
        assert f'template="{server.base}/search?q={{searchTerms}}"'.encode() in body


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    """GET with our own headers (urllib would send the URL's host)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                           headers=headers)  # fmt: skip
        response = connection.getresponse()
        return response.status, dict(response.headers), response.read()
    finally:
        connection.close()


def test_control_characters_never_break_the_xml(tmp_path: Path) -> None:
    record = {
        "id": "ctl-1",
        "title": "Tanker\u0001 seized\u000b in the Gulf\ufffe",
        "body": "A tanker\u0000 was seized\u001f on Monday, officials said.",
        "date": "2023-01-02",
    }
    (tmp_path / "controls.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    index_into([tmp_path / "controls.jsonl"], tmp_path / "index", workers=1)
    app = app_with(tmp_path / "index", "")
    client = app.test_client()
    try:
        for route in (*XML_ROUTES, "/feed.atom?q=tanker", "/feed.atom?q=%00tanker%01"):
            feed = ElementTree.fromstring(client.get(route).data)  # raises when malformed
            assert feed is not None
        titles = [
            e.find(f"{ATOM}title").text
            for e in ElementTree.fromstring(client.get("/feed.atom?q=tanker").data).iter(
                f"{ATOM}entry"
            )
        ]
        assert titles == ["Tanker seized in the Gulf"]
    finally:
        app.extensions["backend"].close()
