"""axe-core, vendored under tests/browser/vendor, run in a page: its violations as plain dicts."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

AXE_VERSION = "4.14.1"
AXE_FILE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# The default rule set, with target-size (WCAG 2.2, 24 px) asked for by name.
AXE_OPTIONS = {"rules": {"target-size": {"enabled": True}}, "resultTypes": ["violations"]}


@cache
def axe_source() -> str:
    """The vendored axe.min.js, read once."""
    return AXE_FILE.read_text(encoding="utf-8")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """What axe finds wrong with the page as it stands: rule id, impact and offending nodes.

    Evaluated through the DevTools protocol, axe is not subject to the page's CSP.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source())
    assert page.evaluate("axe.version") == AXE_VERSION
    found = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        {
            "rule": violation["id"],
            "impact": violation["impact"],
            "nodes": [node["target"] for node in violation["nodes"]][:5],
            "summary": violation["nodes"][0]["failureSummary"] if violation["nodes"] else "",
        }
        for violation in found["violations"]
    ]
