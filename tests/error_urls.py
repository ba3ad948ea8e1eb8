"""The site's addresses plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from lucounty.urls import urlpatterns as site_urlpatterns


def boom(request):
    raise RuntimeError("a deliberate failure")


def suspicious(request):
    raise SuspiciousOperation("a deliberately bad request")


urlpatterns = [
    path("test-errors/500/", boom),
    path("test-errors/400/", suspicious),
    *site_urlpatterns,
]
