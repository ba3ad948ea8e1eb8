"""The API's errors, in the user's language like the rest of the platform."""

from django.http import Http404
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """DRF's handler, with two messages of our own: a 404 says DRF's translated "Not found."
    rather than get_object_or_404's English "No Actual matches the given query.", and a 429
    says when to try again in a whole translated sentence (DRF's second half is English)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        exc = _throttled(exc.wait)
    return drf_exception_handler(exc, context)


def _throttled(wait: int) -> exceptions.Throttled:
    text = ngettext(
        "Too many requests; try again in %(seconds)d second.",
        "Too many requests; try again in %(seconds)d seconds.",
        wait,
    ) % {"seconds": wait}
    throttled = exceptions.Throttled(detail=text)
    throttled.wait = wait  # the Retry-After header
    return throttled
