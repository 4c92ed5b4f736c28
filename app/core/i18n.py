"""Locale choice: Simplified Chinese first, English on request (?lang=en or Accept-Language)."""

from __future__ import annotations

from flask import current_app, has_request_context, request


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():
        return default
    wanted = request.args.get("lang") or request.cookies.get("lang")
    if wanted:
        for language in languages:
            if language.lower().startswith(wanted.lower().replace("-", "_")[:2]):
                return language
    best = request.accept_languages.best_match(["zh", "zh-CN", "zh-Hans", "en"])
    if best and best.startswith("en"):
        return "en"
    return default
