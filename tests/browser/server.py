"""The app served on 127.0.0.1 and a free port from a thread, and Chromium to look at it."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from search.web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox"]


def require_chromium() -> Path:
    """Debian's Chromium; skip without it, except on CI where a missing browser is a failure."""
    if CHROMIUM.exists() or shutil.which("chromium"):
        return CHROMIUM if CHROMIUM.exists() else Path(str(shutil.which("chromium")))
    message = f"{CHROMIUM} is missing: install it with `apt-get install chromium`"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI must run the browser tests)", pytrace=False)
    pytest.skip(message)


@contextmanager
def serve(index_dir: Path, settings: dict[str, Any] | None = None) -> Iterator[str]:
    """Serve the app on a free port in a thread, with some config overridden; yields its URL."""
    app = create_app({"INDEX_DIR": str(index_dir), **(settings or {})})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["backend"].close()


@contextmanager
def browser() -> Iterator[object]:
    """A headless Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
