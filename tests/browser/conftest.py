"""Fixtures for the browser tests: a served samples index and a Chromium page."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.server import browser, serve

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def base_url(samples_index: Path):
    """The app on the samples index, served on 127.0.0.1 and a free port."""
    with serve(samples_index) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the module."""
    with browser() as instance:
        yield instance


@pytest.fixture
def page(chromium):
    """A fresh desktop-sized tab, closed after the test."""
    context = chromium.new_context(viewport=DESKTOP, accept_downloads=True)
    tab = context.new_page()
    yield tab
    context.close()
