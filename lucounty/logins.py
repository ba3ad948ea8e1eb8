"""Logins: failed ones (django-axes: whom they lock out, from which address, what is shown)
and the password length rule.

A user name is locked after AXES_FAILURE_LIMIT failures; an address only after the higher
LOGIN_ADDRESS_FAILURE_LIMIT, because a county office reaches the server from one address and
a few colleagues' typos must not lock the whole office out.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth import password_validation
from django.shortcuts import render
from django.utils.translation import ngettext

LOCKOUT_PARAMETERS = ["username", "ip_address"]


def _sum(attempts) -> int:
    return sum(attempts.values_list("failures_since_start", flat=True))


class CountyAxesHandler(AxesDatabaseHandler):
    """axes' database handler with its own limit for an address."""

    def get_failures(self, request, credentials=None) -> int:
        """Failures of the user name, or the address's failures scaled so that reaching
        LOGIN_ADDRESS_FAILURE_LIMIT reaches AXES_FAILURE_LIMIT (axes compares one number)."""
        if list(settings.AXES_LOCKOUT_PARAMETERS) != LOCKOUT_PARAMETERS:
            return super().get_failures(request, credentials)
        by_user, by_address = self.get_user_attempts(request, credentials)
        scaled = _sum(by_address) * settings.AXES_FAILURE_LIMIT
        return max(_sum(by_user), scaled // settings.LOGIN_ADDRESS_FAILURE_LIMIT)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind PROXY_COUNT reverse proxies the address
    the outermost of them saw (X-Forwarded-For, counted from the right, so that a client
    cannot choose it by sending the header itself)."""
    count = settings.PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [address for address in forwarded if address]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, original_response=None, credentials=None):
    """The page a locked-out login gets (429), in the site's layout and language."""
    minutes = round(get_cool_off(request).total_seconds() / 60)
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with a message our catalogue translates (Django 5.2's Chinese one lacks it)."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: it needs at least %(min_length)d character.",
            "This password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
