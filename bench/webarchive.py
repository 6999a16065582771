"""Write WARC files of generated or given pages (tests, bench.ingest), with warcio's writer."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


class Capture(NamedTuple):
    """One HTTP response as a crawler saved it."""

    url: str
    date: str  # WARC-Date, ISO 8601
    payload: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"


def warc_bytes(captures: Iterable[Capture], *, compress: bool = False) -> bytes:
    """A WARC holding one request and one response record per capture."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for capture in captures:
        request = StatusAndHeaders(
            f"GET {capture.url} HTTP/1.1", [("Host", "example.org")], is_http_request=True
        )
        dated = {"WARC-Date": capture.date}
        write_closing(
            writer,
            writer.create_warc_record(
                capture.url, "request", http_headers=request, warc_headers_dict=dated
            ),
        )
        headers = StatusAndHeaders(
            capture.status,
            [("Content-Type", capture.content_type), ("Content-Length", str(len(capture.payload)))],
            protocol="HTTP/1.1",
        )
        write_closing(
            writer,
            writer.create_warc_record(
                capture.url,
                "response",
                payload=io.BytesIO(capture.payload),
                http_headers=headers,
                warc_headers_dict=dated,
            ),
        )
    return out.getvalue()


def write_closing(writer: WARCWriter, record: Any) -> None:
    """Write a record and close the temporary file warcio buffered its payload in."""
    writer.write_record(record)
    if record.raw_stream is not None:
        record.raw_stream.close()


def write_warc(path: Path, captures: Iterable[Capture], *, compress: bool = False) -> Path:
    """Write a WARC file and return its path."""
    path.write_bytes(warc_bytes(captures, compress=compress))
    return path
