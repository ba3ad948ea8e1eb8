"""The body of a dashboard page, rendered once per data version for the readers who all see the
same page: leaders and analysts see no working copy and no form, and nothing on a dashboard depends
on which of them reads it beyond their role (kept in the key all the same). Clerks, reviewers and
administrators see their own working copies and forms, so their pages are rendered every time.

The cached part is the page's main content. The frame around it (the navigation, the user's
name, the log-out form with its CSRF token, messages) is rendered for each request. A body is
keyed by the page, the role, the language, the day (the colours of 督办 items and what is
overdue change at midnight) and the versions of the data it shows (`indicators.cache`); a
period refused with a message is rendered every time.
"""

from collections.abc import Callable, Iterable

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from indicators import access, cache
from indicators.domain import periods
from indicators.models import Role

SHARED_ROLES = (Role.LEADER, Role.ANALYST)


def body(
    request: HttpRequest,
    template: str,
    *,
    key: str,
    aspects: Iterable[str | int],
    context: Callable[[], dict],
    shared: bool = True,
) -> SafeString:
    """The rendered `template` with `context()`, read from the cache when the reader is a
    leader or an analyst, caching is on, and `shared` (the page shows no message of its own)."""

    def rendered() -> SafeString:  # kept as such through the cache (a str subclass, pickled)
        return render_to_string(template, context(), request)

    if not (shared and cached_for(request)):
        return rendered()
    role = access.user_role(request.user)
    page = f"page:{template}:{role}:{translation.get_language()}:{periods.today()}:{key}"
    return cache.cached(page, rendered, aspects=aspects)


def cached_for(request: HttpRequest) -> bool:
    """Whether this reader's dashboard bodies come from the cache."""
    return cache.lifetime() > 0 and access.user_role(request.user) in SHARED_ROLES
