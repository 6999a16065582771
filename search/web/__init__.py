"""The Flask application: one search view serving HTML and JSON, and the article pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib.resources import files
from pathlib import Path
from typing import Any

from flask import Flask
from flask.templating import Environment

from search import config
from search.backend import SearchBackend, open_backend
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


def create_app(
    test_config: dict[str, Any] | None = None, backend: SearchBackend | None = None
) -> Flask:
    """Build the app: defaults, then NEWSARCHIVE_* settings, then the caller's overrides.

    It serves `backend`, or else the one its settings name: BACKEND (NEWSARCHIVE_BACKEND),
    else `whoosh:` over INDEX_DIR. One it opens itself, each worker process of `serve`
    opens again (`open_worker_backend`): connections and open files are not shared
    across a fork.
    """
    app = Flask(
        __name__,
        template_folder=str(_resource_dir("templates")),
        static_folder=str(_resource_dir("static")),
    )
    app.jinja_environment = ContextEnvironment
    config.check_settings()  # a bad NEWSARCHIVE_* value stops here, not in a request
    app.config.from_mapping(
        INDEX_DIR=str(config.index_dir()),
        BACKEND=config.setting("backend"),
        PER_PAGE=config.setting("per_page"),
        FACET_SIZE=config.setting("facet_size"),
        RESULT_CACHE_MB=config.setting("result_cache_mb"),
        BASE_URL=config.setting("base_url"),
    )
    if test_config:
        app.config.update(test_config)
    opener: Callable[[], SearchBackend] | None = None
    if backend is None:
        index_dir = Path(app.config["INDEX_DIR"])
        url = app.config["BACKEND"] or f"whoosh:{index_dir}"
        cache_bytes = int(app.config["RESULT_CACHE_MB"] * MEGABYTE)
        opener = partial(open_backend, url, index_dir, result_cache_bytes=cache_bytes)
        backend = opener()
    app.extensions["backend"] = backend
    app.extensions["backend_opener"] = opener
    register_limits(app)
    app.register_blueprint(blueprint)
    register_error_handlers(app)
    register_assets(app)
    app.after_request(_security_headers)
    return app


def open_worker_backend(app: Flask) -> None:
    """In a newly forked worker process: open the app's own backend again, leaving the
    parent's alone (closing it here could close what the parent still uses). A backend the
    caller gave is kept as it is."""
    opener = app.extensions.get("backend_opener")
    if opener is not None:
        app.extensions["backend"] = opener()


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
