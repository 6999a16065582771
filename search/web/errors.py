"""Errors as pages or JSON bodies that say what to change; never a stack trace."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.errors import NewsarchiveError


def wants_json() -> bool:
    """API routes answer in JSON, pages in HTML."""
    return request.path.startswith("/api/")


def error_response(status: int, message: str, parameter: str | None = None) -> Any:
    """One error, as JSON for the API (with the parameter to change, if one is) or a page."""
    if wants_json():
        body: dict[str, Any] = {"error": message, "status": status}
        if parameter:
            body["parameter"] = parameter
        return jsonify(body), status
    return render_template("error.html", status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    """Route our errors, HTTP errors and anything unexpected to error_response."""

    @app.errorhandler(NewsarchiveError)
    def handle_ours(error: NewsarchiveError) -> Any:
        return error_response(error.status, error.message, getattr(error, "parameter", None))

    @app.errorhandler(HTTPException)
    def handle_http(error: HTTPException) -> Any:
        messages = {404: "There is no such page; go back to the search."}
        body, status = error_response(
            error.code or 500, messages.get(error.code or 0, str(error.description))
        )
        # A 405 must say what is allowed (RFC 9110): keep the Allow header Werkzeug made.
        allow = [(k, v) for k, v in error.get_headers() if k == "Allow"]
        return body, status, allow

    @app.errorhandler(Exception)
    def handle_unexpected(error: Exception) -> Any:
        app.logger.exception("unexpected error on %s", request.path)
        return error_response(500, "Something went wrong on our side; the error has been logged.")
