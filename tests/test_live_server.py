"""`newsarchive serve` as a real process: loopback only, never debug, errors without traces."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.cli import serving_app
from tests.processes import running_server

LOOPBACK_HEX = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it
LISTEN_STATE = "0A"
PROC_TCP = Path("/proc/net/tcp")


def listening_addresses(port: int) -> set[str]:
    """The local IPv4 addresses with a socket listening on `port`, read from /proc/net/tcp."""
    addresses = set()
    for line in PROC_TCP.read_text().splitlines()[1:]:
        fields = line.split()
        address, port_hex = fields[1].split(":")
        if int(port_hex, 16) == port and fields[3] == LISTEN_STATE:
            addresses.add(address)
    return addresses


def test_serve_listens_on_loopback_only_by_default(samples_index: Path) -> None:
    if not PROC_TCP.exists():
        pytest.skip("/proc/net/tcp is absent: cannot list listening sockets here")
    with running_server(samples_index) as server:
        port = int(server.base.rsplit(":", 1)[1])
        assert listening_addresses(port) == {LOOPBACK_HEX}
        status, page = server.get_json("/api/search?q=market")
        assert status == 200 and page["total"] >= 1


def test_serve_answers_errors_without_traces(samples_index: Path) -> None:
    with running_server(samples_index) as server:
        for path in ("/nope", "/api/search?q=*", "/api/search?page=x", "/article/%00"):
            status, headers, body = server.get(path)
            assert status in (400, 404), path
            assert b"Traceback" not in body and b'File "' not in body
        status, headers, body = server.get("/api/search?q=(oil")
        assert status == 400 and "bracket" in json.loads(body)["error"]
        assert headers["Server"] == "newsarchive"  # waitress with our ident, not a dev server


def test_the_served_app_is_never_in_debug_mode(
    samples_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = serving_app(samples_index)
    try:
        assert app.debug is False
    finally:
        app.extensions["backend"].close()


def test_serve_help_names_the_loopback_default() -> None:
    from click.testing import CliRunner

    from search.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert "127.0.0.1" in result.output
