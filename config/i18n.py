"""Addresses in each language, and the language of an address without a prefix.

English pages have no prefix (`/me/`), Spanish and French ones do (`/es/me/`, `/fr/me/`).
Django's own `set_language` cannot leave `/es/…` or `/fr/…` (it resolves the address in the
language of the switcher's own unprefixed URL, English), and Django always shows unprefixed
addresses in English. Both are replaced here.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_noop

# Translators: the empty choice atop every drop-down list (Django 6.1's).
# Django's Spanish catalogue leaves it untranslated, so ours supplies it
# (French too, to keep one wording). Marked here, in a module every request
# imports, so that makemessages keeps it.
BLANK_CHOICE_LABEL = gettext_noop("- Select an option -")


def _prefixed() -> list[str]:
    """The languages whose addresses carry a prefix: all but the default (English)."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def path_unprefixed(path: str) -> str:
    """`path` without its language prefix (`/fr/me/` → `/me/`; `/fr` → `/`)."""
    for code in _prefixed():
        if path == f"/{code}":
            return "/"
        if path.startswith(f"/{code}/"):
            return path[len(code) + 1 :]
    return path


def _is_page(path: str, language: str, urlconf=None) -> bool:
    with translation.override(language):
        return is_valid_path(path, urlconf)


def path_in_language(path: str, language: str, urlconf=None) -> str:
    """The address of the page at `path` in `language`.

    Guarantee: any address of the site's languaged pages, including ones that do not exist (so an
    error page switches language too), gets `language`'s prefix (none for English); an address
    outside the languaged pages (`/healthz`, `/i18n/…`) is returned unchanged.
    """
    bare = path_unprefixed(path)
    target = bare if language == settings.LANGUAGE_CODE else f"/{language}{bare}"
    if bare == path and _is_page(bare, settings.LANGUAGE_CODE, urlconf) and not _is_page(target, language, urlconf):
        return path  # an address outside i18n_patterns
    return target


def url_in_language(url: str, language: str, *, request) -> str | None:
    """`url` (a path with an optional query) in `language`, or None when it is not a safe local address."""
    url = url.strip()
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(url)
    if not parts.path.startswith("/"):
        return None  # a relative address: relative to what, after a redirect?
    path = path_in_language(parts.path, language)
    return urlunsplit(("", "", path, parts.query, ""))


def _is_file_address(path: str) -> bool:
    """True for an address under `STATIC_URL` or `MEDIA_URL` (local ones, other than the site's root):
    files, never pages. `path` is the full path, script prefix included, as those settings are."""
    return any(
        url and url.startswith("/") and url != "/" and path.startswith(url)
        for url in (settings.STATIC_URL, settings.MEDIA_URL)
    )


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, but an address without a prefix follows the visitor's choice.

    A GET of an unprefixed page by someone whose language cookie (or, without one, browser) says
    Spanish or French is redirected to the same page in that language; English stays unprefixed.
    Form posts, addresses outside the languaged pages and files (under `STATIC_URL` or
    `MEDIA_URL`: a missing one answers its 404 at once) are left alone.
    """

    def process_request(self, request):
        super().process_request(request)
        if request.method not in ("GET", "HEAD") or translation.get_language_from_path(request.path_info):
            return None
        if _is_file_address(request.path):
            return None
        language = translation.get_language_from_request(request, check_path=False)
        if language == settings.LANGUAGE_CODE or language not in _prefixed():
            return None
        urlconf = getattr(request, "urlconf", None)
        target = path_in_language(request.path_info, language, urlconf)
        if target == request.path_info:
            return None
        script_name = request.path[: len(request.path) - len(request.path_info)]
        query = request.META.get("QUERY_STRING", "")
        response = HttpResponseRedirect(script_name + target + (f"?{query}" if query else ""))
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not translation.get_language_from_path(request.path_info):
            patch_vary_headers(response, ("Accept-Language", "Cookie"))  # the cookie chooses the language
        return response
