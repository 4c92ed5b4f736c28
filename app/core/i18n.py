"""Locale choice: Simplified Chinese first, English on request (?lang=en or Accept-Language)."""

from __future__ import annotations

import flask_babel
from flask import current_app, has_request_context, request
from flask_babel import Domain


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


class RequestTranslations(Domain):
    """Flask-Babel's domain, finding the translations once per request and locale.

    Every `_()` in code and template and every lazy label turned to text asks the domain for
    its translations; Flask-Babel answers by choosing the locale again and looking the catalogue
    up by the locale's name, through several context-local lookups each time — about 20 µs a
    string, a few hundred strings a console page: 10–15 % of the page's CPU. Here the answer is
    kept on the request's Babel context beside the locale it was found for, so a later call
    for the same locale (the same object: `force_locale` sets a new one) reads it back."""

    def get_translations(self):
        context = flask_babel._get_current_context()
        if context is None:
            return super().get_translations()
        kept = getattr(context, "fenxiao_translations", None)
        locale = getattr(context, "babel_locale", None)
        if kept is not None and locale is not None and kept[0] is locale:
            return kept[1]
        translations = super().get_translations()
        context.fenxiao_translations = (getattr(context, "babel_locale", None), translations)
        return translations
