"""The Flask application: one search view serving HTML and JSON, and the article pages."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from flask import Flask
from flask.templating import Environment

from search import config
from search.live_index import SearchIndex
from search.web.assets import register_assets
from search.web.errors import register_error_handlers
from search.web.limits import register_limits
from search.web.views import blueprint

DICT_ATTRIBUTES = frozenset(dir(dict))
MEGABYTE = 1024 * 1024


class ContextEnvironment(Environment):
    """Jinja that reads `row.value` of a context dict without raising an error first.

    Jinja tries the attribute and falls back to the item after an AttributeError; a
    search page makes ~1,000 such lookups on dicts, and the raised errors were an eighth
    of its rendering. The result is the same: a dict's methods still come first.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        """What Jinja would give, the item of a plain dict without the detour."""
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then NEWSARCHIVE_* settings, then the caller's overrides."""
    app = Flask(
        __name__,
        template_folder=str(_resource_dir("templates")),
        static_folder=str(_resource_dir("static")),
    )
    app.jinja_environment = ContextEnvironment
    config.check_settings()  # a bad NEWSARCHIVE_* value stops here, not in a request
    app.config.from_mapping(
        INDEX_DIR=str(config.index_dir()),
        PER_PAGE=config.setting("per_page"),
        FACET_SIZE=config.setting("facet_size"),
        RESULT_CACHE_MB=config.setting("result_cache_mb"),
        BASE_URL=config.setting("base_url"),
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["search_index"] = SearchIndex(
        Path(app.config["INDEX_DIR"]),
        result_cache_bytes=int(app.config["RESULT_CACHE_MB"] * MEGABYTE),
    )
    register_limits(app)
    app.register_blueprint(blueprint)
    register_error_handlers(app)
    register_assets(app)
    app.after_request(_security_headers)
    return app


def _resource_dir(name: str) -> Path:
    # In a checkout templates/ and static/ sit beside search/; in a wheel they are package data.
    packaged = Path(str(files("search"))) / name
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / name


def _security_headers(response: Any) -> Any:
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
