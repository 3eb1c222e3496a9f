"""The language switch in the page header.

Django's own ``set_language`` finds the page to go back to by resolving ``next`` in
the language of the *request*, which for this view (outside ``i18n_patterns``) comes
from the cookie or the browser's Accept-Language. A French browser on an English page
therefore resolved ``/en/memory/`` as a French URL, failed, and was sent back to the
English page. Here the page is resolved in the language of its own prefix, then
rebuilt in the chosen language, path and query string kept.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from privacy.accounts.services import user_language_set


def language_url(url: str, language: str) -> str:
    """``url`` (a path on this site, with its query) in ``language``."""
    parts = urlsplit(url)
    current = translation.get_language_from_path(parts.path)
    if current is None:
        return url  # a page without a language prefix is the same in every language
    with translation.override(current):
        translated = translate_url(url, language)
    if translated != url or current == language:
        return translated
    # Not a page we can name (a 404, say): swap the prefix, keep the rest.
    rest = parts.path[len(current) + 1 :]
    return urlunsplit(parts._replace(path=f"/{language}{rest}"))


def back_url(request, language: str) -> str:
    """The page a header control (language, market) was used on, if it is on this site;
    else the home page in `language`."""
    candidate = request.POST.get("next") or request.headers.get("referer") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(candidate)  # a Referer is absolute: keep the path and query
        return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return f"/{language}/"


@require_POST
def language_switch(request):
    """Go to the same page in the chosen language, remember the choice in the language
    cookie, and on the account of a signed-in customer (for the e-mails we send)."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        fallback = translation.get_language() or settings.LANGUAGE_CODE
        return HttpResponseRedirect(back_url(request, fallback))
    response = HttpResponseRedirect(language_url(back_url(request, language), language))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    return response
